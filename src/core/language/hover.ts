import { describeIndexRule, type Catalogue } from '../catalogue/catalogue';
import type { EnvDiscovery } from '../compose/envDiscovery';
import type { ComposeModel, Range } from '../compose/model';
import { variableHover } from './variableHover';
import { PRODUCER_ENV_DOCS } from './producerEnvDocs';

export interface Hover {
  markdown: string;
  range: Range;
}

const within = (r: Range, offset: number) => r.start <= offset && offset <= r.end;

/** Hover on a CSC in CSC_LIST, a producer environment key, or a `${VAR}` (with the env files used). */
export function hover(model: ComposeModel, offset: number, catalogue: Catalogue, env?: EnvDiscovery): Hover | undefined {
  const variable = variableHover(model, offset, env);
  if (variable) return variable;
  for (const service of model.services) {
    for (const token of service.cscList?.tokens ?? []) {
      if (token.kind !== 'csc' || !token.exact || !within(token.range, offset)) continue;
      const producers = model.services.filter((s) => s.cscList?.tokens.some((t) => t.kind === 'csc' && t.name === token.name)).map((s) => s.name);
      const info = catalogue.get(token.name);
      const listed = `Listed by: ${producers.join(', ')}`;
      if (info) {
        return { range: token.range, markdown: [`**${info.name}**${token.index !== undefined ? ` (index ${token.index})` : ''}`, info.description, `*${describeIndexRule(info.index)}*`, listed].filter(Boolean).join('\n\n') };
      }
      const retired = catalogue.retired(token.name);
      return {
        range: token.range,
        markdown: retired
          ? `**${token.name}**: retired SAL component${retired.replacement ? `, now **${retired.replacement}**` : ''}.\n\n${listed}`
          : `**${token.name}**: not in the SAL catalogue${catalogue.source ? ` (${catalogue.source})` : ''}.\n\n${listed}`,
      };
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
