// The host lock on the real test host: real flock(1), real sshd, two real connections racing,
// and a connection that dies while holding the lock. Runs in a private directory (never the
// shared compose directory), created here as root and given to the SSH user.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { acquireHostLock, beingChangedText, describeHolder, hostLockPath, newLockToken, readHostLock } from '../../src/core/ops/hostLock';
import type { HeldLock, LockHolder } from '../../src/core/ops/hostLock';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { privateDir } from './privateDirs';
import { Connections, hostOrSkip, TestHost } from './support';

function holder(user: string, summary: string): LockHolder {
  return { user, client: 'test-client', remoteUser: 'salkafka', action: 'add-csc', service: 'salkafka-mt', summary, since: new Date().toISOString(), token: newLockToken() };
}

async function until(cond: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

describe('host lock (real flock over SSH)', function () {
  this.timeout(120_000);
  const connections = new Connections();
  let host: TestHost;
  let a: HostConnection;
  let b: HostConnection;
  let dir: string;
  let lockPath: string;
  const held: HeldLock[] = [];

  before(async function () {
    host = await hostOrSkip(this, 'host lock tests');
    dir = privateDir(host.user, 'lock');
    lockPath = hostLockPath(path.join(dir, 'docker-compose.yaml'));
    a = await connections.connect(host);
    b = await connections.connect(host);
  });

  afterEach(async () => {
    for (const l of held.splice(0)) await l.release();
  });

  after(() => {
    connections.closeAll();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('two connections race for the same change: exactly one gets it, the other is told who', async () => {
    const [ra, rb] = await Promise.all([
      acquireHostLock(a, lockPath, holder('alice', 'Add MTMount to salkafka-mt')),
      acquireHostLock(b, lockPath, holder('bob', 'Add MTDome to salkafka-mt')),
    ]);
    const kinds = [ra.kind, rb.kind].sort();
    assert.deepEqual(kinds, ['acquired', 'busy']);
    const [win, lose] = ra.kind === 'acquired' ? [ra, rb] : [rb, ra];
    assert.ok(win.kind === 'acquired' && lose.kind === 'busy');
    held.push(win.lock);
    assert.equal(lose.content.holder?.user, win.lock.holder.user, 'the loser is told who holds the lock');
    assert.match(describeHolder(lose.content), new RegExp(`^${win.lock.holder.user} \\(on test-client, as salkafka\\): Add`));
    assert.ok(lose.content.pid && lose.content.pid > 1, 'the holder pid on the host is recorded');
    const st = await readHostLock(b, lockPath);
    assert.equal(st.state, 'held');
    assert.match(beingChangedText(st.state === 'held' ? st.content : {}), /^being changed by (alice|bob): add MT/);
    // The lock file is mode 0664, a regular file, owned by the SSH user.
    const lst = fs.lstatSync(lockPath);
    assert.ok(lst.isFile());
    assert.equal(lst.mode & 0o777, 0o664);
  });

  it('release empties the file and frees the flock at once; the next operator gets it without a stale warning', async () => {
    const r1 = await acquireHostLock(a, lockPath, holder('alice', 'Restart salkafka-mt'));
    assert.equal(r1.kind, 'acquired');
    if (r1.kind !== 'acquired') return;
    const t0 = Date.now();
    await r1.lock.release();
    assert.ok(Date.now() - t0 < 4000, `released in ${Date.now() - t0} ms`);
    assert.equal(fs.readFileSync(lockPath, 'utf8'), '');
    assert.equal(r1.lock.lost, false);
    assert.equal((await readHostLock(b, lockPath)).state, 'free');
    const r2 = await acquireHostLock(b, lockPath, holder('bob', 'Stop salkafka-mt'));
    assert.equal(r2.kind, 'acquired');
    if (r2.kind === 'acquired') held.push(r2.lock);
  });

  it('a waiter gets the lock as soon as the holder releases it', async () => {
    const r1 = await acquireHostLock(a, lockPath, holder('alice', 'Restart salkafka-mt'));
    assert.equal(r1.kind, 'acquired');
    if (r1.kind !== 'acquired') return;
    const waiting = acquireHostLock(b, lockPath, holder('bob', 'Stop salkafka-mt'), { waitSeconds: 30 });
    await new Promise((r) => setTimeout(r, 1000));
    await r1.lock.release();
    const r2 = await waiting;
    assert.equal(r2.kind, 'acquired');
    if (r2.kind === 'acquired') {
      held.push(r2.lock);
      assert.equal((await readHostLock(a, lockPath)).state, 'held');
    }
  });

  it('a cancelled wait leaves nothing behind: the file never names the one who gave up', async () => {
    const r1 = await acquireHostLock(a, lockPath, holder('alice', 'Restart salkafka-mt'));
    assert.equal(r1.kind, 'acquired');
    if (r1.kind !== 'acquired') return;
    const ac = new AbortController();
    const waiting = acquireHostLock(b, lockPath, holder('bob', 'Stop salkafka-mt'), { waitSeconds: 30, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 700));
    ac.abort();
    await assert.rejects(waiting, /Cancelled while waiting/);
    await r1.lock.release();
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(fs.readFileSync(lockPath, 'utf8'), '', 'bob never wrote himself into the lock');
    assert.equal((await readHostLock(a, lockPath)).state, 'free');
  });

  it("the holder's connection dies: the lock is free at once but STALE (names the interrupted change); breaking it needs the exact stale content", async () => {
    const c = await connections.connect(host, { reconnect: { enabled: false } });
    const r1 = await acquireHostLock(c, lockPath, holder('carol', 'Add MTMount to salkafka-mt'));
    assert.equal(r1.kind, 'acquired');
    if (r1.kind !== 'acquired') return;
    // Kill carol's sshd session process (the parent of the shell): her connection is gone.
    await c.exec(['sh', '-c', 'kill -9 $PPID']).catch(() => undefined);
    await until(async () => (await readHostLock(a, lockPath)).state === 'stale', 10_000, 'the flock to be dropped');
    assert.equal(r1.lock.lost, true, 'the holder knows its lock is gone');
    const st = await readHostLock(a, lockPath);
    assert.equal(st.state, 'stale');
    if (st.state !== 'stale') return;
    assert.equal(st.content.holder?.user, 'carol');
    const tryIt = await acquireHostLock(a, lockPath, holder('alice', 'Restart salkafka-mt'));
    assert.equal(tryIt.kind, 'stale', 'a stale lock is not taken over silently');
    assert.equal(fs.readFileSync(lockPath, 'utf8').includes('carol'), true, 'and its record stays until broken');
    const wrong = await acquireHostLock(a, lockPath, holder('alice', 'Restart salkafka-mt'), { breakStaleSha256: '0'.repeat(64) });
    assert.equal(wrong.kind, 'stale', 'breaking needs the content the user saw');
    const broke = await acquireHostLock(a, lockPath, holder('alice', 'Restart salkafka-mt'), { breakStaleSha256: st.sha256 });
    assert.equal(broke.kind, 'acquired');
    if (broke.kind === 'acquired') held.push(broke.lock);
    assert.match(fs.readFileSync(lockPath, 'utf8'), /"user":"alice"/);
  });

  it('refuses a lock path that is a symbolic link', async () => {
    const other = path.join(dir, 'sub');
    fs.mkdirSync(other);
    fs.chownSync(other, fs.statSync(dir).uid, fs.statSync(dir).gid);
    const target = path.join(other, 'victim');
    fs.writeFileSync(target, 'keep me\n');
    const link = path.join(other, '.salkafka-change.lock');
    fs.symlinkSync(target, link);
    await assert.rejects(acquireHostLock(a, link, holder('alice', 'x')), /symbolic link/);
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep me\n');
  });
});
