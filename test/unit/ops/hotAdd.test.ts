import { strict as assert } from 'assert';
import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import { HOT_ADD_SCRIPT, LIST_PRODUCERS_SCRIPT, isProducerArgv, parseProcessList, parseProducerArgv, planHotAdd } from '../../../src/core/ops/hotAdd';
import { ctx, HOSTILE } from './fixtures';

// As listed inside the test host's salkafka-m2 (busybox sh execs the producer as pid 1).
const SIM = ['/bin/sh', '/usr/local/bin/run_salkafka_producer.py', '--broker', '127.0.0.1:9094', '--registry', 'http://127.0.0.1:8081', '--partitions', '1', '--loglevel', '20', '--replication-factor', '3', '--wait-ack', '1', 'MTRotator', 'MTHexapod', 'MTM2'];
const listing = (pid: number, ppid: number, argv: string[]) => `${pid}\x1e${ppid}\x1e${argv.join('\x1f')}\x1f\n`;

describe('hot add', () => {
  it('parses the process listing and the producer command line', () => {
    const procs = parseProcessList(listing(1, 0, SIM) + listing(77, 1, ['sleep', '1']));
    assert.deepEqual(procs, [{ pid: 1, ppid: 0, argv: SIM }]);
    const cmd = parseProducerArgv(SIM);
    assert.deepEqual(cmd.program, SIM.slice(0, 2));
    assert.deepEqual(cmd.components, ['MTRotator', 'MTHexapod', 'MTM2']);
    assert.equal(cmd.options.length, 12);
  });

  it('producer as pid 1: starts a second process for the new CSC only, verified without restart', () => {
    const p = planHotAdd(ctx(), 'salkafka-m2', 'MTDome', [{ pid: 1, ppid: 0, argv: SIM }], { enabled: true });
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
    const p = planHotAdd(ctx(), 'salkafka-m2', 'MTDome', [{ pid: 42, ppid: 1, argv: SIM }], { enabled: true });
    assert.equal(p.hotAdd?.mode, 'replace');
    assert.deepEqual(p.hotAdd?.producerArgv.slice(-4), ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    assert.deepEqual(p.commands[0].argv.slice(6, 10), ['salkafka-hot-add', 'replace', '42', `${SIM.join('\x1f')}\x1f`]);
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
    const procs = [{ pid: 1, ppid: 0, argv: SIM }];
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTDome', procs, { enabled: false })), 'hot-add-disabled');
    for (const h of HOSTILE) assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', h, procs, { enabled: true })), 'invalid-name');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTDomeX', procs, { enabled: true })), 'lint-errors');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTM2', procs, { enabled: true })), 'csc-present');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-eas', 'ESS:3', procs, { enabled: true })), 'not-running');
    assert.equal(code(() => planHotAdd(ctx(), 'salkafka-m2', 'MTDome', [], { enabled: true })), 'hot-add-layout');
  });

  it('only the container\'s own producer qualifies: interpreter + script as argv[0]/argv[1], pid 1 or a child of pid 1', () => {
    assert.ok(isProducerArgv(SIM));
    assert.ok(isProducerArgv(['/usr/bin/python3.11', '/opt/lsst/software/stack/bin/run_salkafka_producer.py', 'MTM2']));
    assert.ok(isProducerArgv(['python', 'run_salkafka_producer', 'MTM2']));
    for (const decoy of [
      ['vim', '/usr/local/bin/run_salkafka_producer.py'],
      ['grep', 'run_salkafka_producer'],
      ['sh', '-c', 'run_salkafka_producer.py MTM2'],
      ['python3', '-c', 'import run_salkafka_producer'],
      ['/bin/sh', '/tmp/evil/not_run_salkafka_producer.py'],
      ['/tmp/run_salkafka_producer.py', 'MTM2'],
    ]) {
      assert.equal(isProducerArgv(decoy), false, decoy.join(' '));
      assert.deepEqual(parseProcessList(listing(9, 1, decoy)), [], decoy.join(' '));
    }
    const code = (procs: { pid: number; ppid: number; argv: string[] }[]): string => {
      try {
        planHotAdd(ctx(), 'salkafka-m2', 'MTDome', procs, { enabled: true });
        return 'planned';
      } catch (e) {
        assert.ok(e instanceof OpsRefusedError, String(e));
        return `${e.code}: ${e.message}`;
      }
    };
    assert.match(code([{ pid: 42, ppid: 41, argv: SIM }]), /^hot-add-layout: No producer process of salkafka-m2 itself/);
    assert.match(code([{ pid: 42, ppid: 1, argv: SIM }, { pid: 43, ppid: 1, argv: SIM }]), /^hot-add-layout: .*ambiguous/);
    assert.equal(code([{ pid: 1, ppid: 0, argv: SIM }, { pid: 43, ppid: 1, argv: [...SIM.slice(0, 14), 'MTAOS'] }]), 'planned');
  });

  describe('the scripts on real processes (this machine\'s /proc, dash and busybox sh)', () => {
    let dir = '';
    const kids: ReturnType<typeof spawn>[] = [];
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-hotadd-'));
      fs.writeFileSync(path.join(dir, 'run_salkafka_producer.py'), '#!/bin/sh\nwhile :; do sleep 1; done\n', { mode: 0o755 });
    });
    after(() => {
      for (const k of kids) k.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const start = (argv: string[]) => {
      const k = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
      kids.push(k);
      return k;
    };
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };

    for (const shell of ['sh', 'busybox sh']) {
      it(`${shell}: the listing finds the producer with its exact argv and parent, and not the decoys`, async () => {
        const script = path.join(dir, 'run_salkafka_producer.py');
        // argv[0]/argv[1] = /bin/sh, script: what the kernel writes for the shebang; the loop keeps it so.
        const producer = start(['/bin/sh', script, '--broker', 'b:9094', 'MT M2', "it's"]);
        const decoy = start(['/bin/sh', '-c', `sleep 60; : ${script}`]);
        await new Promise((r) => setTimeout(r, 300));
        const out = execFileSync(shell.split(' ')[0], [...shell.split(' ').slice(1), '-c', LIST_PRODUCERS_SCRIPT], { encoding: 'utf8' });
        const procs = parseProcessList(out);
        const mine = procs.filter((p) => p.pid === producer.pid);
        assert.deepEqual(mine, [{ pid: producer.pid, ppid: process.pid, argv: ['/bin/sh', script, '--broker', 'b:9094', 'MT M2', "it's"] }]);
        assert.ok(!procs.some((p) => p.pid === decoy.pid), 'the sh -c decoy is not a producer');
      });
    }

    it('replace refuses, and signals nothing, when the pid is not the planned command line or not a child of pid 1', () => {
      const script = path.join(dir, 'run_salkafka_producer.py');
      const p = start(['/bin/sh', script, 'MTM2']);
      const exact = ['/bin/sh', script, 'MTM2'].join('\x1f') + '\x1f';
      const run = (expected: string) =>
        spawnSync('sh', ['-c', HOT_ADD_SCRIPT, 'salkafka-hot-add', 'replace', String(p.pid), expected, 'true'], { encoding: 'utf8' });
      // Give the child time to exec the script.
      execFileSync('sleep', ['0.3']);
      const wrong = run(`${exact}x`);
      assert.equal(wrong.status, 3, wrong.stderr);
      assert.match(wrong.stderr, /no longer the planned producer/);
      const notChild = run(exact);
      assert.equal(notChild.status, 3, notChild.stderr);
      assert.match(notChild.stderr, /no longer a child of the container init/);
      assert.ok(alive(p.pid!), 'the process was not signalled');
    });
  });

  it('the fixed scripts are valid POSIX sh', () => {
    for (const s of [HOT_ADD_SCRIPT, LIST_PRODUCERS_SCRIPT]) execFileSync('sh', ['-n', '-c', s]);
  });
});
