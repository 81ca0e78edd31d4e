import * as vscode from 'vscode';
import { parseEnvFile } from '../../core/compose/envFile';
import type { Variables } from '../../core/compose/model';
import { BoundedReadError, ENV_FILE_MAX_BYTES, readRegularFile, tooLarge } from '../../core/files/boundedRead';

/** An env file's variables, or why it was refused; neither when it does not exist or cannot be read. */
export interface EnvFileRead {
  vars?: Variables;
  error?: string;
}

/**
 * Reads .env-style files beside a compose document (any file system: local or the
 * remote salkafka: one). Results are cached until a file changes or is saved.
 */
export class EnvFiles implements vscode.Disposable {
  private readonly cache = new Map<string, Promise<EnvFileRead>>();
  private readonly texts = new Map<string, Promise<{ text?: string; error?: string }>>();
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
        if (this.cache.has(d.uri.toString()) || this.texts.has(d.uri.toString())) forget();
      }),
      this.changed,
    );
  }

  /** Variables from the file, or undefined when it cannot be read (or was refused: see readChecked). */
  read(uri: vscode.Uri): Promise<Variables | undefined> {
    return this.readChecked(uri).then((r) => r.vars);
  }

  /**
   * Only regular files of at most ENV_FILE_MAX_BYTES: an env_file naming /dev/zero, /dev/urandom
   * or a FIFO filled memory or hung for ever. Local files are opened non-blocking and checked
   * after open; other file systems (the host's, over SFTP) are stat-ed first, and the salkafka:
   * file system reports devices and FIFOs as FileType.Unknown.
   */
  readChecked(uri: vscode.Uri): Promise<EnvFileRead> {
    const key = uri.toString();
    let entry = this.cache.get(key);
    if (!entry) {
      entry = this.readTextChecked(uri).then((r) => (r.text === undefined ? { error: r.error } : { vars: parseEnvFile(r.text) }));
      this.cache.set(key, entry);
    }
    return entry;
  }

  /** The file's text, or undefined when it cannot be read or was refused (env discovery parses it itself). */
  readText(uri: vscode.Uri): Promise<string | undefined> {
    return this.readTextChecked(uri).then((r) => r.text);
  }

  private readTextChecked(uri: vscode.Uri): Promise<{ text?: string; error?: string }> {
    const key = uri.toString();
    let entry = this.texts.get(key);
    if (!entry) {
      entry = readBounded(uri).then(
        (bytes) => ({ text: new TextDecoder().decode(bytes) }),
        (err) => (err instanceof BoundedReadError ? { error: err.message } : {}),
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

async function readBounded(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme === 'file') return readRegularFile(uri.fsPath, ENV_FILE_MAX_BYTES);
  const st = await vscode.workspace.fs.stat(uri);
  if (!(st.type & vscode.FileType.File)) {
    throw new BoundedReadError('not-regular', st.type & vscode.FileType.Directory ? 'not a regular file (a directory)' : 'not a regular file');
  }
  if (st.size > ENV_FILE_MAX_BYTES) throw tooLarge(st.size, ENV_FILE_MAX_BYTES);
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.length > ENV_FILE_MAX_BYTES) throw tooLarge(bytes.length, ENV_FILE_MAX_BYTES);
  return bytes;
}
