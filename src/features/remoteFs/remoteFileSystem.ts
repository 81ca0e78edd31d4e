import * as vscode from 'vscode';
import { BoundedReadError } from '../../core/files/boundedRead';
import type { BackupLocation } from '../../core/ops/backup';
import { saveWithBackup, SaveResult } from '../../core/ops/saveWithBackup';
import { RemoteChangedError } from '../../core/remote/remoteFiles';
import type { Host } from '../../core/host/host';
import { parseRemoteUri } from './remoteUri';

/** Largest host file opened in an editor (a compose file is parsed up to 2 MiB; this leaves room for logs). */
const REMOTE_OPEN_MAX_BYTES = 64 * 1024 * 1024;

export interface RemoteSaveEvent {
  uri: vscode.Uri;
  alias: string;
  path: string;
  result: SaveResult;
}

export interface RemoteFileSystemDeps {
  /** A connected Host for the alias (connecting, with prompts, if needed). */
  connection(alias: string): Promise<Host>;
  backupLocation(): BackupLocation & { keep?: number };
  /** Old backups were pruned by a save: record it in the audit log. */
  onPruned?(alias: string, path: string, removed: string[]): void;
  /** A save was refused because the host's copy changed; show the user both versions. */
  onConflict(uri: vscode.Uri, error: RemoteChangedError, ours: Uint8Array): void;
}

/**
 * The kafka_writers file on the host as a VS Code file system over SFTP, so it opens in an
 * editor with every compose diagnostic. Saving keeps a backup and is atomic; a save over a
 * file somebody else changed since it was loaded is refused and the editor keeps our text.
 */
export class RemoteFileSystem implements vscode.FileSystemProvider {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  private readonly saved = new vscode.EventEmitter<RemoteSaveEvent>();
  readonly onDidChangeFile = this.changed.event;
  readonly onDidSave = this.saved.event;
  /** SHA-256 of the content each open file was loaded from: what a save is based on. */
  private readonly base = new Map<string, string>();

  constructor(private readonly deps: RemoteFileSystemDeps) {}

  watch(): vscode.Disposable {
    // The host is not watched (no inotify over SFTP); conflicts are caught at save instead.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const { alias, path } = parseRemoteUri(uri);
    const conn = await this.deps.connection(alias);
    const st = await conn.files.stat(path);
    if (!st) throw vscode.FileSystemError.FileNotFound(uri);
    // An editor restored after a reload stats the file but never reads it: record the version it
    // sees now as its base, so its save still gets the conflict check.
    if (st.isFile && !this.base.has(uri.toString())) {
      const { sha256 } = await conn.files.readFileBounded(path, REMOTE_OPEN_MAX_BYTES);
      if (!this.base.has(uri.toString())) this.base.set(uri.toString(), sha256);
    }
    return {
      // Devices, FIFOs and sockets are Unknown: readers that only want files (env files) skip them.
      type: st.isDirectory ? vscode.FileType.Directory : st.isFile ? vscode.FileType.File : vscode.FileType.Unknown,
      ctime: st.mtimeMs,
      mtime: st.mtimeMs,
      size: st.size,
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    const { alias, path } = parseRemoteUri(uri);
    const entries = await (await this.deps.connection(alias)).files.listDir(path);
    return entries.map((e) => [e.name, e.stat.isDirectory ? vscode.FileType.Directory : vscode.FileType.File]);
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { alias, path } = parseRemoteUri(uri);
    const conn = await this.deps.connection(alias);
    const st = await conn.files.stat(path);
    if (!st) throw vscode.FileSystemError.FileNotFound(uri);
    // The host's sftp-server blocks opening a FIFO (stalling the whole session) and streams a
    // device for ever: only regular files are read.
    if (st.isDirectory) throw vscode.FileSystemError.FileIsADirectory(uri);
    if (!st.isFile) throw vscode.FileSystemError.NoPermissions(`${path} on the host is not a regular file; it is not opened`);
    let read;
    try {
      // Bounded, and the opened handle checked again: a swap to a FIFO or device after the stat.
      read = await conn.files.readFileBounded(path, REMOTE_OPEN_MAX_BYTES);
    } catch (err) {
      if (err instanceof BoundedReadError) throw vscode.FileSystemError.NoPermissions(`${path} on the host is ${err.message}; it is not opened`);
      throw err;
    }
    this.base.set(uri.toString(), read.sha256);
    return read.content;
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { alias, path } = parseRemoteUri(uri);
    const conn = await this.deps.connection(alias);
    const baseSha = this.base.get(uri.toString());
    const exists = (await conn.files.stat(path)) !== undefined;
    if (!exists && !options.create) throw vscode.FileSystemError.FileNotFound(uri);
    if (exists && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    try {
      const result = await saveWithBackup(conn.files, path, Buffer.from(content), exists ? baseSha : undefined, new Date(), this.deps.backupLocation());
      this.base.set(uri.toString(), result.sha256);
      if (result.prunedBackups?.length) this.deps.onPruned?.(alias, path, result.prunedBackups);
      if (!result.unchanged) {
        this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
        this.saved.fire({ uri, alias, path, result });
      }
    } catch (err) {
      if (err instanceof RemoteChangedError) {
        this.deps.onConflict(uri, err, content);
        // The editor stays dirty with the user's text: nothing is lost.
        throw vscode.FileSystemError.NoPermissions(`${err.message}`);
      }
      throw err;
    }
  }

  /** Forget what a file was loaded from (after the user chose to take the host's version). */
  rebase(uri: vscode.Uri, sha256: string): void {
    this.base.set(uri.toString(), sha256);
  }

  createDirectory(uri: vscode.Uri): Promise<void> {
    const { alias, path } = parseRemoteUri(uri);
    return this.deps.connection(alias).then((c) => c.files.mkdirp(path));
  }

  delete(uri: vscode.Uri): void {
    // Deleting on the production host from an editor is not something this extension offers.
    throw vscode.FileSystemError.NoPermissions(`${uri.path}: deleting files on the host is not supported here`);
  }

  rename(oldUri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(`${oldUri.path}: renaming files on the host is not supported here`);
  }
}
