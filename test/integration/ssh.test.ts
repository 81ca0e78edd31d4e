// HostConnection against the REAL local test host (sshd on 127.0.0.1:2222, see test/host/up.sh).
// With SALKAFKA_REQUIRE_HOST=1 a missing host fails the run; otherwise the suite is skipped with
// the reason printed.
import { strict as assert } from 'assert';
import { execFileSync, spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { utils } from 'ssh2';
import { hostOrSkip, testTarget, TestHost } from './support';
import { ConnectionLostError, CommandAbortedError } from '../../src/core/host/host';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import type { StateChange } from '../../src/core/host/host';
import type { HostConnectionOptions } from '../../src/core/ssh/hostConnection';
import type { ResolvedHost } from '../../src/core/ssh/resolveHost';
import { resolveHost } from '../../src/core/ssh/resolveHost';
import { NotConnectedError } from '../../src/core/host/host';
import { AuthenticationFailedError, HostKeyChangedError, HostKeyRejectedError } from '../../src/core/ssh/errors';
import type { UnknownHostInfo } from '../../src/core/ssh/hostVerifier';
import { UnquotableArgumentError } from '../../src/core/remote/shellQuote';
import { RemoteChangedError, sha256Hex } from '../../src/core/remote/remoteFiles';

const target = testTarget;

const tmpDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-it-'));
const open: HostConnection[] = [];

function conn(t: ResolvedHost, opts: HostConnectionOptions = {}): HostConnection {
  const c = new HostConnection(t, { reconnect: { initialDelayMs: 200, maxDelayMs: 2000 }, ...opts });
  open.push(c);
  return c;
}

function waitForState(c: HostConnection, state: StateChange['state'], timeoutMs: number, seen: StateChange[]): Promise<void> {
  return new Promise((resolve, reject) => {
    if (c.state === state) return resolve();
    const t = setTimeout(() => {
      d.dispose();
      reject(new Error(`state ${state} not reached in ${timeoutMs} ms; saw ${seen.map((s) => s.state).join(' → ')}`));
    }, timeoutMs);
    const d = c.onDidChangeState((ch) => {
      if (ch.state === state) {
        clearTimeout(t);
        d.dispose();
        resolve();
      }
    });
  });
}

const HOSTILE = [
  '',
  "it's",
  '$(touch /tmp/salkafka-pwned)',
  '`id`',
  'a; rm -rf ~',
  'x && y || z | w &',
  'line1\nline2\n',
  '"dq" \\ backslash',
  '*',
  '~',
  '-n',
  'ünïcødé ✓',
  '\t\r\u001b[31m',
];

describe('SSH integration (real sshd on the test host)', function () {
  this.timeout(120_000);
  let h: TestHost;

  before(async function () {
    h = await hostOrSkip(this, 'SSH integration tests');
  });

  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  it('known host key + key auth: connects and runs as the configured user', async () => {
    const c = conn(target(h));
    const states: string[] = [];
    c.onDidChangeState((s) => states.push(s.state));
    await c.connect();
    const r = await c.exec(['id', '-un']);
    assert.deepEqual([r.code, r.stdout.trim()], [0, h.user]);
    assert.deepEqual(states, ['connecting', 'connected']);
  });

  it('resolves the test host through its ssh config file (alias, IdentityFile, UserKnownHostsFile)', async () => {
    const alias = (h as { sshAlias?: string }).sshAlias ?? 'azar2-test';
    const t = resolveHost(alias, { sshConfigFile: h.sshConfigFile, env: {} });
    assert.deepEqual([t.hostName, t.port, t.user], [h.host, h.port, h.user]);
    const c = conn(t);
    await c.connect();
    assert.equal((await c.exec(['true'])).code, 0);
  });

  it('ProxyJump: reaches the host through a jump host (forwardOut as the sock), verifying both host keys', async () => {
    const { proxyJump: _none, source: _s, ...hop } = target(h);
    const c = conn(target(h, { proxyJump: [{ ...hop, alias: 'jump' }] }));
    await c.connect();
    const r = await c.exec(['sh', '-c', 'echo "$SSH_CONNECTION"']);
    // The target saw the connection come from the jump host's forward (127.0.0.1), not from us.
    assert.match(r.stdout, /^127\.0\.0\.1 \d+ 127\.0\.0\.1 \d+\n$/);
    assert.ok((await c.docker().listContainers({ all: true })).length > 0);
  });

  it('unknown host: callback gets the real SHA256 fingerprint; "always" appends to known_hosts', async () => {
    const kh = path.join(tmpDir(), 'sub', 'known_hosts');
    const asked: UnknownHostInfo[] = [];
    const c = conn(target(h, { knownHostsFiles: [kh] }), {
      onUnknownHost: async (info) => {
        asked.push(info);
        return 'always';
      },
    });
    await c.connect();
    assert.equal(asked.length, 1);
    assert.equal(asked[0].fingerprint, h.hostKeyFingerprint);
    assert.deepEqual([asked[0].host, asked[0].port, asked[0].keyType], [h.host, h.port, 'ED25519']);
    assert.equal(fs.statSync(kh).mode & 0o777, 0o600);
    // OpenSSH's own tool finds the saved key under [127.0.0.1]:2222.
    const found = execFileSync('ssh-keygen', ['-F', `[${h.host}]:${h.port}`, '-f', kh], { encoding: 'utf8' });
    assert.match(found, /ssh-ed25519 /);
    await c.close();
    // Next time: known, no question.
    const again = conn(target(h, { knownHostsFiles: [kh] }), {
      onUnknownHost: async () => assert.fail('must not ask for a saved key'),
    });
    await again.connect();
  });

  it('a slow human at the host key prompt does not hit the handshake timeout', async () => {
    const kh = path.join(tmpDir(), 'known_hosts');
    const c = conn(target(h, { knownHostsFiles: [kh] }), {
      readyTimeoutMs: 800,
      onUnknownHost: async () => {
        await new Promise((r) => setTimeout(r, 2000)); // reading the fingerprint
        return 'once';
      },
    });
    await c.connect();
    assert.equal((await c.exec(['true'])).code, 0);
  });

  it('unknown host: "reject" refuses, "once" connects without writing known_hosts', async () => {
    const kh = path.join(tmpDir(), 'known_hosts');
    const rejected = conn(target(h, { knownHostsFiles: [kh] }), { onUnknownHost: async () => 'reject' });
    await assert.rejects(rejected.connect(), HostKeyRejectedError);
    assert.equal(rejected.state, 'failed');
    const once = conn(target(h, { knownHostsFiles: [kh] }), { onUnknownHost: async () => 'once' });
    await once.connect();
    assert.equal(fs.existsSync(kh), false);
  });

  it('changed host key: HostKeyChangedError with OpenSSH wording, nothing runs, no retry', async () => {
    const dir = tmpDir();
    const kh = path.join(dir, 'known_hosts');
    const impostor = utils.generateKeyPairSync('ed25519').public.split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(kh, `[${h.host}]:${h.port} ${impostor}\n`);
    const marker = `/tmp/salkafka-changed-key-${randomBytes(6).toString('hex')}`;
    let asked = 0;
    let passphraseAsked = 0;
    const c = conn(target(h, { knownHostsFiles: [kh] }), {
      onUnknownHost: async () => {
        asked++;
        return 'always';
      },
      askPassphrase: async () => {
        passphraseAsked++;
        return undefined;
      },
    });
    const states: string[] = [];
    c.onDidChangeState((s) => states.push(s.state));
    // The command is chained on the connection: it must never reach the host.
    const attempt = c.connect().then(() => c.exec(['touch', marker]));
    await assert.rejects(attempt, (err: unknown) => {
      assert.ok(err instanceof HostKeyChangedError, String(err));
      assert.match(err.message, /WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
      assert.match(err.message, /Someone could be eavesdropping/);
      assert.ok(err.message.includes(`The fingerprint for the ED25519 key sent by the remote host [${h.host}]:${h.port} is\n${h.hostKeyFingerprint}.`));
      assert.ok(err.message.includes(`Offending ED25519 key in ${kh}:1`));
      return true;
    });
    await assert.rejects(c.exec(['touch', marker]), NotConnectedError);
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(states, ['connecting', 'failed'], 'no reconnect after a host key failure');
    assert.equal(asked, 0, 'a changed key is never offered for acceptance');
    assert.equal(passphraseAsked, 0);
    assert.equal(fs.readFileSync(kh, 'utf8'), `[${h.host}]:${h.port} ${impostor}\n`, 'known_hosts untouched');
    assert.equal(fs.existsSync(marker), false, 'marker must not exist (test host is this machine)');
    const good = conn(target(h));
    await good.connect();
    assert.equal((await good.exec(['test', '-e', marker])).code, 1, 'marker absent on the host');
  });

  it('encrypted identity file: asks for the passphrase, retries after a wrong one', async () => {
    const dir = tmpDir();
    const key = path.join(dir, 'id_enc');
    fs.copyFileSync(h.identityFile, key);
    fs.chmodSync(key, 0o600);
    execFileSync('ssh-keygen', ['-p', '-q', '-N', 'correct horse', '-f', key], { stdio: 'ignore' });
    const calls: [string, boolean][] = [];
    const c = conn(target(h, { identityFiles: [key] }), {
      askPassphrase: async (p, retry) => {
        calls.push([p, retry]);
        return retry ? 'correct horse' : 'wrong';
      },
    });
    await c.connect();
    assert.deepEqual(calls, [
      [key, false],
      [key, true],
    ]);
    assert.equal((await c.exec(['id', '-un'])).stdout.trim(), h.user);
  });

  describe('ssh-agent', () => {
    let agent: ChildProcess | undefined;
    let sock = '';
    before(async () => {
      sock = path.join(tmpDir(), 'agent.sock');
      agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      for (let i = 0; i < 50 && !fs.existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
      execFileSync('ssh-add', [h.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
    });
    after(() => {
      if (agent?.pid) process.kill(agent.pid, 'SIGTERM');
    });

    it('authenticates with a key held only by a real ssh-agent (no identity file)', async () => {
      const c = conn(target(h, { identityFiles: [], agentDisabled: false, identityAgent: sock, identitiesOnly: false }));
      await c.connect();
      assert.equal((await c.exec(['id', '-un'])).stdout.trim(), h.user);
    });
  });

  it('wrong key: AuthenticationFailedError saying what was tried, no reconnect', async () => {
    const c = conn(target(h, { user: h.noDockerUser, identityFiles: [h.identityFile] }));
    const states: string[] = [];
    c.onDidChangeState((s) => states.push(s.state));
    await assert.rejects(c.connect(), (err: unknown) => {
      assert.ok(err instanceof AuthenticationFailedError, String(err));
      assert.match(err.message, new RegExp(`Permission denied for ${h.noDockerUser}@${h.host}:${h.port}; tried .*${path.basename(h.identityFile)}`));
      return true;
    });
    await new Promise((r) => setTimeout(r, 800));
    assert.deepEqual(states, ['connecting', 'failed']);
  });

  it('connection refused gives a plain message', async () => {
    const c = conn(target(h, { port: 1 }));
    await assert.rejects(c.connect(), /connection to 127\.0\.0\.1:1 refused/);
  });

  it('hostile argv round-trips through exec unchanged (and stdin, and a hostile cwd)', async () => {
    const c = conn(target(h));
    await c.connect();
    const r = await c.exec(['printf', '%s\\0', ...HOSTILE]);
    assert.equal(r.code, 0);
    const parts = r.stdout.split('\0');
    parts.pop();
    assert.deepEqual(parts, HOSTILE);
    assert.equal((await c.exec(['test', '-e', '/tmp/salkafka-pwned'])).code, 1);

    const payload = "line 1\n$(id) `id` 'q'\n\u00e9\n";
    assert.equal((await c.exec(['cat'], { stdin: payload })).stdout, payload);

    const dir = `/tmp/salkafka-it-${randomBytes(4).toString('hex')}/we'ird $(dir) \`x\`; && name`;
    await c.files.mkdirp(dir);
    const pwd = await c.exec(['pwd'], { cwd: dir });
    assert.equal(pwd.stdout, `${dir}\n`);
    const missing = await c.exec(['touch', 'should-not-exist'], { cwd: `${dir}/missing` });
    assert.notEqual(missing.code, 0, 'cd to a missing dir fails and nothing runs');
    assert.equal((await c.exec(['test', '-e', `${dir}/missing/should-not-exist`])).code, 1);
  });

  it('NUL in an argument is refused locally before anything is sent', async () => {
    const c = conn(target(h));
    await c.connect();
    await assert.rejects(c.exec(['echo', 'a\0b']), UnquotableArgumentError);
  });

  it('exit codes, stderr and streaming callbacks', async () => {
    const c = conn(target(h));
    await c.connect();
    const chunks: string[] = [];
    const r = await c.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'], { onStdout: (d) => chunks.push(d.toString()) });
    assert.deepEqual([r.code, r.stdout, r.stderr], [3, 'out\n', 'err\n']);
    assert.equal(chunks.join(''), 'out\n');
  });

  it('AbortSignal cancels a running command', async () => {
    const c = conn(target(h));
    await c.connect();
    const ac = new AbortController();
    const t0 = Date.now();
    setTimeout(() => ac.abort(), 300);
    const sleeper = `${30 + Math.floor(Math.random() * 1000) / 1000}`; // unique argv to look for
    await assert.rejects(c.exec(['sleep', sleeper], { signal: ac.signal }), CommandAbortedError);
    assert.ok(Date.now() - t0 < 5000);
    // sshd delivered SIGTERM: the remote process is gone shortly after.
    let alive = true;
    for (let i = 0; i < 30 && alive; i++) {
      alive = (await c.exec(['pgrep', '-u', h.user, '-f', `^sleep ${sleeper}$`])).code === 0;
      if (alive) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(alive, false, 'remote sleep still running after abort');
  });

  it('SFTP atomic write keeps mode, and refuses a conflicting edit with RemoteChangedError', async () => {
    const c = conn(target(h));
    await c.connect();
    const dir = `/tmp/salkafka-sftp-${randomBytes(4).toString('hex')}`;
    await c.files.mkdirp(`${dir}/a/b`);
    const file = `${dir}/a/b/docker-compose.yaml`;
    const v1 = 'services:\n  salkafka-m2:\n    image: x\n';
    const w1 = await c.files.writeFileAtomic(file, v1, { mode: 0o640 });
    assert.equal(w1.sha256, sha256Hex(v1));
    const read1 = await c.files.readFile(file);
    assert.equal(read1.content.toString(), v1);
    assert.equal((await c.files.stat(file))!.mode & 0o777, 0o640);

    const v2 = `${v1}  salkafka-at:\n    image: y\n`;
    await c.files.writeFileAtomic(file, v2, { expectedSha256: read1.sha256 });
    const read2 = await c.files.readFile(file);
    assert.equal(read2.content.toString(), v2);
    assert.equal((await c.files.stat(file))!.mode & 0o777, 0o640, 'mode preserved by the rename');

    // Somebody edits the file on the host (over exec, like a colleague with vi) ...
    await c.exec(['sh', '-c', 'echo "# edited on azar2" >> "$1"', 'sh', file]);
    // ... and our stale edit must be refused, leaving their content in place.
    await assert.rejects(c.files.writeFileAtomic(file, 'services: {}\n', { expectedSha256: read2.sha256 }), (err: unknown) => {
      assert.ok(err instanceof RemoteChangedError);
      assert.match(err.message, /was changed on the host since it was read/);
      return true;
    });
    assert.equal((await c.files.readFile(file)).content.toString(), `${v2}# edited on azar2\n`);
    const names = (await c.files.listDir(`${dir}/a/b`)).map((e) => e.name);
    assert.deepEqual(names, ['docker-compose.yaml'], 'no temp file left behind');
    assert.equal(await c.files.stat(`${dir}/nope`), undefined);
    await c.exec(['rm', '-rf', dir]);
  });

  it('SFTP atomic write through a symlink replaces the target and keeps the link', async () => {
    const c = conn(target(h));
    await c.connect();
    const dir = `/tmp/salkafka-sftp-${randomBytes(4).toString('hex')}`;
    await c.files.mkdirp(`${dir}/real`);
    await c.files.writeFileAtomic(`${dir}/real/docker-compose.yaml`, 'a: 1\n');
    await c.exec(['ln', '-s', 'real/docker-compose.yaml', `${dir}/link.yaml`]);
    const before = await c.files.readFile(`${dir}/link.yaml`);
    await c.files.writeFileAtomic(`${dir}/link.yaml`, 'a: 2\n', { expectedSha256: before.sha256 });
    assert.equal((await c.exec(['readlink', `${dir}/link.yaml`])).stdout.trim(), 'real/docker-compose.yaml');
    assert.equal((await c.files.readFile(`${dir}/real/docker-compose.yaml`)).content.toString(), 'a: 2\n');
    await c.exec(['rm', '-rf', dir]);
  });

  it('reconnects after its sshd session is killed (reconnecting → connected), and a lost command says so', async () => {
    const c = conn(target(h), { reconnect: { initialDelayMs: 200, maxDelayMs: 1000 } });
    const seen: StateChange[] = [];
    c.onDidChangeState((s) => seen.push(s));
    await c.connect();
    await c.files.readFile(h.composeFile);
    // $PPID of the remote shell is OUR session's sshd process; killing it drops only this
    // connection (other engineers' sessions on the shared test sshd are untouched).
    await assert.rejects(c.exec(['sh', '-c', 'kill -9 $PPID; sleep 5']), ConnectionLostError);
    await waitForState(c, 'connected', 30_000, seen);
    const states = seen.map((s) => s.state);
    assert.deepEqual(states.slice(0, 2), ['connecting', 'connected']);
    assert.ok(states.slice(2).includes('reconnecting'), states.join(' → '));
    assert.equal(states[states.length - 1], 'connected');
    const reconnecting = seen.find((s) => s.state === 'reconnecting')!;
    assert.ok(reconnecting.attempt === 1 && reconnecting.retryInMs! <= 200);
    assert.equal((await c.exec(['id', '-un'])).stdout.trim(), h.user);
    assert.ok((await c.files.readFile(h.composeFile)).content.length > 0, 'SFTP reopened on the new connection');
  });

  it('keepalive notices a host that stopped answering (no TCP close) and reconnects', async () => {
    const c = conn(target(h), { keepaliveIntervalMs: 300, keepaliveCountMax: 2, reconnect: { initialDelayMs: 100, maxDelayMs: 500 } });
    const seen: StateChange[] = [];
    c.onDidChangeState((s) => seen.push(s));
    await c.connect();
    // Freeze OUR session's sshd process (the test host is this machine): the TCP connection stays
    // open but nothing answers, like a hung host or a silently dropped route.
    const pid = Number((await c.exec(['sh', '-c', 'echo $PPID'])).stdout.trim());
    assert.ok(pid > 1);
    process.kill(pid, 'SIGSTOP');
    try {
      await waitForState(c, 'reconnecting', 10_000, seen);
      await waitForState(c, 'connected', 20_000, seen);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
    assert.equal((await c.exec(['true'])).code, 0);
  });

  it('close() is final: no reconnect, exec refused', async () => {
    const c = conn(target(h));
    await c.connect();
    await c.close();
    assert.equal(c.state, 'disconnected');
    await assert.rejects(c.exec(['true']), NotConnectedError);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(c.state, 'disconnected');
  });
});
