import { strict as assert } from 'assert';
import { composeFile, lint, only, producer } from './helpers';

describe('producer environment diagnostics', () => {
  it('env-missing lists every missing required key on the service name', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { BROKER_IP: '<omit>', REGISTRY_ADDR: '<omit>' } })));
    const [hit] = only(l, 'env-missing');
    assert.equal(hit.text, 'salkafka-m2');
    assert.match(hit.message, /BROKER_IP, REGISTRY_ADDR/);
  });

  it('env-missing also applies to a service that is a producer only through CSC_LIST', () => {
    const l = lint('services:\n  writer:\n    container_name: writer\n    environment:\n      - CSC_LIST=MTM2\n');
    assert.match(only(l, 'env-missing')[0].message, /BROKER_IP, BROKER_PORT, REGISTRY_ADDR/);
  });

  it('env-missing is satisfied by a readable env_file and skipped for an unreadable one', () => {
    const svc = producer('salkafka-m2', 'MTM2', { env: { BROKER_IP: '<omit>' }, extra: '    env_file: setup.env' });
    assert.deepEqual(lint(composeFile(svc), { serviceEnvFiles: { 'setup.env': { BROKER_IP: 'kafka' } } }).codes, []);
    assert.deepEqual(lint(composeFile(svc)).codes, []);
    assert.deepEqual(lint(composeFile(svc), { serviceEnvFiles: { 'setup.env': {} } }).codes, ['env-missing']);
  });

  it('non-producer services need no producer environment', () => {
    assert.deepEqual(lint('services:\n  nginx:\n    image: nginx\n').codes, []);
  });

  const bad: [string, string, string][] = [
    ['BROKER_PORT', '0', 'broker-port-invalid'],
    ['BROKER_PORT', '65536', 'broker-port-invalid'],
    ['BROKER_PORT', 'kafka', 'broker-port-invalid'],
    ['BROKER_IP', 'bad host!', 'broker-ip-invalid'],
    ['REGISTRY_ADDR', 'registry:8081', 'registry-url-invalid'],
    ['PARTITIONS', '0', 'partitions-invalid'],
    ['PARTITIONS', '1.5', 'partitions-invalid'],
    ['REPLICATION', '-1', 'replication-invalid'],
    ['LOG_LEVEL', 'INFO', 'log-level-invalid'],
    ['LOG_LEVEL', '25', 'log-level-nonstandard'],
    ['WAIT_ACK', '2', 'wait-ack-invalid'],
    ['WAIT_ACK', 'ALL', 'wait-ack-invalid'],
  ];
  for (const [key, value, code] of bad) {
    it(`${code}: ${key}=${value} is flagged on the value`, () => {
      const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { [key]: value } })));
      assert.deepEqual(l.codes, [code]);
      assert.equal(l.spans[0].text, value);
    });
  }

  const good: [string, string][] = [
    ['BROKER_PORT', '1'],
    ['BROKER_PORT', '65535'],
    ['BROKER_IP', 'sasquatch-summit-kafka-bootstrap.lsst.codes'],
    ['BROKER_IP', '139.229.178.2'],
    ['REGISTRY_ADDR', 'https://schema-registry-efd.lsst.codes'],
    ['LOG_LEVEL', '10'],
    ['WAIT_ACK', 'all'],
    ['WAIT_ACK', '0'],
  ];
  for (const [key, value] of good) {
    it(`accepts ${key}=${value}`, () => {
      assert.deepEqual(lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { [key]: value } }))).codes, []);
    });
  }

  it('a value that depends on an unset variable is not second-guessed', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { BROKER_PORT: '${PORT}' } })));
    assert.deepEqual(l.codes, ['variable-unset']);
  });

  it('a value that interpolates to something invalid is flagged', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { BROKER_PORT: '${PORT}' } })), { variables: { CYCLE: 'c0035', PORT: '99999' } });
    assert.deepEqual(l.codes, ['broker-port-invalid']);
  });

  it('env-duplicate warns on the second list entry', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { extra: '      - LOG_LEVEL=10' })));
    const [hit] = only(l, 'env-duplicate');
    assert.equal(hit.text, 'LOG_LEVEL');
    assert.equal(l.codes.length, 1);
  });
});
