import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import { HOT_ADD_SCRIPT, LIST_PRODUCERS_SCRIPT, parseProcessList, parseProducerArgv, planHotAdd } from '../../../src/core/ops/hotAdd';
import { ctx, HOSTILE } from './fixtures';

// As listed inside the test host's salkafka-m2 (busybox sh execs the producer as pid 1).
const SIM = ['/bin/sh', '/usr/local/bin/run_salkafka_producer.py', '--broker', '127.0.0.1:9094', '--registry', 'http://127.0.0.1:8081', '--partitions', '1', '--loglevel', '20', '--replication-factor', '3', '--wait-ack', '1', 'MTRotator', 'MTHexapod', 'MTM2'];
const listing = (pid: number, argv: string[]) => `${pid}\x1e${argv.join('\x1f')}\x1f\n`;

describe('hot add', () => {
  it('parses the process listing and the producer command line', () => {
    const procs = parseProcessList(listing(1, SIM) + '77\x1esleep\x1f1\x1f\n');
    assert.deepEqual(procs, [{ pid: 1, argv: SIM }]);
    const cmd = parseProducerArgv(SIM);
    assert.deepEqual(cmd.program, SIM.slice(0, 2));
    assert.deepEqual(cmd.components, ['MTRotator', 'MTHexapod', 'MTM2']);
    assert.equal(cmd.options.length, 12);
  });

  it('producer as pid 1: starts a second process for the new CSC only, verified without restart', () => {
    const p = planHotAdd(ctx(), 'salkafka-m2', 'MTDome', [{ pid: 1, argv: SIM }], { enabled: true });
    assert.equal(p.hotAdd?.mode, 'beside');
    assert.deepEqual(p.hotAdd?.producerArgv, [...SIM.slice(0, 14), 'MTDome']);
    const argv = p.commands[0].argv;
    assert.deepEqual(argv.slice(0, 5), ['docker', 'exec', 'salkafka-m2', 'sh', '-c']);
    assert.equal(argv[5], HOT_ADD_SCRIPT);
    assert.deepEqual(argv.slice(6, 9), ['salkafka-hot-add', 'beside', '1']);
    assert.equal(p.persistent, false);
    assert.match(p.warnings.join('\n'), /NOT PERSISTENT/);
    assert.match(p.warnings[0], /can lose EFD data/);
    assert.deepEqual(p.verify, { state: 'running', restarted: 'no', cscs: ['MTDome'], fileProducer: false });
    assert.deepEqual(p.cscListAfter, ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    assert.match(p.commands[0].display, /<hot-add script>/);
  });

  it('producer under a shell: replaces it with the old list plus the new CSC', () => {
    const p = planHotAdd(ctx(), 'salkafka-m2', 'MTDome', [{ pid: 42, argv: SIM }], { enabled: true });
    assert.equal(p.hotAdd?.mode, 'replace');
    assert.deepEqual(p.hotAdd?.producerArgv.slice(-4), ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    assert.deepEqual(p.commands[0].argv.slice(6, 9), ['salkafka-hot-add', 'replace', '42']);
  });

  it('refuses: disabled, hostile or unknown CSC, already running, not running, no producer', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        assert.ok(e instanceof OpsRefusedError, String(e));
        return e.code;
      }
      return 'no error';
    };
    const procs = [{ pid: 1, argv: SIM }];
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTDome', procs, { enabled: false })), 'hot-add-disabled');
    for (const h of HOSTILE) assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', h, procs, { enabled: true })), 'invalid-name');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTDomeX', procs, { enabled: true })), 'lint-errors');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTM2', procs, { enabled: true })), 'csc-present');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-eas', 'ESS:3', procs, { enabled: true })), 'not-running');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTDome', [], { enabled: true })), 'hot-add-layout');
  });

  it('the fixed scripts are valid POSIX sh', () => {
    for (const s of [HOT_ADD_SCRIPT, LIST_PRODUCERS_SCRIPT]) execFileSync('sh', ['-n', '-c', s]);
  });
});
