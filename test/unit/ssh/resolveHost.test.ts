import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseJumpSpec, resolveHost } from '../../../src/core/ssh/resolveHost';
import { HostConfigError } from '../../../src/core/ssh/errors';

/** A fake home with ~/.ssh/config (and optional extra files) so ~ and Include are exercised. */
function home(config: string, extra: Record<string, string> = {}): string {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-home-'));
  fs.mkdirSync(path.join(h, '.ssh'), { mode: 0o700 });
  fs.writeFileSync(path.join(h, '.ssh', 'config'), config);
  for (const [rel, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(h, rel)), { recursive: true });
    fs.writeFileSync(path.join(h, rel), text);
  }
  return h;
}

const base = (h: string) => ({ homeDir: h, localUser: 'localme', env: { SSH_AUTH_SOCK: '/tmp/agent.sock', SITE: 'summit' } });

describe('resolveHost', () => {
  it('azar2 with no ssh config → azar2.cp.lsst.org, local user, port 22, default identities', () => {
    const h = home('');
    const r = resolveHost('azar2', base(h));
    assert.equal(r.hostName, 'azar2.cp.lsst.org');
    assert.equal(r.user, 'localme');
    assert.equal(r.port, 22);
    assert.equal(r.source, 'default');
    assert.deepEqual(r.proxyJump, []);
    assert.ok(r.identityFiles.includes(path.join(h, '.ssh', 'id_ed25519')));
    assert.deepEqual(r.knownHostsFiles, [path.join(h, '.ssh', 'known_hosts'), path.join(h, '.ssh', 'known_hosts2')]);
    assert.equal(r.identityAgent, '/tmp/agent.sock');
  });

  it('a missing config file is not an error', () => {
    const r = resolveHost('azar2', { ...base(home('')), sshConfigFile: '/nonexistent/config' });
    assert.equal(r.hostName, 'azar2.cp.lsst.org');
  });

  it('reads Host/HostName/User/Port, keeps multiple IdentityFile in order with ~ and tokens expanded', () => {
    const h = home(`
Host azar2
  HostName azar2.cp.lsst.org
  User rubin
  Port 2022
  IdentityFile ~/.ssh/id_%h_%r
  IdentityFile "~/.ssh/my key"
  IdentityFile /keys/%u/%p/%n
  IdentityFile \${SITE}/key
  IdentitiesOnly yes

Host *
  IdentityFile ~/.ssh/id_ed25519
`);
    const r = resolveHost('azar2', base(h));
    assert.equal(r.source, 'ssh-config');
    assert.equal(r.user, 'rubin');
    assert.equal(r.port, 2022);
    assert.equal(r.identitiesOnly, true);
    assert.deepEqual(r.identityFiles, [
      path.join(h, '.ssh', 'id_azar2.cp.lsst.org_rubin'),
      path.join(h, '.ssh', 'my key'),
      '/keys/localme/2022/azar2',
      path.join(h, 'summit', 'key'),
      path.join(h, '.ssh', 'id_ed25519'),
    ]);
  });

  it('resolves a ProxyJump chain; each hop is itself looked up in the config', () => {
    const h = home(`
Host azar2
  HostName azar2.cp.lsst.org
  ProxyJump alice@bastion.lsst.org:2022,gw

Host gw
  HostName gateway.cp.lsst.org
  User gwuser
  IdentityFile ~/.ssh/gw_key
`);
    const r = resolveHost('azar2', base(h));
    assert.equal(r.proxyJump.length, 2);
    assert.deepEqual(
      r.proxyJump.map((j) => [j.alias, j.hostName, j.user, j.port]),
      [
        ['bastion.lsst.org', 'bastion.lsst.org', 'alice', 2022],
        ['gw', 'gateway.cp.lsst.org', 'gwuser', 22],
      ],
    );
    assert.deepEqual(r.proxyJump[1].identityFiles, [path.join(h, '.ssh', 'gw_key')]);
  });

  it('follows Include (relative to ~/.ssh, with a glob), in order', () => {
    const h = home(`Include config.d/*.conf\n\nHost *\n  User fallback\n`, {
      '.ssh/config.d/10-summit.conf': 'Host azar2\n  HostName 139.229.160.2\n  Port 2200\n',
      '.ssh/config.d/20-other.conf': 'Host azar2\n  Port 9999\n  User second\n',
      '.ssh/config.d/ignored.txt': 'Host azar2\n  User nope\n',
    });
    const r = resolveHost('azar2', base(h));
    assert.equal(r.hostName, '139.229.160.2');
    assert.equal(r.port, 2200, 'first obtained value wins, like OpenSSH');
    assert.equal(r.user, 'second');
  });

  it('settings overrides win over the ssh config', () => {
    const h = home(`Host azar2\n  HostName azar2.cp.lsst.org\n  User rubin\n`);
    const r = resolveHost('azar2', {
      ...base(h),
      overrides: { azar2: { hostName: '127.0.0.1', port: 2222, user: 'tester', identityFile: '~/k', proxyJump: 'jump.example:23' } },
    });
    assert.deepEqual([r.hostName, r.port, r.user, r.source], ['127.0.0.1', 2222, 'tester', 'settings']);
    assert.deepEqual(r.identityFiles, [path.join(h, 'k')]);
    assert.deepEqual(r.proxyJump.map((j) => `${j.user}@${j.hostName}:${j.port}`), ['localme@jump.example:23']);
  });

  it('UserKnownHostsFile (several), then the knownHostsFile setting wins', () => {
    const h = home(`Host azar2\n  UserKnownHostsFile ~/.ssh/kh_a /etc/kh_%h\n`);
    assert.deepEqual(resolveHost('azar2', base(h)).knownHostsFiles, [path.join(h, '.ssh', 'kh_a'), '/etc/kh_azar2.cp.lsst.org']);
    assert.deepEqual(resolveHost('azar2', { ...base(h), knownHostsFile: '~/mine' }).knownHostsFiles, [path.join(h, 'mine')]);
  });

  it('IdentityAgent: path with ~, SSH_AUTH_SOCK, and none', () => {
    assert.equal(resolveHost('a', base(home(`Host a\n  IdentityAgent ~/agent.sock\n`))).identityAgent?.endsWith('/agent.sock'), true);
    assert.equal(resolveHost('a', base(home(`Host a\n  IdentityAgent SSH_AUTH_SOCK\n`))).identityAgent, '/tmp/agent.sock');
    const none = resolveHost('a', base(home(`Host a\n  IdentityAgent none\n`)));
    assert.equal(none.agentDisabled, true);
  });

  it('never runs Match exec commands from the config', () => {
    const marker = path.join(os.tmpdir(), `salkafka-matchexec-${process.pid}`);
    fs.rmSync(marker, { force: true });
    const h = home(`Match exec "touch ${marker}"\n  User matched\n\nHost azar2\n  HostName azar2.cp.lsst.org\n`);
    const r = resolveHost('azar2', base(h));
    assert.equal(fs.existsSync(marker), false);
    assert.equal(r.user, 'localme');
  });

  it('rejects bad aliases, bad ports and bad ProxyJump entries with HostConfigError', () => {
    const h = home(`Host bad\n  ProxyJump user@host:notaport\nHost badport\n  Port 99999\n`);
    assert.throws(() => resolveHost('azar2; rm -rf /', base(h)), HostConfigError);
    assert.throws(() => resolveHost('bad', base(h)), /invalid ProxyJump entry/);
    assert.throws(() => resolveHost('badport', base(h)), /invalid port/);
  });

  it('ProxyJump none means direct', () => {
    const h = home(`Host azar2\n  ProxyJump none\n`);
    assert.deepEqual(resolveHost('azar2', base(h)).proxyJump, []);
  });
});

