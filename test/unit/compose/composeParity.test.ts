import { strict as assert } from 'assert';
import { refusedByCompose } from '../../../src/core/lint/diagnostic';
import { lint, only } from './helpers';

// Shapes from the real kafka_writers history that docker-compose 1.29.2 refuses (each checked
// with the real docker-compose; the differential test in test/integration/composeParity.test.ts
// holds every fixture and thousands of mutations to its verdict).
/** The refusal codes only (the sample services lack the producer environment on purpose). */
const codes = (text: string) => lint(text).diagnostics.filter(refusedByCompose).map((d) => d.code);
const svc = (name: string, extra = '') => `  ${name}:\n    image: lsstts/salkafka:\${CYCLE}\n    environment:\n      - CSC_LIST=ATDome\n${extra}`;

describe('docker-compose parity: what it refuses is an error with its reason', () => {
  it('compose-undeclared-volume: startup.sh:/… without ./ is a named volume; the fix adds ./', () => {
    const text = `version: '3.6'\nservices:\n${svc('salkafka-auxtel', '    volumes:\n      - startup.sh:/home/saluser/.startup.sh\n      - ./ok.sh:/ok.sh\n      - /abs:/abs\n      - ~/home:/home\n      - \${UNSET_DIR}:/idl\n')}`;
    const l = lint(text);
    const [hit] = only(l, 'compose-undeclared-volume');
    assert.equal(only(l, 'compose-undeclared-volume').length, 1);
    assert.equal(hit.text, 'startup.sh');
    assert.match(hit.message, /Named volume "startup\.sh:\/home\/saluser\/\.startup\.sh:rw" is used in service "salkafka-auxtel"/);
    const fix = l.diagnostics.find((d) => d.code === 'compose-undeclared-volume')!.fixes![0].edits[0];
    const fixed = text.slice(0, fix.range.start) + fix.newText + text.slice(fix.range.end);
    assert.ok(fixed.includes('- ./startup.sh:/home/saluser/.startup.sh'));
    assert.deepEqual(codes(fixed), []);
    // Declared, it is fine.
    assert.deepEqual(only(lint(text + 'volumes:\n  startup.sh:\n'), 'compose-undeclared-volume'), []);
  });

  it('compose-undefined-service: depends_on an ospl-daemon that is not in the file', () => {
    const l = lint(`version: '3.6'\nservices:\n${svc('salkafka-auxtel', '    depends_on:\n      - ospl-daemon\n')}`);
    const [hit] = only(l, 'compose-undefined-service');
    assert.equal(hit.text, 'ospl-daemon');
    assert.match(hit.message, /Service 'salkafka-auxtel' depends on service 'ospl-daemon' which is undefined/);
    assert.deepEqual(only(lint(`version: '3.6'\nservices:\n${svc('a', '    depends_on: [b]\n')}${svc('b', '    depends_on: [a]\n')}`), 'compose-undefined-service').length, 1);
  });

  it('compose-undefined-network, and network_mode with networks', () => {
    const l = lint(`version: '3.6'\nservices:\n${svc('salkafka-at', '    networks:\n      dds-network:\n        ipv4_address: "139.229.170.240"\n')}`);
    assert.deepEqual(only(l, 'compose-undefined-network').map((s) => s.text), ['dds-network']);
    assert.deepEqual(only(lint(`version: '3.6'\nservices:\n${svc('salkafka-at', '    networks: [dds]\n')}networks:\n  dds:\n    external: true\n`), 'compose-undefined-network'), []);
    assert.deepEqual(codes(`version: '3.6'\nservices:\n${svc('salkafka-at', '    network_mode: host\n    networks: [dds]\n')}networks:\n  dds:\n`), ['compose-invalid-value']);
  });

  it('types as PyYAML reads them: version 3.6 unquoted, container_name 123, yes as a value', () => {
    assert.deepEqual(codes(`version: 3.6\nservices:\n${svc('a')}`), ['compose-type']);
    assert.deepEqual(codes(`version: "4"\nservices:\n${svc('a')}`), ['compose-invalid-value']);
    assert.deepEqual(codes(`services:\n${svc('a', '    container_name: 123\n')}`), ['compose-type']);
    assert.deepEqual(codes(`services:\n${svc('a', '    tty: yes\n    stdin_open: "true"\n')}`), []);
    assert.deepEqual(codes(`services:\n${svc('a', '    init: "yes"\n')}`), ['compose-type']);
    assert.deepEqual(codes(`services:\n${svc('a', '    gpus: all\n')}`), ['compose-unknown-key']);
  });

  it('service names, image or build, interpolation', () => {
    assert.deepEqual(codes(`services:\n  "a b":\n    image: x\n`), ['compose-service-name']);
    assert.deepEqual(codes(`services:\n  1:\n    image: x\n`), ['compose-service-name']);
    assert.deepEqual(codes(`services:\n  a:\n    tty: true\n`), ['compose-no-image']);
    const l = lint(`services:\n${svc('a', '    command: echo $1 and $$2 and \${CYCLE:-c} and $HOME\n')}`);
    assert.deepEqual(only(l, 'compose-interpolation').map((s) => s.text), ['$']);
  });

  it('ports, expose, subnets and tags as docker-compose checks them', () => {
    assert.deepEqual(codes(`services:\n${svc('a', '    ports:\n      - "abc"\n      - 22:22\n      - "8080-8081:80-81"\n      - "127.0.0.1:9094:9094/tcp"\n')}`), ['compose-invalid-value']);
    assert.deepEqual(codes(`services:\n${svc('a', '    ports:\n      - "8080-8082:80-81"\n')}`), ['compose-invalid-value']);
    assert.deepEqual(codes(`services:\n${svc('a', '    expose: ["80/tcp", 81, "eighty"]\n')}`), ['compose-invalid-value']);
    assert.deepEqual(codes(`services:\n${svc('a')}networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/33\n`), ['compose-invalid-value']);
    assert.deepEqual(codes(`services:\n${svc('a', '    hostname: !!str 12\n')}`), []);
    assert.deepEqual(codes(`services:\n${svc('a', '      - REPLICATIO N=3\n')}`), ['compose-invalid-value']);
    assert.deepEqual(codes(`services:\n${svc('a', '    restart: on-failure:3\n')}`), []);
    assert.deepEqual(codes(`services:\n${svc('a', '    restart: always - BROKER_IP=x - REGISTRY_ADDR=https://r\n')}`), ['compose-invalid-value']);
    assert.deepEqual(lint(`services:\n${svc('a', '    hostname: !local x\n')}`).codes.filter((c) => c.startsWith('yaml')), ['yaml-syntax']);
  });

  it('only errors with a refusal code count as docker-compose refusing', () => {
    const l = lint(`services:\n${svc('salkafka-at')}`.replace('ATDome', 'NoSuchCSC'));
    assert.ok(l.diagnostics.some((d) => d.severity === 'error'));
    assert.equal(l.diagnostics.filter(refusedByCompose).length, 0);
  });
});

