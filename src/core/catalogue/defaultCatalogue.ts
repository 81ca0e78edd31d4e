import data from './sal-components.json';
import { Catalogue, CatalogueJson } from './catalogue';

let cached: Catalogue | undefined;

/** The catalogue shipped with the extension (refresh with scripts/update-catalogue.mjs). */
export function defaultCatalogue(): Catalogue {
  cached ??= Catalogue.fromJson(data as CatalogueJson);
  return cached;
}
