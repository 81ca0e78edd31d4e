// What a producer's CSC list loses when its image moves from one ts_xml release to another:
// names the new release lacks (with the name they became, when ts_xml renamed them), indices the
// new enumeration no longer has, and index enumerations that changed meaning. Pure.
//
// Severity follows ts_salkafka: a name the image's ts_xml lacks stops the producer from starting
// (component_producer_set.py raises on an unknown component), so it must change in the same
// upgrade; a changed enumeration alone does not stop it, so it is only reported.
import type { IndexRule } from '../catalogue/catalogue';
import type { CatalogueHistory } from '../catalogue/history';

/** A CSC word of a producer (compose CSC_LIST or a values file's cscs). */
export interface CscWord {
  text: string;
  name: string;
  index?: string;
}

export interface CscChange {
  /** The word as written ("MTAlignment", "ESS:1"). */
  token: string;
  name: string;
  kind: 'missing' | 'index-invalid' | 'index-changed';
  /** missing/index-invalid: the word that replaces it, or undefined to remove it. */
  replacement?: string;
  /** missing: the name ts_xml renamed it to (present in the target release). */
  successor?: string;
  /** True when the change must be made for the producer to start on the target. */
  breaking: boolean;
  /** One sentence for the plan ("MTAlignment is not in ts_xml 15.0.0 (last in 14.0.0); renamed LaserTracker"). */
  detail: string;
}

function indexRuleAt(history: CatalogueHistory, name: string, versionIndex: number): IndexRule | undefined {
  return history.catalogueAt(versionIndex).get(name)?.index;
}

function describeRule(r: IndexRule | undefined): string {
  if (!r || r.kind === 'none') return 'not indexed';
  if (r.kind === 'any') return 'any index';
  return r.values.map((v) => `${v.value}=${v.name}`).join(', ');
}

function indexAllowed(r: IndexRule | undefined, index: string): boolean {
  if (!r || r.kind === 'none') return false;
  if (!/^\d+$/.test(index)) return false;
  if (r.kind === 'any') return true;
  return r.values.some((v) => v.value === Number(index));
}

/** The name `name` became by the target release, following renames (at most a few steps). */
function successorIn(history: CatalogueHistory, name: string, to: number): string | undefined {
  let n: string | undefined = name;
  for (let step = 0; step < 5 && n; step++) {
    n = history.successor(n);
    if (n && history.existsIn(n, to)) return n;
  }
  return undefined;
}

/**
 * Changes `words` need when the producer's image moves from release index `from` (undefined:
 * not known) to `to`. Words already present elsewhere in the list are not duplicated: a
 * successor the producer already writes turns the old name into a removal.
 */
export function cscChanges(words: readonly CscWord[], from: number | undefined, to: number, history: CatalogueHistory): CscChange[] {
  const out: CscChange[] = [];
  const target = history.versions[to];
  const present = new Set(words.map((w) => w.name));
  for (const w of words) {
    if (!history.existsIn(w.name, to)) {
      const last = history.lastIndex(w.name);
      const first = history.firstIndex(w.name);
      const when =
        last === undefined
          ? 'no ts_xml release has it'
          : last < to
            ? `last in ${history.versions[last]}`
            : first !== undefined && first > to
              ? `first in ${history.versions[first]}`
              : `not in that release (${history.describeRanges(w.name)})`;
      const successor = successorIn(history, w.name, to);
      let replacement: string | undefined;
      let how = 'remove it';
      if (successor && present.has(successor)) how = `it is now ${successor}, which the producer already writes: remove it`;
      else if (successor) {
        const keep = w.index !== undefined && indexAllowed(indexRuleAt(history, successor, to), w.index);
        replacement = keep ? `${successor}:${w.index}` : successor;
        how = `renamed ${successor}${history.firstIndex(successor) !== undefined ? ` in ${history.versions[history.firstIndex(successor)!]}` : ''}: write ${replacement}`;
        present.add(successor);
      }
      out.push({ token: w.text, name: w.name, kind: 'missing', replacement, successor, breaking: true, detail: `${w.name} is not in ts_xml ${target} (${when}); ${how}.` });
      continue;
    }
    const after = indexRuleAt(history, w.name, to);
    if (w.index !== undefined && !indexAllowed(after, w.index)) {
      out.push({
        token: w.text,
        name: w.name,
        kind: 'index-invalid',
        replacement: w.name,
        breaking: true,
        detail: `${w.text}: index ${w.index} is not one ts_xml ${target} allows for ${w.name} (${describeRule(after)}); write ${w.name} (every index) or a valid index.`,
      });
      continue;
    }
    if (from === undefined) continue;
    const before = indexRuleAt(history, w.name, from);
    if (before && after && JSON.stringify(before) !== JSON.stringify(after)) {
      out.push({
        token: w.text,
        name: w.name,
        kind: 'index-changed',
        breaking: false,
        detail: `${w.name}: index enumeration changed from ts_xml ${history.versions[from]} to ${target} (${describeRule(before)} → ${describeRule(after)}); the producer still starts.`,
      });
    }
  }
  return out;
}
