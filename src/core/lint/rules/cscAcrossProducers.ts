import { nameList } from '../../compose/analysisLimits';
import { dataPath, dataPathKey, describeDataPath } from '../../compose/dataPath';
import type { CscToken, ServiceModel } from '../../compose/model';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';
import { removeTokenFix } from './cscList';
import { forEachOverlap } from './cscOverlaps';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'csc-in-multiple-producers': { severity: 'warning', summary: 'Two producers write the same component: the EFD gets its data twice.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/**
 * The same component in two producers on the same data path (DDS domain, partition and
 * broker: see compose/dataPath.ts) means the EFD receives its topics twice.
 * `ESS` (all indices) overlaps `ESS:1`; `ESS:1` and `ESS:2` do not overlap.
 */
export const cscAcrossProducers: Rule = (ctx) => {
  const byName = new Map<string, { service: ServiceModel; token: CscToken }[]>();
  for (const service of ctx.model.services) {
    const tokens = service.cscList?.tokens ?? [];
    const path = tokens.length ? dataPathKey(service) : '';
    const seenHere = new Set<string>();
    for (const token of tokens) {
      if (token.kind !== 'csc' || seenHere.has(token.text)) continue;
      seenHere.add(token.text);
      const key = `${path}\u0000${token.name}`;
      const list = byName.get(key) ?? [];
      list.push({ service, token });
      byName.set(key, list);
    }
  }
  const cscCounts = new Map<ServiceModel, number>();
  for (const uses of byName.values()) {
    forEachOverlap(uses, (a, others, total) => {
      const names = [...new Set(others.map((o) => o.service.name))];
      const tokens = a.service.cscList?.tokens ?? [];
      // Counted once per service: per use it was quadratic in a long CSC_LIST.
      let cscCount = cscCounts.get(a.service);
      if (cscCount === undefined) cscCounts.set(a.service, (cscCount = tokens.filter((t) => t.kind === 'csc').length));
      ctx.report(
        diagnostic(
          'csc-in-multiple-producers',
          a.token.range,
          `${a.token.text} is also written by ${nameList(names, total)} on the same data path (${describeDataPath(dataPath(a.service))}): the EFD would receive its data twice.`,
          {
            related: others.map((o) => ({ range: o.token.range, message: `${o.token.text} in ${o.service.name}` })),
            fixes:
              a.token.exact && cscCount > 1
                ? [removeTokenFix(ctx.model.text, a.token, tokens[0] === a.token, `Remove ${a.token.text} from ${a.service.name}`)]
                : undefined,
          },
        ),
      );
    });
  }
};

export const cscAcrossProducersRule = declareRule({
  rule: cscAcrossProducers,
  codes: CODES,
  kinds: ['compose', 'values'],
  crossService: ['csc-in-multiple-producers'],
});
