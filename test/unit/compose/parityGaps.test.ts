// docker-compose parity on real files, the gaps a review found: duplicate YAML anchors (PyYAML
// refuses them; 26 versions of lsst-ts/ts_cycle_build cycle/docker-compose.yaml had one),
// a values file named values_<x>.yaml (lsst-ts/charts), analysis-limit severities as the README
// documents them, and one finding per unset variable per file. The real docker-compose's verdict
// on the same fixtures is held by test/integration/composeParity.test.ts.
import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { LIMITS } from '../../../src/core/compose/analysisLimits';
import { refusedByCompose } from '../../../src/core/lint/diagnostic';
import { createIncrementalLinter, lintCompose } from '../../../src/core/lint/lint';
import { lintValues } from '../../../src/core/values/lintValues';
import { detectFileKind, valuesEnvironment } from '../../../src/core/values/recognise';

const catalogue = defaultCatalogue();
const CYCLE = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'parity', 'ts_cycle_build', 'cycle');
const lineOf = (text: string, offset: number) => text.slice(0, offset).split('\n').length;

describe('docker-compose parity on real files', () => {
  describe('duplicate anchors', () => {
    const files = readdirSync(CYCLE).filter((f) => f.endsWith('.yaml'));

    it('the 26 ts_cycle_build versions with a duplicate anchor are all here', () => {
      assert.equal(files.length, 26);
    });

    for (const name of files) {
      it(`${name}: refused with docker-compose's reason, on the second anchor, and nothing else compose-level`, () => {
        const text = readFileSync(join(CYCLE, name), 'utf8');
        const refusals = lintCompose(text, { catalogue, variables: {} }).diagnostics.filter(refusedByCompose);
        assert.equal(refusals.length, 1, refusals.map((d) => d.message).join('\n'));
        const [d] = refusals;
        assert.equal(d.code, 'yaml-syntax');
        assert.match(d.message, /found duplicate anchor 'base-controller-aarch64'/);
        // docker-compose: "first occurrence … line L, column 3; second occurrence … line L2": ours points at the second.
        assert.equal(text.slice(d.range.start, d.range.end), '&base-controller-aarch64');
        const first = text.indexOf('&base-controller-aarch64');
        assert.ok(d.range.start > first);
        assert.match(d.message, new RegExp(`first on line ${lineOf(text, first)}, column 3`));
      });
    }

    it('the same name twice in a small file is refused; two names are fine', () => {
      const twice = 'x-a: &base {image: a}\nx-b: &base {image: b}\nservices:\n  s:\n    <<: *base\n';
      const [d] = lintCompose(twice, { catalogue, variables: {} }).diagnostics.filter(refusedByCompose);
      assert.equal(d?.code, 'yaml-syntax');
      assert.equal(lineOf(twice, d.range.start), 2);
      const once = 'x-a: &a {image: a}\nx-b: &b {image: b}\nservices:\n  s:\n    <<: *b\n';
      assert.deepEqual(lintCompose(once, { catalogue, variables: {} }).diagnostics.filter(refusedByCompose), []);
    });

    it('a Helm values file may redefine an anchor (Go YAML lets the later one win): no error there', () => {
      const text = 'x: &d {logLevel: 20}\ny: &d {logLevel: 10}\nproducers:\n  a:\n    cscs: MTMount\n';
      assert.deepEqual(lintValues({ text }, { catalogue }).diagnostics.filter((d) => d.severity === 'error'), []);
    });
  });

  describe('values files named values_<x>.yaml (lsst-ts/charts)', () => {
    // lsst-ts/charts kafka-producers/values_separate_dds_domain.yaml, as committed (58c93ab).
    const REAL = 'env:\n  lsstDdsDomain:\n    separate: true\n    eas: eas\n    test: test\n';

    it('recognised by the documented glob (kafka-producers/values*.yaml), merged over values.yaml like values-<x>.yaml', () => {
      assert.equal(detectFileKind('/r/kafka-producers/values_separate_dds_domain.yaml', REAL), 'helmValues');
      assert.equal(valuesEnvironment('/r/kafka-producers/values_separate_dds_domain.yaml'), 'separate_dds_domain');
    });

    it('recognised by content elsewhere: a chart env override, never checked as a compose file', () => {
      assert.equal(detectFileKind('/tmp/site.yaml', REAL), 'helmValues');
      assert.deepEqual(lintValues({ text: REAL }, { catalogue }).diagnostics, []);
      // Compose files with an env-ish key stay compose files.
      assert.equal(detectFileKind('/tmp/x.yaml', 'env:\n  FOO: bar\n'), 'compose');
      assert.equal(detectFileKind('/tmp/x.yaml', 'services:\n  a:\n    image: x\nenv:\n  brokerIp: h\n'), 'compose');
    });
  });

  describe('severities as documented', () => {
    it('analysis-limit is an error, also when only warnings were left out (README: error)', () => {
      const vars = Array.from({ length: 1500 }, (_, i) => `\${UNSET_${i}}`).join(' ');
      const { diagnostics } = lintCompose(`services:\n  s:\n    image: x\n    command: ${vars}\n`, { catalogue, variables: {} });
      assert.equal(diagnostics.length, LIMITS.diagnostics + 1);
      const last = diagnostics[diagnostics.length - 1];
      assert.deepEqual([last.code, last.severity], ['analysis-limit', 'error']);
      assert.match(last.message, /500 more problems .*\(variable-unset\), the worst of them a warning/);
    });
  });

  describe('one finding per unset variable per file', () => {
    const services = (n: number) =>
      ['services:', ...Array.from({ length: n }, (_, i) => [`  s${i}:`, `    image: lsstts/salkafka:\${CYCLE}`, `    command: run \${CYCLE} \${OTHER:-x}`]).flat()].join('\n') + '\n';

    it('a variable used in 300 places is one warning, on its first use, listing its other places', () => {
      const text = services(150);
      const unset = lintCompose(text, { catalogue, variables: {} }).diagnostics.filter((d) => d.code === 'variable-unset');
      assert.equal(unset.length, 1);
      assert.equal(unset[0].severity, 'warning');
      assert.equal(text.slice(unset[0].range.start, unset[0].range.end), '${CYCLE}');
      assert.equal(unset[0].range.start, text.indexOf('${CYCLE}'));
      assert.match(unset[0].message, /Variable CYCLE is not set.* It is used in 300 places \(lines 3, 4, 6, 7, 9, 10, 12, 13, 15, 16 and 290 more\)\./);
      assert.equal(unset[0].related?.length, 20);
    });

    it('a required ${VAR:?msg} stays an error of its own beside the plain uses', () => {
      const text = 'services:\n  a:\n    image: x:${TAG}\n    command: ${TAG:?set TAG first}\n';
      const unset = lintCompose(text, { catalogue, variables: {} }).diagnostics.filter((d) => d.code === 'variable-unset');
      assert.deepEqual(unset.map((d) => d.severity).sort(), ['error', 'warning']);
    });

    it('the incremental linter gives the same finding after an edit in one service', () => {
      const text = services(20);
      const linter = createIncrementalLinter();
      linter.lint(text, { catalogue, variables: {} });
      const edited = text.replace('  s7:\n    image: lsstts/salkafka:${CYCLE}', '  s7:\n    image: lsstts/salkafka:${CYCLE}-b');
      const inc = linter.lint(edited, { catalogue, variables: {} });
      assert.equal(linter.lastMode, 'incremental');
      assert.deepEqual(inc.diagnostics, lintCompose(edited, { catalogue, variables: {} }).diagnostics);
      assert.match(inc.diagnostics.find((d) => d.code === 'variable-unset')!.message, /used in 40 places/);
    });
  });
});
