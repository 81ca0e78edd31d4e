import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection';
import { chooseHost } from '../connection/chooseHost';
import { SNAPSHOT_SCHEME, SnapshotContent, showConflict } from './conflictView';
import { RemoteFileSystem } from './remoteFileSystem';
import { parseRemoteUri, remoteUri } from './remoteUri';

export { remoteUri, parseRemoteUri, REMOTE_SCHEME } from './remoteUri';
export type { RemoteFileSystem, RemoteSaveEvent } from './remoteFileSystem';

/** The remote compose file in an editor: `salkafka://<alias>/<path>` and the open command. */
export function activateRemoteFs(context: vscode.ExtensionContext, manager: ConnectionManager): RemoteFileSystem {
  const snapshots = new SnapshotContent();
  const fs: RemoteFileSystem = new RemoteFileSystem({
    connection: async (alias) => manager.connected(alias) ?? manager.connect(alias),
    backupLocation: () => ({ directory: vscode.workspace.getConfiguration('efdSalkafka').get<string>('backupDirectory', '') }),
    onConflict: (uri, err, ours) => {
      const { alias, path } = parseRemoteUri(uri);
      void manager
        .connect(alias)
        .then((c) => c.files.readFile(path))
        .then((r) => r.content, () => undefined)
        .then((theirs) => showConflict(snapshots, uri, err, theirs, ours));
    },
  });
  // The salkafka: scheme itself is registered at activation by a delegating provider
  // (src/features/lazy), which forwards to this one once the remote half is loaded.
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(SNAPSHOT_SCHEME, snapshots),
    vscode.commands.registerCommand('efdSalkafka.openRemoteCompose', async (arg?: unknown) => {
      // The host of the tree row it was invoked on (or given by name), else the first host.
      const host = await chooseHost(manager, arg, 'Open the compose file of which host?');
      if (!host) return;
      const path = manager.entry(host).composeFile;
      try {
        await (manager.connected(host) ?? manager.connect(host));
        const doc = await vscode.workspace.openTextDocument(remoteUri(host, path));
        await vscode.window.showTextDocument(doc, { preview: false });
      } catch (err) {
        void vscode.window.showErrorMessage(`Cannot open ${path} on ${host}: ${(err as Error).message}`);
      }
    }),
  );
  return fs;
}
