// A FAKE, kept small on purpose: wraps a REAL SFTP session and breaks exactly one thing in it.
// Used only for the one fault no real part here can produce: close(2) failing. On a local
// filesystem close never reports an error (OpenSSH's sftp-server just calls close), only network
// filesystems (NFS, CIFS) do, and none can run on the test host. Every other fault in
// saveFaults.test.ts is real (tmpfs, a thin-provisioned ext4, permissions, killed sshd).
import type { SFTPWrapper } from 'ssh2';

export type SftpFault =
  /** The real close runs, then the server "reports" a failure (as NFS does for lost writes). */
  | 'close-fails'
  /** Only the first 10 bytes reach the host, every write is acknowledged, and close fails: the 10-byte compose file. */
  | 'short-write-close-fails'
  /** Only the first 10 bytes reach the host and nothing reports an error at all. */
  | 'silent-short-write';

/** The real session with one fault injected into writes/close of files whose name matches `only`. */
export function faultySftp(real: SFTPWrapper, fault: SftpFault, only: RegExp): SFTPWrapper {
  const faulty = new WeakSet<Buffer>();
  return new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === 'open') {
        return (path: string, flags: string, attrs: unknown, cb: (err: Error | undefined, h: Buffer) => void) =>
          target.open(path, flags as never, attrs as never, (err, h) => {
            if (!err && only.test(path)) faulty.add(h);
            cb(err ?? undefined, h);
          });
      }
      if (prop === 'write') {
        return (h: Buffer, buf: Buffer, off: number, len: number, pos: number, cb: (err?: Error) => void) => {
          if (!faulty.has(h) || fault === 'close-fails') return target.write(h, buf, off, len, pos, cb as never);
          const keep = Math.max(0, Math.min(len, 10 - pos));
          if (keep === 0) return cb(undefined);
          return target.write(h, buf, off, keep, pos, cb as never);
        };
      }
      if (prop === 'close') {
        return (h: Buffer, cb: (err?: Error) => void) =>
          target.close(h, (err) => {
            if (err || !faulty.has(h) || fault === 'silent-short-write') return cb(err ?? undefined);
            cb(Object.assign(new Error('Failure (injected: close reported an I/O error)'), { code: 4 }));
          });
      }
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}
