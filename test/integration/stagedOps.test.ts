// A plan over several files, in stages, on the REAL local test host (sshd + dockerd): it modifies
// the main compose file (add a CSC to salkafka-m2) and the .env beside it, and creates a sibling
// compose file with a second producer. Stage 1 re-creates salkafka-m2 (verified), stage 2 starts
// the new producer, which is made to fail (an unknown CSC: ts_salkafka exits, Docker restarts it),
// stage 3 (salkafka-at) never runs. Then the multi-file roll back restores the files byte for byte.
import { strict as assert } from 'assert';
import * as os from 'os';
import * as posix from 'node:path/posix';
import { hostOrSkip, Connections } from './support';
import type { TestHost } from './support';
import { hostExec, resetTestHost } from './testHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { defaultCatalogue } from '../../src/core/catalogue/defaultCatalogue';
import { parseCompose } from '../../src/core/compose/parseCompose';
import { loadPlanContext } from '../../src/core/ops/context';
import type { OpsSettings } from '../../src/core/ops/context';
import { planAddCsc, planFilesRollback, plannedFile, stageComposeCommand, withStages } from '../../src/core/ops/plan';
import type { PlanStage } from '../../src/core/ops/plan';
import { executePlan } from '../../src/core/ops/pipeline';
import type { PipelineOutcome } from '../../src/core/ops/pipeline';
import { auditLogPath, parseAuditLog } from '../../src/core/ops/audit';
import { sha256Hex } from '../../src/core/remote/remoteFiles';

const DEV = 'salkafka-devtest';

