// Private directories for fault tests on the local test host, made as root and given to the SSH
// user: never the shared compose directory. Also the real "broken disks" the fault matrix uses.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

function sh(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function userIds(user: string): { uid: number; gid: number } {
  const uid = Number(sh("id", ["-u", user]).trim());
  const gid = Number(sh("id", ["-g", user]).trim());
  return { uid, gid };
}

export function requireRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('fault tests need root on the test host (mounts, loop devices, chown)');
}

/** A fresh directory under /tmp owned by `user`. */
export function privateDir(user: string, label: string): string {
  requireRoot();
  const dir = fs.mkdtempSync(path.join('/tmp', `salkafka-${label}-`));
  const { uid, gid } = userIds(user);
  fs.chownSync(dir, uid, gid);
  return dir;
}

/** A small tmpfs mounted on `dir` (a full disk after a few writes). */
export function mountTmpfs(dir: string, sizeKiB: number, user: string): void {
  const { uid, gid } = userIds(user);
  fs.mkdirSync(dir, { recursive: true });
  sh('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,uid=${uid},gid=${gid},mode=0755`, 'tmpfs', dir]);
}

/**
 * A thin-provisioned disk: an ext4 image of 32 MiB on a loop device whose backing store (a tmpfs)
 * is much smaller. Writes land in the page cache and succeed; the data only fails to reach the
 * "disk" when it is flushed, so fsync(2) reports ENOSPC/EIO: a real fsync failure, no FUSE.
 * Call tighten() after the setup files are written to leave only `slackKiB` of backing store.
 */
export class ThinDisk {
  private loop = '';
  constructor(
    readonly backing: string,
    readonly mountPoint: string,
  ) {}

  static create(base: string, user: string): ThinDisk {
    const d = new ThinDisk(path.join(base, 'backing'), path.join(base, 'thin'));
    fs.mkdirSync(d.backing);
    fs.mkdirSync(d.mountPoint);
    sh('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', d.backing]);
    const img = path.join(d.backing, 'disk.img');
    fs.closeSync(fs.openSync(img, 'w'));
    fs.truncateSync(img, 32 * 1024 * 1024);
    sh('mkfs.ext4', ['-q', '-F', '-O', '^has_journal', '-E', 'lazy_itable_init=1,nodiscard', img]);
    d.loop = sh('losetup', ['-f', '--show', img]).trim();
    sh('mount', ['-o', 'errors=continue', d.loop, d.mountPoint]);
    const { uid, gid } = userIds(user);
    fs.chownSync(d.mountPoint, uid, gid);
    return d;
  }

  /** Flush everything written so far, then shrink the backing store to what is used + slack. */
  tighten(slackKiB: number): void {
    sh('sync', ['-f', this.mountPoint]);
    const used = Number(sh('df', ['-k', '--output=used', this.backing]).split('\n')[1].trim());
    sh('mount', ['-o', `remount,size=${used + slackKiB}k`, this.backing]);
  }

  destroy(): void {
    for (const [cmd, args] of [
      ['umount', ['-l', this.mountPoint]],
      ['losetup', ['-d', this.loop]],
      ['umount', ['-l', this.backing]],
    ] as [string, string[]][]) {
      try {
        if (args.every(Boolean)) sh(cmd, args);
      } catch {
        /* best effort: report nothing, the next step may still work */
      }
    }
  }
}

export function unmount(dir: string): void {
  try {
    sh('umount', ['-l', dir]);
  } catch {
    /* not mounted */
  }
}
