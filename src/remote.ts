// The remote half of the extension: hosts (SSH or local), Docker, the producers view, log panes
// and the change pipeline. Bundled on its own (dist/remote.js, about 1 MB with ssh2 and dockerode)
// and loaded on first use, so opening a compose file never pays for it.
import * as vscode from 'vscode';
import type { ImageCatalogueLookup } from './core/catalogue/producerRelease';
import { activateConnection } from './features/connection';
import { registeredCommands } from './features/commands/register';
import { activateOps, type OpsApi } from './features/ops';
import { activateRemoteFs, type RemoteFileSystem } from './features/remoteFs';
import { activateTree } from './features/tree';
import { createViewsApi, type ViewsApi } from './features/tree/viewsApi';
import { activateWalkthrough } from './features/walkthrough';

export interface RemoteApi {
  ops: OpsApi;
  fileSystem: RemoteFileSystem;
  views: ViewsApi;
  /** The command ids whose real handler this half registered (not a placeholder). */
  registeredCommands(): string[];
}

export function activateRemote(context: vscode.ExtensionContext, onImageCatalogues?: (lookup: ImageCatalogueLookup | undefined) => void): RemoteApi {
  const connection = activateConnection(context); // tree/logs/operations consume this
  const fileSystem = activateRemoteFs(context, connection);
  activateWalkthrough(context, connection); // pick host, check Docker
  const views = activateTree(context, connection, onImageCatalogues); // producers view, log panes, queue health
  const ops = activateOps(context, connection, {
    afterChange: (alias) => void views.sessions.get(alias)?.refresh(),
    onLockChange: (alias) => void views.sessions.get(alias)?.pollLock(),
    pick: views.pick,
  }); // change pipeline commands
  context.subscriptions.push(ops.onDidVerify((report) => views.tree.showVerification(report, report.host)));
  return { ops, fileSystem, views: createViewsApi(connection, views.tree, views.logs), registeredCommands };
}
