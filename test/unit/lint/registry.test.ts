// The rule registry: each rule declares its codes and document kinds once (in its own file);
// everything else is derived from those declarations, and these tests hold it to that.
import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import type { ComposeModel } from '../../../src/core/compose/model';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { runRules } from '../../../src/core/lint/cscRules';
import { COMPOSE_REFUSAL_CODES, diagnosticsOf, type CodeTable } from '../../../src/core/lint/diagnostic';
import { CROSS_FILE_CODES, CROSS_SERVICE_CODES, DIAGNOSTIC_CODES, LIMIT_CODE, RULES, rulesFor } from '../../../src/core/lint/registry';
import { declareRule, type RuleDeclaration } from '../../../src/core/lint/ruleContext';
import { lintValues } from '../../../src/core/values/lintValues';
import { parseValues } from '../../../src/core/values/parseValues';
import { composeFile, fixture, lint, producer } from '../compose/helpers';

const catalogue = defaultCatalogue();
const ALL: readonly RuleDeclaration[] = RULES;
const VALUES_DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'values');
const readValues = (p: string) => readFileSync(join(VALUES_DIR, p), 'utf8');

function codesReported(rule: RuleDeclaration, model: ComposeModel): string[] {
  const reported: string[] = [];
  rule.rule({ model, catalogue, options: { catalogue }, report: (d) => reported.push(d.code) });
  return reported;
}

describe('rule registry', () => {
  it('every diagnostic code belongs to exactly one rule (analysis-limit to lintModel, service-in-sibling-file to siblings.ts)', () => {
    const owners = new Map<string, number>();
    ALL.forEach((r) => Object.keys(r.codes).forEach((c) => owners.set(c, (owners.get(c) ?? 0) + 1)));
    for (const code of Object.keys(DIAGNOSTIC_CODES)) {
      if (code === LIMIT_CODE || CROSS_FILE_CODES.includes(code as never)) assert.equal(owners.get(code), undefined, code);
      else assert.equal(owners.get(code), 1, `${code} is claimed by ${owners.get(code) ?? 0} rules`);
    }
    assert.equal(Object.keys(DIAGNOSTIC_CODES).length, owners.size + 1 + CROSS_FILE_CODES.length);
    for (const code of CROSS_SERVICE_CODES) assert.ok(ALL.some((r) => code in r.codes), code);
  });

  it('every code that means "docker-compose refuses the file" is a declared code', () => {
    for (const code of COMPOSE_REFUSAL_CODES) assert.ok(code in DIAGNOSTIC_CODES, `${code} is not declared by any rule`);
  });

  it('each rule reports only its own codes (compose fixtures and a values file)', () => {
    const models = [
      parseCompose(fixture('legacy.yaml')),
      parseCompose(fixture('summit.yaml')),
      parseValues({ text: readValues('kafka-producers/values-summit.yaml'), base: { text: readValues('kafka-producers/values.yaml'), path: 'values.yaml' } }).model,
    ];
    for (const model of models) {
      for (const [i, entry] of ALL.entries()) {
        for (const code of codesReported(entry, model)) assert.ok(code in entry.codes, `rule ${i} reported ${code}`);
      }
    }
  });

  it('every rule says which documents it checks; no compose-level code runs on a values file', () => {
    for (const [i, r] of ALL.entries()) {
      assert.ok(r.kinds.length > 0, `rule ${i} checks no kind of document`);
      if (!r.kinds.includes('values')) continue;
      const composeOnly = Object.keys(r.codes).filter((c) => c.startsWith('compose-') || c.startsWith('container-') || c.startsWith('ipv4-'));
      assert.deepEqual(composeOnly, [], `rule ${i} is declared for values files but reports compose-level codes`);
    }
    assert.deepEqual(rulesFor('values'), ALL.filter((r) => r.kinds.includes('values')).map((r) => r.rule));
    assert.deepEqual(rulesFor('compose'), ALL.map((r) => r.rule), 'every rule checks compose files');
  });

  it('the values rules are the YAML and producer-name rules, in registry order', () => {
    const codes = ALL.filter((r) => r.kinds.includes('values')).flatMap((r) => Object.keys(r.codes));
    for (const c of ['yaml-syntax', 'duplicate-key', 'csc-unknown', 'csc-not-in-image', 'csc-duplicate', 'csc-list-option', 'csc-in-multiple-producers', 'csc-era-conflict', 'image-xml-unknown']) {
      assert.ok(codes.includes(c), c);
    }
  });

  describe('a producer rule declared once runs on compose and values files', () => {
    // A rule as another contributor would add it: it reads only the shared producer model
    // (name, CSC_LIST), so it is declared for both kinds and nothing else has to change.
    const CODES = { 'csc-list-empty': { severity: 'info', summary: 'test rule' } } as const satisfies CodeTable;
    const diagnostic = diagnosticsOf(CODES);
    const devProducer = declareRule({
      rule: ({ model, report }) => {
        for (const s of model.services) if (s.name.endsWith('dev') && s.cscList) report(diagnostic('csc-list-empty', s.nameRange, `${s.name} is a development producer`));
      },
      codes: CODES,
      kinds: ['compose', 'values'],
    });
    const rules = [...ALL, devProducer];

    it('on a compose file', () => {
      const text = composeFile(producer('salkafka-dev', 'Test'), producer('salkafka-m2', 'MTM2'));
      const found = runRules(parseCompose(text), { catalogue }, rulesFor('compose', rules)).filter((d) => d.message.includes('development'));
      assert.deepEqual(found.map((d) => text.slice(d.range.start, d.range.end)), ['salkafka-dev']);
    });

    it('on a values file', () => {
      const text = 'producers:\n  auxteldev:\n    cscs: >-\n      ATDome\n  maintel:\n    cscs: MTM2\n';
      const found = runRules(parseValues({ text }).model, { catalogue }, rulesFor('values', rules)).filter((d) => d.message.includes('development'));
      assert.deepEqual(found.map((d) => text.slice(d.range.start, d.range.end)), ['auxteldev']);
    });

    it('and a compose-only rule does not reach the values file', () => {
      const composeOnly = declareRule({ ...devProducer, kinds: ['compose'] });
      const text = 'producers:\n  auxteldev:\n    cscs: ATDome\n';
      assert.equal(runRules(parseValues({ text }).model, { catalogue }, rulesFor('values', [...ALL, composeOnly])).filter((d) => d.message.includes('development')).length, 0);
    });
  });

  it('a real producer rule (CSC_LIST words) finds the same mistake in a compose file and in a values file', () => {
    const compose = lint(composeFile(producer('salkafka-at', 'ATDome ATPtg ATDome')));
    const values = lintValues({ text: 'producers:\n  auxtel:\n    cscs: >-\n      ATDome ATPtg ATDome\n' }, { catalogue }).diagnostics.map((d) => d.code);
    assert.ok(compose.codes.includes('csc-duplicate'), compose.codes.join());
    assert.ok(values.includes('csc-duplicate'), values.join());
  });

  it('a diagnostic takes the severity its rule declares unless the finding says otherwise', () => {
    const make = diagnosticsOf({ 'csc-retired': DIAGNOSTIC_CODES['csc-retired'] });
    assert.equal(make('csc-retired', { start: 0, end: 1 }, 'm').severity, 'warning');
    assert.equal(make('csc-retired', { start: 0, end: 1 }, 'm', { severity: 'info' }).severity, 'info');
  });
});
