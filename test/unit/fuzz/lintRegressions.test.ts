import { strict as assert } from 'assert';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { lintCompose } from '../../../src/core/lint/lint';

// Inputs the fuzz test found, kept as plain cases so they stay fixed whatever the seed.
describe('lintCompose regressions found by fuzzing', () => {
  const cases: [string, string][] = [
    ['an unterminated single quote at the very end', "a: '"],
    ['an unterminated double quote before trailing newlines', 'a: "x\n\n'],
    ['an open flow sequence at the end', 'a: [\n'],
    ['a quote in the indentation of the last line of services', "services:\n  x:\n '  - y\n\n"],
    ['a lone opening double quote as the last map value', 'services:\n  salkafka-a:\n    environment:\n      REGISTRY_ADDR: "'],
    ["a lone opening single quote as the last map value", "services:\n  salkafka-a:\n    environment:\n      BROKER_PORT: '"],
  ];
  for (const [what, text] of cases) {
    it(`${what}: yaml-syntax is reported inside the text`, () => {
      const { diagnostics } = lintCompose(text, { catalogue: defaultCatalogue() });
      assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax'), JSON.stringify(diagnostics));
      for (const d of diagnostics) {
        assert.ok(d.range.start >= 0 && d.range.start <= d.range.end && d.range.end <= text.length, `${d.code} [${d.range.start}, ${d.range.end}) in ${text.length} chars`);
      }
    });
  }
});
