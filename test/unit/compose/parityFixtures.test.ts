import { strict as assert } from 'assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { dirname, join, relative } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { parseEnvFile } from '../../../src/core/compose/envFile';
import { refusedByCompose } from '../../../src/core/lint/diagnostic';
import { lintCompose } from '../../../src/core/lint/lint';

export const PARITY_FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'parity');

/** Every compose file under test/fixtures/parity with the verdict its header states. */
export function parityFixtures(): { path: string; expected: 'accepted' | 'refused' }[] {
  const out: { path: string; expected: 'accepted' | 'refused' }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) {
        const m = /^# parity: (accepted|refused)$/m.exec(readFileSync(path, 'utf8').split('\n').slice(0, 5).join('\n'));
        if (!m) throw new Error(`${path}: no "# parity: accepted|refused" line in its header`);
        out.push({ path, expected: m[1] as 'accepted' | 'refused' });
      }
    }
  };
  walk(PARITY_FIXTURES);
  return out;
}

/** .env beside the file, then setup.env from the file's directory or its parent (as the header says). */
export function fixtureVariables(path: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const f of [join(dirname(path), '.env'), join(dirname(path), '..', 'setup.env'), join(dirname(path), 'setup.env')]) {
    if (existsSync(f)) Object.assign(vars, parseEnvFile(readFileSync(f, 'utf8')));
  }
  return vars;
}

describe('parity fixtures (real kafka_writers shapes): our verdict is the one their header states', () => {
  const fixtures = parityFixtures();

  it('has both accepted and refused fixtures', () => {
    assert.ok(fixtures.some((f) => f.expected === 'accepted') && fixtures.some((f) => f.expected === 'refused'));
  });

  for (const f of fixtures) {
    it(`${relative(PARITY_FIXTURES, f.path)}: ${f.expected}`, () => {
      const { diagnostics } = lintCompose(readFileSync(f.path, 'utf8'), { catalogue: defaultCatalogue(), variables: fixtureVariables(f.path) });
      const refusals = diagnostics.filter(refusedByCompose);
      assert.equal(refusals.length > 0 ? 'refused' : 'accepted', f.expected, JSON.stringify(refusals.map((d) => d.message)));
      if (f.expected === 'refused') assert.ok(refusals.length <= 3, `one finding per mistake, got ${refusals.length}`);
    });
  }
});