describe('parseJumpSpec', () => {
  it('parses the forms OpenSSH accepts', () => {
    assert.deepEqual(parseJumpSpec('bastion'), { user: undefined, host: 'bastion', port: undefined });
    assert.deepEqual(parseJumpSpec('me@bastion:2022'), { user: 'me', host: 'bastion', port: 2022 });
    assert.deepEqual(parseJumpSpec('me@[2001:db8::1]:22'), { user: 'me', host: '2001:db8::1', port: 22 });
    assert.deepEqual(parseJumpSpec('ssh://me@bastion:23'), { user: 'me', host: 'bastion', port: 23 });
  });
  it('rejects nonsense', () => {
    assert.throws(() => parseJumpSpec('@host'), HostConfigError);
    assert.throws(() => parseJumpSpec('host:0'), HostConfigError);
    assert.throws(() => parseJumpSpec('ho st'), HostConfigError);
  });

  it('StrictHostKeyChecking, GlobalKnownHostsFile and HashKnownHosts come from ssh_config; the system file only fills gaps', () => {
    const h = home('Host azar2\n  StrictHostKeyChecking accept-new\n  GlobalKnownHostsFile ~/g1 /etc/g2\n', {
      'etc/ssh_config': 'Host *\n  StrictHostKeyChecking yes\n  HashKnownHosts yes\n  GlobalKnownHostsFile /etc/never\n',
    });
    const r = resolveHost('azar2', { ...base(h), systemConfigFile: path.join(h, 'etc/ssh_config') });
    assert.equal(r.strictHostKeyChecking, 'accept-new', 'the user file wins');
    assert.deepEqual(r.globalKnownHostsFiles, [path.join(h, 'g1'), '/etc/g2']);
    assert.equal(r.hashKnownHosts, true, 'from the system file');
    const other = resolveHost('other', { ...base(h), systemConfigFile: path.join(h, 'etc/ssh_config') });
    assert.equal(other.strictHostKeyChecking, 'yes');
    const plain = resolveHost('other', base(h));
    assert.equal(plain.strictHostKeyChecking, 'ask');
    assert.deepEqual(plain.globalKnownHostsFiles, ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2']);
    assert.equal(plain.hashKnownHosts, false);
    assert.deepEqual(resolveHost('x', base(home('GlobalKnownHostsFile none\n'))).globalKnownHostsFiles, []);
  });
});
