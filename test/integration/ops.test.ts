// The change pipeline on the REAL local test host (test/host/up.sh): plan → apply (re-check,
// backup, atomic write, docker-compose) → verify → audit, against sshd + dockerd with simulated
// producers. resetTestHost() first for a known baseline, and again at the end.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import { randomBytes } from 'crypto';
import { hostOrSkip, Connections } from './support';
import type { TestHost } from './support';
import { hostExec, resetTestHost } from './testHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { defaultCatalogue } from '../../src/core/catalogue/defaultCatalogue';
import { loadPlanContext } from '../../src/core/ops/context';
import type { OpsSettings } from '../../src/core/ops/context';
import { planAddCsc, planApply, planLifecycle, planRemoveCsc, planRollback } from '../../src/core/ops/plan';
import type { Plan } from '../../src/core/ops/plan';
import { executePlan } from '../../src/core/ops/pipeline';
import type { PipelineOutcome } from '../../src/core/ops/pipeline';
import { auditLogPath, parseAuditLog } from '../../src/core/ops/audit';
import { listBackups } from '../../src/core/ops/backup';
import { OpsRefusedError } from '../../src/core/ops/errors';
import { listProducersArgv, parseProcessList, planHotAdd } from '../../src/core/ops/hotAdd';
import { gatherAndDiagnose } from '../../src/core/ops/troubleshoot';
import { sha256Hex } from '../../src/core/remote/remoteFiles';
import { buildComposeArgv } from '../../src/core/docker/composeRunner';

interface Inspect {
  Id: string;
  RestartCount: number;
  State: { Status: string; Running: boolean; StartedAt: string };
  Config: { Env: string[] };
}

