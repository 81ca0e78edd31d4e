import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  REMOTE_RUNNER,
  UnquotableArgumentError,
  decodeShellCommand,
  posixCommand,
  shellCommand,
  shellJoin,
  shellQuote,
} from '../../../src/core/remote/shellQuote';

// Each case is sent through a REAL local POSIX shell; printf '%s\0' prints every argument the
// shell produced, NUL-separated, so we can compare byte for byte with what we meant to send.
const HOSTILE: string[] = [
  '',
  ' ',
  "it's",
  "'",
  "''",
  '"double"',
  '$(touch /tmp/pwned)',
  '`touch /tmp/pwned`',
  '$HOME ${HOME} $((1+1))',
  'a; rm -rf /',
  'a && b || c | d & e',
  'line1\nline2\n',
  '\r\t\v\f',
  '*',
  '~',
  '-n',
  '--rmi=all',
  '!event',
  '\\',
  '\\\'',
  "'\\''",
  'salkafka-m2 > /etc/passwd < /dev/null 2>&1',
  '# comment',
  '{a,b}',
  '[abc]',
  'ünïcødé ✓ 日本',
  '\u0001\u001b[31mred\u007f',
  'x'.repeat(5000),
];

// sshd runs an exec request with the user's LOGIN shell (`$SHELL -c <command>`), so the command
// line must mean the same under every shell an operator may have. These are required, not
// optional: test/host/up.sh installs fish, zsh and tcsh from Debian.
const LOGIN_SHELLS = ['sh', 'dash', 'bash', 'zsh', 'fish', 'tcsh'];

function which(name: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':')) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`login shell ${name} is not installed: run test/host/up.sh (it installs fish, zsh and tcsh)`);
}

function roundTrip(shell: string, args: string[], cwd?: string): string[] {
  const cmd = shellCommand(['printf', '%s\\0', ...args], cwd);
  const out = execFileSync(shell, ['-c', cmd], { encoding: 'utf8' });
  const parts = out.split('\0');
  parts.pop(); // trailing terminator
  return parts;
}

describe('shellQuote', () => {
  it('wraps in single quotes and escapes embedded single quotes', () => {
    assert.equal(shellQuote('abc'), "'abc'");
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(shellQuote(''), "''");
  });

  for (const name of LOGIN_SHELLS) {
    it(`every hostile argument round-trips exactly through the login shell ${name} -c`, () => {
      const shell = which(name);
      assert.deepEqual(roundTrip(shell, HOSTILE), HOSTILE);
    });
    it(`each hostile argument alone round-trips through ${name} (no reliance on neighbours)`, () => {
      const shell = which(name);
      for (const arg of HOSTILE) assert.deepEqual(roundTrip(shell, [arg]), [arg], `${name}: ${JSON.stringify(arg)}`);
    });
  }

  it('plain POSIX quoting is NOT enough under fish (why shellCommand wraps it): a trailing backslash breaks out', () => {
    // What the extension sent before: the POSIX-quoted words directly as the exec text.
    const naive = posixCommand(['printf', '%s\\0', 'a\\', 'b']);
    let out: string;
    try {
      out = execFileSync(which('fish'), ['-c', naive], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      out = '<error>';
    }
    assert.notEqual(out, 'a\\\0b\0');
    assert.deepEqual(roundTrip(which('fish'), ['a\\', 'b']), ['a\\', 'b']);
  });

  it('the fixed runner text has nothing any login shell interprets inside single quotes', () => {
    assert.doesNotMatch(REMOTE_RUNNER, /['\\!\n\r]/);
    const cmd = shellCommand(['echo', "x'\\!\n"]);
    assert.match(cmd, /^sh -c '[^'\\!\n]*' salkafka-run [A-Za-z0-9+/=]+$/);
    assert.equal(decodeShellCommand(cmd), `exec ${shellJoin(['echo', "x'\\!\n"])}`);
  });

  it('a host without base64 fails the command (exit 126) instead of running nothing and reporting success', () => {
    // A PATH holding sh only: the runner starts, base64 is missing.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-nob64-'));
    fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
    const r = (() => {
      try {
        execFileSync('/bin/sh', ['-c', shellCommand(['true'])], { env: { PATH: bin }, stdio: 'ignore' });
        return 0;
      } catch (e) {
        return (e as { status: number }).status;
      }
    })();
    fs.rmSync(bin, { recursive: true, force: true });
    assert.equal(r, 126);
  });

  it('command substitution in an argument is never executed', () => {
    const marker = path.join(os.tmpdir(), `salkafka-quote-${process.pid}`);
    fs.rmSync(marker, { force: true });
    const evil = [`$(touch ${marker})`, `\`touch ${marker}\``, `; touch ${marker}`, `\ntouch ${marker}\n`];
    assert.deepEqual(roundTrip('/bin/sh', evil), evil);
    assert.equal(fs.existsSync(marker), false, 'marker file must not exist');
  });

  it('rejects NUL before building any command line', () => {
    assert.throws(() => shellQuote('a\0b'), UnquotableArgumentError);
    assert.throws(() => shellJoin(['echo', 'ok', 'x\0']), /NUL/);
    assert.throws(() => shellCommand(['echo'], 'dir\0'), /NUL/);
  });

  it('rejects an empty argv and non-string arguments', () => {
    assert.throws(() => shellJoin([]), UnquotableArgumentError);
    assert.throws(() => shellJoin([42 as unknown as string]), UnquotableArgumentError);
  });

  it('cwd is quoted and applied with && (a hostile directory name works, a missing one runs nothing)', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-cwd-'));
    const dir = path.join(base, "we'ird $(dir) `x`; && name\nnl");
    fs.mkdirSync(dir);
    for (const name of LOGIN_SHELLS) {
      const pwd = execFileSync(which(name), ['-c', shellCommand(['pwd'], dir)], { encoding: 'utf8' });
      assert.equal(pwd, `${dir}\n`, name);
    }
    const marker = path.join(base, 'ran');
    assert.throws(() => execFileSync('/bin/sh', ['-c', shellCommand(['touch', marker], path.join(base, 'missing'))], { stdio: 'ignore' }));
    assert.equal(fs.existsSync(marker), false);
    fs.rmSync(base, { recursive: true, force: true });
  });
});
