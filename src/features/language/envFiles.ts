import * as vscode from 'vscode';
import { parseEnvFile } from '../../core/compose/envFile';
import type { Variables } from '../../core/compose/model';

/**
 * Reads .env-style files beside a compose document (any file system: local or the
 * remote salkafka: one). Results are cached until a file changes or is saved.
 */
export class EnvFiles implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Variables | undefined>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.env');
    const forget = () => {
      this.cache.clear();
      this.changed.fire();
    };
    this.disposables.push(
      watcher,
      watcher.onDidChange(forget),
      watcher.onDidCreate(forget),
      watcher.onDidDelete(forget),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (this.cache.has(d.uri.toString())) forget();
      }),
      this.changed,
    );
  }

  /** Variables from the file, or undefined when it cannot be read. */
  read(uri: vscode.Uri): Promise<Variables | undefined> {
    const key = uri.toString();
    let entry = this.cache.get(key);
    if (!entry) {
      entry = Promise.resolve(vscode.workspace.fs.readFile(uri)).then(
        (bytes) => parseEnvFile(new TextDecoder().decode(bytes)),
        () => undefined,
      );
      this.cache.set(key, entry);
    }
    return entry;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
