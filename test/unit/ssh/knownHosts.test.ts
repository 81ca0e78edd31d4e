import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { utils } from 'ssh2';
import {
  appendKnownHost,
  checkHostKey,
  entryMatchesHost,
  fingerprintSha256,
  hostKeyChangedMessage,
  keyTypeOfBlob,
  orderHostKeyAlgorithms,
  loadKnownHosts,
  parseKnownHosts,
} from '../../../src/core/ssh/knownHosts';
import { parseStrictHostKeyChecking, verifyHostKey } from '../../../src/core/ssh/hostVerifier';
import type { UnknownHostInfo } from '../../../src/core/ssh/hostVerifier';
import { HostKeyChangedError, HostKeyRejectedError, HostKeyRevokedError } from '../../../src/core/ssh/errors';

function newKey(type: 'ed25519' | 'ecdsa' = 'ed25519'): { line: string; blob: Buffer; type: string } {
  const kp = type === 'ed25519' ? utils.generateKeyPairSync('ed25519') : utils.generateKeyPairSync('ecdsa', { bits: 256 });
  const [t, b64] = kp.public.split(' ');
  return { line: `${t} ${b64}`, blob: Buffer.from(b64, 'base64'), type: t };
}

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-kh-'));

describe('known_hosts', () => {
  const k1 = newKey();
  const k2 = newKey();
  const ec = newKey('ecdsa');

  it('fingerprintSha256 equals what ssh-keygen -lf prints', () => {
    const dir = tmp();
    const pub = path.join(dir, 'k.pub');
    fs.writeFileSync(pub, `${k1.line} test\n`);
    const printed = execFileSync('ssh-keygen', ['-lf', pub], { encoding: 'utf8' }).split(' ')[1];
    assert.equal(fingerprintSha256(k1.blob), printed);
    assert.match(printed, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(keyTypeOfBlob(k1.blob), 'ssh-ed25519');
  });

  it('matches plain names, [host]:port for non-22 ports, and not the wrong port', () => {
    const e = parseKnownHosts(`azar2.cp.lsst.org ${k1.line}\n[127.0.0.1]:2222 ${k2.line}\n`, 'kh');
    assert.equal(checkHostKey(e, 'azar2.cp.lsst.org', 22, k1.type, k1.blob).status, 'match');
    assert.equal(checkHostKey(e, 'AZAR2.cp.lsst.org', 22, k1.type, k1.blob).status, 'match');
    assert.equal(checkHostKey(e, '127.0.0.1', 2222, k2.type, k2.blob).status, 'match');
    assert.equal(checkHostKey(e, '127.0.0.1', 22, k2.type, k2.blob).status, 'unknown');
    assert.equal(checkHostKey(e, 'azar2.cp.lsst.org', 2222, k1.type, k1.blob).status, 'unknown');
  });

  it('matches hashed entries produced by ssh-keygen -H (both port forms)', () => {
    const dir = tmp();
    const file = path.join(dir, 'known_hosts');
    fs.writeFileSync(file, `azar2.cp.lsst.org ${k1.line}\n[127.0.0.1]:2222 ${k2.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^\|1\|/m);
    assert.doesNotMatch(text, /azar2/);
    const e = loadKnownHosts([file]);
    assert.ok(e.every((x) => x.hashed));
    assert.equal(checkHostKey(e, 'azar2.cp.lsst.org', 22, k1.type, k1.blob).status, 'match');
    assert.equal(checkHostKey(e, '127.0.0.1', 2222, k2.type, k2.blob).status, 'match');
    assert.equal(checkHostKey(e, 'azar1.cp.lsst.org', 22, k1.type, k1.blob).status, 'unknown');
    assert.equal(checkHostKey(e, 'azar2.cp.lsst.org', 22, k2.type, k2.blob).status, 'changed');
  });

  it('handles comma lists, wildcards and negation', () => {
    const e = parseKnownHosts(`azar2,azar2.cp.lsst.org,139.229.1.2 ${k1.line}\n*.cp.lsst.org,!bad.cp.lsst.org ${k2.line}\n`, 'kh');
    assert.equal(checkHostKey(e, '139.229.1.2', 22, k1.type, k1.blob).status, 'match');
    assert.equal(checkHostKey(e, 'azar2', 22, k1.type, k1.blob).status, 'match');
    assert.ok(entryMatchesHost(e[1], 'other.cp.lsst.org', 22));
    assert.ok(!entryMatchesHost(e[1], 'bad.cp.lsst.org', 22));
    assert.ok(!entryMatchesHost(e[1], 'cp.lsst.org.evil.com', 22));
  });

  it('a different key of the same type is CHANGED and names the offending line', () => {
    const e = parseKnownHosts(`# comment\n\nazar2.cp.lsst.org ${k1.line}\n`, '/home/u/.ssh/known_hosts');
    const v = checkHostKey(e, 'azar2.cp.lsst.org', 22, k2.type, k2.blob);
    assert.equal(v.status, 'changed');
    assert.equal(v.knownFingerprint, fingerprintSha256(k1.blob));
    assert.equal(v.entry?.line, 3);
    const msg = hostKeyChangedMessage('azar2.cp.lsst.org', 22, k2.type, fingerprintSha256(k2.blob), v.entry!);
    assert.match(msg, /WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!/);
    assert.match(msg, /Someone could be eavesdropping on you right now/);
    assert.ok(msg.includes(`The fingerprint for the ED25519 key sent by the remote host azar2.cp.lsst.org is\n${fingerprintSha256(k2.blob)}.`));
    assert.ok(msg.includes('Offending ED25519 key in /home/u/.ssh/known_hosts:3'));
  });

  it('a key of another type than the known one is CHANGED, as OpenSSH 9 says (hence the algorithm order)', () => {
    const e = parseKnownHosts(`azar2.cp.lsst.org ${k1.line}\n`, 'kh');
    const v = checkHostKey(e, 'azar2.cp.lsst.org', 22, ec.type, ec.blob);
    assert.equal(v.status, 'changed');
    assert.equal(v.entry?.line, 1);
  });

  it('@revoked refuses even when the same key is also listed; @cert-authority lines are not host keys', () => {
    const e = parseKnownHosts(`azar2 ${k1.line}\n@revoked * ${k1.line}\n@cert-authority *.cp.lsst.org ${k2.line}\n@bogus azar2 ${k2.line}\n`, 'kh');
    assert.equal(checkHostKey(e, 'azar2', 22, k1.type, k1.blob).status, 'revoked');
    assert.equal(checkHostKey(e, 'x.cp.lsst.org', 22, k2.type, k2.blob).status, 'unknown');
    assert.equal(e.length, 3, 'unknown markers are skipped');
  });

  it('@revoked applies only to the hosts its pattern names, as in OpenSSH (load_hostkeys loads matching lines only)', () => {
    const e = parseKnownHosts(`@revoked otherhost ${k1.line}\nazar2 ${k1.line}\n`, 'kh');
    assert.equal(checkHostKey(e, 'azar2', 22, k1.type, k1.blob).status, 'match');
    assert.equal(checkHostKey(e, 'OTHERHOST', 22, k1.type, k1.blob).status, 'revoked');
  });

  it('a @cert-authority line with the host\'s own key does not vouch for that plain key', () => {
    const e = parseKnownHosts(`@cert-authority azar2 ${k1.line}\n`, 'kh');
    assert.equal(checkHostKey(e, 'azar2', 22, k1.type, k1.blob).status, 'unknown');
  });

  it('hashed entries match an upper-case host name (ssh lowercases before hashing)', () => {
    const file = path.join(tmp(), 'known_hosts');
    fs.writeFileSync(file, `azar2.cp.lsst.org ${k1.line}\n[localhost]:2222 ${k2.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const e = loadKnownHosts([file]);
    assert.equal(checkHostKey(e, 'AZAR2.CP.LSST.ORG', 22, k1.type, k1.blob).status, 'match');
    assert.equal(checkHostKey(e, 'LocalHost', 2222, k2.type, k2.blob).status, 'match');
  });

  it('lookups equal `ssh-keygen -F` on the same file: plain, wildcard, negated, hashed, [host]:port', () => {
    const dir = tmp();
    const plainFile = path.join(dir, 'plain');
    const hashedFile = path.join(dir, 'hashed');
    const text = [
      `azar2,azar2.cp.lsst.org,139.229.1.2 ${k1.line}`,
      `[127.0.0.1]:2222 ${k2.line}`,
      `*.cp.lsst.org,!bad.cp.lsst.org ${ec.line}`,
      `[azar?.ls.lsst.org]:22 ${k2.line}`,
      `MixedCase.Example.org ${k1.line}`,
      `[127.0.0.1]:22 ${ec.line}`,
      '',
    ].join('\n');
    fs.writeFileSync(plainFile, text);
    // ssh-keygen -H hashes plain names only; wildcard lines stay as they are.
    fs.writeFileSync(hashedFile, text);
    execFileSync('ssh-keygen', ['-H', '-f', hashedFile], { stdio: 'ignore' });
    const queries = [
      'azar2', 'azar2.cp.lsst.org', '139.229.1.2', 'azar1.cp.lsst.org', 'bad.cp.lsst.org', 'cp.lsst.org',
      // Only the forms ssh looks up: plain for port 22, [host]:port otherwise.
      '[127.0.0.1]:2222', '127.0.0.1', 'azar3.ls.lsst.org', '[azar3.ls.lsst.org]:2222',
      'mixedcase.example.org', '[127.0.0.1]:2223', 'x.cp.lsst.org.evil.com',
    ];
    for (const file of [plainFile, hashedFile]) {
      const entries = loadKnownHosts([file]);
      for (const q of queries) {
        // ssh-keygen -F takes the known_hosts form of the name; split it back into host and port.
        const m = /^\[(.+)\]:(\d+)$/.exec(q);
        const [host, port] = m ? [m[1], Number(m[2])] : [q, 22];
        const ours = entries.filter((x) => entryMatchesHost(x, host, port)).map((x) => x.line);
        let out = '';
        try {
          out = execFileSync('ssh-keygen', ['-F', q, '-f', file], { encoding: 'utf8' });
        } catch {
          out = ''; // exit 1: not found
        }
        const theirs = [...out.matchAll(/found: line (\d+)/g)].map((x) => Number(x[1]));
        assert.deepEqual(ours, theirs, `${path.basename(file)}: ${q}`);
      }
    }
  });

  it('orderHostKeyAlgorithms puts the known key types first, in the default order (OpenSSH order_hostkeyalgs)', () => {
    const rsa = utils.generateKeyPairSync('rsa', { bits: 2048 }).public.split(' ');
    const e = parseKnownHosts(`azar2 ${ec.line}\nazar2 ${rsa[0]} ${rsa[1]}\nother ${k1.line}\n@cert-authority azar2 ${k1.line}\n`, 'kh');
    const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    assert.deepEqual(orderHostKeyAlgorithms(e, 'azar2', 22, all), [
      'ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp384',
    ]);
    assert.deepEqual(orderHostKeyAlgorithms(e, 'unknown', 22, all), all);
    assert.deepEqual(orderHostKeyAlgorithms(e, 'other', 22, all), all);
  });

  it('skips malformed lines without throwing', () => {
    const e = parseKnownHosts(`garbage\nhost ssh-ed25519\n|1|onlysalt ${k1.line}\nok ${k1.line}\n`, 'kh');
    assert.equal(e.length, 1);
  });

  it('appendKnownHost creates a 0600 file in a new 0700 dir that OpenSSH itself can read', () => {
    const dir = path.join(tmp(), 'ssh');
    const file = path.join(dir, 'known_hosts');
    appendKnownHost(file, '127.0.0.1', 2222, k1.blob);
    appendKnownHost(file, 'azar2.cp.lsst.org', 22, k2.blob);
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const text = fs.readFileSync(file, 'utf8');
    assert.equal(text, `[127.0.0.1]:2222 ${k1.line}\nazar2.cp.lsst.org ${k2.line}\n`);
    const found = execFileSync('ssh-keygen', ['-F', '[127.0.0.1]:2222', '-f', file], { encoding: 'utf8' });
    assert.ok(found.includes(k1.line.split(' ')[1]));
  });

  it('appendKnownHost writes the name in lower case, and hashed on request, both found by ssh-keygen -F', () => {
    const file = path.join(tmp(), 'known_hosts');
    appendKnownHost(file, 'AZAR2.cp.lsst.org', 22, k1.blob);
    appendKnownHost(file, 'Hidden.Example', 2200, k2.blob, { hash: true });
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /^azar2\.cp\.lsst\.org ssh-ed25519 /);
    assert.match(text, /\n\|1\|[^ ]+ ssh-ed25519 /);
    assert.doesNotMatch(text, /hidden/i);
    assert.match(execFileSync('ssh-keygen', ['-F', '[hidden.example]:2200', '-f', file], { encoding: 'utf8' }), /found: line 2/);
  });

  it('appendKnownHost adds a newline when the file does not end with one', () => {
    const file = path.join(tmp(), 'known_hosts');
    fs.writeFileSync(file, `a ${k1.line}`);
    appendKnownHost(file, 'b', 22, k2.blob);
    assert.equal(parseKnownHosts(fs.readFileSync(file, 'utf8'), file).length, 2);
  });
});

describe('verifyHostKey (host key decision before anything runs)', () => {
  const k1 = newKey();
  const k2 = newKey();

  function ctx(file: string, decision?: 'once' | 'always' | 'reject') {
    const asked: UnknownHostInfo[] = [];
    return {
      asked,
      ctx: {
        host: '127.0.0.1',
        port: 2222,
        knownHostsFiles: [file],
        acceptedOnce: new Map<string, Buffer>(),
        onUnknownHost: decision
          ? async (info: UnknownHostInfo) => {
              asked.push(info);
              return decision;
            }
          : undefined,
      },
    };
  }

  it('unknown + always: asks with the right fingerprint, then saves, then no longer asks', async () => {
    const file = path.join(tmp(), 'kh');
    const { asked, ctx: c } = ctx(file, 'always');
    assert.equal(await verifyHostKey(c, k1.blob), undefined);
    assert.equal(asked.length, 1);
    assert.equal(asked[0].fingerprint, fingerprintSha256(k1.blob));
    assert.equal(asked[0].keyType, 'ED25519');
    assert.equal(checkHostKey(loadKnownHosts([file]), '127.0.0.1', 2222, k1.type, k1.blob).status, 'match');
    assert.equal(await verifyHostKey(c, k1.blob), undefined);
    assert.equal(asked.length, 1);
  });

  it('unknown + once: accepted for this session only, nothing written', async () => {
    const file = path.join(tmp(), 'kh');
    const { asked, ctx: c } = ctx(file, 'once');
    assert.equal(await verifyHostKey(c, k1.blob), undefined);
    assert.equal(await verifyHostKey(c, k1.blob), undefined);
    assert.equal(asked.length, 1);
    assert.equal(fs.existsSync(file), false);
  });

  it('unknown + reject, or no callback at all: HostKeyRejectedError', async () => {
    const file = path.join(tmp(), 'kh');
    assert.ok((await verifyHostKey(ctx(file, 'reject').ctx, k1.blob)) instanceof HostKeyRejectedError);
    assert.ok((await verifyHostKey(ctx(file).ctx, k1.blob)) instanceof HostKeyRejectedError);
  });

  it('changed: HostKeyChangedError without asking anyone', async () => {
    const file = path.join(tmp(), 'kh');
    fs.writeFileSync(file, `[127.0.0.1]:2222 ${k1.line}\n`);
    const { asked, ctx: c } = ctx(file, 'always');
    const err = await verifyHostKey(c, k2.blob);
    assert.ok(err instanceof HostKeyChangedError);
    assert.equal(err.knownFingerprint, fingerprintSha256(k1.blob));
    assert.equal(err.fingerprint, fingerprintSha256(k2.blob));
    assert.equal(`${err.knownHostsFile}:${err.knownHostsLine}`, `${file}:1`);
    assert.equal(asked.length, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), `[127.0.0.1]:2222 ${k1.line}\n`, 'known_hosts untouched');
  });

  it('revoked: HostKeyRevokedError with OpenSSH\'s words', async () => {
    const file = path.join(tmp(), 'kh');
    fs.writeFileSync(file, `@revoked * ${k1.line}\n`);
    const err = await verifyHostKey(ctx(file, 'always').ctx, k1.blob);
    assert.ok(err instanceof HostKeyRevokedError);
    assert.match(err.message, /The ED25519 host key for \[127\.0\.0\.1\]:2222 is marked as revoked\./);
  });

  it('the global files count: a key known there matches; one revoked there is refused; new keys go to the user file', async () => {
    const dir = tmp();
    const user = path.join(dir, 'user');
    const global = path.join(dir, 'global');
    fs.writeFileSync(global, `[127.0.0.1]:2222 ${k1.line}\n`);
    const { asked, ctx: c } = ctx(user, 'always');
    assert.equal(await verifyHostKey({ ...c, globalKnownHostsFiles: [global, path.join(dir, 'missing')] }, k1.blob), undefined);
    assert.ok((await verifyHostKey({ ...c, globalKnownHostsFiles: [global] }, k2.blob)) instanceof HostKeyChangedError);
    fs.writeFileSync(global, `@revoked * ${k2.line}\n`);
    assert.ok((await verifyHostKey({ ...c, globalKnownHostsFiles: [global] }, k2.blob)) instanceof HostKeyRevokedError);
    fs.writeFileSync(global, '');
    assert.equal(await verifyHostKey({ ...c, globalKnownHostsFiles: [global] }, k1.blob), undefined);
    assert.equal(asked.length, 1);
    assert.equal(fs.readFileSync(global, 'utf8'), '', 'global file never written');
    assert.match(fs.readFileSync(user, 'utf8'), /^\[127\.0\.0\.1\]:2222 ssh-ed25519 /);
  });

  it('StrictHostKeyChecking yes: unknown refused without a prompt, in OpenSSH\'s words', async () => {
    const file = path.join(tmp(), 'kh');
    const { asked, ctx: c } = ctx(file, 'always');
    const err = await verifyHostKey({ ...c, strictHostKeyChecking: 'yes' }, k1.blob);
    assert.ok(err instanceof HostKeyRejectedError);
    assert.match(err.message, /No ED25519 host key is known for \[127\.0\.0\.1\]:2222 and you have requested strict checking/);
    assert.equal(asked.length, 0);
    assert.equal(fs.existsSync(file), false);
  });

  for (const mode of ['accept-new', 'no'] as const) {
    it(`StrictHostKeyChecking ${mode}: unknown saved without a prompt; changed and revoked still refused`, async () => {
      const file = path.join(tmp(), 'kh');
      const { asked, ctx: c } = ctx(file, 'reject');
      const s = { ...c, strictHostKeyChecking: mode };
      assert.equal(await verifyHostKey(s, k1.blob), undefined);
      assert.equal(checkHostKey(loadKnownHosts([file]), '127.0.0.1', 2222, k1.type, k1.blob).status, 'match');
      assert.ok((await verifyHostKey(s, k2.blob)) instanceof HostKeyChangedError);
      fs.appendFileSync(file, `@revoked * ${k1.line}\n`);
      assert.ok((await verifyHostKey(s, k1.blob)) instanceof HostKeyRevokedError);
      assert.equal(asked.length, 0);
    });
  }

  it('parseStrictHostKeyChecking reads OpenSSH\'s spellings', () => {
    assert.deepEqual(
      ['yes', 'TRUE', 'accept-new', 'no', 'false', 'off', 'ask', undefined, 'bogus'].map(parseStrictHostKeyChecking),
      ['yes', 'yes', 'accept-new', 'no', 'no', 'no', 'ask', 'ask', 'ask'],
    );
  });
});
