import { strict as assert } from 'assert';
import { composeFile, lint, only, producer } from './helpers';

const net = (ip: string) => `    networks:\n      kafka:\n        ipv4_address: ${ip}`;

describe('container and network diagnostics', () => {
  // kafka_writers/docker-compose.yaml, Nov–Dec 2020: a copied salkafka-test block whose container is salkafka-eas.
  it('container-name-mismatch warns when the container names another producer; the fix sets the service name', () => {
    const text = composeFile(producer('salkafka-auxtel', 'ATDome'), producer('salkafka-test', 'DIMM DSM', { container: 'salkafka-eas' }));
    const l = lint(text);
    assert.deepEqual(l.spans.map((s) => [s.code, s.text, s.severity]), [['container-name-mismatch', 'salkafka-eas', 'warning']]);
    assert.match(l.spans[0].message, /names another producer than its service "salkafka-test" \(eas, not test\)/);
    const edit = l.diagnostics[0].fixes![0].edits[0];
    assert.equal(text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end), composeFile(producer('salkafka-auxtel', 'ATDome'), producer('salkafka-test', 'DIMM DSM')));
  });

  it('a legacy naming scheme is not a mistake: salkafka_producer_01 for salkafka_01, the AT_EFD names, salkafka_m2', () => {
    assert.deepEqual(lint(composeFile(producer('salkafka_01', 'ATDome', { container: 'salkafka_producer_01' }), producer('salkafka_02', 'ATPtg', { container: 'salkafka_producer_02' }))).codes, []);
    // AT_EFD/docker-compose.yaml, 2019: salkafka → salkafka_producer, salkafka_atdome → salkafka_producer_atdome.
    assert.deepEqual(lint(composeFile(producer('salkafka', 'ATPtg', { container: 'salkafka_producer' }), producer('salkafka_atdome', 'ATDome', { container: 'salkafka_producer_atdome' }), producer('salkafka_watcher', 'Watcher'))).codes, []);
    assert.deepEqual(lint(composeFile(producer('salkafka-m2', 'MTM2', { container: 'salkafka_m2' }))).codes, []);
  });

  it('a decorated name that drops the number names another producer (EFD/ 2020: salkafka_producer for salkafka_producer_01)', () => {
    const l = lint(composeFile(producer('salkafka_producer_01', 'ATPtg', { container: 'salkafka_producer' }), producer('salkafka_producer_02', 'ATDome')));
    assert.deepEqual(l.spans.map((s) => [s.code, s.text]), [['container-name-mismatch', 'salkafka_producer']]);
  });

  it('container-name-mismatch fix keeps the quotes of a quoted value', () => {
    const text = 'services:\n  salkafka-m2:\n    image: salkafka:c0035\n    container_name: "salkafka-m1m3"\n    environment:\n      - CSC_LIST=MTM2\n      - BROKER_IP=k\n      - BROKER_PORT=1\n      - REGISTRY_ADDR=http://r\n';
    const l = lint(text);
    const edit = l.diagnostics[0].fixes![0].edits[0];
    assert.match(text.slice(0, edit.range.start) + edit.newText + text.slice(edit.range.end), /container_name: "salkafka-m2"\n/);
  });

  it('container-name-conflict is an error on both services', () => {
    const l = lint(composeFile(producer('salkafka-a', 'ATDome', { container: 'shared' }), producer('salkafka-b', 'MTM2', { container: 'shared' })));
    assert.equal(only(l, 'container-name-conflict').length, 2);
    assert.equal(only(l, 'container-name-conflict')[0].severity, 'error');
  });

  it('ipv4-address-conflict is an error on both services, distinct addresses are fine', () => {
    const l = lint(composeFile(producer('salkafka-a', 'ATDome', { extra: net('10.1.1.5') }), producer('salkafka-b', 'MTM2', { extra: net('10.1.1.5') })) + 'networks:\n  kafka: {}\n');
    assert.deepEqual(only(l, 'ipv4-address-conflict').map((s) => s.text), ['10.1.1.5', '10.1.1.5']);
    const ok = lint(composeFile(producer('salkafka-a', 'ATDome', { extra: net('10.1.1.5') }), producer('salkafka-b', 'MTM2', { extra: net('10.1.1.6') })) + 'networks:\n  kafka: {}\n');
    assert.deepEqual(ok.codes, []);
  });
});

describe('variables', () => {
  it('variable-unset warns on the ${VAR} token only', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2')), { variables: {} });
    assert.deepEqual(l.spans.map((s) => [s.code, s.text, s.severity]), [
      ['image-xml-unknown', 'ts-dockerhub.lsst.org/salkafka:${CYCLE}', 'info'],
      ['variable-unset', '${CYCLE}', 'warning'],
    ]);
  });

  it('defaults and .env values satisfy a variable; ${VAR:?msg} is an error', () => {
    assert.deepEqual(lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { LOG_LEVEL: '${LEVEL:-20}' } }))).codes, []);
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { env: { LOG_LEVEL: '${LEVEL:?set LEVEL in setup.env}' } })));
    assert.deepEqual(l.spans.map((s) => [s.code, s.severity]), [['variable-unset', 'error']]);
    assert.match(l.spans[0].message, /set LEVEL in setup.env/);
  });

  it('$$ is a literal dollar, not a variable', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2', { extra: '    command: run_salkafka_producer.py --broker $${BROKER_IP}' })));
    assert.deepEqual(l.codes, []);
  });
});