describe('staged multi-file plan on the test host', function () {
  this.timeout(240_000);
  let h: TestHost;
  let conn: HostConnection;
  const conns = new Connections();
  let settings: OpsSettings;
  let devPath: string;
  let envPath: string;

  before(async function () {
    h = await hostOrSkip(this, 'staged ops integration test');
    await resetTestHost();
    conn = await conns.connect(h);
    settings = { composePath: h.composeFile, production: { hosts: ['azar2'], partitions: [] }, verifyTimeoutSeconds: 40, dryRun: false, enableHotAdd: false };
    devPath = posix.join(posix.dirname(h.composeFile), 'docker-compose-devtest.yaml');
    envPath = posix.join(posix.dirname(h.composeFile), '.env');
  });

  after(async function () {
    conns.closeAll();
    if (!h) return;
    // The sibling file, its backups and its container are not part of the baseline.
    await hostExec(`docker rm -f ${DEV} >/dev/null 2>&1; rm -f ${devPath} ${devPath}.*.bak ${envPath}.*.bak`);
    await resetTestHost();
  });

  const run = (plan: Parameters<typeof executePlan>[0]): Promise<PipelineOutcome> =>
    executePlan(plan, conn, { dryRun: false, auditPath: auditLogPath(h.composeFile), who: { localUser: os.userInfo().username, remoteUser: h.user }, verifyTimeoutSeconds: settings.verifyTimeoutSeconds });
  const explain = (o: PipelineOutcome) => `${o.result.status}: ${o.result.hostState} ${o.result.error ?? ''}\n${JSON.stringify(o.result.stages.map((s) => [s.label, s.status, s.verify?.summary]))}`;

  it('stage 1 verified, stage 2 failed, stage 3 never ran; files backed up; roll back restores them byte for byte', async () => {
    const c = await loadPlanContext(conn, settings, defaultCatalogue());
    const mainBefore = c.composeContent;
    const envBefore = (await conn.files.readFile(envPath)).content;
    // The second producer: salkafka-m2's definition under another name, with a CSC that does not exist.
    const text = mainBefore.toString('utf8');
    const m2 = parseCompose(text, { variables: c.variables }).services.find((s) => s.name === 'salkafka-m2')!;
    const block = text
      .slice(m2.nameRange.start, m2.range.end)
      .replace(/^salkafka-m2:/, `${DEV}:`)
      .replace('container_name: salkafka-m2', `container_name: ${DEV}`)
      .replace(/CSC_LIST=.*/, 'CSC_LIST=MTDomeX');
    const devText = `# development producer (test)\nservices:\n  ${block}\n`;
    assert.equal(parseCompose(devText).services.find((s) => s.name === DEV)?.isProducer, true, devText);

    const plan = planAddCsc(c, 'salkafka-m2', 'MTDome');
    plan.files.push(plannedFile(c, 'modify', envPath, envBefore, Buffer.concat([envBefore, Buffer.from('# staged test\n')])), plannedFile(c, 'create', devPath, undefined, Buffer.from(devText)));
    const expect = (cscs: string[]) => ({ state: 'running' as const, restarted: 'yes' as const, cscs, fileProducer: false });
    const up = (service: string, path: string) => stageComposeCommand(c, 'up', { flags: ['-d', '--no-deps'], services: [service] }, `up ${service}`, path);
    const stages: PlanStage[] = [
      { label: 'add MTDome to salkafka-m2', services: ['salkafka-m2'], commands: plan.commands, verify: { container: 'salkafka-m2', expect: plan.verify } },
      { label: `start ${DEV}`, services: [DEV], commands: [up(DEV, devPath)], verify: { container: DEV, expect: expect(['MTDomeX']) } },
      { label: 'apply salkafka-at', services: ['salkafka-at'], commands: [up('salkafka-at', h.composeFile)], verify: { container: 'salkafka-at', expect: expect([]) } },
    ];
    withStages(plan, stages);
    const atBefore = ((await conn.docker().getContainer('salkafka-at').inspect()) as { Id: string }).Id;

    const out = await run(plan);
    assert.equal(out.ok, false, explain(out));
    assert.deepEqual(out.stages, { completed: ['add MTDome to salkafka-m2'], failed: [`start ${DEV}`], notRun: ['apply salkafka-at'] }, explain(out));
    assert.equal(out.result.stages[1].verify?.ok, false);
    assert.equal(((await conn.docker().getContainer('salkafka-at').inspect()) as { Id: string }).Id, atBefore, 'stage 3 never ran');
    // Audit: one record, one result per stage, every file with its backup.
    const rec = parseAuditLog((await conn.files.readFile(auditLogPath(h.composeFile))).content.toString('utf8')).records.pop()!;
    assert.equal(rec.planId, plan.id);
    assert.deepEqual(rec.stages!.map((s) => s.status), ['verified', 'failed', 'not run']);
    assert.deepEqual(rec.files!.map((f) => [f.path, f.kind, Boolean(f.backupPath)]), [[h.composeFile, 'modify', true], [envPath, 'modify', true], [devPath, 'create', false]]);
    // Both existing files backed up byte for byte, before the change.
    assert.ok((await conn.files.readFile(out.result.files[0].backupPath!)).content.equals(mainBefore));
    assert.ok((await conn.files.readFile(out.result.files[1].backupPath!)).content.equals(envBefore));
    assert.equal((await conn.files.readFile(devPath)).content.toString('utf8'), devText);

    // Roll back: the files from their backups, the created one removed, salkafka-m2 re-created.
    const restores = await Promise.all(
      out.result.files.map(async (f) => ({
        path: f.path,
        kind: f.kind,
        current: (await conn.files.readFile(f.path)).content,
        backup: f.backupPath ? (await conn.files.readFile(f.backupPath)).content : undefined,
      })),
    );
    const c2 = await loadPlanContext(conn, settings, defaultCatalogue());
    const back = planFilesRollback(c2, restores, {
      summary: 'Roll back the staged test change',
      reUp: [{ service: 'salkafka-m2', container: 'salkafka-m2', composePath: h.composeFile }],
      remove: [{ container: DEV, graceSeconds: 5 }],
    });
    const undone = await run(back);
    assert.ok(undone.ok, explain(undone));
    assert.equal((await conn.files.readFile(h.composeFile)).sha256, sha256Hex(mainBefore));
    assert.equal((await conn.files.readFile(envPath)).sha256, sha256Hex(envBefore));
    assert.equal(await conn.files.stat(devPath), undefined, 'the created file is gone');
    assert.ok((await conn.files.readFile(undone.result.files.find((f) => f.path === devPath)!.backupPath!)).content.equals(Buffer.from(devText)), 'and kept as a backup');
    const env = ((await conn.docker().getContainer('salkafka-m2').inspect()) as { Config: { Env: string[] } }).Config.Env;
    assert.ok(env.includes('CSC_LIST=MTRotator MTHexapod MTM2'), env.join(' '));
    assert.equal((await hostExec(`docker inspect ${DEV} >/dev/null 2>&1; echo $?`)).stdout.trim(), '1', 'the development container is removed');
  });
});
