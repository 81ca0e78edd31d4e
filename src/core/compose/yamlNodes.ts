import { Alias, Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, visit, YAMLMap } from 'yaml';
import type { Range } from './model';

/** A map entry with its key as text, including entries merged in through `<<: *anchor`. */
export interface MapEntry {
  key: string;
  keyNode: Node | null;
  value: Node | null;
  pair: Pair;
  /** True when the entry comes from a merged anchor rather than this map. */
  merged: boolean;
}

export function rangeOf(node: Node | null | undefined): Range | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/** Key text for scalar keys; anything else (flow maps as keys…) is stringified. */
export function keyText(key: unknown): string {
  // With `merge: true` the parser gives merge keys a Symbol('<<') value.
  if (isScalar(key)) return typeof key.value === 'symbol' ? (key.value.description ?? '') : String(key.value);
  if (key === null || key === undefined) return '';
  // A mapping or list used as a key is never a valid compose key; stringifying it makes the yaml
  // library convert it to JS, which throws on a broken merge inside it ("? {<<: 1}").
  try {
    return String(key);
  } catch {
    return '(complex key)';
  }
}

export function resolveAlias(doc: Document, node: unknown): Node | null {
  let n = node as Node | null;
  for (let guard = 0; isAlias(n) && guard < 20; guard++) n = resolveOnce(doc, n);
  return isAlias(n) ? null : n;
}

/**
 * Anchored and alias nodes of a document in document order, listed once per document:
 * yaml's Alias.resolve(doc) walks the whole document on every call, which made a file with
 * hundreds of `logging: *logging` quadratic (~0.5 s for 200 producers). The parsed document
 * is not modified after parsing, so the list stays valid.
 */
const anchorLists = new WeakMap<Document, Node[]>();

/** Same rule as Alias.resolve: the last node with the alias's anchor name before the alias. */
function resolveOnce(doc: Document, alias: Alias): Node | null {
  let nodes = anchorLists.get(doc);
  if (!nodes) {
    const list: Node[] = [];
    visit(doc, {
      Node: (_key, n) => {
        if (isAlias(n) || ((isScalar(n) || isCollection(n)) && n.anchor)) list.push(n);
      },
    });
    anchorLists.set(doc, (nodes = list));
  }
  let found: Node | null = null;
  for (const n of nodes) {
    if (n === alias) break;
    if ((n as { anchor?: string }).anchor === alias.source) found = n;
  }
  return found;
}

/**
 * Entries of a mapping with YAML merge keys resolved: own keys win over merged ones,
 * earlier merge sources win over later ones (YAML 1.1 merge semantics).
 */
export function mapEntries(doc: Document, node: Node | null, depth = 0): MapEntry[] {
  const map = resolveAlias(doc, node);
  if (!isMap(map)) return [];
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const item of (map as YAMLMap).items) {
    if (!isPair(item)) continue;
    const key = keyText(item.key);
    if (key === '<<' && depth < 10) {
      const src = resolveAlias(doc, item.value);
      const sources = isSeq(src) ? src.items.map((s) => resolveAlias(doc, s)) : [src];
      for (const s of sources) {
        for (const e of mapEntries(doc, s, depth + 1)) merged.push({ ...e, merged: true });
      }
      continue;
    }
    own.push({ key, keyNode: (item.key as Node) ?? null, value: resolveAlias(doc, item.value), pair: item, merged: false });
  }
  const seen = new Set(own.map((e) => e.key));
  for (const e of merged) {
    if (!seen.has(e.key)) {
      seen.add(e.key);
      own.push(e);
    }
  }
  return own;
}

export function getEntry(entries: MapEntry[], key: string): MapEntry | undefined {
  for (let i = entries.length - 1; i >= 0; i--) if (entries[i].key === key) return entries[i];
  return undefined;
}

/** Text of a scalar and where its characters sit in the source. */
export interface ScalarSource {
  raw: string;
  range: Range;
  exact: boolean;
}

export function scalarSource(text: string, node: Node | null): ScalarSource | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const s = node as Scalar;
  const [start, end] = node.range;
  const src = text.slice(start, end);
  if (s.value === null && (src === '' || src === '~' || src === 'null')) return undefined;
  switch (s.type) {
    case Scalar.PLAIN:
      if (!/[\r\n]/.test(src)) return { raw: src, range: { start, end }, exact: true };
      break;
    case Scalar.QUOTE_SINGLE:
    case Scalar.QUOTE_DOUBLE: {
      const inner = src.slice(1, -1);
      // A lone opening quote (unterminated at the end of the file) has no closing one to strip.
      const closed = src.length >= 2 && src[src.length - 1] === src[0];
      if (closed && inner === String(s.value)) return { raw: inner, range: { start: start + 1, end: end - 1 }, exact: true };
      break;
    }
  }
  return { raw: String(s.value), range: { start, end }, exact: false };
}

/**
 * The entries docker-compose sees: with a key written twice, PyYAML keeps the last value and
 * silently drops the earlier one (duplicate-key reports that), so only the last is checked.
 */
export function lastOfEach(entries: MapEntry[]): MapEntry[] {
  const last = new Map<string, MapEntry>();
  for (const e of entries) last.set(e.key, e);
  return entries.filter((e) => last.get(e.key) === e);
}
