// Scenarios that need an sshd we may stop and restrict without disturbing anyone else's tests on
// the shared test sshd: a private sshd (same host key and users as the test host) on a free port,
// with stream-local forwarding DISABLED, started and stopped by this suite only (by its pid).
import { strict as assert } from 'assert';
import { ensureTestHost } from './testHost';
import { PrivateSshd } from './privateSshd';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import type { StateChange } from '../../src/core/host/host';

type TestHost = Awaited<ReturnType<typeof ensureTestHost>>;

async function hostOrSkip(ctx: Mocha.Context): Promise<TestHost> {
  try {
    if (typeof process.getuid === 'function' && process.getuid() !== 0) throw new Error('a private sshd needs root');
    return await ensureTestHost();
  } catch (err) {
    if (process.env.SALKAFKA_REQUIRE_HOST === '1') throw err;
    console.warn(`\n  !!! SKIPPING private-sshd integration tests: ${(err as Error).message}\n`);
    ctx.skip();
    throw err;
  }
}

describe('SSH integration with a private sshd (no stream-local forwarding; stop/start)', function () {
  this.timeout(120_000);
  let h: TestHost;
  let sshd: PrivateSshd | undefined;
  const open: HostConnection[] = [];

  const startSshd = (): Promise<void> => sshd!.up();
  const stopSshd = (): Promise<void> => sshd?.killListener('SIGTERM') ?? Promise.resolve();
  const target = () => sshd!.target();

  before(async function () {
    h = await hostOrSkip(this);
    sshd = await PrivateSshd.start(h, {
      extraConfig: ['AllowStreamLocalForwarding no', 'AllowTcpForwarding no'],
      alias: 'azar2-private',
    });
  });

  after(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await sshd?.stop();
  });

  it('detects that stream-local forwarding is refused and switches Docker to dial-stdio by itself', async () => {
    const c = new HostConnection(target());
    open.push(c);
    await c.connect();
    assert.equal(c.dockerTransport, 'stream-local');
    const list = await c.docker().listContainers({ all: true });
    assert.equal(c.dockerTransport, 'dial-stdio');
    assert.ok(list.some((x) => x.Names[0] === '/salkafka-m2'));
    const again = await c.docker().listContainers({ all: true });
    assert.equal(again.length, list.length);
  });

  it('connect() while reconnecting skips the backoff wait instead of starting a second connection', async () => {
    const c = new HostConnection(target(), { reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000 } });
    open.push(c);
    const seen: StateChange[] = [];
    c.onDidChangeState((s) => seen.push(s));
    await c.connect();
    await c.exec(['sh', '-c', 'kill -9 $PPID']).catch(() => undefined);
    const deadline = Date.now() + 10_000;
    while (c.state !== 'reconnecting' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(c.state, 'reconnecting');
    assert.ok(seen[seen.length - 1].retryInMs! >= 30_000, 'a long wait is scheduled');
    const t0 = Date.now();
    await c.connect();
    assert.ok(Date.now() - t0 < 10_000, 'did not wait for the backoff');
    assert.equal(c.state, 'connected');
    assert.equal(seen.filter((s) => s.state === 'connecting').length, 1, 'no second connection attempt in parallel');
    assert.equal((await c.exec(['true'])).code, 0);
  });

  it('host down then back: reconnecting with growing delays while refused, then connected', async () => {
    const c = new HostConnection(target(), { reconnect: { initialDelayMs: 200, maxDelayMs: 1500 } });
    open.push(c);
    const seen: StateChange[] = [];
    c.onDidChangeState((s) => seen.push(s));
    await c.connect();
    // Stop the listener, then drop our session: every reconnect attempt is now refused.
    await stopSshd();
    await c.exec(['sh', '-c', 'kill -9 $PPID']).catch(() => undefined);
    const deadline = Date.now() + 20_000;
    while (seen.filter((s) => s.state === 'reconnecting').length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const attempts = seen.filter((s) => s.state === 'reconnecting');
    assert.ok(attempts.length >= 3, `attempts: ${attempts.length}`);
    assert.deepEqual(attempts.slice(0, 3).map((a) => a.attempt), [1, 2, 3]);
    assert.match(attempts[2].error!.message, /refused/);
    // Equal-jitter backoff: attempt n waits in [d/2, d] with d = 200·2^(n-1), capped at 1500.
    for (const a of attempts) {
      const d = Math.min(1500, 200 * 2 ** (a.attempt! - 1));
      assert.ok(a.retryInMs! >= d / 2 && a.retryInMs! <= d, `attempt ${a.attempt}: ${a.retryInMs}`);
    }
    await startSshd();
    const until = Date.now() + 20_000;
    while (c.state !== 'connected' && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.state, 'connected', seen.map((s) => s.state).join(' → '));
    assert.equal((await c.exec(['id', '-un'])).stdout.trim(), h.user);
  });
});
