// Entry point: only wiring. Each feature registers itself and returns what later
// features need; logic lives in src/core and the VS Code adapters in src/features.
import * as vscode from 'vscode';
import { activateLanguageFeatures } from './features/language';
import { activateConnection } from './features/connection';
import { activateRemoteFs } from './features/remoteFs';
import { activateTree } from './features/tree';
import { activateOps, type OpsApi } from './features/ops';

/** What activate() returns: test hooks (see src/features/ops/index.ts). */
export interface ExtensionApi {
  ops: OpsApi;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  activateLanguageFeatures(context);
  const connection = activateConnection(context); // tree/logs/operations consume this
  activateRemoteFs(context, connection);
  const views = activateTree(context, connection); // producers view, log panes, queue health
  const ops = activateOps(context, connection, { afterChange: () => void views.session.refresh() }); // change pipeline commands
  return { ops };
}

export function deactivate(): void {}
