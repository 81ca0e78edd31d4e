import { strict as assert } from 'assert';
import { parseEnvFile } from '../../../src/core/compose/envFile';
import { fixture, lint } from './helpers';

describe('realistic kafka_writers files', () => {
  it('the summit-style file (list and map environments, anchors, --file) has no error or warning but unset variables', () => {
    const l = lint(fixture('summit.yaml'), { variables: parseEnvFile(fixture('.env')) });
    assert.deepEqual([...new Set(l.codes)], ['variable-unset']);
    assert.ok(l.spans.every((s) => s.text === '${LSST_DDS_PARTITION_PREFIX}'));
  });

  it('with every variable set the summit-style file is clean', () => {
    const l = lint(fixture('summit.yaml'), { variables: { ...parseEnvFile(fixture('.env')), LSST_DDS_PARTITION_PREFIX: 'summit' } });
    assert.deepEqual(l.codes, []);
  });

  it('the legacy file finds each kind of mistake at its exact token', () => {
    const l = lint(fixture('legacy.yaml'), { variables: parseEnvFile(fixture('.env')) });
    assert.deepEqual(
      l.spans.map((s) => [s.code, s.text]),
      [
        ['csc-not-in-image', 'Rotator'],
        ['csc-not-in-image', 'Hexapod'],
        ['csc-unknown', 'MTM2MS'],
        ['csc-in-multiple-producers', 'ATDome'],
        ['container-name-mismatch', 'kafka_m2'],
        ['csc-retired', 'AtMCS'],
        ['csc-in-multiple-producers', 'ATDome'],
        ['csc-duplicate', 'ATDome'],
      ],
    );
  });
});
