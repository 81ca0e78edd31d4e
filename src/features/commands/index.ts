// The change commands, GitLens-style: one module per command, registered from this table. Its
// keys must be exactly the 'ops' commands of registry.ts (the compiler checks both ways).
import * as vscode from 'vscode';
import type { OpsService } from '../ops/opsService';
import { addCsc } from './addCsc';
import { announce } from './announce';
import { checkValuesAgainstCycle } from './checkValuesAgainstCycle';
import { upgradeCycle } from './upgradeCycle';
import { hotAddCsc } from './hotAddCsc';
import { applyProducer, restartProducer, startProducer, stopProducer } from './lifecycle';
import { registerCommands, type ArgumentPicker } from './register';
import type { CommandIdOf } from './registry';
import { removeCsc } from './removeCsc';
import { rollback } from './rollback';
import { showAuditLog } from './showAuditLog';
import { troubleshoot } from './troubleshoot';
import type { OpsCommand } from './types';
import { verifyProducer } from './verifyProducer';
import { newDevProducer } from './newDevProducer';
import { takeDownDevProducer } from './takeDownDevProducer';

export const OPS_COMMANDS: Readonly<Record<CommandIdOf<'ops'>, OpsCommand>> = {
  'efdSalkafka.addCsc': addCsc,
  'efdSalkafka.removeCsc': removeCsc,
  'efdSalkafka.applyProducer': applyProducer,
  'efdSalkafka.restartProducer': restartProducer,
  'efdSalkafka.stopProducer': stopProducer,
  'efdSalkafka.startProducer': startProducer,
  'efdSalkafka.rollback': rollback,
  'efdSalkafka.verifyProducer': verifyProducer,
  'efdSalkafka.troubleshoot': troubleshoot,
  'efdSalkafka.hotAddCsc': hotAddCsc,
  'efdSalkafka.announce': announce,
  'efdSalkafka.showAuditLog': showAuditLog,
  'efdSalkafka.newDevProducer': newDevProducer,
  'efdSalkafka.takeDownDevProducer': takeDownDevProducer,
  'efdSalkafka.checkValuesAgainstCycle': checkValuesAgainstCycle,
  'efdSalkafka.upgradeCycle': upgradeCycle,
};

export function registerOpsCommands(ops: OpsService, pick?: ArgumentPicker): vscode.Disposable[] {
  const handlers = Object.fromEntries(
    Object.entries(OPS_COMMANDS).map(([id, c]) => [
      id,
      async (arg?: unknown) => {
        try {
          return await c.run(ops, arg);
        } catch (err) {
          void vscode.window.showErrorMessage(`EFD SAL Kafka: ${id.replace('efdSalkafka.', '')}: ${(err as Error).message}`);
          return undefined;
        }
      },
    ]),
  ) as Record<CommandIdOf<'ops'>, (arg?: unknown) => Promise<unknown>>;
  return registerCommands('ops', handlers, pick);
}
