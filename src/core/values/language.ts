import type { Catalogue } from '../catalogue/catalogue';
import type { Range, ServiceModel } from '../compose/model';
import { cscCompletions, type CompletionItem } from '../language/completion';
import { lineAt, wordAt } from '../language/cursorContext';
import { hover, type Hover } from '../language/hover';
import type { SymbolNode } from '../language/symbols';
import { inSelf, type ValuesModel } from './model';

/**
 * Where the cursor's CSC word is when it is inside a `cscs:` value: on the `cscs:` line, or
 * on a line of its block scalar (`cscs: >-` then one name per line). Text-based, because
 * while typing the YAML is often momentarily invalid.
 */
export function cscsWordAt(text: string, offset: number): Range | undefined {
  const { lineStart, line, col } = lineAt(text, offset);
  const before = line.slice(0, col);
  const word = () => {
    const w = wordAt(line, col);
    return { start: lineStart + w.start, end: lineStart + w.end };
  };
  const same = /^\s*cscs:(\s*)(["']?)/.exec(before);
  if (same) {
    const rest = before.slice(same[0].length);
    if (/^[>|]/.test(rest) || before.length < same[0].length) return undefined;
    if (!same[1] && !same[2]) return undefined;
    return word();
  }
  const indent = /^\s*/.exec(before)![0].length === before.length ? col : /^\s*/.exec(line)![0].length;
  let pos = lineStart - 1;
  while (pos > 0) {
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    const above = text.slice(start, pos).replace(/\r$/, '');
    pos = start - 1;
    if (!above.trim()) continue;
    const aboveIndent = /^\s*/.exec(above)![0].length;
    if (aboveIndent < indent) return /^\s*cscs:\s*[>|][-+0-9]*\s*(#.*)?$/.test(above) ? word() : undefined;
    if (pos <= 0) break;
  }
  return undefined;
}

/** The producer whose block the offset is in (the last `<name>:` key of this file at or before it). */
export function producerAt(values: ValuesModel, offset: number): ServiceModel | undefined {
  let best: { start: number; service: ServiceModel } | undefined;
  for (const p of values.producers) {
    if (p.nameRange && p.nameRange.start <= offset && (!best || p.nameRange.start > best.start)) best = { start: p.nameRange.start, service: p.service };
  }
  return best?.service;
}

/** CSC names inside `cscs`, the same list (and the same double-writing hints) as in a compose CSC_LIST. */
export function completeValues(values: ValuesModel, offset: number, catalogue: Catalogue): CompletionItem[] {
  const range = cscsWordAt(values.text, offset);
  if (!range) return [];
  return cscCompletions(values.model, producerAt(values, offset), catalogue, range, {});
}

/** Hover on a CSC of `cscs` or a chart env key (the compose hover, on the values model). */
export function hoverValues(values: ValuesModel, offset: number, catalogue: Catalogue): Hover | undefined {
  const h = hover(values.model, offset, catalogue);
  return h && inSelf(values, h.range) ? h : undefined;
}

/** Outline: the producers this file names and the CSCs each reads. */
export function valuesSymbols(values: ValuesModel): SymbolNode[] {
  return values.producers
    .filter((p) => p.nameRange)
    .map((p) => {
      const tokens = (p.service.cscList?.tokens ?? []).filter((t) => t.kind !== 'option' && inSelf(values, t.range));
      const end = Math.max(p.nameRange!.end, ...tokens.map((t) => t.range.end), ...(p.service.cscList && inSelf(values, p.service.cscList.entry.range) ? [p.service.cscList.entry.range.end] : []));
      const inherited = p.cscsOrigin === 'base' ? ' (from values.yaml)' : '';
      const count = (p.service.cscList?.tokens ?? []).filter((t) => t.kind !== 'option').length;
      return {
        name: p.name,
        detail: `${count} CSC${count === 1 ? '' : 's'}${inherited}`,
        kind: 'producer' as const,
        range: { start: p.nameRange!.start, end },
        selectionRange: p.nameRange!,
        children: tokens.map((t) => ({ name: t.text, detail: t.kind === 'optionValue' ? 'topic-set file' : '', kind: 'csc' as const, range: t.range, selectionRange: t.range, children: [] })),
      };
    });
}
