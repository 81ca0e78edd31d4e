import { planRemoveCsc } from '../../core/ops/plan';
import { parseCommandArg } from './commandArg';
import { hostAndContext, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

export const removeCsc: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, 'Remove CSC', a.host, a.composeFile);
    if (!hc) return undefined;
    const service = await ops.pickService(hc.ctx, a.service, 'Remove CSC: producer', (s) => !!s.cscList);
    if (!service) return undefined;
    let csc = a.csc;
    if (!csc) {
      const tokens = ops.producers(hc.ctx).find((s) => s.name === service)?.cscList?.tokens ?? [];
      const picked = await ops.prompter.pick({
        title: `Remove CSC from ${service}`,
        placeHolder: 'CSC to remove',
        items: tokens.filter((t) => t.kind === 'csc').map((t) => ({ label: t.text })),
      });
      csc = picked?.label;
    }
    if (!csc) return undefined;
    const word = csc;
    return run(ops, hc.conn, await planOrExplain(ops, 'Remove CSC', (force) => planRemoveCsc(hc.ctx, service, word, { force }), a.force));
  },
};
