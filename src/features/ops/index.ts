// Change pipeline feature: the ops service and its commands. activateOps returns the test hook.
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection';
import { registerOpsCommands } from '../commands';
import type { ArgumentPicker } from '../commands/register';
import { OpsService } from './opsService';
import type { Prompter } from './prompter';

export type { Prompter, ModalRequest, InputRequest, PickRequest } from './prompter';
export { ScriptedPrompter, VsCodePrompter } from './prompter';

/**
 * Part of the extension's API (the value activate() returns): lets extension-host tests answer
 * the confirmations programmatically. Production code never calls it.
 */
export interface OpsApi {
  /** Replace the prompter used by every change command; undefined restores VS Code's dialogs. */
  setPrompter(prompter: Prompter | undefined): void;
  /** The last plan shown and, once it ran, its outcome (for assertions). */
  lastPlan(): OpsService['last'];
  /** Every verification report (after a change or Verify Producer). */
  onDidVerify: OpsService['onDidVerify'];
}

export function activateOps(context: vscode.ExtensionContext, manager: ConnectionManager, hooks: { afterChange?(alias: string): void; onLockChange?(alias: string): void; pick?: ArgumentPicker } = {}): OpsApi {
  const ops = new OpsService(manager, hooks);
  context.subscriptions.push(ops, ...registerOpsCommands(ops, hooks.pick));
  return {
    setPrompter: (p) => ops.setPrompter(p),
    lastPlan: () => ops.last,
    onDidVerify: ops.onDidVerify,
  };
}
