import { Alias, Document, isAlias, isCollection, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar, visit, YAMLMap } from 'yaml';
import { budgetOf, ExpansionBudget, LIMITS } from './analysisLimits';
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
  if (!isAlias(node)) return (node as Node | null) ?? null;
  // An alias never points at another alias (aliases carry no anchor), so one step is enough.
  const target = aliasTargets(doc).get(node);
  return target && !isAlias(target) ? target : null;
}

/**
 * What each alias of a document points at, found in one walk: the last node with the alias's
 * anchor name before the alias in document order (yaml's Alias.resolve rule). yaml's own
 * Alias.resolve(doc) walks the whole document on every call, and scanning a list per alias is
 * quadratic too (a file of 3,000 `<<: *defaults`). The parsed document is not modified after
 * parsing, so the table stays valid.
 */
const aliasTables = new WeakMap<Document, Map<Alias, Node | null>>();

function aliasTargets(doc: Document): Map<Alias, Node | null> {
  let table = aliasTables.get(doc);
  if (!table) {
    const t = new Map<Alias, Node | null>();
    const current = new Map<string, Node>();
    visit(doc, {
      Node: (_key, n) => {
        if (isAlias(n)) t.set(n, current.get(n.source) ?? null);
        else if ((isScalar(n) || isCollection(n)) && n.anchor) current.set(n.anchor, n);
      },
    });
    aliasTables.set(doc, (table = t));
  }
  return table;
}

/**
 * Entries of a mapping with YAML merge keys resolved: own keys win over merged ones,
 * earlier merge sources win over later ones (YAML 1.1 merge semantics).
 *
 * Each mapping is expanded once per document and the result reused: merge keys fanned out and
 * nested (`x-a1: &a1 {<<: [*a0, *a0, …]}` six levels deep) were expanded again for every path,
 * minutes for a 484-byte file. The work is charged to the document's budget (analysisLimits.ts),
 * including every later use of a cached result, since the caller walks each entry; once the
 * budget is spent, merges are no longer followed and the callers' loops get nothing to walk.
 * The returned array is shared: do not modify it.
 */
export function mapEntries(doc: Document, node: Node | null): MapEntry[] {
  const map = resolveAlias(doc, node);
  if (!isMap(map)) return [];
  const budget = budgetOf(doc);
  const entries = expandMap(doc, budget, map as YAMLMap, 0);
  return budget.spend(entries.length, map, 'Expanding the merge keys (<<) of this file') ? entries : [];
}

const expansions = new WeakMap<Document, { done: Map<YAMLMap, MapEntry[]>; active: Set<YAMLMap> }>();

function expandMap(doc: Document, budget: ExpansionBudget, map: YAMLMap, depth: number): MapEntry[] {
  let state = expansions.get(doc);
  if (!state) expansions.set(doc, (state = { done: new Map(), active: new Set() }));
  const cached = state.done.get(map);
  if (cached) return cached;
  // A mapping that merges itself (through an alias to an ancestor) adds nothing the second time.
  if (state.active.has(map)) return [];
  if (depth > LIMITS.mergeDepth) {
    budget.exceed(map, `merge keys nested more than ${LIMITS.mergeDepth} levels deep`);
    return [];
  }
  state.active.add(map);
  const own: MapEntry[] = [];
  const merged: MapEntry[] = [];
  for (const item of map.items) {
    if (!isPair(item)) continue;
    const key = keyText(item.key);
    if (key === '<<') {
      const src = resolveAlias(doc, item.value);
      const sources = isSeq(src) ? src.items.map((s) => resolveAlias(doc, s)) : [src];
      for (const s of sources) {
        if (!isMap(s)) continue;
        const from = expandMap(doc, budget, s as YAMLMap, depth + 1);
        if (!budget.spend(from.length + 1, map, 'Expanding the merge keys (<<) of this file')) break;
        for (const e of from) merged.push(e.merged ? e : { ...e, merged: true });
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
  state.active.delete(map);
  state.done.set(map, own);
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
