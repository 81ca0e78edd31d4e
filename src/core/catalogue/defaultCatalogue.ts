import historyData from './sal-history.json';
import { Catalogue } from './catalogue';
import { attachHistory, CatalogueHistory, HistoryJson } from './history';

let cached: Catalogue | undefined;
let cachedHistory: CatalogueHistory | undefined;

type ShippedJson = HistoryJson & { retired?: Record<string, string | null> };
const shipped = historyData as unknown as ShippedJson;

/**
 * The catalogue shipped with the extension: the newest ts_xml release of the history
 * (sal-history.json, from scripts/update-catalogue-history.mjs; equal to sal-components.json,
 * which a unit test checks), carrying that history so names are checked per image.
 * One data file in the bundles, not two.
 */
export function defaultCatalogue(): Catalogue {
  if (!cached) {
    const history = defaultHistory();
    const newest = history.catalogueAt(history.versions.length - 1);
    // Names of older releases (with the rename seen in the history), then the curated list,
    // whose replacements win: it also knows renames made between two releases.
    const retired = [...newest.retiredNames()];
    for (const [name, replacement] of Object.entries(shipped.retired ?? {})) retired.push({ name, replacement: replacement ?? undefined });
    cached = new Catalogue([...newest.components], retired, `ts_xml ${history.newest} (shipped)`);
    attachHistory(cached, history);
  }
  return cached;
}

/** Every ts_xml release and cycle; the shipped retired list supplies replacements for names renamed between releases. */
export function defaultHistory(): CatalogueHistory {
  if (!cachedHistory) {
    const replacements = new Map<string, string>();
    for (const [name, replacement] of Object.entries(shipped.retired ?? {})) if (replacement) replacements.set(name, replacement);
    cachedHistory = new CatalogueHistory(shipped, replacements);
  }
  return cachedHistory;
}
