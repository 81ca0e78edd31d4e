import * as vscode from 'vscode';
import { parseEnvFile } from '../../core/compose/envFile';
import type { Variables } from '../../core/compose/model';

/**
 * Reads .env-style files beside a compose document (any file system: local or the
 * remote salkafka: one). Results are cached until a file changes or is saved.
 */
export class EnvFiles implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<Variables | undefined>>();
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly existing = new Map<string, Promise<boolean>>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.env');
    const forget = () => {
      this.cache.clear();
      this.texts.clear();
      this.existing.clear();
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
      entry = this.readText(uri).then((text) => (text === undefined ? undefined : parseEnvFile(text)));
      this.cache.set(key, entry);
    }
    return entry;
  }

  /** The file's text, or undefined when it cannot be read (env discovery parses it itself). */
  readText(uri: vscode.Uri): Promise<string | undefined> {
    const key = uri.toString();
    let entry = this.texts.get(key);
    if (!entry) {
      entry = Promise.resolve(vscode.workspace.fs.readFile(uri)).then(
        (bytes) => new TextDecoder().decode(bytes),
        () => undefined,
      );
      this.texts.set(key, entry);
    }
    return entry;
  }

  /** Whether something exists at the URI (the `.git` that marks a repository root). */
  exists(uri: vscode.Uri): Promise<boolean> {
    const key = uri.toString();
    let entry = this.existing.get(key);
    if (!entry) {
      entry = Promise.resolve(vscode.workspace.fs.stat(uri)).then(
        () => true,
        () => false,
      );
      this.existing.set(key, entry);
    }
    return entry;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
