// Apply / Restart / Stop / Start: the same flow, different plan.
import { planApply, planLifecycle } from '../../core/ops/plan';
import { parseCommandArg } from './commandArg';
import { hostAndContext, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

function lifecycle(title: string, action: 'apply' | 'restart' | 'stop' | 'start', filter: (state: string) => boolean): OpsCommand {
  return {
    async run(ops, arg) {
      const a = parseCommandArg(arg);
      const hc = await hostAndContext(ops, title, a.host, a.composeFile);
      if (!hc) return undefined;
      const service = await ops.pickService(hc.ctx, a.service, `${title}: producer`, (s) => filter(hc.ctx.containers[s.name]?.state ?? 'not created'));
      if (!service) return undefined;
      return run(ops, hc.conn, await planOrExplain(ops, title, () => (action === 'apply' ? planApply(hc.ctx, service) : planLifecycle(hc.ctx, action, service))));
    },
  };
}

const up = (s: string) => s === 'running' || s === 'restarting';
export const applyProducer = lifecycle('Apply Producer', 'apply', () => true);
export const restartProducer = lifecycle('Restart Producer', 'restart', (s) => s !== 'not created');
export const stopProducer = lifecycle('Stop Producer', 'stop', up);
export const startProducer = lifecycle('Start Producer', 'start', (s) => !up(s));
