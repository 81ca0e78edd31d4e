// Issue 13, reproducer 2, on the real test host through BOTH transports (a private sshd as the
// SSH user, and the local transport as this process's user): the host lock can no longer be lost
// or fooled. A lock file removed or replaced under a holder stops its change before anything is
// written or run; a symlink swapped in after the extension's own check is never written through;
// /dev/zero, a FIFO and crafted JSON at the lock path are reported at once, never read whole,
// never a hang or a crash; the lock file and a new audit log follow the compose file's mode and
// group. Each case runs in a private directory (never the shared compose file's).
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalHost } from '../../src/core/host/local/localHost';
import type { Host } from '../../src/core/host/host';
import { appendAuditRecord } from '../../src/core/ops/audit';
import type { AuditRecord } from '../../src/core/ops/audit';
import { acquireHostLock, describeHolder, HOLDER_SCRIPT, hostLockPath, LockLostError, newLockToken, readHostLock, RELEASE_SCRIPT } from '../../src/core/ops/hostLock';
import type { HeldLock, LockFileContent, LockHost, LockHolder } from '../../src/core/ops/hostLock';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import { privateDir, requireRoot, userIds } from './privateDirs';
import { PrivateSshd } from './privateSshd';
import { hostOrSkip } from './support';
import { hostRequired, stateDir } from './testHost';
import type { TestHostInfo } from './testHost';

function holder(user: string, summary: string, over: Partial<LockHolder> = {}): LockHolder {
  return { user, client: 'test-client', remoteUser: 'salkafka', action: 'add-csc', service: 'salkafka-mt', summary, since: new Date().toISOString(), token: newLockToken(), ...over };
}

/**
 * The extension checks the lock path with lstat before the holder opens it; this wrapper makes
 * the attacker's swap land exactly in that window (after the check, before the open) on the real
 * file system. Only the timing is arranged; every file operation is real.
 */
function swapAfterCheck(host: LockHost, lockPath: string, swap: () => void): LockHost {
  return {
    alias: host.alias,
    exec: (argv, o) => host.exec(argv, o),
    files: {
      readFileBounded: (p, m, o) => host.files.readFileBounded(p, m, o),
      stat: (p) => host.files.stat(p),
      createFileExclusive: (p, d, o) => host.files.createFileExclusive(p, d, o),
      lstat: async (p) => {
        const r = await host.files.lstat(p);
        if (p === lockPath) swap();
        return r;
      },
    },
  };
}

const transports: { name: 'ssh' | 'local' }[] = [{ name: 'ssh' }, { name: 'local' }];

