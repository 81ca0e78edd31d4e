import data from './sal-components.json';
import historyData from './sal-history.json';
import { Catalogue, CatalogueJson } from './catalogue';
import { CatalogueHistory, HistoryJson } from './history';

let cached: Catalogue | undefined;
let cachedHistory: CatalogueHistory | undefined;

/**
 * The catalogue shipped with the extension: today's ts_xml (refresh with
 * scripts/update-catalogue.mjs), carrying the release history (scripts/update-catalogue-history.mjs).
 */
export function defaultCatalogue(): Catalogue {
  if (!cached) {
    cached = Catalogue.fromJson(data as CatalogueJson);
    cached.history = defaultHistory();
  }
  return cached;
}

/** Every ts_xml release and cycle; the shipped retired list supplies replacements for names renamed between releases. */
export function defaultHistory(): CatalogueHistory {
  if (!cachedHistory) {
    const replacements = new Map<string, string>();
    for (const r of (data as CatalogueJson).retired ?? []) if (r.replacement) replacements.set(r.name, r.replacement);
    cachedHistory = new CatalogueHistory(historyData as unknown as HistoryJson, replacements);
  }
  return cachedHistory;
}
