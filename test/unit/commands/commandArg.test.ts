import { strict as assert } from 'assert';
import type { Producer } from '../../../src/core/producers/producerTypes';
import { parseCommandArg, producerContext } from '../../../src/features/commands/commandArg';

const m2 = { name: 'salkafka-m2', serviceName: 'salkafka-m2', containerName: 'salkafka-m2', state: 'running', orphan: false, cscs: [], cscOptions: [] } as unknown as Producer;
const orphan = { ...m2, name: 'salkafka-old', serviceName: undefined, containerName: 'salkafka-old', orphan: true, state: 'exited' } as unknown as Producer;

describe('command argument: one parser for tree rows, tests and links', () => {
  it('a host row gives its alias', () => {
    assert.deepEqual(parseCommandArg({ kind: 'host', alias: 'azar2' }), { host: 'azar2' });
  });

  it('a producer row gives host, producer and service (an orphan container: its name)', () => {
    assert.deepEqual(parseCommandArg({ kind: 'producer', alias: 'azar2', producer: m2 }), { host: 'azar2', producer: m2, service: 'salkafka-m2' });
    assert.equal(parseCommandArg({ kind: 'producer', alias: 'azar2', producer: orphan }).service, 'salkafka-old');
  });

  it('a producer of a sibling compose file carries its file; a given composeFile wins', () => {
    const eas = { ...m2, name: 'salkafka-eas', serviceName: 'salkafka-eas', composeFile: '/deploy/kafka_writers/docker-compose-eas.yaml' } as unknown as Producer;
    assert.equal(parseCommandArg({ kind: 'producer', alias: 'azar2', producer: eas }).composeFile, '/deploy/kafka_writers/docker-compose-eas.yaml');
    assert.equal(parseCommandArg({ kind: 'producer', alias: 'azar2', producer: eas, composeFile: '/x.yaml' }).composeFile, '/x.yaml');
    assert.equal(parseCommandArg({ kind: 'producer', alias: 'azar2', producer: m2 }).composeFile, undefined);
  });

  it('a CSC row gives the CSC word; a topic row does not', () => {
    assert.equal(parseCommandArg({ kind: 'csc', alias: 'azar2', producer: m2, key: 'MTM2', listed: true }).csc, 'MTM2');
    assert.equal(parseCommandArg({ kind: 'topic', alias: 'azar2', producer: m2, cscKey: 'MTM2' }).csc, undefined);
  });

  it('objects from tests and links: host wins over alias, force only when true', () => {
    assert.deepEqual(parseCommandArg({ host: 'tucson', alias: 'azar2', service: 'salkafka-at', csc: 'ATDome', force: true, backup: '/b', expectedDomainId: '0' }), {
      host: 'tucson', service: 'salkafka-at', csc: 'ATDome', force: true, backup: '/b', expectedDomainId: '0',
    });
    assert.equal(parseCommandArg({ force: 'yes' }).force, undefined);
  });

  it('a bare string is a host, or a container where the command says so', () => {
    assert.deepEqual(parseCommandArg('azar2'), { host: 'azar2' });
    assert.deepEqual(parseCommandArg('salkafka-m2', 'container'), { container: 'salkafka-m2' });
  });

  it('anything else gives nothing: empty strings, numbers, arrays, wrong types', () => {
    for (const v of [undefined, null, '', 0, 42, true, [], ['a'], { host: 3, service: '', producer: 'x', csc: {} }]) assert.deepEqual(parseCommandArg(v), {}, JSON.stringify(v));
  });

  it('rows are offered by state: running producers are producer.running', () => {
    assert.equal(producerContext(m2), 'producer.running');
    assert.equal(producerContext(orphan), 'producer');
  });
});
