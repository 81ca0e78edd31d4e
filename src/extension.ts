// Entry point: only wiring. Logic lives in src/core and the VS Code adapters in src/features.
import * as vscode from 'vscode';
import { activateLanguageFeatures } from './features/language';
import { installRemoteLoader } from './features/lazy/remoteLoader';
import type { OpsApi } from './features/ops';
import type { RemoteApi } from './remote';

/** What activate() returns: test hooks (see src/features/ops/index.ts). */
export interface ExtensionApi {
  /** Loads the remote half if needed and returns the operations hooks (setPrompter, lastPlan). */
  ops(): Promise<OpsApi>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  activateLanguageFeatures(context);
  // The SSH/Docker half is a second bundle next to this one (dist/remote.js), loaded on first use.
  const remote = installRemoteLoader(context, () => (require('./remote.js') as typeof import('./remote')).activateRemote(context) as RemoteApi);
  return { ops: async () => (await remote()).ops };
}

export function deactivate(): void {}
