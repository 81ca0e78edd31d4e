// Entry point: only wiring. Logic lives in src/core and the VS Code adapters in src/features.
import { join } from 'path';
import * as vscode from 'vscode';
import { activateLanguageFeatures } from './features/language';
import { registeredCommands } from './features/commands/register';
import { installRemoteLoader } from './features/lazy/remoteLoader';
import type { OpsApi } from './features/ops';
import type { RemoteApi } from './remote';
import type { ViewsApi } from './features/tree/viewsApi';

/** What activate() returns: test hooks (see src/features/ops/index.ts). */
export interface ExtensionApi {
  /** Loads the remote half if needed and returns the operations hooks (setPrompter, lastPlan). */
  ops(): Promise<OpsApi>;
  /** Loads the remote half if needed and returns read-only views of connection, producers view and log panes (see src/features/tree/viewsApi.ts). */
  views(): Promise<ViewsApi>;
  /**
   * Loads the remote half if needed and returns the command ids whose real handler is
   * registered, in either half (the activation placeholders do not count).
   */
  registeredCommands(): Promise<string[]>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  // Two more bundles sit next to this one and load on first use, so activation stays small:
  // dist/lint.js (the checker and yaml parser) and dist/remote.js (SSH, Docker, views, operations).
  // dist/lintWorker.js runs the checker in a worker thread for large documents.
  const docs = activateLanguageFeatures(context, () => require('./lint.js') as typeof import('./core/lint/lint'), join(__dirname, 'lintWorker.js'));
  // Connected, the remote half reads each image's own catalogue; the editor's checks use it.
  const remote = installRemoteLoader(context, () => (require('./remote.js') as typeof import('./remote')).activateRemote(context, (lookup) => docs.setImageCatalogue(lookup)) as RemoteApi);
  return {
    ops: async () => (await remote()).ops,
    views: async () => (await remote()).views,
    registeredCommands: async () => [...registeredCommands(), ...(await remote()).registeredCommands()],
  };
}

export function deactivate(): void {}