describe('ops pipeline on the test host', function () {
  this.timeout(180_000);
  let h: TestHost;
  let conn: HostConnection;
  const conns = new Connections();
  let settings: OpsSettings;
  let auditPath: string;
  const timings: Record<string, number> = {};

  before(async function () {
    h = await hostOrSkip(this, 'ops pipeline integration tests');
    await resetTestHost();
    conn = await conns.connect(h);
    settings = {
      composePath: h.composeFile,
      production: { hosts: ['azar2', 'azar2.cp.lsst.org'], partitions: [] },
      verifyTimeoutSeconds: 40,
      dryRun: false,
      enableHotAdd: true,
    };
    auditPath = auditLogPath(h.composeFile);
  });

  after(async function () {
    conns.closeAll();
    if (Object.keys(timings).length) console.log(`    ops timings (ms): ${JSON.stringify(timings)}`);
    if (h) await resetTestHost();
  });

  const ctx = () => loadPlanContext(conn, settings, defaultCatalogue());
  const inspect = async (name: string): Promise<Inspect> => (await conn.docker().getContainer(name).inspect()) as unknown as Inspect;
  const envOf = async (name: string) => (await inspect(name)).Config.Env.find((e) => e.startsWith('CSC_LIST='));
  const remoteFile = async () => conn.files.readFile(h.composeFile);
  const auditCount = async () => {
    try {
      return parseAuditLog((await conn.files.readFile(auditPath)).content.toString('utf8')).records.length;
    } catch {
      return 0;
    }
  };
  const run = async (plan: Plan, over: Partial<Parameters<typeof executePlan>[2]> = {}): Promise<PipelineOutcome> => {
    const before = await auditCount();
    const out = await executePlan(plan, conn, {
      dryRun: false,
      auditPath,
      who: { localUser: os.userInfo().username, remoteUser: h.user },
      verifyTimeoutSeconds: settings.verifyTimeoutSeconds,
      ...over,
    });
    assert.ok(out.audit.written, `audit not written: ${out.audit.error}`);
    assert.equal(await auditCount(), before + 1, 'exactly one audit record per action');
    const last = parseAuditLog((await conn.files.readFile(auditPath)).content.toString('utf8')).records.pop()!;
    assert.equal(last.planId, plan.id);
    return out;
  };
  const explain = (o: PipelineOutcome) => `${o.result.status}: ${o.result.hostState} ${o.result.error ?? ''}\n${o.verify?.checks.map((c) => `${c.status} ${c.name}: ${c.detail}`).join('\n') ?? ''}`;

  it('add CSC: compose file edited (backup of the exact old bytes), container recreated with it, CSC in the log', async () => {
    const t0 = Date.now();
    const c = await ctx();
    const plan = planAddCsc(c, 'salkafka-m2', 'MTDome');
    const oldBytes = c.composeContent;
    const idBefore = (await inspect('salkafka-m2')).Id;
    const out = await run(plan);
    timings.addCscEndToEnd = Date.now() - t0;
    assert.ok(out.ok, explain(out));
    assert.equal(out.result.status, 'applied');
    assert.equal(await envOf('salkafka-m2'), 'CSC_LIST=MTRotator MTHexapod MTM2 MTDome');
    assert.notEqual((await inspect('salkafka-m2')).Id, idBefore, 'container recreated');
    const logs = await hostExec('docker logs salkafka-m2 2>&1');
    assert.match(logs.stdout, /INFO:salkafka\.MTDome:Created producer for MTDome/);
    assert.equal((await remoteFile()).sha256, plan.files[0].newSha256);
    const backup = await conn.files.readFile(out.result.backupPath!);
    assert.ok(backup.content.equals(oldBytes), 'backup holds the exact previous bytes');
    assert.ok(out.verify?.checks.some((x) => x.name === 'MTDome seen' && x.status === 'pass'));
    assert.equal(out.audit.record.outcome, 'applied');
    assert.deepEqual(out.audit.record.cscListAfter, ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    assert.equal(out.audit.record.commands.at(-1)?.exitCode, 0);
  });

  it('remove CSC: back to three CSCs in the container environment', async () => {
    const out = await run(planRemoveCsc(await ctx(), 'salkafka-m2', 'MTDome'));
    assert.ok(out.ok, explain(out));
    assert.equal(await envOf('salkafka-m2'), 'CSC_LIST=MTRotator MTHexapod MTM2');
  });

  it('roll back restores the exact bytes of a backup (sha256 equal) and applies them', async () => {
    const backups = await listBackups(conn.files, h.composeFile);
    assert.ok(backups.length >= 2);
    assert.ok(backups[0].takenAt >= backups[1].takenAt, 'newest first');
    const newest = backups[0]; // taken before "remove": has MTDome
    const content = (await conn.files.readFile(newest.path)).content;
    const out = await run(planRollback(await ctx(), { path: newest.path, content, takenAt: newest.takenAt }));
    assert.ok(out.ok, explain(out));
    assert.equal((await remoteFile()).sha256, sha256Hex(content));
    assert.equal(await envOf('salkafka-m2'), 'CSC_LIST=MTRotator MTHexapod MTM2 MTDome');
  });

  it('apply: up -d --no-deps on an unchanged service leaves it running and passes verification', async () => {
    const out = await run(planApply(await ctx(), 'salkafka-m2'));
    assert.ok(out.ok, explain(out));
    assert.ok(out.audit.record.commands[0].display.includes('up -d --no-deps -t 30 salkafka-m2'));
  });

  it('restart: StartedAt changes, verification passes', async () => {
    const before = (await inspect('salkafka-m2')).State.StartedAt;
    const t0 = Date.now();
    const out = await run(planLifecycle(await ctx(), 'restart', 'salkafka-m2'));
    timings.restartEndToEnd = Date.now() - t0;
    assert.ok(out.ok, explain(out));
    assert.notEqual((await inspect('salkafka-m2')).State.StartedAt, before);
  });

  it('stop then start', async () => {
    const stop = await run(planLifecycle(await ctx(), 'stop', 'salkafka-m2'));
    assert.ok(stop.ok, explain(stop));
    assert.equal((await inspect('salkafka-m2')).State.Running, false);
    const start = await run(planLifecycle(await ctx(), 'start', 'salkafka-m2'));
    assert.ok(start.ok, explain(start));
    assert.equal((await inspect('salkafka-m2')).State.Running, true);
  });

  it('a remote edit between plan and apply is refused; both versions are kept', async () => {
    const plan = planAddCsc(await ctx(), 'salkafka-at', 'ATPneumatics');
    const idBefore = (await inspect('salkafka-at')).Id;
    const backupsBefore = (await listBackups(conn.files, h.composeFile)).length;
    // A colleague edits the file on the host meanwhile.
    const r = await hostExec(`printf '# edited by a colleague\\n' >> ${h.composeFile}`);
    assert.equal(r.code, 0);
    const theirs = (await remoteFile()).sha256;
    const out = await run(plan);
    assert.equal(out.result.status, 'refused', explain(out));
    assert.match(out.result.hostState, /edited by someone else/);
    assert.equal((await remoteFile()).sha256, theirs, 'their edit stays on the host');
    assert.match(plan.files[0].newText, /ATDome ATAOS ATMCS ATPneumatics/);
    assert.equal(sha256Hex(plan.files[0].newContent), plan.files[0].newSha256, 'our text is kept in the plan');
    assert.equal((await inspect('salkafka-at')).Id, idBefore, 'container untouched');
    assert.equal((await listBackups(conn.files, h.composeFile)).length, backupsBefore, 'no backup for a refused change');
    assert.equal(out.audit.record.outcome, 'refused');
  });

  it('an unknown CSC is refused at planning; forced, verification fails and says why; troubleshoot names it', async () => {
    await assert.rejects(async () => planAddCsc(await ctx(), 'salkafka-m2', 'MTDomeX'), (e: unknown) => e instanceof OpsRefusedError && e.code === 'lint-errors');
    const plan = planAddCsc(await ctx(), 'salkafka-m2', 'MTDomeX', { force: true });
    const t0 = Date.now();
    const out = await run(plan);
    assert.equal(out.result.status, 'applied');
    assert.equal(out.ok, false);
    assert.equal(out.verify?.ok, false);
    timings.unknownCscVerifyFails = Date.now() - t0;
    assert.ok((out.verify?.elapsedMs ?? Infinity) < settings.verifyTimeoutSeconds * 1000, 'a restart loop fails verification before the timeout');
    const failed = out.verify!.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.detail}`).join('\n');
    assert.match(failed, /restart|Restart|exit/, failed);
    assert.ok(out.verify!.errorLines.some((l) => /Unknown SAL component MTDomeX/.test(l)), out.verify!.errorLines.join('\n'));
    const t = await gatherAndDiagnose(conn, 'salkafka-m2', { catalogue: defaultCatalogue(), cscList: plan.cscListAfter });
    assert.equal(t.findings[0].id, 'unknown-csc', JSON.stringify(t.findings, null, 1));
    assert.ok(t.findings.some((f) => f.id === 'broker-unreachable'), 'nothing listens on the test broker port');
    // Undo with the backup the forced change wrote.
    const b = (await listBackups(conn.files, h.composeFile))[0];
    const back = await run(planRollback(await ctx(), { path: b.path, content: (await conn.files.readFile(b.path)).content, takenAt: b.takenAt }));
    assert.ok(back.ok, explain(back));
  });

  it('hostile service and CSC names are rejected before any command; no marker file appears', async () => {
    const marker = `/tmp/salkafka-pwned-${randomBytes(4).toString('hex')}`;
    const hostile = [`x; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `MTM2\ntouch ${marker}`, `MTM2'; touch ${marker}; '`, `MTM2"; touch ${marker}; "`, '--rmi'];
    const c = await ctx();
    const procs = parseProcessList((await conn.exec(listProducersArgv('salkafka-at'))).stdout);
    for (const bad of hostile) {
      const tries: (() => unknown)[] = [
        () => planAddCsc(c, bad, 'MTDome'),
        () => planAddCsc(c, 'salkafka-m2', bad),
        () => planRemoveCsc(c, 'salkafka-m2', bad),
        () => planApply(c, bad),
        () => planLifecycle(c, 'restart', bad),
        () => planHotAdd(c, 'salkafka-at', bad, procs, { enabled: true }),
        () => buildComposeArgv(c.flavor, h.composeFile, 'up', { services: [bad] }),
      ];
      for (const t of tries) assert.throws(t, /Invalid|not allowed|invalid/, `accepted ${JSON.stringify(bad)}`);
    }
    assert.equal(fs.existsSync(marker), false);
    const inContainers = await hostExec(`for c in salkafka-m2 salkafka-at; do docker exec $c test -e ${marker} 2>/dev/null && echo FOUND-$c; done; true`);
    assert.doesNotMatch(inContainers.stdout, /FOUND/);
  });

  it('dry run changes nothing: same file sha256 and container id; the audit record says dry run', async () => {
    const shaBefore = (await remoteFile()).sha256;
    const idBefore = (await inspect('salkafka-m2')).Id;
    const out = await run(planAddCsc(await ctx(), 'salkafka-m2', 'MTMount'), { dryRun: true });
    assert.equal(out.result.status, 'dry-run');
    assert.equal(out.verify, undefined);
    assert.equal((await remoteFile()).sha256, shaBefore);
    assert.equal((await inspect('salkafka-m2')).Id, idBefore);
    assert.equal(out.audit.record.dryRun, true);
  });

  it('hot add (producer is pid 1): a second process writes the new CSC, the container is not restarted', async () => {
    const c = await ctx();
    const before = await inspect('salkafka-at');
    const procs = parseProcessList((await conn.exec(listProducersArgv('salkafka-at'))).stdout);
    assert.deepEqual(procs.map((p) => p.pid), [1]);
    const plan = planHotAdd(c, 'salkafka-at', 'ATPneumatics', procs, { enabled: true });
    assert.equal(plan.hotAdd?.mode, 'beside');
    const out = await run(plan);
    assert.ok(out.ok, explain(out));
    const after = await inspect('salkafka-at');
    assert.equal(after.Id, before.Id);
    assert.equal(after.State.StartedAt, before.State.StartedAt);
    const now = parseProcessList((await conn.exec(listProducersArgv('salkafka-at'))).stdout);
    assert.equal(now.length, 2);
    assert.ok(now.some((p) => p.argv.at(-1) === 'ATPneumatics'));
    assert.equal((await remoteFile()).sha256, c.composeContent.length ? sha256Hex(c.composeContent) : '', 'compose file not changed by hot add');
  });
});
