// The change commands, GitLens-style: one module per command, registered from this list.
import * as vscode from 'vscode';
import type { OpsService } from '../ops/opsService';
import { addCsc } from './addCsc';
import { announce } from './announce';
import { checkValuesAgainstCycle } from './checkValuesAgainstCycle';
import { hotAddCsc } from './hotAddCsc';
import { applyProducer, restartProducer, startProducer, stopProducer } from './lifecycle';
import { removeCsc } from './removeCsc';
import { rollback } from './rollback';
import { showAuditLog } from './showAuditLog';
import { troubleshoot } from './troubleshoot';
import type { OpsCommand } from './types';
import { verifyProducer } from './verifyProducer';

export const OPS_COMMANDS: readonly OpsCommand[] = [
  addCsc,
  removeCsc,
  applyProducer,
  restartProducer,
  stopProducer,
  startProducer,
  rollback,
  verifyProducer,
  troubleshoot,
  hotAddCsc,
  announce,
  showAuditLog,
  checkValuesAgainstCycle,
];

export function registerOpsCommands(ops: OpsService): vscode.Disposable[] {
  return OPS_COMMANDS.map((c) =>
    vscode.commands.registerCommand(c.id, async (arg?: unknown) => {
      try {
        return await c.run(ops, arg);
      } catch (err) {
        void vscode.window.showErrorMessage(`EFD SAL Kafka: ${c.id.replace('efdSalkafka.', '')}: ${(err as Error).message}`);
        return undefined;
      }
    }),
  );
}
