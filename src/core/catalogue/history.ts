import { Catalogue, CscInfo, parseIndexEnumeration, RetiredCsc } from './catalogue';

/** The JSON shape of sal-history.json (written by scripts/update-catalogue-history.mjs). */
export interface HistoryJson {
  source?: string;
  /** ts_xml releases, oldest first. */
  versions: string[];
  /** r: inclusive [from, to] version-index ranges; d: description; i: [from index, IndexEnumeration] changes. */
  components: Record<string, { r: [number, number][]; d?: string; i?: [number, string][] }>;
  /** Cycle → ts_xml, or [revision, ts_xml] changes within the cycle. */
  cycles: Record<string, string | [string, string][]>;
  /** Renames written in ts_xml's release notes: old → [new, first release of new]. */
  renamed?: Record<string, [string, string]>;
}

interface NameEntry {
  name: string;
  description: string;
  ranges: [number, number][];
  index: [number, string][];
}

/** "4.7.0" → [4, 7, 0]; "10.0" → [10, 0, 0]; undefined when not a version. */
export function versionParts(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/**
 * Which SAL components each ts_xml release knows, and which ts_xml each cycle ships.
 * A producer can read only the CSCs of the ts_xml inside its own image, so names are
 * checked against one release, not against today's list.
 */
export class CatalogueHistory {
  readonly versions: readonly string[];
  readonly source: string;
  private readonly entries = new Map<string, NameEntry>();
  private readonly indexByKey = new Map<string, number>();
  private readonly cycles: HistoryJson['cycles'];
  private readonly atVersion = new Map<number, Catalogue>();
  private successors?: Map<string, string>;
  private readonly renamedInNotes: Record<string, [string, string]>;

  constructor(data: HistoryJson, private readonly replacements: ReadonlyMap<string, string> = new Map()) {
    if (!data || !Array.isArray(data.versions) || typeof data.components !== 'object') throw new Error('catalogue history: expected "versions" and "components"');
    this.versions = data.versions;
    this.source = data.source ?? '';
    this.cycles = data.cycles ?? {};
    this.renamedInNotes = data.renamed ?? {};
    data.versions.forEach((v, i) => this.indexByKey.set(versionParts(v)?.join('.') ?? v, i));
    for (const [name, e] of Object.entries(data.components)) {
      this.entries.set(name, { name, description: e.d ?? '', ranges: e.r, index: e.i ?? [] });
    }
  }

  get newest(): string {
    return this.versions[this.versions.length - 1];
  }

  /** Index of a release ("10.0" and "10.0.0" are the same); undefined when not a known release. */
  indexOf(version: string): number | undefined {
    const p = versionParts(version);
    return p ? this.indexByKey.get(p.join('.')) : undefined;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Every name any release knew. */
  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  existsIn(name: string, versionIndex: number): boolean {
    return this.entries.get(name)?.ranges.some(([a, b]) => a <= versionIndex && versionIndex <= b) ?? false;
  }

  /** Release ranges where `name` exists, as version strings. */
  rangesOf(name: string): { from: string; to: string }[] {
    return (this.entries.get(name)?.ranges ?? []).map(([a, b]) => ({ from: this.versions[a], to: this.versions[b] }));
  }

  /** "7.0.0–16.0.0", "3.8–6.2.1, 9.0.0" or "7.0.0 onwards (to 28.0.1)". */
  describeRanges(name: string): string {
    const last = this.versions.length - 1;
    return (this.entries.get(name)?.ranges ?? [])
      .map(([a, b]) => (a === b ? this.versions[a] : b === last ? `${this.versions[a]} onwards (to ${this.versions[b]})` : `${this.versions[a]}–${this.versions[b]}`))
      .join(', ');
  }

  firstIndex(name: string): number | undefined {
    return this.entries.get(name)?.ranges[0]?.[0];
  }

  lastIndex(name: string): number | undefined {
    const r = this.entries.get(name)?.ranges;
    return r?.[r.length - 1]?.[1];
  }

  /** Version indices where every one of `names` exists. */
  commonIndices(names: Iterable<string>): number[] {
    let out = this.versions.map((_, i) => i);
    for (const n of names) out = out.filter((i) => this.existsIn(n, i));
    return out;
  }

  description(name: string): string {
    return this.entries.get(name)?.description ?? '';
  }

  /**
   * The current name `name` became, when it is known: the shipped catalogue's replacements
   * first, then a rename ts_xml's release notes state (MTAlignment → LaserTracker in 15.0.0,
   * with a new description), else a rename seen in the history (a name that appears in the very release after
   * `name` disappears, with the same description or a name that only adds a prefix or
   * changes case: Rotator → MTRotator, Environment → WeatherStation).
   */
  successor(name: string): string | undefined {
    const shipped = this.replacements.get(name);
    if (shipped) return shipped;
    const noted = this.renamedInNotes[name];
    if (noted) return noted[0];
    this.successors ??= this.deriveRenames();
    return this.successors.get(name);
  }

  /** Renames seen in the history: [old, new, first version of new]. */
  renames(): { from: string; to: string; at: string }[] {
    this.successors ??= this.deriveRenames();
    return [...this.successors].map(([from, to]) => ({ from, to, at: this.versions[this.firstIndex(to) ?? 0] }));
  }

  private deriveRenames(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [from, [to]] of Object.entries(this.renamedInNotes)) if (this.entries.has(from) && this.entries.has(to)) out.set(from, to);
    const last = this.versions.length - 1;
    for (const a of this.entries.values()) {
      const end = a.ranges[a.ranges.length - 1][1];
      if (end === last || out.has(a.name)) continue;
      const matches = [...this.entries.values()].filter(
        (b) =>
          b.ranges[0][0] === end + 1 &&
          (b.name.toLowerCase() === a.name.toLowerCase() ||
            b.name.endsWith(a.name) ||
            a.name.endsWith(b.name) ||
            (a.description !== '' && a.description === b.description)),
      );
      if (matches.length === 1) out.set(a.name, matches[0].name);
    }
    return out;
  }

  /** The catalogue of one release (cached); retired names are those an earlier release had. */
  catalogueAt(versionIndex: number): Catalogue {
    let c = this.atVersion.get(versionIndex);
    if (c) return c;
    const components: CscInfo[] = [];
    const retired: RetiredCsc[] = [];
    for (const e of this.entries.values()) {
      if (this.existsIn(e.name, versionIndex)) {
        let text = 'no';
        for (const [from, t] of e.index) if (from <= versionIndex) text = t;
        components.push({ name: e.name, description: e.description, index: parseIndexEnumeration(text) });
      } else if (e.ranges[0][0] < versionIndex) {
        retired.push({ name: e.name, replacement: this.successor(e.name) });
      }
    }
    c = new Catalogue(components, retired, `ts_xml ${this.versions[versionIndex]}`);
    this.atVersion.set(versionIndex, c);
    return c;
  }

  /**
   * The ts_xml of a cycle (`c0017`, `k0001`), optionally at a revision (`003`): the revision's
   * own version, or the last one of the cycle when no revision is given.
   */
  cycleVersion(cycle: string, revision?: string): { version: string; span?: string } | undefined {
    const c = this.cycles[cycle];
    if (c === undefined) return undefined;
    if (typeof c === 'string') return { version: c };
    if (revision !== undefined) {
      const rev = revision.padStart(3, '0');
      let v: string | undefined;
      for (const [r, version] of c) if (r <= rev) v = version;
      if (v) return { version: v };
    }
    return { version: c[c.length - 1][1], span: `${c[0][1]}–${c[c.length - 1][1]}` };
  }

  /** Known cycle names, in order. */
  cycleNames(): string[] {
    return Object.keys(this.cycles).sort();
  }
}

// The release history a catalogue is the newest release of (the shipped catalogue). Kept beside
// the catalogue rather than declared in it, so catalogue.ts does not depend on this module. With
// it, CSC names are checked against the ts_xml inside each producer's image; a user's own
// catalogue file has none and is used as written, for every producer. A registered symbol, not a
// WeakMap of this module: the editor's bundle reads catalogues the checker's bundle made, and
// each bundle has its own copy of this module.
const HISTORY = Symbol.for('efdSalkafka.catalogueHistory');
type WithHistory = Catalogue & { [HISTORY]?: CatalogueHistory };

export function attachHistory(catalogue: Catalogue, history: CatalogueHistory): void {
  (catalogue as WithHistory)[HISTORY] = history;
}

export function historyOf(catalogue: Catalogue): CatalogueHistory | undefined {
  return (catalogue as WithHistory)[HISTORY];
}
