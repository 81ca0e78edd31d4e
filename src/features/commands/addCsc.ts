import { planAddCsc } from '../../core/ops/plan';
import { parseCommandArg } from './commandArg';
import { hostAndContext, pickCscToAdd, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

export const addCsc: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    const hc = await hostAndContext(ops, 'Add CSC', a.host, a.composeFile);
    if (!hc) return undefined;
    const service = await ops.pickService(hc.ctx, a.service, 'Add CSC: producer', (s) => !!s.cscList);
    if (!service) return undefined;
    const csc = a.csc ?? (await pickCscToAdd(ops, ops.producers(hc.ctx), service));
    if (!csc) return undefined;
    return run(ops, hc.conn, await planOrExplain(ops, 'Add CSC', (force) => planAddCsc(hc.ctx, service, csc, { force }), a.force));
  },
};
