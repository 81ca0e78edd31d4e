// Entry point: only wiring. Each feature registers itself and returns what later
// features need; logic lives in src/core and the VS Code adapters in src/features.
import * as vscode from 'vscode';
import { activateLanguageFeatures } from './features/language';
import { activateConnection } from './features/connection';
import { activateRemoteFs } from './features/remoteFs';
import { activateTree } from './features/tree';

export function activate(context: vscode.ExtensionContext): void {
  activateLanguageFeatures(context);
  const connection = activateConnection(context); // tree/logs/operations consume this
  activateRemoteFs(context, connection);
  activateTree(context, connection); // producers view, log panes, queue health
}

export function deactivate(): void {}
