import * as os from 'node:os';
import * as vscode from 'vscode';
import { appendAuditEvent, auditLogPath } from '../../core/ops/audit';
import { DEFAULT_BACKUPS_KEEP } from '../../core/ops/backup';
import type { ConnectionManager } from '../connection';
import { registerCommands } from '../commands/register';
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
    backupLocation: () => {
      const c = vscode.workspace.getConfiguration('efdSalkafka');
      return { directory: c.get<string>('backupDirectory', ''), keep: c.get<number>('backups.keep', DEFAULT_BACKUPS_KEEP) };
    },
    onPruned: (alias, path, removed) => {
      const c = manager.connected(alias);
      if (!c) return;
      const at = new Date().toISOString();
      const auditPath = auditLogPath(path, vscode.workspace.getConfiguration('efdSalkafka').get<string>('auditLogFile') || undefined);
      void appendAuditEvent(c, auditPath, {
        v: 1, at, action: 'prune-backups', localUser: localUserName(), remoteUser: c.target.user, host: alias,
        summary: `kept the newest backups of ${path}; removed ${removed.length} older`, paths: removed,
      }).catch((err: Error) => void vscode.window.showWarningMessage(`EFD SAL Kafka: pruned ${removed.length} old backup(s) but could not record it in ${auditPath}: ${err.message}`));
    },
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
    ...registerCommands('remoteFs', {
      'efdSalkafka.openRemoteCompose': async (arg?: unknown) => {
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
      },
    }),
  );
  return fs;
}

function localUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
