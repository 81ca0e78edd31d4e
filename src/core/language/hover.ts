import { describeIndexRule, type Catalogue } from '../catalogue/catalogue';
import type { EnvDiscovery } from '../compose/envDiscovery';
import { producerRelease, type ImageCatalogueLookup } from '../catalogue/producerRelease';
import type { ComposeModel, Range } from '../compose/model';
import { variableHover } from './variableHover';
import { PRODUCER_ENV_DOCS } from './producerEnvDocs';
import { historyOf } from '../catalogue/history';

export interface Hover {
  markdown: string;
  range: Range;
}

export interface LanguageOptions {
  /** Catalogues read from images on the connected host (see ImageCatalogues.lookup). */
  imageCatalogue?: ImageCatalogueLookup;
  /** The env files the variables came from (hover of a `${VAR}` names them). */
  env?: EnvDiscovery;
}

const within = (r: Range, offset: number) => r.start <= offset && offset <= r.end;

/**
 * Hover on a CSC in CSC_LIST, a producer environment key, or a `${VAR}` (with the env files
 * used). With the shipped catalogue (which carries the ts_xml history) a CSC shows the releases
 * it exists in and the release its producer's image carries.
 */
export function hover(model: ComposeModel, offset: number, catalogue: Catalogue, options: LanguageOptions = {}): Hover | undefined {
  const variable = variableHover(model, offset, options.env);
  if (variable) return variable;
  for (const service of model.services) {
    for (const token of service.cscList?.tokens ?? []) {
      if (token.kind !== 'csc' || !token.exact || !within(token.range, offset)) continue;
      const producers = model.services.filter((s) => s.cscList?.tokens.some((t) => t.kind === 'csc' && t.name === token.name)).map((s) => s.name);
      const history = historyOf(catalogue);
      const release = history ? producerRelease(model, service, history, catalogue, options.imageCatalogue) : undefined;
      const inForce = release?.scope.catalogue ?? catalogue;
      const exists = history?.has(token.name) ? `Exists in ts_xml ${history.describeRanges(token.name)}.` : '';
      const image = release ? (release.scope.checked ? `Checked against ${release.scope.checked}.` : `The image's ts_xml is unknown (${release.unknown}): checked against every release.`) : '';
      const listed = `Listed by: ${producers.join(', ')}`;
      const info = inForce.get(token.name);
      if (info) {
        return {
          range: token.range,
          markdown: [`**${info.name}**${token.index !== undefined ? ` (index ${token.index})` : ''}`, info.description, `*${describeIndexRule(info.index)}*`, exists, image, listed].filter(Boolean).join('\n\n'),
        };
      }
      const successor = history?.has(token.name) ? history.successor(token.name) : catalogue.retired(token.name)?.replacement;
      const now = successor ? `, now **${successor}**` : '';
      let head: string;
      if (release?.scope.checked && (history?.has(token.name) || catalogue.retired(token.name))) head = `**${token.name}**: not in ${release.scope.checked}; this producer cannot read it${now}.`;
      else if (history?.has(token.name) || catalogue.retired(token.name)) head = `**${token.name}**: retired SAL component${now}.`;
      else head = `**${token.name}**: not in the SAL catalogue${history ? ' (no ts_xml release has it)' : catalogue.source ? ` (${catalogue.source})` : ''}.`;
      return { range: token.range, markdown: [head, exists, image, listed].filter(Boolean).join('\n\n') };
    }
    if (!service.isProducer) continue;
    for (const entry of service.environment) {
      const doc = PRODUCER_ENV_DOCS[entry.key];
      if (!doc || !within(entry.keyRange, offset)) continue;
      return { range: entry.keyRange, markdown: `**${entry.key}**${doc.required ? ' (required)' : ''}\n\n${doc.summary}\n\nExample: \`${entry.key}=${doc.example}\`` };
    }
  }
  return undefined;
}
