import { Catalogue, parseIndexEnumeration } from './catalogue';
import type { CatalogueHistory } from './history';

const decode = (s: string): string =>
  s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;|&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

function field(block: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block);
  return m ? decode(m[1]) : undefined;
}

/**
 * ts_xml's SALSubsystems.xml → catalogue. Both shapes of its history: `<SALSubsystem>` with
 * `<IndexEnumeration>` (4.6+ / 6.x+) and the older `<Subsystem>` with `<Enumeration>`.
 * Throws when the text holds no subsystem at all (not a SALSubsystems.xml).
 */
export function catalogueFromSalSubsystems(text: string, source: string): Catalogue {
  const components = [];
  for (const m of text.matchAll(/<(SALSubsystem|Subsystem)>([\s\S]*?)<\/\1>/g)) {
    const name = field(m[2], 'Name');
    if (!name || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) continue;
    const index = field(m[2], 'IndexEnumeration') ?? field(m[2], 'Enumeration') ?? '';
    components.push({ name, description: field(m[2], 'Description') ?? '', index: parseIndexEnumeration(index || 'no') });
  }
  if (!components.length) throw new Error('no <SALSubsystem> in the file: not a SALSubsystems.xml');
  return new Catalogue(components, [], source);
}

/** The releases whose component names are exactly those of `catalogue` (oldest first). */
export function matchingReleases(catalogue: Catalogue, history: CatalogueHistory): string[] {
  const names = new Set([...catalogue.components].map((c) => c.name));
  return history.versions.filter((_, i) => {
    const at = history.catalogueAt(i);
    let n = 0;
    for (const c of at.components) {
      if (!names.has(c.name)) return false;
      n++;
    }
    return n === names.size;
  });
}
