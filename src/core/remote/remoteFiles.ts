// File helpers on the remote host over SFTP (no shell involved, so paths need no quoting).
// The compose file is the source of truth for what the EFD records: writes are atomic
// (temp file in the same directory + POSIX rename) and optimistic (refused when somebody else
// changed the file since we read it).
import { createHash, randomBytes } from 'node:crypto';
import * as posixPath from 'node:path/posix';
import type { SFTPWrapper, Stats } from 'ssh2';
import { notRegular, tooLarge } from '../files/boundedRead';

/** The remote file no longer has the content the caller based its edit on. */
export class RemoteChangedError extends Error {
  constructor(
    readonly path: string,
    /** undefined: the editor had no record of the version it was based on (restored after a reload). */
    readonly expectedSha256: string | undefined,
    readonly actualSha256: string | undefined,
  ) {
    super(
      expectedSha256 === undefined
        ? `${path}: this editor has no record of which version of the file it was based on (restored after a reload?), ` +
            `so it will not overwrite the host's copy (sha256 ${actualSha256?.slice(0, 12)}…) blindly; nothing was written. ` +
            `Compare with the host's version, then reload the file and apply the edit again.`
        : actualSha256 === undefined
          ? `${path} was removed on the host since it was read; nothing was written.`
          : `${path} was changed on the host since it was read (expected sha256 ${expectedSha256.slice(0, 12)}…, ` +
            `found ${actualSha256.slice(0, 12)}…); nothing was written. Reload the file and apply the edit again.`,
    );
    this.name = 'RemoteChangedError';
  }
}

export interface RemoteFileContent {
  content: Buffer;
  /** Hex SHA-256 of content; pass it back as expectedSha256 when writing. */
  sha256: string;
}

export interface RemoteStat {
  size: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
  isSymbolicLink: boolean;
}

export interface RemoteDirEntry {
  name: string;
  stat: RemoteStat;
}

export interface WriteAtomicOptions {
  /** Hex SHA-256 the file must still have; omit to write unconditionally (new files). */
  expectedSha256?: string;
  /** File mode for a new file (default 0o644); an existing file keeps its mode. */
  mode?: number;
}

export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

const SFTP_NO_SUCH_FILE = 2;

function isNoSuchFile(err: unknown): boolean {
  return (err as { code?: unknown } | undefined)?.code === SFTP_NO_SUCH_FILE;
}

function toStat(s: Stats): RemoteStat {
  return {
    size: s.size,
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    mtimeMs: s.mtime * 1000,
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymbolicLink: s.isSymbolicLink(),
  };
}

/** Wrap an SFTP error with the path and operation so messages say what failed where. */
function wrap(op: string, path: string, err: unknown): Error {
  const e = err as { message?: string; code?: unknown };
  const out = new Error(`${op} ${path} failed on the host: ${e?.message ?? String(err)}`);
  (out as { code?: unknown }).code = e?.code;
  (out as { cause?: unknown }).cause = err;
  return out;
}

function call<T>(op: string, path: string, fn: (cb: (err: Error | undefined | null, v?: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    fn((err, v) => (err ? reject(wrap(op, path, err)) : resolve(v as T)));
  });
}

export class RemoteFiles {
  /** @param getSftp returns the (cached) SFTP session of the host connection. */
  constructor(private readonly getSftpSession: () => Promise<SFTPWrapper>) {}

  private lastSftp: SFTPWrapper | undefined;

  /**
   * The SFTP session; the first use of a new session (after a reconnect) also removes the temp
   * files a dropped connection left behind, whatever the operation is (the tree reads the compose
   * file right after reconnecting).
   */
  private async getSftp(): Promise<SFTPWrapper> {
    const s = await this.getSftpSession();
    if (s !== this.lastSftp) {
      this.lastSftp = s;
      if (this.pendingCleanup.size) void this.cleanupPending().catch(() => undefined);
    }
    return s;
  }

  async readFile(path: string): Promise<RemoteFileContent> {
    const sftp = await this.getSftp();
    const content = await call<Buffer>('reading', path, (cb) => sftp.readFile(path, cb as never));
    return { content, sha256: sha256Hex(content) };
  }

