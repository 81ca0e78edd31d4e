import { editDistance } from './editDistance';

/** How a component may be indexed in CSC_LIST (`Name:index`). */
export type IndexRule =
  | { kind: 'none' }
  | { kind: 'any' }
  | { kind: 'named'; values: { name: string; value: number }[] };

export interface CscInfo {
  name: string;
  description: string;
  index: IndexRule;
}

export interface RetiredCsc {
  name: string;
  replacement?: string;
}

/** The JSON shape of sal-components.json (ts_xml SALSubsystems.xml, flattened). */
export interface CatalogueJson {
  source?: string;
  components: { name: string; description?: string; indexEnumeration?: string }[];
  retired?: { name: string; replacement?: string | null }[];
}

/**
 * The SAL components a producer image knows. The set changes with the ts_xml version
 * inside the image, so users can point the extension at their own file.
 */
export class Catalogue {
  private readonly byName = new Map<string, CscInfo>();
  private readonly byLowerName = new Map<string, CscInfo>();
  private readonly retiredByName = new Map<string, RetiredCsc>();

  constructor(components: CscInfo[], retired: RetiredCsc[], readonly source = '') {
    for (const c of components) {
      this.byName.set(c.name, c);
      this.byLowerName.set(c.name.toLowerCase(), c);
    }
    for (const r of retired) if (!this.byName.has(r.name)) this.retiredByName.set(r.name, r);
  }

  static fromJson(data: CatalogueJson, source = data.source ?? ''): Catalogue {
    if (!data || !Array.isArray(data.components)) {
      throw new Error('catalogue: expected an object with a "components" array');
    }
    const components = data.components.map((c) => {
      if (typeof c?.name !== 'string' || !c.name) throw new Error('catalogue: every component needs a "name"');
      return { name: c.name, description: c.description ?? '', index: parseIndexEnumeration(c.indexEnumeration) };
    });
    const retired = (data.retired ?? []).map((r) => ({ name: r.name, replacement: r.replacement ?? undefined }));
    return new Catalogue(components, retired, source);
  }

  get components(): IterableIterator<CscInfo> {
    return this.byName.values();
  }

  get(name: string): CscInfo | undefined {
    return this.byName.get(name);
  }

  /** A current component whose name differs from `name` only in letter case. */
  getIgnoringCase(name: string): CscInfo | undefined {
    return this.byLowerName.get(name.toLowerCase());
  }

  retired(name: string): RetiredCsc | undefined {
    return this.retiredByName.get(name);
  }

  retiredNames(): IterableIterator<RetiredCsc> {
    return this.retiredByName.values();
  }

  /** Closest current names: a case-only difference, else those at the smallest edit distance ≤ 2 (≤ 1 for short names). */
  suggest(name: string, limit = 3): string[] {
    const exactCase = this.getIgnoringCase(name);
    if (exactCase) return [exactCase.name];
    const max = name.length <= 4 ? 1 : 2;
    const scored: { name: string; d: number }[] = [];
    for (const c of this.byName.values()) {
      const d = editDistance(name, c.name, max);
      if (d <= max) scored.push({ name: c.name, d });
    }
    scored.sort((a, b) => a.d - b.d || a.name.localeCompare(b.name));
    // Only the closest: "MTHexapd" suggests MTHexapod, not also ATHexapod one edit further.
    return scored.filter((s) => s.d === scored[0].d).slice(0, limit).map((s) => s.name);
  }
}

/**
 * SALSubsystems.xml's IndexEnumeration: "no" (not indexed), "any" (any integer), or
 * named indices, either "name=value,…" or "name,…" numbered from 1.
 */
export function parseIndexEnumeration(text: string | undefined): IndexRule {
  const t = (text ?? 'no').trim();
  if (t === '' || t.toLowerCase() === 'no') return { kind: 'none' };
  if (t.toLowerCase() === 'any') return { kind: 'any' };
  const values = t.split(',').map((part, i) => {
    const [name, value] = part.split('=').map((s) => s.trim());
    return { name, value: value !== undefined && /^\d+$/.test(value) ? Number(value) : i + 1 };
  });
  return { kind: 'named', values };
}

export function describeIndexRule(rule: IndexRule): string {
  switch (rule.kind) {
    case 'none':
      return 'not indexed';
    case 'any':
      return 'indexed: any integer index';
    case 'named':
      return `indexed: ${rule.values.map((v) => `${v.value} (${v.name})`).join(', ')}`;
  }
}
