// File helpers on the remote host over SFTP (no shell involved, so paths need no quoting).
// The compose file is the source of truth for what the EFD records: writes are atomic
// (temp file in the same directory + POSIX rename) and optimistic (refused when somebody else
// changed the file since we read it).
import { createHash, randomBytes } from 'node:crypto';
import * as posixPath from 'node:path/posix';
import type { SFTPWrapper, Stats } from 'ssh2';

/** The remote file no longer has the content the caller based its edit on. */
export class RemoteChangedError extends Error {
  constructor(
    readonly path: string,
    readonly expectedSha256: string,
    readonly actualSha256: string | undefined,
  ) {
    super(
      actualSha256 === undefined
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
  constructor(private readonly getSftp: () => Promise<SFTPWrapper>) {}

  async readFile(path: string): Promise<RemoteFileContent> {
    const sftp = await this.getSftp();
    const content = await call<Buffer>('reading', path, (cb) => sftp.readFile(path, cb as never));
    return { content, sha256: sha256Hex(content) };
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
   * Atomically replace `path` with `data`: write a temp file in the same directory, fsync it,
   * check the current content still hashes to expectedSha256, then POSIX-rename over the target.
   * Readers see the old or the new file, never a half-written one. The check-then-rename window is
   * a few milliseconds; it protects against edits made while the user was reviewing a change.
   */
  async writeFileAtomic(requestedPath: string, data: Buffer | string, opts: WriteAtomicOptions = {}): Promise<{ sha256: string }> {
    const sftp = await this.getSftp();
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    // A symlinked file is replaced at its target; renaming over the link would turn it into a copy.
    const path = await this.resolveSymlink(sftp, requestedPath);
    const current = await this.stat(path);
    if (current && !current.isFile) throw new Error(`${path} on the host is not a regular file; nothing was written.`);
    await this.assertUnchanged(path, opts.expectedSha256, current !== undefined);

    const dir = posixPath.dirname(path);
    const tmp = posixPath.join(dir, `.${posixPath.basename(path)}.salkafka-${randomBytes(6).toString('hex')}.tmp`);
    const mode = current ? current.mode & 0o7777 : (opts.mode ?? 0o644);
    try {
      await this.writeAndSync(sftp, tmp, buf, mode);
      if (current) {
        // Keep the owner and group of the file the team shares. Only root may give a file away,
        // so an ordinary user keeps the group at least (allowed when they are a member of it).
        const mine = await this.stat(tmp);
        const uid = mine && mine.uid !== current.uid ? mine.uid : current.uid;
        await call<void>('chown', tmp, (cb) => sftp.chown(tmp, uid, current.gid, cb)).catch(() => undefined);
      }
      await this.assertUnchanged(path, opts.expectedSha256, current !== undefined);
      await call<void>('renaming into place', path, (cb) => sftp.ext_openssh_rename(tmp, path, cb));
    } catch (err) {
      await call<void>('removing temp file', tmp, (cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
      throw err;
    }
    return { sha256: sha256Hex(buf) };
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
    try {
      let offset = 0;
      while (offset < buf.length) {
        const n = Math.min(32 * 1024, buf.length - offset);
        await call<void>('writing', tmp, (cb) => sftp.write(handle, buf, offset, n, offset, cb as never));
        offset += n;
      }
      // umask on the server may have narrowed the mode given to open().
      await call<void>('chmod', tmp, (cb) => sftp.fchmod(handle, mode, cb));
      await call<void>('fsync', tmp, (cb) => sftp.ext_openssh_fsync(handle, cb as never)).catch(() => undefined);
    } finally {
      await call<void>('closing', tmp, (cb) => sftp.close(handle, cb)).catch(() => undefined);
    }
  }
}
