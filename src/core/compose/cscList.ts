import type { CscToken, InterpolatedValue } from './model';
import { optionTakesValue, PRODUCER_OPTIONS } from './producerOptions';

/**
 * Options of run_salkafka_producer.py that take a value. CSC_LIST is appended to its
 * command line, so an option here (typically `--file m1m3.yaml`) is legitimate.
 */
export const PRODUCER_VALUE_OPTIONS = new Set(PRODUCER_OPTIONS.filter((o) => o.value !== 'flag').map((o) => o.name));

/**
 * Splits CSC_LIST into words with source ranges. When the value uses `${VAR}`, the
 * words come from the interpolated value and share the value's range (not exact).
 */
export function tokenizeCscList(value: InterpolatedValue): CscToken[] {
  const useRaw = value.variables.length === 0 && value.exact;
  const source = useRaw ? value.raw : value.value;
  const tokens: CscToken[] = [];
  const word = /\S+/g;
  let expectValue = false;
  for (let m = word.exec(source); m; m = word.exec(source)) {
    const text = m[0];
    const range = useRaw
      ? { start: value.range.start + m.index, end: value.range.start + m.index + text.length }
      : { ...value.range };
    if (expectValue) {
      tokens.push({ text, kind: 'optionValue', name: text, range, exact: useRaw });
      expectValue = false;
    } else if (text.startsWith('-')) {
      const name = text.split('=')[0];
      tokens.push({ text, kind: 'option', name, range, exact: useRaw });
      expectValue = optionTakesValue(name) && !text.includes('=');
    } else {
      const colon = text.indexOf(':');
      const name = colon >= 0 ? text.slice(0, colon) : text;
      const index = colon >= 0 ? text.slice(colon + 1) : undefined;
      tokens.push({ text, kind: 'csc', name, index, range, exact: useRaw });
    }
  }
  return tokens;
}

/** Range of the `:index` part of a csc token (exact tokens only). */
export function indexRange(token: CscToken): { start: number; end: number } {
  if (!token.exact || token.index === undefined) return token.range;
  return { start: token.range.start + token.name.length, end: token.range.end };
}