for (const { name } of transports) {
  describe(`host lock and audit log, hardened (issue 13) — ${name} transport`, function () {
    this.timeout(120_000);
    let info: TestHostInfo;
    let sshd: PrivateSshd | undefined;
    const hosts: Host[] = [];
    let a: Host;
    let b: Host;
    let dir: string;
    let compose: string;
    let lockPath: string;
    const held: HeldLock[] = [];
    /** The user the transport runs as: the SSH user, or this process's. */
    let owner: { uid: number; gid: number };

    const connect = async (): Promise<Host> => {
      const h: Host = name === 'ssh' ? new HostConnection(sshd!.target(), { reconnect: { initialDelayMs: 200, maxDelayMs: 2000 } }) : new LocalHost('azar2-test');
      hosts.push(h);
      await h.connect();
      return h;
    };

    before(async function () {
      const file = path.join(stateDir, 'host.json');
      info = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TestHostInfo) : await hostOrSkip(this, 'hardened host lock tests');
      if (name === 'ssh') {
        try {
          requireRoot(); // private directories are made as root and given to the SSH user
        } catch (err) {
          if (hostRequired()) throw err;
          console.warn(`\n  !!! SKIPPING hardened host lock tests over SSH: ${(err as Error).message}\n`);
          this.skip();
        }
        sshd = await PrivateSshd.start(info);
        owner = userIds(info.user);
      } else {
        owner = { uid: process.getuid!(), gid: process.getgid!() };
      }
      a = await connect();
      b = await connect();
    });

    beforeEach(() => {
      dir = name === 'ssh' ? privateDir(info.user, 'lock13') : fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-lock13-'));
      compose = path.join(dir, 'docker-compose.yaml');
      fs.writeFileSync(compose, 'services: {}\n');
      fs.chownSync(compose, owner.uid, owner.gid);
      lockPath = hostLockPath(compose);
    });

    afterEach(async () => {
      for (const l of held.splice(0)) await l.release();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    after(async () => {
      for (const h of hosts.splice(0)) h.dispose();
      await sshd?.stop();
    });

    const take = async (h: Host, who: string): Promise<HeldLock> => {
      const r = await acquireHostLock(h, lockPath, holder(who, `Add X for ${who}`), { composePath: compose });
      assert.equal(r.kind, 'acquired', JSON.stringify(r));
      const lock = (r as { lock: HeldLock }).lock;
      held.push(lock);
      return lock;
    };

    it('the lock file removed under the holder (git clean): its next step is refused, saying why', async () => {
      const first = await take(a, 'alice');
      await first.check();
      fs.rmSync(lockPath);
      await assert.rejects(first.check(), (e: unknown) => e instanceof LockLostError && /was lost \((the lock file was removed|the lock file was removed, replaced or emptied by someone else)\)/.test((e as Error).message));
      // A colleague now takes a fresh lock: that is why the first change must stop.
      const second = await take(b, 'bob');
      await second.check();
      await assert.rejects(first.check(), LockLostError);
    });

    it('the lock file replaced under the holder (an rsync writes a new inode): refused too', async () => {
      const first = await take(a, 'alice');
      const fresh = `${lockPath}.rsync-tmp`;
      fs.writeFileSync(fresh, '');
      fs.renameSync(fresh, lockPath);
      await assert.rejects(first.check(), (e: unknown) => e instanceof LockLostError && /replaced|removed/.test((e as Error).message));
    });

    it('a symlink swapped in after the check is never written through (the victim keeps its bytes; nothing is created)', async () => {
      const victim = path.join(dir, 'victim');
      fs.writeFileSync(victim, 'keep me\n');
      fs.chownSync(victim, owner.uid, owner.gid);
      const swapping = swapAfterCheck(a, lockPath, () => {
        fs.rmSync(lockPath, { force: true });
        fs.symlinkSync(victim, lockPath);
      });
      fs.writeFileSync(lockPath, '');
      fs.chownSync(lockPath, owner.uid, owner.gid);
      await assert.rejects(acquireHostLock(swapping, lockPath, holder('alice', 'x')), /not a regular file of its own/);
      assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me\n');
      // A dangling symlink: the open must not create its target.
      fs.rmSync(lockPath);
      const target = path.join(dir, 'would-be-created');
      const dangling = swapAfterCheck(a, lockPath, () => {
        fs.rmSync(lockPath, { force: true });
        fs.symlinkSync(target, lockPath);
      });
      fs.writeFileSync(lockPath, '');
      await assert.rejects(acquireHostLock(dangling, lockPath, holder('alice', 'x')));
      assert.equal(fs.existsSync(target), false, 'the lock created a file through a symlink');
    });

    it('the holder and release scripts themselves refuse a symlink at the path, whoever put it there', async () => {
      const victim = path.join(dir, 'victim');
      fs.writeFileSync(victim, 'keep me\n');
      fs.chownSync(victim, owner.uid, owner.gid);
      fs.symlinkSync(victim, lockPath);
      const h = holder('alice', 'x');
      const r = await a.exec(['sh', '-c', HOLDER_SCRIPT, 'salkafka-lock', JSON.stringify(h), lockPath, h.token, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '0']);
      assert.equal(r.code, 72, r.stdout + r.stderr);
      const rel = await a.exec(['sh', '-c', RELEASE_SCRIPT, 'salkafka-unlock', lockPath, 'keep', '1:1']);
      assert.equal(rel.code, 0);
      assert.equal(fs.readFileSync(victim, 'utf8'), 'keep me\n');
    });

    it('a lock file that is a symlink to /dev/zero: reported at once, never read whole', async () => {
      fs.symlinkSync('/dev/zero', lockPath);
      const before = process.memoryUsage().rss;
      const t0 = Date.now();
      const s = await readHostLock(a, lockPath);
      assert.equal(s.state, 'unusable');
      assert.match((s as { reason: string }).reason, /symbolic link/);
      assert.ok(Date.now() - t0 < 5000);
      assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory grew');
      await assert.rejects(acquireHostLock(a, lockPath, holder('alice', 'x')), /symbolic link/);
    });

    it('a lock file that is a FIFO: reported at once, and the session still answers', async () => {
      execFileSync('mkfifo', [lockPath]);
      fs.chownSync(lockPath, owner.uid, owner.gid);
      const t0 = Date.now();
      const s = await readHostLock(a, lockPath);
      assert.equal(s.state, 'unusable');
      assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
      await assert.rejects(acquireHostLock(a, lockPath, holder('alice', 'x')), /not a regular file/);
      // The SFTP session (or its local stand-in) is not stalled.
      assert.equal((await a.files.readFile(compose)).content.toString(), 'services: {}\n');
    });

    it('crafted lock JSON (no `since`, wrong types) held by a live holder is shown raw: the colleague is told, nothing crashes', async () => {
      const crafted = JSON.stringify({ pid: 'x', holder: { user: 'mallory', summary: 'y' } });
      fs.writeFileSync(lockPath, crafted);
      fs.chownSync(lockPath, owner.uid, owner.gid);
      // A real flock held on it by another process, as a live holder would.
      let locked: () => void = () => undefined;
      const isLocked = new Promise<void>((r) => (locked = r));
      const hold = b.exec(['sh', '-c', 'exec 9<"$1"; flock -n 9 && echo locked && sleep 3', 'x', lockPath], { onStdout: (d) => d.toString().includes('locked') && locked() });
      await isLocked;
      const s = await readHostLock(a, lockPath);
      assert.equal(s.state, 'held');
      await hold;
      const content = (s as { content: LockFileContent }).content;
      assert.equal(content.holder, undefined);
      assert.match(describeHolder(content), /^an unknown holder \(lock file says: \{"pid":"x"/);
    });

    it('the lock file and a new audit log follow the compose file: its mode and its group', async () => {
      // The docker group: one the SSH user belongs to but is not its own.
      const docker = Number(execFileSync('getent', ['group', 'docker'], { encoding: 'utf8' }).split(':')[2]);
      fs.chownSync(compose, owner.uid, docker);
      fs.chmodSync(compose, 0o640);
      const lock = await take(a, 'alice');
      const st = fs.statSync(lockPath);
      assert.equal((st.mode & 0o777).toString(8), '640');
      assert.equal(st.gid, docker);
      await lock.release();
      held.splice(0);
      const audit = path.join(dir, 'salkafka-audit.jsonl');
      await appendAuditRecord(a, audit, { v: 1, at: new Date().toISOString(), action: 'restart' } as unknown as AuditRecord, compose);
      const ast = fs.statSync(audit);
      assert.equal((ast.mode & 0o777).toString(8), '660', 'the compose file\'s group must be able to append');
      assert.equal(ast.gid, docker);
    });
  });
}
