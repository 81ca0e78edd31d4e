// The host lock on the real test host: real flock(1), a real (private) sshd, two real connections
// racing, and a connection that dies while holding the lock. Runs in a private directory (never
// the shared compose directory), created here as root and given to the SSH user, over a private
// sshd (privateSshd.ts), so it never needs the shared sshd.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { acquireHostLock, beingChangedText, describeHolder, hostLockPath, newLockToken, readHostLock } from '../../src/core/ops/hostLock';
import type { HeldLock, LockHolder } from '../../src/core/ops/hostLock';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { HostConnection as Conn } from '../../src/core/ssh/hostConnection';
import type { HostConnectionOptions } from '../../src/core/ssh/hostConnection';
import { privateDir } from './privateDirs';
import { PrivateSshd } from './privateSshd';
import { hostOrSkip } from './support';
import { hostRequired, stateDir } from './testHost';
import type { TestHostInfo } from './testHost';

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
  let host: TestHostInfo;
  let sshd: PrivateSshd | undefined;
  const open: Conn[] = [];
  const connections = {
    async connect(_h: TestHostInfo, opts: HostConnectionOptions = {}): Promise<Conn> {
      const c = new Conn(sshd!.target(), { reconnect: { initialDelayMs: 200, maxDelayMs: 2000 }, ...opts });
      open.push(c);
      await c.connect();
      return c;
    },
  };
  let a: HostConnection;
  let b: HostConnection;
  let dir: string;
  let lockPath: string;
  const held: HeldLock[] = [];

  before(async function () {
    const file = path.join(stateDir, 'host.json');
    host = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TestHostInfo) : await hostOrSkip(this, 'host lock tests');
    try {
      dir = privateDir(host.user, 'lock');
    } catch (err) {
      if (hostRequired()) throw err;
      console.warn(`\n  !!! SKIPPING host lock tests: ${(err as Error).message}\n`);
      this.skip();
    }
    sshd = await PrivateSshd.start(host);
    lockPath = hostLockPath(path.join(dir, 'docker-compose.yaml'));
    a = await connections.connect(host);
    b = await connections.connect(host);
  });

  afterEach(async () => {
    for (const l of held.splice(0)) await l.release();
  });

  after(async () => {
    for (const c of open.splice(0)) c.dispose();
    await sshd?.stop();
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

  it('two operators change the same file at once: exactly one applies, the other is told who; retried, no update is lost', async () => {
    const compose = path.join(dir, 'docker-compose.yaml');
    fs.writeFileSync(compose, 'services:\n  salkafka-mt:\n    environment:\n      - CSC_LIST=MTMount\n');
    fs.chownSync(compose, fs.statSync(dir).uid, fs.statSync(dir).gid);
    /** One change as the pipeline does it: lock → read → edit → atomic write (hash-checked) → release. */
    const change = async (c: HostConnection, who: string, csc: string, waitSeconds = 0) => {
      const r = await acquireHostLock(c, lockPath, holder(who, `Add ${csc} to salkafka-mt`), { waitSeconds });
      if (r.kind !== 'acquired') return r;
      try {
        const cur = await c.files.readFile(compose);
        const next = cur.content.toString('utf8').replace(/CSC_LIST=(.*)\n/, (_m, l: string) => `CSC_LIST=${l} ${csc}\n`);
        await new Promise((res) => setTimeout(res, 300)); // the change takes a while (restart, verify)
        await c.files.writeFileAtomic(compose, next, { expectedSha256: cur.sha256 });
        return r;
      } finally {
        await r.lock.release();
      }
    };
    const [ra, rb] = await Promise.all([change(a, 'alice', 'MTDome'), change(b, 'bob', 'MTRotator')]);
    assert.deepEqual([ra.kind, rb.kind].sort(), ['acquired', 'busy']);
    const loser = ra.kind === 'busy' ? ra : rb;
    const winnerCsc = ra.kind === 'acquired' ? 'MTDome' : 'MTRotator';
    assert.equal(loser.kind === 'busy' && loser.content.holder?.summary, `Add ${winnerCsc} to salkafka-mt`, 'the loser is told what the holder is doing');
    assert.match(fs.readFileSync(compose, 'utf8'), new RegExp(`CSC_LIST=MTMount ${winnerCsc}\n`), 'exactly one change applied');
    // The loser waits its turn and plans again from the current file: both changes are kept.
    const again = await change(ra.kind === 'busy' ? a : b, ra.kind === 'busy' ? 'alice' : 'bob', ra.kind === 'busy' ? 'MTDome' : 'MTRotator', 30);
    assert.equal(again.kind, 'acquired');
    const text = fs.readFileSync(compose, 'utf8');
    assert.match(text, /CSC_LIST=MTMount (MTDome MTRotator|MTRotator MTDome)\n/, 'no lost update');
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
