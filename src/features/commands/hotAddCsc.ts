// Hot add: only with efdSalkafka.enableHotAdd; the safe path (Add CSC via compose) is always
// offered first, in a modal that quotes the risk.
import * as vscode from 'vscode';
import { HOT_ADD_RISK, listProducersArgv, parseProcessList, planHotAdd } from '../../core/ops/hotAdd';
import { readOpsSettings } from '../ops/opsService';
import { parseCommandArg } from './commandArg';
import { addCsc } from './addCsc';
import { hostAndContext, pickCscToAdd, planOrExplain, run } from './kit';
import type { OpsCommand } from './types';

const SAFE = 'Add CSC via compose (safe)';
const RISKY = 'Hot add anyway';

export const hotAddCsc: OpsCommand = {
  async run(ops, arg) {
    const a = parseCommandArg(arg);
    if (!readOpsSettings().enableHotAdd) {
      const choice = await ops.prompter.modal({
        message: 'Hot add is disabled',
        detail: `${HOT_ADD_RISK}\n\nIt is allowed only when the setting efdSalkafka.enableHotAdd is on.`,
        choices: [SAFE, 'Open Setting'],
      });
      if (choice === SAFE) return addCsc.run(ops, arg);
      if (choice === 'Open Setting') await vscode.commands.executeCommand('workbench.action.openSettings', 'efdSalkafka.enableHotAdd');
      return undefined;
    }
    const choice = await ops.prompter.modal({ message: 'Hot add a CSC inside the running container?', detail: HOT_ADD_RISK, choices: [SAFE, RISKY] });
    if (choice === SAFE) return addCsc.run(ops, arg);
    if (choice !== RISKY) return undefined;
    const hc = await hostAndContext(ops, 'Hot add', a.host, a.composeFile);
    if (!hc) return undefined;
    const service = await ops.pickService(hc.ctx, a.service, 'Hot add: running producer', (s) => hc.ctx.containers[s.name]?.state === 'running');
    if (!service) return undefined;
    const csc = a.csc ?? (await pickCscToAdd(ops, ops.producers(hc.ctx), service));
    if (!csc) return undefined;
    const container = hc.ctx.containers[service]?.name ?? service;
    let procs;
    try {
      const r = await hc.conn.exec(listProducersArgv(container));
      if (r.code !== 0) throw new Error(`listing processes in ${container} failed (exit ${r.code}): ${r.stderr.trim()}`);
      procs = parseProcessList(r.stdout);
    } catch (err) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: Hot add: ${(err as Error).message}`);
      return undefined;
    }
    return run(ops, hc.conn, await planOrExplain(ops, 'Hot add', (force) => planHotAdd(hc.ctx, service, csc, procs, { enabled: true, force }), a.force));
  },
};
