import { strict as assert } from 'assert';
import { resolveProducerOption } from '../../../src/core/compose/producerOptions';
import { composeFile, lint, only, producer } from './helpers';

// What run_salkafka_producer.py (ts_salkafka component_producer_set.py, argparse and the checks
// in ComponentProducerSet.amain) does with the words CSC_LIST appends to its command line.
const options = (cscList: string, env: Record<string, string> = {}) =>
  only(lint(composeFile(producer('salkafka-x', cscList, { env })), { variables: { CYCLE: 'c0035', PW: 'secret' } }), 'csc-list-option').map((h) => [h.text, h.severity]);

describe('run_salkafka_producer.py options in CSC_LIST', () => {
  it('accepts every option of the current ts_salkafka with a valid value', () => {
    assert.deepEqual(options('ATDome --partitions 2 --replication-factor 3 --loglevel 10 --wait-ack all --broker k:9092 --registry http://r'), []);
    assert.deepEqual(options('--file m1m3.yaml --partitions=4'), []);
    assert.deepEqual(options('ATDome --username ts-salkafka --password ${PW}'), []);
  });

  it('resolves unique prefixes as argparse does, and refuses ambiguous ones', () => {
    assert.equal((resolveProducerOption('--repl') as { option: { name: string } }).option.name, '--replication-factor');
    assert.deepEqual(resolveProducerOption('--pa'), { kind: 'ambiguous', candidates: ['--partitions', '--password'] });
    assert.deepEqual(options('ATDome --part 2'), []);
    assert.deepEqual(options('ATDome --pa 2'), [['--pa', 'error']]);
  });

  it('--validate, --show-schema and --help make the producer exit: errors', () => {
    assert.deepEqual(options('--file m1m3.yaml --validate'), [['--validate', 'error']]);
    assert.deepEqual(options('ATDome --show-schema'), [['--show-schema', 'error']]);
    assert.deepEqual(options('ATDome -h'), [['-h', 'error']]);
  });

  it('--file together with component names is an error on --file', () => {
    assert.deepEqual(options('--file m1m3.yaml MTM1M3'), [['--file', 'error']]);
  });

  it('values argparse refuses are errors: partitions not positive, not an int, a bad wait-ack', () => {
    assert.deepEqual(options('ATDome --partitions 0'), [['--partitions', 'error']]);
    assert.deepEqual(options('ATDome --loglevel info'), [['--loglevel', 'error']]);
    assert.deepEqual(options('ATDome --wait-ack 2'), [['--wait-ack', 'error']]);
  });

  it('--username needs --password and vice versa, unless the environment passes the other', () => {
    assert.deepEqual(options('ATDome --username ts-salkafka'), [['--username', 'error']]);
    assert.deepEqual(options('ATDome --username ts-salkafka', { TS_SALKAFKA_PASSWORD: '${PW}' }), []);
    // An interpolated CSC_LIST has no exact word ranges: the finding covers the value.
    assert.deepEqual(options('ATDome --password ${PW}'), [['ATDome --password ${PW}', 'error']]);
    assert.deepEqual(options('ATDome --password ${PW}', { TS_SALKAFKA_USERNAME: 'ts-salkafka' }), []);
  });

  it('a password written in clear is only a warning: the producer runs', () => {
    assert.deepEqual(options('ATDome --username u --password hunter2'), [['--password', 'warning']]);
  });

  it('only options and no component: the producer stops with "Nothing to do"', () => {
    const l = lint(composeFile(producer('salkafka-x', '--partitions 2')));
    assert.deepEqual(l.spans.map((s) => [s.code, s.severity]), [['csc-list-empty', 'error']]);
    assert.match(l.spans[0].message, /Nothing to do/);
  });
});
