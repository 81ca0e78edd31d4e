// Scenarios that need an sshd we may stop and restrict without disturbing anyone else's tests on
// the shared test sshd: a private sshd (same host key and users as the test host) on a free port,
// with stream-local forwarding DISABLED, started and stopped by this suite only (by its pid).
import { strict as assert } from 'assert';
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { ensureTestHost } from './testHost';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import type { StateChange } from '../../src/core/ssh/hostConnection';
import type { ResolvedHost } from '../../src/core/ssh/resolveHost';

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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

async function waitListening(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`private sshd not listening on ${port} after ${timeoutMs} ms`);
}

describe('SSH integration with a private sshd (no stream-local forwarding; stop/start)', function () {
  this.timeout(120_000);
  let h: TestHost;
  let dir = '';
  let port = 0;
  let cfg = '';
  let sshd: ChildProcess | undefined;
  const open: HostConnection[] = [];

  async function startSshd(): Promise<void> {
    sshd = spawn('/usr/sbin/sshd', ['-D', '-f', cfg, '-E', path.join(dir, 'sshd.log')], { stdio: 'ignore' });
    await waitListening(port, 10_000);
  }
  function stopSshd(): Promise<void> {
    const child = sshd;
    sshd = undefined;
    if (!child || child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  before(async function () {
    h = await hostOrSkip(this);
    const stateDir = (h as { stateDir?: string }).stateDir ?? path.dirname(h.knownHostsFile);
    const hostKey = path.join(stateDir, 'ssh_host_ed25519_key');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-sshd-'));
    port = await freePort();
    cfg = path.join(dir, 'sshd_config'); // absolute path: sshd resets connections otherwise
    fs.writeFileSync(
      cfg,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        'AuthorizedKeysFile .ssh/authorized_keys',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'PermitRootLogin no',
        `AllowUsers ${h.user}`,
        'AllowStreamLocalForwarding no',
        'AllowTcpForwarding no',
        'Subsystem sftp internal-sftp',
        '',
      ].join('\n'),
    );
    const pub = fs.readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${pub}\n`);
    fs.mkdirSync('/run/sshd', { recursive: true });
    await startSshd();
  });

  after(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
    await stopSshd();
  });

  function target(): ResolvedHost {
    return {
      alias: 'azar2-private',
      hostName: '127.0.0.1',
      port,
      user: h.user,
      identityFiles: [h.identityFile],
      identitiesOnly: true,
      agentDisabled: true,
      knownHostsFiles: [path.join(dir, 'known_hosts')],
      proxyJump: [],
      source: 'settings',
    };
  }

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
