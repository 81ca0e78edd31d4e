// The fault matrix for saving on the REAL test host: after every fault the file is byte-identical
// to the old or the new version (sha256), never anything else, no temp file is left behind, and
// the error the user sees says which version the host has. Each case runs in a private directory
// (never the shared compose file). Real faults: a full tmpfs, a thin-provisioned ext4 whose fsync
// fails, a directory the user may not write, a killed SFTP session, a killed sshd. The only
// injected one is a failing close(2) (faultySftp.ts says why).
import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { AtomicWriteError, RemoteFiles } from '../../src/core/remote/remoteFiles';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import { faultySftp } from './faultySftp';
import type { SftpFault } from './faultySftp';
import { mountTmpfs, privateDir, ThinDisk, unmount, userIds } from './privateDirs';
import { PrivateSshd } from './privateSshd';
import { hostRequired, stateDir } from './testHost';
import type { TestHostInfo } from './testHost';
import { hostOrSkip } from './support';

/**
 * The test host's users and keys. This suite only talks to its OWN sshd (privateSshd.ts) and
 * never to the shared sshd or dockerd, so when the host is already set up it does not run up.sh.
 */
async function hostInfo(ctx: Mocha.Context): Promise<TestHostInfo> {
  const file = path.join(stateDir, 'host.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as TestHostInfo;
  return hostOrSkip(ctx, 'save fault tests');
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

/** A compose file of the summit's size (~176 KB): the test host's file, padded with comment lines. */
function bigCompose(base: string, marker: string): Buffer {
  const lines = [base.trimEnd(), ''];
  for (let i = 0; Buffer.byteLength(lines.join('\n')) < 176 * 1024; i++) lines.push(`# ${marker} history line ${i}: salkafka-mt CSC_LIST MTMount MTDome MTRotator MTHexapod`);
  return Buffer.from(lines.join('\n') + '\n');
}

/** Names in dir that are temp files of ours (none may survive a fault). */
function temps(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => /\.salkafka-[0-9a-f]{12}\.tmp$/.test(n));
}

function putOld(file: string, content: Buffer, user: string, mode = 0o644): void {
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  const { uid, gid } = userIds(user);
  fs.chownSync(file, uid, gid);
}

async function expectOldKept(p: Promise<unknown>, file: string, oldContent: Buffer, reason: RegExp): Promise<AtomicWriteError> {
  let caught: unknown;
  await p.then(
    () => assert.fail('the write must fail'),
    (err) => (caught = err),
  );
  assert.ok(caught instanceof AtomicWriteError, `AtomicWriteError expected, got ${(caught as Error)?.name}: ${(caught as Error)?.message}`);
  const e = caught as AtomicWriteError;
  assert.equal(e.hostHas, 'old');
  assert.match(e.message, /the file on the host is unchanged \(the previous version\)/);
  assert.match(e.reason, reason);
  assert.equal(sha(fs.readFileSync(file)), sha(oldContent), 'the file on the host is byte-identical to the old version');
  assert.deepEqual(temps(path.dirname(file)), [], 'no temp file is left');
  return e;
}

describe('saving under faults (real test host)', function () {
  this.timeout(180_000);
  let host: TestHostInfo;
  let sshd: PrivateSshd | undefined;
  let conn: HostConnection;
  let root: string;
  let base: string;
  const cleanups: (() => void)[] = [];

  before(async function () {
    host = await hostInfo(this);
    try {
      root = privateDir(host.user, 'faults');
    } catch (err) {
      if (hostRequired()) throw err;
      console.warn(`\n  !!! SKIPPING save fault tests: ${(err as Error).message}\n`);
      this.skip();
    }
    base = fs.readFileSync(host.composeFile, 'utf8');
    sshd = await PrivateSshd.start(host);
    conn = new HostConnection(sshd.target());
    await conn.connect();
  });

  after(async () => {
    conn?.dispose();
    await sshd?.stop();
    for (const c of cleanups.splice(0).reverse()) c();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('full disk (a small tmpfs over a private directory): refused, old version intact, no temp file', async () => {
    const dir = path.join(root, 'full');
    mountTmpfs(dir, 256, host.user);
    cleanups.push(() => unmount(dir));
    const file = path.join(dir, 'docker-compose.yaml');
    const oldC = bigCompose(base, 'old');
    putOld(file, oldC, host.user);
    await expectOldKept(conn.files.writeFileAtomic(file, bigCompose(base, 'new'), { expectedSha256: sha(oldC) }), file, oldC, /writing .*failed|space|Failure/i);
  });

  it('fsync fails (thin-provisioned ext4: the data is refused only at flush): the save fails, old version intact', async () => {
    const disk = ThinDisk.create(path.join(root), host.user);
    cleanups.push(() => disk.destroy());
    const file = path.join(disk.mountPoint, 'docker-compose.yaml');
    const oldC = bigCompose(base, 'old');
    putOld(file, oldC, host.user);
    disk.tighten(0);
    const newC = bigCompose(base, 'new');
    // Every write request succeeds (page cache); the reason must name fsync, the only failing call.
    await expectOldKept(conn.files.writeFileAtomic(file, newC, { expectedSha256: sha(oldC) }), file, oldC, /fsync/);
  });

  it('permission denied (directory not writable by the SSH user): refused, old version intact', async () => {
    const dir = path.join(root, 'ro');
    fs.mkdirSync(dir, { mode: 0o755 }); // owned by root
    const file = path.join(dir, 'docker-compose.yaml');
    const oldC = bigCompose(base, 'old');
    putOld(file, oldC, host.user);
    await expectOldKept(conn.files.writeFileAtomic(file, bigCompose(base, 'new'), { expectedSha256: sha(oldC) }), file, oldC, /permission denied/i);
  });

  for (const fault of ['close-fails', 'short-write-close-fails', 'silent-short-write'] as SftpFault[]) {
    it(`${fault} (injected at the SFTP layer): the save fails, old version intact, temp removed`, async () => {
      const dir = path.join(root, fault);
      fs.mkdirSync(dir);
      const { uid, gid } = userIds(host.user);
      fs.chownSync(dir, uid, gid);
      const file = path.join(dir, 'docker-compose.yaml');
      const oldC = bigCompose(base, 'old');
      putOld(file, oldC, host.user);
      const files = new RemoteFiles(async () => faultySftp(await conn.sftp(), fault, /\.salkafka-[0-9a-f]{12}\.tmp$/));
      const e = await expectOldKept(files.writeFileAtomic(file, bigCompose(base, 'new'), { expectedSha256: sha(oldC) }), file, oldC, fault === 'silent-short-write' ? /has 10 bytes on the host/ : /closing/);
      assert.ok(e.message.length < 600);
    });
  }

  describe('the connection dies mid-write (a second private sshd, killed)', () => {
    let sshd: PrivateSshd;
    let c: HostConnection;
    let dir: string;

    before(async () => {
      sshd = await PrivateSshd.start(host);
      c = new HostConnection(sshd.target(), { reconnect: { initialDelayMs: 200, maxDelayMs: 1000 } });
      await c.connect();
      dir = path.join(root, 'drop');
      fs.mkdirSync(dir);
      const { uid, gid } = userIds(host.user);
      fs.chownSync(dir, uid, gid);
    });

    after(async () => {
      c?.dispose();
      await sshd?.stop();
    });

    async function dropMidWrite(how: 'session' | 'sshd'): Promise<void> {
      const file = path.join(dir, `docker-compose-${how}.yaml`);
      const oldC = bigCompose(base, 'old');
      putOld(file, oldC, host.user);
      // 24 MB: long enough (hundreds of 32 KB round trips) to be cut in the middle.
      const newC = Buffer.concat([bigCompose(base, 'new'), Buffer.alloc(24 * 1024 * 1024, '#')]);
      const writing = c.files.writeFileAtomic(file, newC, { expectedSha256: sha(oldC) });
      const deadline = Date.now() + 20_000;
      for (;;) {
        const t = temps(dir).map((n) => fs.statSync(path.join(dir, n)).size);
        if (t.some((s) => s > 1024 * 1024)) break;
        if (Date.now() > deadline) assert.fail('the temp file never grew');
        await new Promise((r) => setTimeout(r, 10));
      }
      const sessions = sshd.sessionPids();
      assert.ok(sessions.length >= 1, 'our connection has sshd session processes');
      if (how === 'sshd') await sshd.killListener();
      assert.ok(PrivateSshd.kill(sessions) >= 1, 'the sshd session processes were killed');
      const e = await writing.then(
        () => assert.fail('the write must fail'),
        (err: Error) => err,
      );
      assert.ok(e instanceof AtomicWriteError, `${e.name}: ${e.message}`);
      assert.equal(e.hostHas, 'old');
      assert.equal(sha(fs.readFileSync(file)), sha(oldC), 'old version, byte for byte');
      // The temp file could not be removed over the dead channel: it is remembered for cleanup (or
      // already gone, when the reconnect won the race against the cleanup attempt).
      assert.ok(temps(dir).length <= 1);
      assert.equal(c.files.pendingCleanup.size, temps(dir).length, 'every left-over temp file is remembered for cleanup');
      if (how === 'sshd') await sshd.up();
      const until = Date.now() + 30_000;
      while (c.state !== 'connected' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      assert.equal(c.state, 'connected');
      // Any use of the new session (here a stat, as the tree's refresh would) sweeps what is pending.
      await c.files.stat(file);
      const swept = Date.now() + 5000;
      while (temps(dir).length && Date.now() < swept) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(temps(dir), [], 'removed on the next connection');
      assert.equal(c.files.pendingCleanup.size, 0);
      // And the save then succeeds: the new version, byte for byte.
      const w = await c.files.writeFileAtomic(file, newC, { expectedSha256: sha(oldC) });
      assert.equal(w.sha256, sha(newC));
      assert.equal(sha(fs.readFileSync(file)), sha(newC));
      assert.deepEqual(temps(dir), []);
    }

    it('killed SFTP session (its sshd process): old version intact, the temp file removed after reconnecting', () => dropMidWrite('session'));
    it('killed sshd (listener and sessions), then restarted: old version intact, temp removed after reconnecting', () => dropMidWrite('sshd'));
  });

  it("a stale temp file of ours (an editor that died) is swept by the next save; others' files are not", async () => {
    const dir = path.join(root, 'sweep');
    fs.mkdirSync(dir);
    const { uid, gid } = userIds(host.user);
    fs.chownSync(dir, uid, gid);
    const file = path.join(dir, 'docker-compose.yaml');
    const oldC = bigCompose(base, 'old');
    putOld(file, oldC, host.user);
    const stale = path.join(dir, '.docker-compose.yaml.salkafka-0123456789ab.tmp');
    const young = path.join(dir, '.docker-compose.yaml.salkafka-abcdefabcdef.tmp');
    const notOurs = path.join(dir, '.docker-compose.yaml.swp');
    for (const p of [stale, young, notOurs]) putOld(p, Buffer.from('x'), host.user);
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(stale, old, old);
    fs.utimesSync(notOurs, old, old);
    await conn.files.writeFileAtomic(file, bigCompose(base, 'new'), { expectedSha256: sha(oldC) });
    assert.equal(fs.existsSync(stale), false, 'stale temp of ours removed');
    assert.equal(fs.existsSync(young), true, 'a young one may be a save in flight');
    assert.equal(fs.existsSync(notOurs), true, 'not ours: untouched');
  });
});
