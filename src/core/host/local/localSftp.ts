// The local file system in the shape of ssh2's SFTP session, for the local transport. RemoteFiles
// (atomic, optimistic writes of the compose file), backups and the audit log all speak SFTP;
// giving them this adapter keeps ONE implementation of the safety-critical write path for both
// transports instead of a second, subtly different one. Errors carry SFTP status codes
// (2 = no such file, 3 = permission denied) because that is what the callers test.
import * as fs from 'node:fs';
import type { SFTPWrapper } from 'ssh2';

type Cb<T = void> = (err: Error | null | undefined, value?: T) => void;

const SFTP_STATUS: Record<string, number> = { ENOENT: 2, ENOTDIR: 2, EACCES: 3, EPERM: 3 };

function sftpError(err: NodeJS.ErrnoException): Error {
  const e = new Error(err.message) as Error & { code?: number; errno?: string };
  e.code = SFTP_STATUS[err.code ?? ''] ?? 4; // 4 = SSH_FX_FAILURE
  e.errno = err.code;
  return e;
}

/** ssh2's Stats: times in seconds and the is* methods. */
function attrs(s: fs.Stats) {
  return {
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
    isFile: () => s.isFile(),
    isDirectory: () => s.isDirectory(),
    isSymbolicLink: () => s.isSymbolicLink(),
    isSocket: () => s.isSocket(),
    isFIFO: () => s.isFIFO(),
    isBlockDevice: () => s.isBlockDevice(),
    isCharacterDevice: () => s.isCharacterDevice(),
  };
}

const done = <T>(cb: Cb<T>) => (err: NodeJS.ErrnoException | null, v?: T) => (err ? cb(sftpError(err)) : cb(null, v));

/** The SFTP calls the extension makes, on node:fs. Handles are 4-byte buffers naming an fd. */
export class LocalSftp {
  private readonly fds = new Map<string, number>();
  private nextHandle = 1;

  private fd(handle: Buffer): number {
    const fd = this.fds.get(handle.toString('hex'));
    if (fd === undefined) throw Object.assign(new Error('invalid handle'), { code: 4 });
    return fd;
  }

