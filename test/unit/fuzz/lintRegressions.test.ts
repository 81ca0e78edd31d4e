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

// resolveAlias keeps one list of anchors per document (yaml's Alias.resolve walks the whole
// document on every call, which made a 200-producer file take ~0.5 s); the semantics must
// stay YAML's: an alias refers to the last anchor of that name before it.
describe('alias resolution', () => {
  const text = [
    'services:',
    '  salkafka-one:',
    '    environment: &env',
    '      - CSC_LIST=ATDome',
    '  salkafka-two:',
    '    environment: *env',
    '  salkafka-three:',
    '    environment: &env',
    '      - CSC_LIST=MTM2',
    '  salkafka-four:',
    '    environment: *env',
    '  salkafka-five:',
    '    environment: *later',
    '  salkafka-six:',
    '    environment: &later',
    '      - CSC_LIST=MTDome',
    '',
  ].join('\n');

  it('an alias uses the last anchor of its name before it; one before its anchor resolves to nothing', () => {
    const { model } = lintCompose(text, { catalogue: defaultCatalogue() });
    const lists = Object.fromEntries(model.services.map((s) => [s.name, s.cscList?.tokens.map((t) => t.text).join(' ')]));
    assert.deepEqual(lists, {
      'salkafka-one': 'ATDome',
      'salkafka-two': 'ATDome',
      'salkafka-three': 'MTM2',
      'salkafka-four': 'MTM2',
      'salkafka-five': undefined,
      'salkafka-six': 'MTDome',
    });
  });

  it('a file with 300 aliases to one anchor is linted in well under a second', () => {
    const services = Array.from({ length: 300 }, (_, i) => `  salkafka-${i}:\n    logging: *logging\n    environment:\n      - CSC_LIST=ESS:${i + 1}`);
    const big = `x-logging: &logging\n  driver: json-file\nservices:\n${services.join('\n')}\n`;
    const t0 = Date.now();
    const { model } = lintCompose(big, { catalogue: defaultCatalogue() });
    const elapsed = Date.now() - t0;
    assert.equal(model.services.length, 300);
    // Quadratic alias resolution took seconds here; linear takes tens of milliseconds.
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });
});
