// Host keys exactly as OpenSSH decides them: for each case, the REAL `ssh` client and our
// HostConnection connect to the same private sshd (its own ED25519, ECDSA and RSA host keys, on a
// free loopback port) with copies of the same known_hosts files and the same
// StrictHostKeyChecking, and must reach the same verdict. Authentication always fails (nobody
// may log in), which is fine: the host key is decided before it, so "Permission denied" means
// "host key accepted". Needs no shared test host, only openssh-server and openssh-client.
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import type { ResolvedHost } from '../../src/core/ssh/resolveHost';
import type { StrictHostKeyChecking } from '../../src/core/ssh/hostVerifier';
import { serverHostKeyAlgorithms } from '../../src/core/ssh/hostVerifier';
import { PrivateSshd } from './privateSshd';
import { AuthenticationFailedError, HostKeyChangedError, HostKeyRejectedError, HostKeyRevokedError } from '../../src/core/ssh/errors';

type Verdict = 'accepted' | 'accepted+added' | 'ask' | 'refused-unknown' | 'changed' | 'revoked';

const pubOf = (file: string): string => fs.readFileSync(file, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');

describe('host keys: our verdict equals the real ssh client on the same files (private sshd, 3 host key types)', function () {
  this.timeout(120_000);
  let dir = '';
  let port = 0;
  let sshd: PrivateSshd | undefined;
  let ed = '';
  let ecdsa = '';
  let rsa = '';
  let otherEd = '';
  let clientKey = '';

  before(async () => {
    for (const bin of ['/usr/sbin/sshd', 'ssh', 'ssh-keygen']) {
      const r = spawnSync(bin, ['-V']);
      if (r.error) throw new Error(`${bin} is needed for this suite (openssh-server / openssh-client; test/host/up.sh installs them): ${r.error.message}`);
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-hostkeys-'));
    for (const t of ['ed25519', 'ecdsa', 'rsa', 'other']) {
      execFileSync('ssh-keygen', ['-q', '-t', t === 'other' ? 'ed25519' : t, '-N', '', '-C', '', '-f', path.join(dir, `host_${t}`)]);
    }
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path.join(dir, 'client')]);
    clientKey = path.join(dir, 'client');
    [ed, ecdsa, rsa, otherEd] = ['ed25519', 'ecdsa', 'rsa', 'other'].map((t) => pubOf(path.join(dir, `host_${t}.pub`)));
    sshd = await PrivateSshd.startOwn(
      dir,
      ['ed25519', 'ecdsa', 'rsa'].map((t) => path.join(dir, `host_${t}`)),
      ['UsePAM no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'AuthorizedKeysFile /nonexistent'],
    );
    port = sshd.port;
  });

  after(async () => {
    await sshd?.stop();
    sshd = undefined;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Case {
    name: string;
    user: string;
    global?: string;
    strict: StrictHostKeyChecking;
    host?: string;
    /** Expected verdict of BOTH clients (unless `ours` says otherwise). */
    want: Verdict;
    /** A deliberate difference, asserted as such. */
    ours?: Verdict;
    /** Hash the user file with ssh-keygen -H first. */
    hash?: boolean;
  }

  // HOST is [127.0.0.1]:<port>, PORT the port, ED/ECDSA/RSA the sshd's public keys, OTHER_ED another key.
  const cases: Case[] = [
    { name: 'known ED25519 key', user: 'HOST ED', strict: 'ask', want: 'accepted' },
    { name: 'unknown host, ask', user: '', strict: 'ask', want: 'ask' },
    { name: 'changed key (another ED25519 key known)', user: 'HOST OTHER_ED', strict: 'ask', want: 'changed' },
    { name: 'revoked key (also listed as known)', user: '@revoked * ED\nHOST ED', strict: 'ask', want: 'revoked' },
    { name: '@revoked for another host only', user: '@revoked otherhost ED\nHOST ED', strict: 'yes', want: 'accepted' },
    { name: 'only the ECDSA key known: asked for ECDSA, no prompt', user: 'HOST ECDSA', strict: 'ask', want: 'accepted' },
    { name: 'only the RSA key known: asked for RSA, no prompt', user: 'HOST RSA', strict: 'ask', want: 'accepted' },
    { name: 'accept-new, unknown host: saved without a prompt', user: '', strict: 'accept-new', want: 'accepted+added' },
    { name: 'accept-new, changed key: refused', user: 'HOST OTHER_ED', strict: 'accept-new', want: 'changed' },
    { name: 'yes, unknown host: refused without a prompt', user: '', strict: 'yes', want: 'refused-unknown' },
    { name: 'yes, known host', user: 'HOST ECDSA', strict: 'yes', want: 'accepted' },
    { name: 'no, unknown host: saved without a prompt', user: '', strict: 'no', want: 'accepted+added' },
    { name: 'known only in the global file', user: '', global: 'HOST ED', strict: 'yes', want: 'accepted' },
    { name: 'revoked in the global file', user: 'HOST ED', global: '@revoked * ED', strict: 'ask', want: 'revoked' },
    { name: 'a @cert-authority line with the host key does not vouch for the plain key', user: '@cert-authority HOST ED', strict: 'ask', want: 'ask' },
    { name: 'hashed entry, upper-case host name', user: '[localhost]:PORT ED', hash: true, host: 'LOCALHOST', strict: 'yes', want: 'accepted' },
    // OpenSSH under "no" connects to a CHANGED host with password auth disabled; we refuse: this
    // extension writes compose files and restarts producers on the host it reaches.
    { name: 'no, changed key: ssh continues, we refuse (deliberate)', user: 'HOST OTHER_ED', strict: 'no', want: 'accepted', ours: 'changed' },
  ];

  const fill = (t: string): string =>
    t
      ? `${t.replace(/HOST/g, `[127.0.0.1]:${port}`).replace(/PORT/g, String(port)).replace(/OTHER_ED/g, otherEd).replace(/\bECDSA\b/g, ecdsa).replace(/\bRSA\b/g, rsa).replace(/\bED\b/g, ed)}\n`
      : '';

  function files(c: Case, who: string): { user: string; global: string } {
    const user = path.join(dir, `${who}-known_hosts`);
    const global = path.join(dir, `${who}-global`);
    fs.writeFileSync(user, fill(c.user));
    fs.writeFileSync(global, fill(c.global ?? ''));
    if (c.hash) execFileSync('ssh-keygen', ['-H', '-f', user], { stdio: 'ignore' });
    fs.rmSync(`${user}.old`, { force: true });
    return { user, global };
  }

  function sshVerdict(c: Case): Verdict {
    const f = files(c, 'ssh');
    const before = fs.readFileSync(f.user, 'utf8');
    const r = spawnSync(
      'ssh',
      [
        '-F', '/dev/null',
        '-o', 'BatchMode=yes',
        '-o', `UserKnownHostsFile=${f.user}`,
        '-o', `GlobalKnownHostsFile=${f.global}`,
        '-o', `StrictHostKeyChecking=${c.strict}`,
        '-o', 'PubkeyAuthentication=no',
        '-o', 'ConnectTimeout=10',
        '-p', String(port),
        `nobody@${c.host ?? '127.0.0.1'}`,
        'true',
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    const err = r.stderr;
    if (/REVOKED HOST KEY DETECTED/.test(err)) return 'revoked';
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(err) && !/Permission denied/.test(err)) return 'changed';
    if (/Permission denied/.test(err)) return fs.readFileSync(f.user, 'utf8') !== before ? 'accepted+added' : 'accepted';
    if (/host key is known for .* and you have requested strict checking/.test(err)) return 'refused-unknown';
    if (/Host key verification failed/.test(err)) return 'ask'; // BatchMode: ssh would have prompted
    throw new Error(`unexpected ssh output for "${c.name}": ${err}`);
  }

  async function ourVerdict(c: Case): Promise<{ verdict: Verdict; message: string; added: string }> {
    const f = files(c, 'ours');
    const before = fs.readFileSync(f.user, 'utf8');
    let asked = 0;
    const target: ResolvedHost = {
      alias: 'hostkeys',
      hostName: c.host ?? '127.0.0.1',
      port,
      user: 'nobody',
      identityFiles: [clientKey],
      identitiesOnly: true,
      agentDisabled: true,
      knownHostsFiles: [f.user],
      globalKnownHostsFiles: [f.global],
      strictHostKeyChecking: c.strict,
      proxyJump: [],
      source: 'settings',
    };
    const conn = new HostConnection(target, {
      onUnknownHost: async () => {
        asked++;
        return 'reject';
      },
      reconnect: { enabled: false },
      readyTimeoutMs: 15_000,
    });
    try {
      await conn.connect();
      throw new Error('nobody may log in to the private sshd: connect() must fail');
    } catch (err) {
      const e = err as Error;
      const after = fs.readFileSync(f.user, 'utf8');
      const added = after.slice(before.length);
      if (e instanceof AuthenticationFailedError) return { verdict: added ? 'accepted+added' : 'accepted', message: e.message, added };
      if (e instanceof HostKeyRevokedError) return { verdict: 'revoked', message: e.message, added };
      if (e instanceof HostKeyChangedError) return { verdict: 'changed', message: e.message, added };
      if (e instanceof HostKeyRejectedError) return { verdict: asked ? 'ask' : 'refused-unknown', message: e.message, added };
      throw e;
    } finally {
      await conn.close();
    }
  }

  it('the cases below are meaningful: ssh2 left to its default order would be offered ED25519 for an ECDSA-known host', () => {
    const order = serverHostKeyAlgorithms({ hostName: '127.0.0.1', port, knownHostsFiles: [], globalKnownHostsFiles: [] });
    assert.equal(order[0], 'ssh-ed25519', 'default order prefers ED25519');
    const kh = path.join(dir, 'order-kh');
    fs.writeFileSync(kh, `[127.0.0.1]:${port} ${ecdsa}\n`);
    assert.equal(serverHostKeyAlgorithms({ hostName: '127.0.0.1', port, knownHostsFiles: [kh] })[0], 'ecdsa-sha2-nistp256');
  });

  for (const c of cases) {
    it(`${c.name} (StrictHostKeyChecking ${c.strict}): ssh says ${c.want}, we say ${c.ours ?? c.want}`, async () => {
      const theirs = sshVerdict(c);
      const ours = await ourVerdict(c);
      assert.equal(theirs, c.want, `ssh's verdict for "${c.name}"`);
      assert.equal(ours.verdict, c.ours ?? c.want, `our verdict for "${c.name}": ${ours.message}`);
      if (ours.verdict === 'accepted+added') {
        // The line we added is one OpenSSH itself finds for that host.
        const f = path.join(dir, 'ours-known_hosts');
        const found = execFileSync('ssh-keygen', ['-F', `[${(c.host ?? '127.0.0.1').toLowerCase()}]:${port}`, '-f', f], { encoding: 'utf8' });
        assert.match(found, /found: line 1/);
      }
      if (ours.verdict === 'revoked') assert.match(ours.message, /is marked as revoked/);
      if (ours.verdict === 'refused-unknown') assert.match(ours.message, /and you have requested strict checking/);
      if (ours.verdict === 'changed') assert.match(ours.message, /REMOTE HOST IDENTIFICATION HAS CHANGED/);
    });
  }
});