describe('cascades: one diagnostic per syntax error', () => {
  it('a wrapped CSC_LIST line and a pasted terminal session give two errors, nothing else compose-level', () => {
    const block = (n: number) => `  salkafka_${n}:\n    image: lsstts/salkafka:cycle-0009\n    container_name: salkafka_${n}\n    environment:\n      - BROKER_IP=kafka\n      - CSC_LIST=ATHeaderService ATMonochromator\n`;
    const file = `version: '3.6'\n\nservices:\n\n${block(115).replace('ATMonochromator\n', 'ATMonochromator\n ATMCS ATCamera\n')}    stdin_open: true\n    tty: true\n\n${block(116).split('\n').slice(0, 5).join('\n')}\n[user@host kafka_writers]$ cat docker-compose.yaml\nversion: '3.6'\n\nservices:\n\n${block(115)}`;
    const l = lint(file);
    const compose = l.diagnostics.filter((d) => d.code === 'yaml-syntax' || d.code.startsWith('compose-') || d.code === 'duplicate-key');
    assert.deepEqual(compose.map((d) => d.code), ['yaml-syntax', 'yaml-syntax'], JSON.stringify(l.spans));
    const lines = compose.map((d) => file.slice(0, d.range.start).split('\n').length);
    assert.equal(lines[0], file.split('\n').findIndex((x) => x.startsWith(' ATMCS')) + 1);
    assert.equal(lines[1], file.split('\n').findIndex((x) => x.startsWith('[user@host')) + 1);
  });

  it('tabs between tokens and control characters: what PyYAML refuses is a syntax error', () => {
    assert.deepEqual(codes(`services:\n${svc('a', '    tty:\ttrue\n')}`), ['yaml-syntax']);
    assert.deepEqual(codes(`services:\n${svc('a', '    labels: ["a\tb"] # tab\tin a comment is fine\n')}`), []);
    assert.deepEqual(codes(`services:\n${svc('a', '    hostname: x\u0001y\n')}`), ['yaml-syntax']);
  });
});
