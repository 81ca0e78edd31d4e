// A values file of thousands of producers is checked whole: every producer, with the work
// linear in their number (no key lookup charged to the merge/alias budget again and again),
// a reached budget reported, and diagnostics capped as on compose files. Not timed here: the
// speed figure is in bench/validate.ts (--values).
import { strict as assert } from 'assert';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { LIMITS } from '../../../src/core/compose/analysisLimits';
import { lintValues } from '../../../src/core/values/lintValues';
import { manyProducersValues } from '../../../bench/valuesFile';

const catalogue = defaultCatalogue();

describe('values files: thousands of producers checked whole', () => {
  for (const n of [400, 3000]) {
    it(`${n} producers: an unknown CSC in the LAST producer is reported`, () => {
      const text = manyProducersValues(n, { lastCscs: 'MTMount NoSuchCsc' });
      const { values, diagnostics } = lintValues({ text }, { catalogue });
      assert.equal(values.producers.length, n);
      assert.equal(values.producers.filter((p) => p.service.cscList?.tokens.length).length, n, 'every producer has its cscs');
      const unknown = diagnostics.filter((d) => d.code === 'csc-unknown');
      assert.deepEqual(unknown.map((d) => text.slice(d.range.start, d.range.end)), ['NoSuchCsc']);
      assert.ok(!diagnostics.some((d) => d.code === 'analysis-limit'), diagnostics.filter((d) => d.code === 'analysis-limit').map((d) => d.message).join('\n'));
    });
  }

  it('the same file merged over a values.yaml of 3,000 producers: the last one is still checked', () => {
    const base = manyProducersValues(3000, {});
    const text = manyProducersValues(3000, { lastCscs: 'NoSuchCsc' });
    const { diagnostics } = lintValues({ text, base: { text: base, path: 'values.yaml' } }, { catalogue });
    assert.deepEqual(diagnostics.filter((d) => d.code === 'csc-unknown').map((d) => text.slice(d.range.start, d.range.end)), ['NoSuchCsc']);
  });

  it('merge keys expanding past the budget: one analysis-limit error, never a silent partial check', () => {
    // 1,000 keys merged into each of 2,000 producers: 2,000,000 entries, over the 1,000,000 budget.
    const lines = ['x-wide: &wide', ...Array.from({ length: 1000 }, (_, i) => `  k${i}: v`), 'producers:'];
    for (let i = 0; i < 2000; i++) lines.push(`  p${i}:`, '    <<: *wide', `    cscs: ${i === 1999 ? 'NoSuchCsc' : 'MTMount'}`);
    const { diagnostics } = lintValues({ text: `${lines.join('\n')}\n` }, { catalogue });
    assert.deepEqual(diagnostics.map((d) => [d.code, d.severity]), [['analysis-limit', 'error']]);
    assert.match(diagnostics[0].message, /merge keys/);
  });

  it('diagnostics are capped as on compose files: at most the limit, plus one saying how many more', () => {
    const text = manyProducersValues(1500, { cscs: (i) => `Unknown${i}` });
    const { diagnostics } = lintValues({ text }, { catalogue });
    assert.equal(diagnostics.length, LIMITS.diagnostics + 1);
    const last = diagnostics[diagnostics.length - 1];
    assert.equal(last.code, 'analysis-limit');
    assert.match(last.message, /^500 more problems/);
  });

  it('two producers writing the same CSC with no broker set: the message has no empty fields', () => {
    const text = 'producers:\n  a:\n    cscs: MTMount\n  b:\n    cscs: MTMount\n';
    const [d] = lintValues({ text }, { catalogue }).diagnostics.filter((x) => x.code === 'csc-in-multiple-producers');
    assert.ok(d, 'csc-in-multiple-producers reported');
    assert.doesNotMatch(d.message, /broker :|broker \)|partition ,|: *\)/, d.message);
    assert.match(d.message, /broker not set/);
    const [note] = lintValues({ text }, { catalogue }).diagnostics.filter((x) => x.code === 'image-xml-unknown');
    assert.match(note.message, /\(no image\.tag is set for it\)/);
    assert.doesNotMatch(note.message, /service|image: key/);
  });
});
