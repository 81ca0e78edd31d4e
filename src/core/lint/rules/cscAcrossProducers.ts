import { dataPath, dataPathKey, describeDataPath } from '../../compose/dataPath';
import type { CscToken, ServiceModel } from '../../compose/model';
import { diagnostic } from '../diagnostic';
import type { Rule } from '../ruleContext';
import { removeTokenFix } from './cscList';

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
  for (const uses of byName.values()) {
    for (const a of uses) {
      const others = uses.filter(
        (b) => b.service !== a.service && (a.token.index === undefined || b.token.index === undefined || a.token.index === b.token.index),
      );
      if (!others.length) continue;
      const names = [...new Set(others.map((o) => o.service.name))];
      const tokens = a.service.cscList?.tokens ?? [];
      ctx.report(
        diagnostic(
          'csc-in-multiple-producers',
          a.token.range,
          `${a.token.text} is also written by ${names.join(', ')} on the same data path (${describeDataPath(dataPath(a.service))}): the EFD would receive its data twice.`,
          {
            related: others.map((o) => ({ range: o.token.range, message: `${o.token.text} in ${o.service.name}` })),
            fixes:
              a.token.exact && tokens.filter((t) => t.kind === 'csc').length > 1
                ? [removeTokenFix(ctx.model.text, a.token, tokens[0] === a.token, `Remove ${a.token.text} from ${a.service.name}`)]
                : undefined,
          },
        ),
      );
    }
  }
};