  /**
   * Reads a regular file of at most maxBytes, whatever the host puts at the path: the lock file,
   * the compose file, the audit log and env files are all named by paths others can write. The
   * path is stat-ed first (an SFTP open of a FIFO blocks the host's sftp-server, and with it every
   * later request of the session; a device streams for ever), then the opened handle is fstat-ed
   * (a swap between the two is caught) and read in chunks, never past maxBytes + 1 (a file that
   * grows while read). noFollow: a symbolic link is refused instead of followed. Throws
   * BoundedReadError for anything but a regular file within the cap, and an SFTP error with code 2
   * when the path does not exist.
   */
  async readFileBounded(path: string, maxBytes: number, opts: { noFollow?: boolean } = {}): Promise<RemoteFileContent> {
    const sftp = await this.getSftp();
    const st = opts.noFollow ? await this.lstat(path) : await this.stat(path);
    if (!st) throw wrap('reading', path, Object.assign(new Error('No such file'), { code: SFTP_NO_SUCH_FILE }));
    if (st.isSymbolicLink) throw notRegular('a symbolic link');
    if (!st.isFile) throw notRegular(st.isDirectory ? 'a directory' : 'a device, FIFO or socket');
    if (st.size > maxBytes) throw tooLarge(st.size, maxBytes);
    const handle = await call<Buffer>('opening', path, (cb) => sftp.open(path, 'r', cb));
    try {
      const fst = await call<Stats>('fstat', path, (cb) => sftp.fstat(handle, cb));
      if (!fst.isFile()) throw notRegular('not a plain file when opened');
      if (fst.size > maxBytes) throw tooLarge(fst.size, maxBytes);
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const buf = Buffer.alloc(Math.min(32 * 1024, maxBytes + 1 - total));
        const n = await new Promise<number>((resolve, reject) =>
          sftp.read(handle, buf, 0, buf.length, total, (err: Error | undefined | null, bytes?: number) => (err ? reject(wrap('reading', path, err)) : resolve(bytes ?? 0))),
        );
        if (n === 0) break;
        chunks.push(buf.subarray(0, n));
        total += n;
        if (total > maxBytes) throw tooLarge(total, maxBytes);
      }
      const content = Buffer.concat(chunks, total);
      return { content, sha256: sha256Hex(content) };
    } finally {
      await closeQuietly(sftp, handle);
    }
  }

  /** Stat following symlinks; undefined when the path does not exist. */
  async stat(path: string): Promise<RemoteStat | undefined> {
    const sftp = await this.getSftp();
    try {
      return toStat(await call<Stats>('stat', path, (cb) => sftp.stat(path, cb)));
    } catch (err) {
      if (isNoSuchFile(err)) return undefined;
      throw err;
    }
  }

  async listDir(path: string): Promise<RemoteDirEntry[]> {
    const sftp = await this.getSftp();
    const list = await call<{ filename: string; attrs: Stats }[]>('listing', path, (cb) =>
      sftp.readdir(path, cb as never),
    );
    return list
      .filter((e) => e.filename !== '.' && e.filename !== '..')
      .map((e) => ({ name: e.filename, stat: toStat(e.attrs) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** mkdir -p: creates missing parents; fine when the directory exists already. */
  async mkdirp(path: string, mode = 0o755): Promise<void> {
    const sftp = await this.getSftp();
    const abs = posixPath.normalize(path);
    const parts = abs.split('/').filter(Boolean);
    let cur = abs.startsWith('/') ? '' : '.';
    for (const part of parts) {
      cur = `${cur}/${part}`;
      const st = await this.stat(cur);
      if (st?.isDirectory) continue;
      if (st) throw new Error(`cannot create directory ${cur} on the host: a file with that name exists`);
      try {
        await call<void>('mkdir', cur, (cb) => sftp.mkdir(cur, { mode }, cb));
      } catch (err) {
        // Lost a race with another creator: fine if it is a directory now.
        if (!(await this.stat(cur))?.isDirectory) throw err;
      }
    }
  }

  /**
   * Atomically replace `path` with `data`: write a temp file in the same directory, fsync and
   * close it (either failing fails the save: a close error once left a 10-byte compose file behind
   * a "saved" message), re-read the temp file and check its size and sha256, check the current
   * content still hashes to expectedSha256, then POSIX-rename over the target. Readers see the old
   * or the new file, never a half-written one; on any failure the temp file is removed (or, when
   * the connection is gone, on the next use of this RemoteFiles) and the error says which version
   * the host has. The check-then-rename window is a few milliseconds; it protects against edits
   * made while the user was reviewing a change.
   */
  async writeFileAtomic(requestedPath: string, data: Buffer | string, opts: WriteAtomicOptions = {}): Promise<{ sha256: string }> {
    const sftp = await this.getSftp();
    await this.cleanupPending();
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const sha256 = sha256Hex(buf);
    // A symlinked file is replaced at its target; renaming over the link would turn it into a copy.
    const path = await this.resolveSymlink(sftp, requestedPath);
    const current = await this.stat(path);
    if (current && !current.isFile) throw new Error(`${path} on the host is not a regular file; nothing was written.`);
    await this.assertUnchanged(path, opts.expectedSha256, current !== undefined);
    await this.sweepStaleTemps(path);

    const tmp = tempNameFor(path);
    const mode = current ? current.mode & 0o7777 : (opts.mode ?? 0o644);
    let renaming = false;
    try {
      await this.writeAndSync(sftp, tmp, buf, mode);
      if (current) {
        // Keep the owner and group of the file the team shares. Only root may give a file away,
        // so an ordinary user keeps the group at least (allowed when they are a member of it).
        const mine = await this.stat(tmp);
        const uid = mine && mine.uid !== current.uid ? mine.uid : current.uid;
        await call<void>('chown', tmp, (cb) => sftp.chown(tmp, uid, current.gid, cb)).catch(() => undefined);
      }
      await this.verifyWritten(tmp, buf.length, sha256);
      await this.assertUnchanged(path, opts.expectedSha256, current !== undefined);
      renaming = true;
      await call<void>('renaming into place', path, (cb) => sftp.ext_openssh_rename(tmp, path, cb));
    } catch (err) {
      await this.removeTemp(tmp);
      if (err instanceof RemoteChangedError) throw err;
      throw await this.atomicWriteError(path, err, renaming, current ? opts.expectedSha256 : undefined, sha256);
    }
    return { sha256 };
  }

  /**
   * Like writeFileAtomic for a file that must NOT exist yet (backups): the temp file is moved to
   * `path` with the plain SFTP rename, which OpenSSH implements as link()+unlink() and so refuses
   * an existing name (or a symlink planted there) instead of overwriting it. Throws
   * RemoteExistsError when the name is taken.
   */
  async createFileExclusive(path: string, data: Buffer, opts: { mode: number; gid?: number }): Promise<{ sha256: string; mode: number }> {
    const sftp = await this.getSftp();
    await this.cleanupPending();
    const sha256 = sha256Hex(data);
    const tmp = tempNameFor(path);
    let mode = opts.mode & 0o777;
    try {
      await this.writeAndSync(sftp, tmp, data, mode);
      if (opts.gid !== undefined) {
        const mine = await this.stat(tmp);
        if (mine && mine.gid !== opts.gid) {
          const ok = await call<void>('chgrp', tmp, (cb) => sftp.chown(tmp, mine.uid, opts.gid!, cb)).then(() => true, () => false);
          if (!ok && mode & 0o070) {
            // Our group is not the source's: group access would reach other people. Never wider.
            mode &= ~0o070;
            await call<void>('chmod', tmp, (cb) => sftp.chmod(tmp, mode, cb));
          }
        }
      }
      await this.verifyWritten(tmp, data.length, sha256);
      if (await this.lstat(path)) throw new RemoteExistsError(path);
      await call<void>('creating', path, (cb) => sftp.rename(tmp, path, cb)).catch(async (err) => {
        if (await this.lstat(path).catch(() => undefined)) throw new RemoteExistsError(path);
        throw err;
      });
    } catch (err) {
      await this.removeTemp(tmp);
      throw err;
    }
    return { sha256, mode };
  }

  /** Stat NOT following symlinks; undefined when the path does not exist. */
  async lstat(path: string): Promise<RemoteStat | undefined> {
    const sftp = await this.getSftp();
    try {
      return toStat(await call<Stats>('lstat', path, (cb) => sftp.lstat(path, cb)));
    } catch (err) {
      if (isNoSuchFile(err)) return undefined;
      throw err;
    }
  }

  async unlink(path: string): Promise<void> {
    const sftp = await this.getSftp();
    await call<void>('removing', path, (cb) => sftp.unlink(path, cb));
  }

  /** Temp files we could not remove (connection gone); retried on the next use. */
  readonly pendingCleanup = new Set<string>();

  /** Removes the temp files a dropped connection left behind (ours, remembered by name). */
  async cleanupPending(): Promise<void> {
    if (!this.pendingCleanup.size) return;
    const sftp = await this.getSftpSession();
    for (const tmp of [...this.pendingCleanup]) {
      try {
        await call<void>('removing temp file', tmp, (cb) => sftp.unlink(tmp, cb));
        this.pendingCleanup.delete(tmp);
      } catch (err) {
        if (isNoSuchFile(err)) this.pendingCleanup.delete(tmp);
        else return; // still unreachable: keep them for the next time
      }
    }
  }

  /**
   * Temp files of this writer's pattern beside `path` that are older than STALE_TEMP_MS: left by
   * an editor or extension host that died mid-write. Younger ones may be another save in flight.
   */
  async sweepStaleTemps(path: string, now = Date.now()): Promise<string[]> {
    const dir = posixPath.dirname(path);
    const removed: string[] = [];
    let entries: RemoteDirEntry[];
    try {
      entries = await this.listDir(dir);
    } catch {
      return removed;
    }
    for (const e of entries) {
      if (!isOurTempName(path, e.name) || !e.stat.isFile || now - e.stat.mtimeMs < STALE_TEMP_MS) continue;
      const p = posixPath.join(dir, e.name);
      try {
        await this.unlink(p);
        removed.push(p);
      } catch {
        /* someone else swept it, or no permission: harmless */
      }
    }
    return removed;
  }

  private async removeTemp(tmp: string): Promise<void> {
    try {
      const sftp = await this.getSftpSession();
      await call<void>('removing temp file', tmp, (cb) => sftp.unlink(tmp, cb));
    } catch (err) {
      if (!isNoSuchFile(err)) this.pendingCleanup.add(tmp);
    }
  }

  /** Re-read what landed on the host: the size and every byte must be what we sent. */
  private async verifyWritten(tmp: string, size: number, sha256: string): Promise<void> {
    const st = await this.lstat(tmp);
    if (!st || !st.isFile) throw new Error(`the temporary file ${tmp} vanished before it could be checked`);
    if (st.size !== size) throw new Error(`the temporary file ${tmp} has ${st.size} bytes on the host, ${size} were written`);
    const back = await this.readFile(tmp);
    if (back.sha256 !== sha256) throw new Error(`the temporary file ${tmp} does not read back as written (sha256 ${back.sha256.slice(0, 12)}…, expected ${sha256.slice(0, 12)}…)`);
  }

  /** Which version the host holds after a failed write, in the error the user sees. */
  private async atomicWriteError(path: string, err: unknown, renaming: boolean, oldSha: string | undefined, newSha: string): Promise<AtomicWriteError> {
    let hostHas: AtomicWriteError['hostHas'] = renaming ? 'unknown' : 'old';
    if (renaming) {
      try {
        const now = (await this.readFile(path)).sha256;
        hostHas = now === newSha ? 'new' : now === oldSha || oldSha === undefined ? 'old' : 'unknown';
      } catch {
        hostHas = 'unknown';
      }
    }
    return new AtomicWriteError(path, (err as Error).message ?? String(err), hostHas, err);
  }

  private async resolveSymlink(sftp: SFTPWrapper, path: string): Promise<string> {
    let st: Stats;
    try {
      st = await call<Stats>('lstat', path, (cb) => sftp.lstat(path, cb));
    } catch (err) {
      if (isNoSuchFile(err)) return path;
      throw err;
    }
    if (!st.isSymbolicLink()) return path;
    return call<string>('resolving symlink', path, (cb) => sftp.realpath(path, cb));
  }

  private async assertUnchanged(path: string, expected: string | undefined, existed: boolean): Promise<void> {
    if (expected === undefined) return;
    let actual: string | undefined;
    try {
      actual = (await this.readFile(path)).sha256;
    } catch (err) {
      if (!isNoSuchFile(err) || !existed) throw err;
    }
    if (actual !== expected) throw new RemoteChangedError(path, expected, actual);
  }

  private async writeAndSync(sftp: SFTPWrapper, tmp: string, buf: Buffer, mode: number): Promise<void> {
    // 'wx': fail if the temp name exists rather than write through someone's symlink.
    const handle = await call<Buffer>('creating', tmp, (cb) => sftp.open(tmp, 'wx', { mode }, cb));
    let closed = false;
    try {
      let offset = 0;
      while (offset < buf.length) {
        const n = Math.min(32 * 1024, buf.length - offset);
        await call<void>('writing', tmp, (cb) => sftp.write(handle, buf, offset, n, offset, cb as never));
        offset += n;
      }
      // umask on the server may have narrowed the mode given to open().
      await call<void>('chmod', tmp, (cb) => sftp.fchmod(handle, mode, cb));
      // A failing fsync means the data may not be on disk: the save fails. Only a server without
      // the fsync@openssh.com extension is let through (the read-back check still runs).
      await call<void>('fsync', tmp, (cb) => sftp.ext_openssh_fsync(handle, cb as never)).catch((err: Error) => {
        if (!/does not support/i.test(err.message)) throw err;
      });
      closed = true;
      // close() is where NFS and some full filesystems report lost writes: it must succeed.
      await call<void>('closing', tmp, (cb) => sftp.close(handle, cb));
    } finally {
      if (!closed) await closeQuietly(sftp, handle);
    }
  }
}

/**
 * Best-effort close after a failure. A request sent on an SFTP channel that is already gone (the
 * connection dropped mid-write) would never be answered, so skip it then, and never wait long.
 */
function closeQuietly(sftp: SFTPWrapper, handle: Buffer): Promise<void> {
  const state = (sftp as unknown as { outgoing?: { state?: string } }).outgoing?.state;
  if (state !== undefined && state !== 'open') return Promise.resolve();
  return new Promise<void>((resolve) => {
    const t = setTimeout(resolve, 5000);
    try {
      sftp.close(handle, () => {
        clearTimeout(t);
        resolve();
      });
    } catch {
      clearTimeout(t);
      resolve();
    }
  });
}

/** How long a temp file of ours must sit untouched before a later save sweeps it away. */
export const STALE_TEMP_MS = 10 * 60_000;

/** `.docker-compose.yaml.salkafka-<hex>.tmp`: hidden, beside its target, and recognisably ours. */
export function tempNameFor(path: string): string {
  return posixPath.join(posixPath.dirname(path), `.${posixPath.basename(path)}.salkafka-${randomBytes(6).toString('hex')}.tmp`);
}

export function isOurTempName(path: string, name: string): boolean {
  const base = `.${posixPath.basename(path)}.salkafka-`;
  return name.startsWith(base) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(base.length));
}

/** A write that did not complete; `hostHas` says which version of the file the host holds. */
export class AtomicWriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly hostHas: 'old' | 'new' | 'unknown',
    cause?: unknown,
  ) {
    super(
      hostHas === 'old'
        ? `Writing ${path} failed (${reason}); the file on the host is unchanged (the previous version).`
        : hostHas === 'new'
          ? `Writing ${path} reported an error (${reason}), but the file on the host is the new version, complete.`
          : `Writing ${path} failed while renaming into place (${reason}); which version the host has could not be read back. Reconnect and compare before doing anything else.`,
    );
    this.name = 'AtomicWriteError';
    (this as { cause?: unknown }).cause = cause;
  }
}

/** createFileExclusive found the name taken: nothing was overwritten. */
export class RemoteExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists on the host; not overwriting it.`);
    this.name = 'RemoteExistsError';
  }
}
