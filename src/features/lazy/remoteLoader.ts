import * as vscode from 'vscode';
import { COMMAND_IDS, commandEntry } from '../commands/registry';
import { DelegatingFileSystem } from './delegatingFileSystem';
import { explainTrustNeeded, WorkspaceNotTrustedError } from './trust';

export interface LoadedRemote {
  fileSystem: vscode.FileSystemProvider;
}

const PRODUCERS_VIEW = 'efdSalkafka.producers';

/**
 * Defers the remote half until it is needed: the first run of any contributed command, the
 * producers view becoming visible, or a salkafka: file being opened. Until then, light
 * placeholders hold the command ids, the view and the file-system scheme; at load they step
 * aside so the real features register under the same ids, and the triggering command is
 * replayed with its arguments. In an untrusted workspace (Restricted Mode) the remote half never
 * loads: commands explain that trust is needed, the view shows its "needs trust" welcome, and
 * salkafka: files refuse to open (see trust.ts).
 */
export function installRemoteLoader<T extends LoadedRemote>(context: vscode.ExtensionContext, activateRemote: () => T): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  const placeholders: vscode.Disposable[] = [];

  const load = (): Promise<T> => {
    if (!vscode.workspace.isTrusted) return Promise.reject(new WorkspaceNotTrustedError('The producers host'));
    loaded ??= new Promise<T>((resolve, reject) => {
      placeholders.splice(0).forEach((d) => d.dispose());
      try {
        resolve(activateRemote());
      } catch (err) {
        void vscode.window.showErrorMessage(`EFD SAL Kafka: the remote features failed to load: ${(err as Error).message}`);
        reject(err);
      }
    });
    return loaded;
  };

  // The commands the remote half registers (registry.ts); each placeholder stands in for one.
  for (const command of COMMAND_IDS.filter((id) => commandEntry(id)?.home === 'remote')) {
    placeholders.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        if (!vscode.workspace.isTrusted) {
          void explainTrustNeeded(commandTitle(context, command));
          return undefined;
        }
        await load();
        return vscode.commands.executeCommand(command, ...args);
      }),
    );
  }

  const view = vscode.window.createTreeView(PRODUCERS_VIEW, {
    treeDataProvider: {
      getTreeItem: (item: vscode.TreeItem) => item,
      // Asked for children only when the view is shown: that is the moment to load.
      getChildren: () => {
        if (vscode.workspace.isTrusted) setTimeout(() => void load(), 0);
        return [];
      },
    },
  });
  placeholders.push(view);

  const fs = new DelegatingFileSystem(async () => (await load()).fileSystem);
  context.subscriptions.push(
    // Trust granted later (the user clicked "Trust"): bring the view to life without a reload.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      if (view.visible) void load();
    }),
    vscode.workspace.registerFileSystemProvider('salkafka', fs, { isCaseSensitive: true }),
    fs,
    { dispose: () => placeholders.splice(0).forEach((d) => d.dispose()) },
  );
  return load;
}

function commandTitle(context: vscode.ExtensionContext, command: string): string {
  const c = (context.extension.packageJSON?.contributes?.commands ?? []).find((x: { command: string }) => x.command === command) as { title?: string } | undefined;
  return c?.title ?? command;
}
