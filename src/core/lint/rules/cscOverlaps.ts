import { LIMITS } from '../../compose/analysisLimits';
import type { CscToken, ServiceModel } from '../../compose/model';

export interface CscUse {
  service: ServiceModel;
  token: CscToken;
}

/**
 * For each use of one component name, the uses in other services it overlaps: `ESS` (all indices)
 * overlaps every `ESS…`, `ESS:1` overlaps `ESS` and `ESS:1`. Calls `report(a, firstOthers, total)`
 * with the first few overlapping uses (in file order) and the number of other services among all
 * of them, once per use that overlaps anything.
 *
 * Linear in the number of uses: 3,000 producers listing one CSC used to compare every pair and
 * list every other producer in every message (142 MB of JSON, 2 GB of memory). Each use of a
 * service is unique per token text (the caller drops repeats within a service).
 */
export function forEachOverlap(uses: readonly CscUse[], report: (a: CscUse, firstOthers: CscUse[], otherServices: number) => void): void {
  const unindexed: number[] = [];
  const byIndex = new Map<string, number[]>();
  const servicesAll = new Set<ServiceModel>();
  const servicesUnindexed = new Set<ServiceModel>();
  const servicesByIndex = new Map<string, Set<ServiceModel>>();
  uses.forEach((u, i) => {
    servicesAll.add(u.service);
    if (u.token.index === undefined) {
      unindexed.push(i);
      servicesUnindexed.add(u.service);
    } else {
      push(byIndex, u.token.index, i);
      let set = servicesByIndex.get(u.token.index);
      if (!set) servicesByIndex.set(u.token.index, (set = new Set()));
      set.add(u.service);
    }
  });
  // Services with an unindexed use or a use of index i: |U ∪ S_i| = |U| + |S_i| − |U ∩ S_i|.
  const unionSize = new Map<string, number>();
  for (const [index, set] of servicesByIndex) {
    let both = 0;
    for (const s of set) if (servicesUnindexed.has(s)) both++;
    unionSize.set(index, servicesUnindexed.size + set.size - both);
  }
  const all = uses.map((_, i) => i);
  for (const a of uses) {
    const candidates = a.token.index === undefined ? all : mergeSorted(unindexed, byIndex.get(a.token.index) ?? []);
    // a's own service is among the candidates' services (a overlaps itself): not an "other".
    const total = (a.token.index === undefined ? servicesAll.size : unionSize.get(a.token.index)!) - 1;
    if (total <= 0) continue;
    const first: CscUse[] = [];
    for (const i of candidates) {
      if (first.length >= LIMITS.namesPerMessage) break;
      if (uses[i].service !== a.service) first.push(uses[i]);
    }
    report(a, first, total);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The two ascending lists merged, lazily: only the first few items are ever taken, so building
 * the whole merged list per use would make the rule quadratic again.
 */
function* mergeSorted(a: number[], b: number[]): Generator<number> {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) yield a[i++];
    else yield b[j++];
  }
}
