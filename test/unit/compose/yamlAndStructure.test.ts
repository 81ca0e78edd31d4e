import { strict as assert } from 'assert';
import { composeFile, lint, only, producer } from './helpers';

describe('YAML errors and compose structure', () => {
  it('yaml-syntax: a broken file gives diagnostics, never an exception', () => {
    const l = lint('services:\n  salkafka-m2:\n    environment:\n      - CSC_LIST=MTM2\n     bad: [\n');
    assert.ok(l.codes.includes('yaml-syntax'));
    assert.ok(l.diagnostics.every((d) => d.range.end > d.range.start));
  });

  it('duplicate-key on a service: error says the producer is silently dropped', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2'), producer('salkafka-m2', 'MTRotator')));
    const [hit] = only(l, 'duplicate-key');
    assert.equal(hit.severity, 'error');
    assert.equal(hit.text, 'salkafka-m2');
    assert.match(hit.message, /silently dropped/);
    assert.equal(l.diagnostics.find((d) => d.code === 'duplicate-key')!.range.start, l.text.indexOf('salkafka-m2'));
    assert.equal(only(l, 'duplicate-key').length, 1);
  });

  it('duplicate-key inside a service mapping', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { extra: '    container_name: salkafka-m2' })));
    assert.deepEqual(only(l, 'duplicate-key').map((s) => s.text), ['container_name']);
  });

  it('compose-type: one diagnostic for a wrongly typed node, not one per child', () => {
    const l = lint('services:\n  salkafka-m2:\n    environment: "CSC_LIST=MTM2"\n    networks: 5\n');
    assert.deepEqual(only(l, 'compose-type').map((s) => s.text), ['"CSC_LIST=MTM2"', '5']);
    assert.match(only(l, 'compose-type')[0].message, /should be a list or a mapping, not a string/);
  });

  it('compose-unknown-key on a misspelt service key; x- keys are allowed', () => {
    const l = lint('x-common: &c\n  foo: 1\nservices:\n  web:\n    image: nginx\n    enviroment:\n      - A=1\n    x-note: fine\n');
    assert.deepEqual(only(l, 'compose-unknown-key').map((s) => s.text), ['enviroment']);
  });

  it('logging options must be a mapping', () => {
    const l = lint('services:\n  web:\n    image: nginx\n    logging:\n      driver: json-file\n      options: [max-size]\n');
    assert.deepEqual(l.codes, ['compose-type']);
  });

  it('YAML merge keys: producers sharing an anchored environment are checked', () => {
    const text = `x-env: &env
  BROKER_IP: 10.0.0.5
  BROKER_PORT: 9094
  REGISTRY_ADDR: http://registry:8081
x-svc: &svc
  image: salkafka:c0035
services:
  salkafka-m2:
    <<: *svc
    container_name: salkafka-m2
    environment:
      <<: *env
      CSC_LIST: MTRotator MTM2
  salkafka-at:
    <<: *svc
    container_name: salkafka-at
    environment:
      <<: *env
      CSC_LIST: ATDome
`;
    assert.deepEqual(lint(text).codes, []);
    assert.deepEqual(lint(text.replace('BROKER_PORT: 9094', 'BROKER_PORT: 0')).spans.map((s) => [s.code, s.text]), [['broker-port-invalid', '0']]);
  });

  it('a mapping used as a key, with a broken merge inside, gives diagnostics instead of throwing', () => {
    for (const text of ['? {<<: 1}\n: 1\n', 'services:\n  ? {<<: 1}\n  : 2\n']) {
      assert.ok(lint(text).codes.length > 0, JSON.stringify(text));
    }
  });

  it('an empty file and a non-mapping file do not throw; docker-compose refuses both', () => {
    assert.deepEqual(lint('').codes, ['compose-type']);
    assert.deepEqual(lint('# only a comment\n').codes, ['compose-type']);
    assert.deepEqual(lint('- a\n- b\n').codes, ['compose-type']);
  });
});
