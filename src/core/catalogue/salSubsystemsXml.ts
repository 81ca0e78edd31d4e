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
  const open = block.indexOf(`<${name}>`);
  if (open < 0) return undefined;
  const from = open + name.length + 2;
  const close = block.indexOf(`</${name}>`, from);
  return close < 0 ? undefined : decode(block.slice(from, close));
}

/** The bodies of `<tag>…</tag>` elements, found with indexOf: linear whatever the file holds. */
function elements(text: string, tag: string): string[] {
  const out: string[] = [];
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  for (let at = text.indexOf(open); at >= 0; ) {
    const end = text.indexOf(close, at + open.length);
    if (end < 0) break;
    out.push(text.slice(at + open.length, end));
    at = text.indexOf(open, end + close.length);
  }
  return out;
}

/**
 * ts_xml's SALSubsystems.xml → catalogue. Both shapes of its history: `<SALSubsystem>` with
 * `<IndexEnumeration>` (4.6+ / 6.x+) and the older `<Subsystem>` with `<Enumeration>`.
 * Throws when the text holds no subsystem at all (not a SALSubsystems.xml).
 */
export function catalogueFromSalSubsystems(text: string, source: string): Catalogue {
  const components = [];
  const blocks = elements(text, 'SALSubsystem');
  for (const block of blocks.length ? blocks : elements(text, 'Subsystem')) {
    const name = field(block, 'Name');
    if (!name || !/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) continue;
    const index = field(block, 'IndexEnumeration') ?? field(block, 'Enumeration') ?? '';
    components.push({ name, description: field(block, 'Description') ?? '', index: parseIndexEnumeration(index || 'no') });
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
