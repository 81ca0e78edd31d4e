import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { existsSync, statSync } from 'fs';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { lintCompose } from '../../../src/core/lint/lint';
import { parseYamlDocument } from '../../../src/core/compose/parseCompose';
import { LintCancelledError, WorkerLinter } from '../../../src/core/lint/worker/workerLinter';
import { Catalogue } from '../../../src/core/catalogue/catalogue';
import { fixture } from '../compose/helpers';
import { manyProducers, mergeBomb } from './cases';

// The worker the editor uses for large documents: the real bundle dist/lintWorker.js in real
// worker threads (built here when missing or older than the sources).
const ROOT = join(__dirname, '..', '..', '..', '..');
const SCRIPT = join(ROOT, 'dist', 'lintWorker.js');

describe('WorkerLinter (dist/lintWorker.js)', function () {
  this.timeout(60_000);
  let linter: WorkerLinter;

  before(function () {
    this.timeout(180_000);
    const stale = !existsSync(SCRIPT) || statSync(SCRIPT).mtimeMs < statSync(join(ROOT, 'src', 'core', 'lint', 'lint.ts')).mtimeMs;
    if (stale) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });
  beforeEach(() => {
    linter = new WorkerLinter({ script: SCRIPT, parse: parseYamlDocument, defaultCatalogue });
  });
  afterEach(() => linter.dispose());

  it('gives exactly the diagnostics and services of lintCompose on this thread', async () => {
    const text = fixture('legacy.yaml');
    const options = { catalogue: defaultCatalogue(), variables: { CYCLE: 'c0035' } };
    const here = lintCompose(text, options);
    const there = await linter.lint('a', text, options);
    assert.deepEqual(there.diagnostics, here.diagnostics);
    assert.deepEqual(
      there.model.services.map((s) => [s.name, s.nameRange, s.cscList?.tokens.map((t) => t.text), s.env.get('CSC_LIST')?.value?.value]),
      here.model.services.map((s) => [s.name, s.nameRange, s.cscList?.tokens.map((t) => t.text), s.env.get('CSC_LIST')?.value?.value]),
    );
    // env and environment still share their entries after the copy; the Document is parsed on demand.
    const s = there.model.services[0];
    assert.equal(s.env.get(s.environment[0].key), s.environment.filter((e) => e.key === s.environment[0].key).pop());
    assert.equal(there.model.doc.errors.length, here.model.doc.errors.length);
  });

  it('uses a catalogue sent from this thread (not only the shipped one)', async () => {
    const mine = Catalogue.fromJson({ components: [{ name: 'OnlyMine' }] });
    const text = 'services:\n  salkafka-x:\n    environment:\n      - CSC_LIST=OnlyMine MTMount\n';
    const r = await linter.lint('a', text, { catalogue: mine });
    assert.deepEqual(r.diagnostics.filter((d) => d.code === 'csc-unknown').map((d) => text.slice(d.range.start, d.range.end)), ['MTMount']);
  });

  it('a new request for the same document cancels the running one; other documents go on', async () => {
    const big = manyProducers(3000, () => 'MTMount');
    const options = { catalogue: defaultCatalogue() };
    const first = linter.lint('doc', big, options);
    const other = linter.lint('other', 'services:\n  salkafka-y:\n    image: x\n', options);
    const second = linter.lint('doc', mergeBomb(), options);
    await assert.rejects(first, LintCancelledError);
    assert.ok((await second).diagnostics.some((d) => d.code === 'compose-unknown-key'));
    assert.ok((await other).diagnostics.some((d) => d.code === 'env-missing'));
  });

  it('a job over the time limit is stopped and reported as analysis-limit, and the next one runs', async () => {
    // 1 ms: the worker has not even started; no file is cheap enough to beat it.
    const r = await linter.lint('doc', manyProducers(300, () => 'MTMount'), { catalogue: defaultCatalogue() }, 1);
    assert.deepEqual(r.diagnostics.map((d) => d.code), ['analysis-limit']);
    assert.match(r.diagnostics[0].message, /took longer than 1 ms and was stopped/);
    assert.equal(linter.size, 0);
    const next = await linter.lint('doc', 'services:\n  salkafka-y:\n    image: x\n', { catalogue: defaultCatalogue() });
    assert.ok(next.diagnostics.some((d) => d.code === 'env-missing'));
  });

  it('dispose stops every worker and rejects what was running', async () => {
    const p = linter.lint('doc', manyProducers(2000, () => 'MTMount'), { catalogue: defaultCatalogue() });
    linter.dispose();
    await assert.rejects(p, LintCancelledError);
    assert.equal(linter.size, 0);
  });
});