  readFile(path: string, a: unknown, b?: unknown): void {
    const cb = (typeof a === 'function' ? a : b) as Cb<Buffer>;
    fs.readFile(path, done(cb));
  }
  stat(path: string, cb: Cb<ReturnType<typeof attrs>>): void {
    fs.stat(path, (err, s) => (err ? cb(sftpError(err)) : cb(null, attrs(s))));
  }
  lstat(path: string, cb: Cb<ReturnType<typeof attrs>>): void {
    fs.lstat(path, (err, s) => (err ? cb(sftpError(err)) : cb(null, attrs(s))));
  }
  readdir(path: string, cb: Cb<{ filename: string; longname: string; attrs: ReturnType<typeof attrs> }[]>): void {
    fs.readdir(path, (err, names) => {
      if (err) return cb(sftpError(err));
      const out: { filename: string; longname: string; attrs: ReturnType<typeof attrs> }[] = [];
      for (const name of names) {
        try {
          out.push({ filename: name, longname: name, attrs: attrs(fs.lstatSync(`${path}/${name}`)) });
        } catch {
          // Removed between readdir and lstat: SFTP would not list it either.
        }
      }
      cb(null, out);
    });
  }
  realpath(path: string, cb: Cb<string>): void {
    fs.realpath(path, done(cb));
  }
  mkdir(path: string, a: unknown, b?: unknown): void {
    const cb = (typeof a === 'function' ? a : b) as Cb;
    const mode = typeof a === 'object' && a && 'mode' in a ? (a as { mode?: number }).mode : undefined;
    fs.mkdir(path, { mode }, (err) => done(cb)(err));
  }
  open(path: string, flags: string, a: unknown, b?: unknown): void {
    const cb = (typeof a === 'function' ? a : b) as Cb<Buffer>;
    const mode = typeof a === 'object' && a && 'mode' in a ? (a as { mode?: number }).mode : undefined;
    // Reading: non-blocking, so a FIFO swapped in at the path never blocks a libuv thread for
    // ever (a real sftp-server would block; the bounded reader stats before opening for that).
    const how = flags === 'r' ? fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0) : flags;
    fs.open(path, how, mode, (err, fd) => {
      if (err) return cb(sftpError(err));
      const handle = Buffer.alloc(4);
      handle.writeUInt32BE(this.nextHandle++);
      this.fds.set(handle.toString('hex'), fd);
      cb(null, handle);
    });
  }
  fstat(handle: Buffer, cb: Cb<ReturnType<typeof attrs>>): void {
    fs.fstat(this.fd(handle), (err, s) => (err ? cb(sftpError(err)) : cb(null, attrs(s))));
  }
  read(handle: Buffer, buf: Buffer, offset: number, length: number, position: number, cb: (err: Error | null | undefined, n?: number, b?: Buffer, pos?: number) => void): void {
    fs.read(this.fd(handle), buf, offset, length, position, (err, n) => (err ? cb(sftpError(err)) : cb(null, n, buf, position)));
  }
  write(handle: Buffer, buf: Buffer, offset: number, length: number, position: number, cb: Cb<number>): void {
    // On Linux a positioned write to an O_APPEND descriptor still appends, as SFTP's does.
    fs.write(this.fd(handle), buf, offset, length, position, (err, n) => (err ? cb(sftpError(err)) : cb(null, n)));
  }
  fchown(handle: Buffer, uid: number, gid: number, cb: Cb): void {
    fs.fchown(this.fd(handle), uid, gid, (err) => done(cb)(err));
  }
  fchmod(handle: Buffer, mode: number, cb: Cb): void {
    fs.fchmod(this.fd(handle), mode, (err) => done(cb)(err));
  }
  ext_openssh_fsync(handle: Buffer, cb: Cb): void {
    fs.fsync(this.fd(handle), (err) => done(cb)(err));
  }
  close(handle: Buffer, cb: Cb): void {
    const key = handle.toString('hex');
    const fd = this.fds.get(key);
    if (fd === undefined) return cb(Object.assign(new Error('invalid handle'), { code: 4 }));
    this.fds.delete(key);
    fs.close(fd, (err) => done(cb)(err));
  }
  chmod(path: string, mode: number, cb: Cb): void {
    fs.chmod(path, mode, (err) => done(cb)(err));
  }
  chown(path: string, uid: number, gid: number, cb: Cb): void {
    fs.chown(path, uid, gid, (err) => done(cb)(err));
  }
  ext_openssh_rename(from: string, to: string, cb: Cb): void {
    // rename(2) replaces the target atomically, which is what posix-rename@openssh.com promises.
    fs.rename(from, to, (err) => done(cb)(err));
  }
  /**
   * The plain SFTP rename, as OpenSSH's sftp-server does it: link() then unlink(), so an existing
   * target (or a planted symlink) is never replaced; where hard links are not possible, rename()
   * only if nothing is at the target. createFileExclusive relies on exactly this.
   */
  rename(from: string, to: string, cb: Cb): void {
    fs.link(from, to, (err) => {
      if (!err) return fs.unlink(from, (e) => done(cb)(e));
      if (!['EPERM', 'EXDEV', 'ENOSYS', 'EOPNOTSUPP'].includes(err.code ?? '')) return done(cb)(err);
      fs.lstat(to, (statErr) => {
        if (!statErr) return done(cb)(Object.assign(new Error(`${to} exists`), { code: 'EEXIST' }));
        fs.rename(from, to, (e) => done(cb)(e));
      });
    });
  }
  unlink(path: string, cb: Cb): void {
    fs.unlink(path, (err) => done(cb)(err));
  }
  on(): this {
    return this; // a local file system never "closes"
  }
  end(): void {
    for (const fd of this.fds.values()) fs.close(fd, () => undefined);
    this.fds.clear();
  }
}

/**
 * The adapter typed as the SFTP session the callers expect. A call the adapter does not implement
 * fails with a message naming it (never a silent no-op), so a new SFTP use shows up in the tests.
 */
export function localSftp(): SFTPWrapper {
  const impl = new LocalSftp();
  return new Proxy(impl, {
    get(target, prop, receiver) {
      if (prop in target) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? v.bind(target) : v;
      }
      if (typeof prop === 'symbol' || prop === 'then') return undefined;
      return () => {
        throw new Error(`the local transport does not implement the SFTP call ${prop}`);
      };
    },
  }) as unknown as SFTPWrapper;
}
