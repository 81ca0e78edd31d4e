import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UnquotableArgumentError, shellCommand, shellJoin, shellQuote } from '../../../src/core/remote/shellQuote';

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

function shells(): string[] {
  return ['/bin/sh', '/bin/dash', '/bin/bash', '/usr/bin/bash'].filter((s) => fs.existsSync(s));
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

  for (const shell of shells()) {
    it(`every hostile argument round-trips exactly through ${shell} -c`, () => {
      assert.deepEqual(roundTrip(shell, HOSTILE), HOSTILE);
    });
  }

  it('each hostile argument alone round-trips (no reliance on neighbours)', () => {
    for (const arg of HOSTILE) assert.deepEqual(roundTrip('/bin/sh', [arg]), [arg], JSON.stringify(arg));
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
    const pwd = execFileSync('/bin/sh', ['-c', shellCommand(['pwd'], dir)], { encoding: 'utf8' });
    assert.equal(pwd, `${dir}\n`);
    const marker = path.join(base, 'ran');
    assert.throws(() => execFileSync('/bin/sh', ['-c', shellCommand(['touch', marker], path.join(base, 'missing'))], { stdio: 'ignore' }));
    assert.equal(fs.existsSync(marker), false);
    fs.rmSync(base, { recursive: true, force: true });
  });
});
