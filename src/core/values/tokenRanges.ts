import { Scalar } from 'yaml';
import type { Range } from '../compose/model';

export interface WordRange {
  text: string;
  range: Range;
}

/**
 * Where each whitespace-separated word of a scalar's value sits in the source. Folding
 * (`>-`), literal blocks (`|`), multi-line plain scalars and simple quoted scalars change
 * only the whitespace between words, so each word can be found, in order, with nothing but
 * whitespace between. Anything else (escapes, `''` in single quotes, a `\` line join) makes
 * the mapping unsafe and returns undefined: callers then point at the whole scalar.
 */
export function wordRanges(text: string, node: Scalar, value: string): WordRange[] | undefined {
  if (!node.range) return undefined;
  const [start, end] = node.range;
  let pos = start;
  const src = text.slice(start, end);
  switch (node.type) {
    case Scalar.BLOCK_FOLDED:
    case Scalar.BLOCK_LITERAL: {
      // Skip the header line (`>-`, `|+2 # comment`).
      const nl = src.search(/\r?\n/);
      if (nl < 0) return value.trim() ? undefined : [];
      pos = start + nl;
      break;
    }
    case Scalar.QUOTE_DOUBLE:
      if (src.includes('\\')) return undefined;
      pos = start + 1;
      break;
    case Scalar.QUOTE_SINGLE:
      if (src.slice(1, -1).includes("''")) return undefined;
      pos = start + 1;
      break;
    default:
      break;
  }
  const out: WordRange[] = [];
  const words = value.match(/\S+/g) ?? [];
  for (const word of words) {
    while (pos < end && /\s/.test(text[pos])) pos++;
    if (text.startsWith(word, pos) && pos + word.length <= end) {
      out.push({ text: word, range: { start: pos, end: pos + word.length } });
      pos += word.length;
    } else {
      return undefined;
    }
  }
  return out;
}
