import * as vscode from 'vscode';
import { DelegatingFileSystem } from './delegatingFileSystem';

export interface LoadedRemote {
  fileSystem: vscode.FileSystemProvider;
}

const PRODUCERS_VIEW = 'efdSalkafka.producers';

/**
 * Defers the remote half until it is needed: the first run of any contributed command, the
 * producers view becoming visible, or a salkafka: file being opened. Until then, light
 * placeholders hold the command ids, the view and the file-system scheme; at load they step
 * aside so the real features register under the same ids, and the triggering command is
 * replayed with its arguments.
 */
export function installRemoteLoader<T extends LoadedRemote>(context: vscode.ExtensionContext, activateRemote: () => T): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  const placeholders: vscode.Disposable[] = [];

  const load = (): Promise<T> => {
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

  const commands: { command: string }[] = context.extension.packageJSON?.contributes?.commands ?? [];
  for (const { command } of commands) {
    placeholders.push(
      vscode.commands.registerCommand(command, async (...args: unknown[]) => {
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
        setTimeout(() => void load(), 0);
        return [];
      },
    },
  });
  placeholders.push(view);

  const fs = new DelegatingFileSystem(async () => (await load()).fileSystem);
  context.subscriptions.push(
    vscode.workspace.registerFileSystemProvider('salkafka', fs, { isCaseSensitive: true }),
    fs,
    { dispose: () => placeholders.splice(0).forEach((d) => d.dispose()) },
  );
  return load;
}
