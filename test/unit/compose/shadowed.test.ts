import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { lint } from './helpers';

const REAL_SHAPES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'real-shapes');

describe('a shadowed duplicate service definition is still checked', () => {
  const text = readFileSync(join(REAL_SHAPES, 'duplicated-test-block', 'docker-compose.yaml'), 'utf8');
  const l = lint(text, { variables: { CYCLE: 'c0016' } });
  const firstBlock = text.indexOf('  salkafka-test:');
  const secondBlock = text.indexOf('  salkafka-test:', firstBlock + 1);

  it('reports the duplicate key, and the unknown CSC inside the dropped (first) block', () => {
    assert.deepEqual(l.spans.filter((s) => s.code === 'duplicate-key').map((s) => s.text), ['salkafka-test']);
    const unknown = l.diagnostics.filter((d) => d.code === 'csc-unknown');
    assert.equal(unknown.length, 1);
    assert.equal(text.slice(unknown[0].range.start, unknown[0].range.end), 'TestCSC');
    assert.ok(unknown[0].range.start > firstBlock && unknown[0].range.start < secondBlock, 'the finding is in the first block');
  });

  it('reports the kept block\'s container named after another producer', () => {
    assert.deepEqual(l.spans.filter((s) => s.code === 'container-name-mismatch').map((s) => s.text), ['salkafka-eas']);
  });

  it('does not compare the two blocks with each other: Test in both is not a double write', () => {
    assert.deepEqual(l.spans.filter((s) => s.code === 'csc-in-multiple-producers'), []);
  });

  it('reports each problem once', () => {
    const keys = l.diagnostics.map((d) => `${d.code}@${d.range.start}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});
