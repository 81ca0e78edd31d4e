// applyPlan against an in-memory host: the order of steps, refusals, and what it says about the
// host's state when a command fails.
import { strict as assert } from 'assert';
import * as posix from 'node:path/posix';
import type Dockerode from 'dockerode';
import { applyPlan } from '../../../src/core/ops/apply';
import { buildAuditRecord } from '../../../src/core/ops/audit';
import { planAddCsc, planLifecycle } from '../../../src/core/ops/plan';
import { RemoteChangedError, RemoteExistsError, sha256Hex } from '../../../src/core/remote/remoteFiles';
import type { ExecOptions, ExecResult } from '../../../src/core/host/host';
import { FakeHost } from './fakeOpsHost';
import { COMPOSE, COMPOSE_PATH, ctx } from './fixtures';

describe('apply', () => {
  it('re-reads, backs up the exact bytes, writes, runs up, records the baseline', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'applied', r.hostState);
    assert.equal(r.backupPath, plan.files[0].backupPath);
    assert.ok(host.fs.get(r.backupPath!)!.equals(Buffer.from(COMPOSE)));
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), plan.files[0].newText);
    assert.deepEqual(host.ran, [plan.commands[0].argv]);
    assert.deepEqual(r.before, { id: 'c1', startedAt: '2026-11-24T20:00:00Z', restartCount: 0 });
    assert.equal(r.steps[0].exitCode, 0);
  });

  it('refuses when the file changed since the plan: nothing written, nothing run', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    host.fs.set(COMPOSE_PATH, Buffer.from(COMPOSE + '# theirs\n'));
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'refused');
    assert.match(r.hostState, /edited by someone else/);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE + '# theirs\n');
    assert.equal(host.ran.length, 0);
    assert.equal([...host.fs.keys()].filter((k) => k.endsWith('.bak')).length, 0);
  });

  it('compose fails without touching the container: the previous file is restored byte for byte', async () => {
    const host = new FakeHost();
    host.exitCode = 1;
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'failed');
    assert.equal(r.restored, true);
    assert.match(r.hostState, /restored byte for byte/);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.match(r.error!, /exited with 1: ERROR: boom/);
  });

  it('compose fails after touching the container: says the new file is in place and how to roll back', async () => {
    const host = new FakeHost();
    host.exitCode = 1;
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const origExec = host.exec.bind(host);
    host.exec = async (argv, o) => {
      host.container = { ...host.container, Id: 'half', State: { Status: 'created', Running: false, StartedAt: '0001-01-01T00:00:00Z' } };
      return origExec(argv, o);
    };
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'failed');
    assert.notEqual(r.restored, true);
    assert.match(r.hostState, /is the NEW version .*backup .*\.bak.*salkafka-m2 is created.*To roll back: .*Roll Back Compose File/s);
  });

  it('dry run touches nothing; cancellation before the write changes nothing', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    assert.equal((await applyPlan(plan, host, { dryRun: true })).status, 'dry-run');
    const ac = new AbortController();
    ac.abort();
    const r = await applyPlan(plan, host, { signal: ac.signal });
    assert.equal(r.status, 'cancelled');
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.equal(host.ran.length, 0);
    assert.equal(host.fs.size, 1);
  });

  it('restart runs the compose restart; a failure reports the container state', async () => {
    const host = new FakeHost();
    host.exitCode = 2;
    const r = await applyPlan(planLifecycle(ctx(), 'restart', 'salkafka-m2'), host);
    assert.equal(r.status, 'failed');
    assert.match(r.hostState, /restart salkafka-m2 \(30 s grace for its SIGTERM shutdown\) failed; salkafka-m2 is running/);
    assert.deepEqual(host.ran[0].slice(-4), ['restart', '-t', '30', 'salkafka-m2']);
  });

  it('prunes backups beyond backupsKeep after writing, and the audit record lists what went', async () => {
    const host = new FakeHost();
    const dir = posix.dirname(COMPOSE_PATH);
    const old = ['2026-01-01T00-00-00-000Z', '2026-01-02T00-00-00-000Z', '2026-01-03T00-00-00-000Z'].map((s) => posix.join(dir, `docker-compose.yaml.${s}.bak`));
    for (const p of old) host.fs.set(p, Buffer.from('old'));
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const r = await applyPlan(plan, host, { backupsKeep: 2 });
    assert.equal(r.status, 'applied', r.hostState);
    assert.deepEqual([...r.prunedBackups!].sort(), old.slice(0, 2));
    assert.ok(host.fs.has(r.backupPath!), 'the new backup is kept');
    assert.ok(host.fs.has(old[2]));
    assert.deepEqual(buildAuditRecord(plan, r, undefined, { localUser: 'u', remoteUser: 'r' }).prunedBackups, r.prunedBackups);
  });
});
