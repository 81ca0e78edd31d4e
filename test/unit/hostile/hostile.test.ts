import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { LIMITS } from '../../../src/core/compose/analysisLimits';
import { hostileCases } from './cases';
import { CHILD_HEAP_MB, CHILD_TIMEOUT_MS, materialize, runCase } from './runCase';

// Every hostile input through the real CLI code path (loadLintInputs → lintCompose → output) in a
// child process with a hard timeout and a heap cap: a regression fails the case instead of hanging
// the suite or eating the machine. Figures (time, memory, output) are printed by bench/hostile.ts;
// here only generous bounds are asserted.

/** Peak resident memory of the whole child (Node itself is ~50 MB). */
const MAX_RSS_MB = 600;
/** Output of one file: 1,000 diagnostics of a few hundred bytes, plus the summary. */
const MAX_OUTPUT_BYTES = 1_000_000;

describe('hostile inputs (CLI path, child process)', function () {
  this.timeout(CHILD_TIMEOUT_MS * 2 + 10_000);
  let root: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'salkafka-hostile-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const c of hostileCases()) {
    it(`${c.name}: ${c.what}`, () => {
      const dir = materialize(c, root);
      const run = runCase(dir, 'json');
      assert.ok(!run.killed && run.result, `killed after ${run.wallMs} ms (timeout ${CHILD_TIMEOUT_MS} ms, heap ${CHILD_HEAP_MB} MB): ${run.childStderr}`);
      const r = run.result!;
      assert.notEqual(r.code, 2, `exit 2: ${r.stderr}`);
      assert.ok(r.maxRssMB < MAX_RSS_MB, `peak memory ${r.maxRssMB.toFixed(0)} MB`);
      assert.ok(r.outBytes < MAX_OUTPUT_BYTES, `output ${r.outBytes} bytes`);
      const found = JSON.parse(r.stdout) as { code: string; message: string }[];
      assert.ok(found.length <= LIMITS.diagnostics + 1, `${found.length} diagnostics`);
      const codes = new Set(found.map((d) => d.code));
      for (const code of c.expectCodes) assert.ok(codes.has(code), `${code} missing among ${[...codes].join(', ')}`);
      if (c.expectText) {
        assert.ok(found.some((d) => c.expectText!.test(d.message)) || c.expectText.test(r.stderr), `no message matches ${c.expectText}: ${found.map((d) => d.message).slice(0, 5).join(' | ')} ${r.stderr}`);
      }
      // At most a handful of names in any one message, whatever the file.
      for (const d of found) assert.ok(d.message.length < 2000, `a ${d.message.length}-character message: ${d.message.slice(0, 200)}…`);
    });
  }

  it('text output shows escape sequences from the file as \\x1b, never raw', () => {
    const c = hostileCases().find((x) => x.name === 'escape-sequences')!;
    const run = runCase(materialize(c, root), 'text');
    const out = run.result!.stdout + run.result!.stderr;
    assert.match(out, /csc-unknown/);
    assert.match(out, /\\x1b\[31mRED/);
    // Nothing but printable text and the newlines between diagnostics.
    assert.doesNotMatch(out, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('the merge bomb gives the merged key once, like docker-compose, in a fraction of the old minutes', () => {
    const c = hostileCases().find((x) => x.name === 'merge-bomb')!;
    const found = JSON.parse(runCase(materialize(c, root), 'json').result!.stdout) as { code: string; message: string }[];
    assert.deepEqual(
      found.filter((d) => d.code === 'compose-unknown-key').map((d) => d.message),
      ['"services.salkafka-x" has no key "k" in the compose specification.'],
    );
  });

  it('the bundled CLI (dist/cli.js) also finishes on a FIFO env_file and /dev/zero as the compose file', function () {
    const cli = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
    if (!existsSync(cli)) execFileSync(process.execPath, [join(__dirname, '..', '..', '..', '..', 'scripts', 'build.mjs')], { cwd: join(__dirname, '..', '..', '..', '..'), stdio: 'pipe' });
    const c = hostileCases().find((x) => x.name === 'env-file-fifo')!;
    const dir = materialize(c, root);
    const r1 = spawn(cli, [join(dir, 'docker-compose.yaml')]);
    assert.match(r1.stdout, /env-file-unreadable env_file pipe\.env was not read: not a regular file \(a FIFO\)/);
    const r2 = spawn(cli, ['/dev/zero']);
    assert.equal(r2.status, 1, r2.stderr);
    assert.match(r2.stdout, /^\/dev\/zero:1:1 error analysis-limit Not checked: the file is .*larger than the 2 MiB/);
  });
});

function spawn(cli: string, args: string[]) {
  const { spawnSync } = require('child_process') as typeof import('child_process');
  const r = spawnSync(process.execPath, ['--', cli, ...args], { encoding: 'utf8', timeout: 20_000, killSignal: 'SIGKILL' });
  assert.equal(r.signal, null, `killed: ${r.stderr}`);
  return r;
}
