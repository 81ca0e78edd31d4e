import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { defaultHistory } from '../../../src/core/catalogue/defaultCatalogue';
import { checkValuesAgainst, valuesCheckText } from '../../../src/core/upgrade/valuesCheck';

const FIX = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'upgrade', 'argocd');

/** The values files as deployed just before the real commit that changed image.tag (lsst-ts/argocd-csc). */
function site(dir: string, env: string) {
  const read = (f: string) => readFileSync(join(FIX, dir, 'kafka-producers', f), 'utf8');
  return { text: read(`values-${env}.yaml`), base: { text: read('values.yaml'), path: 'values.yaml' } };
}

// The four CSC mistakes of argocd-csc's history, each made by a cycle upgrade commit:
//   1708968 "Summit: Cycle 26 Upgrade"  c0025 → c0026, AdamSensors kept (ts_xml 12.0.0 dropped it)
//   a756b03 "TTS: Update to cycle 29"   c0028 → c0029, MTAlignment kept (renamed LaserTracker in 15.0.0)
//   b696ed2 "BTS: Update to cycle 29"   c0028 → c0029, MTAlignment kept
//   7ee42e0 "BTS: Update to Cycle 37"   c0036 → c0037, Authorize kept (gone in 21.0.0)
describe('values-file pre-check: the four real upgrade mistakes of argocd-csc', () => {
  const h = defaultHistory();
  const cases = [
    { dir: 'adamsensors-c0026-summit', env: 'summit', target: 'c0026', before: 'c0025', producer: 'eas', csc: 'AdamSensors', successor: undefined, xml: '12.0.0' },
    { dir: 'mtalignment-c0029-tts', env: 'tucson-teststand', target: 'c0029', before: 'c0028', producer: 'mtalignment', csc: 'MTAlignment', successor: 'LaserTracker', xml: '15.0.0' },
    { dir: 'mtalignment-c0029-bts', env: 'base-teststand', target: 'c0029', before: 'c0028', producer: 'mtalignment', csc: 'MTAlignment', successor: 'LaserTracker', xml: '15.0.0' },
    { dir: 'authorize-c0037-bts', env: 'base-teststand', target: '37', before: 'c0036', producer: 'authorize', csc: 'Authorize', successor: undefined, xml: '21.0.0' },
  ];
  for (const c of cases) {
    it(`${c.dir}: ${c.csc} is shown for image.tag ${c.before} → ${c.target}${c.successor ? `, with its successor ${c.successor}` : ', to remove'}`, () => {
      const input = site(c.dir, c.env);
      const check = checkValuesAgainst(input, c.target, h);
      assert.ok(check.target.ok);
      assert.equal(check.target.version, c.xml);
      const p = check.producers.find((x) => x.producer === c.producer);
      assert.ok(p, `producer ${c.producer} in the merged values`);
      assert.equal(p.tagBefore, c.before);
      const ch = p.changes.find((x) => x.name === c.csc);
      assert.ok(ch, `${c.csc} flagged: ${JSON.stringify(p.changes)}`);
      assert.equal(ch.kind, 'missing');
      assert.equal(ch.breaking, true);
      assert.equal(ch.successor, c.successor);
      assert.equal(ch.replacement, c.successor);
      assert.ok(check.breaking >= 1);
      // The line points at the word in the site file, where the operator edits it.
      const line = p.lines[ch.token];
      assert.ok(line !== undefined && line > 0, `line in values-${c.env}.yaml: ${line}`);
      assert.match(input.text.split('\n')[line - 1], new RegExp(`\\b${c.csc}\\b`));
      const text = valuesCheckText(check, `values-${c.env}.yaml`);
      assert.ok(text.some((l) => l.startsWith(`values-${c.env}.yaml:${line}: error: ${c.producer}: ${c.csc} is not in ts_xml ${c.xml}`)), text.join('\n'));
    });
    it(`${c.dir}: the same files checked against the cycle they were on break nothing`, () => {
      const check = checkValuesAgainst(site(c.dir, c.env), c.before, h);
      assert.equal(check.breaking, 0, valuesCheckText(check, c.env).join('\n'));
    });
  }

  for (const c of cases) {
    it(`${c.dir}: the mistake commit's own file (tag already ${c.target}) shows it too; the file that fixed it passes`, () => {
      const read = (f: string) => readFileSync(join(FIX, c.dir, f), 'utf8');
      const base = { text: read('kafka-producers/values.yaml') };
      const mistake = checkValuesAgainst({ text: read(`after-values-${c.env}.yaml`), base }, c.target, h);
      assert.ok(mistake.producers.some((p) => p.tagBefore === (c.target === '37' ? 'c0037' : c.target) && p.changes.some((ch) => ch.name === c.csc && ch.breaking)));
      const fixed = checkValuesAgainst({ text: read(`fixed-values-${c.env}.yaml`), base }, c.target, h);
      assert.equal(fixed.breaking, 0, valuesCheckText(fixed, c.env).join('\n'));
    });
  }

  it('an unknown cycle is refused with the reason; a producer with its own image.tag is not moved', () => {
    const bad = checkValuesAgainst(site('authorize-c0037-bts', 'base-teststand'), 'c0999', h);
    assert.equal(bad.target.ok, false);
    assert.match(bad.problems[0], /c0999 is not in ts_cycle_build's history/);
    const own = checkValuesAgainst({ text: 'image:\n  tag: c0036\nproducers:\n  auth:\n    cscs: Authorize\n    image:\n      tag: c0036\n  other:\n    cscs: Authorize ATDome\n' }, 'c0037', h);
    assert.equal(own.producers.find((p) => p.producer === 'auth')?.ownTag, true);
    assert.equal(own.producers.find((p) => p.producer === 'auth')?.changes.length, 0);
    assert.equal(own.producers.find((p) => p.producer === 'other')?.changes[0].name, 'Authorize');
    assert.equal(own.breaking, 1);
  });
});
