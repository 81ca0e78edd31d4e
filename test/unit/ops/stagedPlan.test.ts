// Plans over several files and in stages: the file set (create / modify / delete, backups of
// every existing file, earlier writes put back when a later one fails, create refused when the
// name appeared) and staged execution (stop at the first failing stage; outcome and audit per stage).
import { strict as assert } from 'assert';
import * as posix from 'node:path/posix';
import { applyPlan } from '../../../src/core/ops/apply';
import { buildAuditRecord } from '../../../src/core/ops/audit';
import { stageSummary } from '../../../src/core/ops/pipeline';
import { planAddCsc, planFilesRollback, plannedFile, planStages, stageComposeCommand, withStages } from '../../../src/core/ops/plan';
import type { Plan, PlanStage } from '../../../src/core/ops/plan';
import { planDetail, planMarkdown } from '../../../src/core/ops/reportText';
import type { VerifyReport } from '../../../src/core/ops/verify';
import { FakeHost } from './fakeOpsHost';
import { COMPOSE, COMPOSE_PATH, ctx } from './fixtures';

const DIR = posix.dirname(COMPOSE_PATH);
const DEV_PATH = `${DIR}/docker-compose-dev.yaml`;
const ENV_PATH = `${DIR}/setup_kp.env`;
const DEV = 'services:\n  salkafka-dev:\n    image: ts-dockerhub.lsst.org/salkafka:c0044\n    environment:\n      - CSC_LIST=Test\n';
const ENV = 'CYCLE=c0043\n';

function report(container: string, ok: boolean): VerifyReport {
  return { container, ok, checks: [], summary: `${ok ? 'PASS' : 'FAIL'} ${container}`, logLinesExamined: 0, errorLines: [], elapsedMs: 0 };
}

function stage(label: string, service: string, composePath = COMPOSE_PATH): PlanStage {
  return {
    label,
    services: [service],
    commands: [stageComposeCommand(ctx(), 'up', { flags: ['-d', '--no-deps'], services: [service] }, `re-create ${service}`, composePath)],
    verify: { container: service, expect: { state: 'running', restarted: 'either', cscs: [], fileProducer: false } },
  };
}

/** Modify the main file, create a sibling, modify an env file; three stages. */
function threeFilePlan(): Plan {
  const c = ctx();
  const plan = planAddCsc(c, 'salkafka-m2', 'MTDome');
  plan.files.push(plannedFile(c, 'create', DEV_PATH, undefined, Buffer.from(DEV)), plannedFile(c, 'modify', ENV_PATH, Buffer.from(ENV), Buffer.from('CYCLE=c0044\n')));
  return withStages(plan, [stage('re-create salkafka-m2', 'salkafka-m2'), stage('start salkafka-dev', 'salkafka-dev', DEV_PATH), stage('re-create salkafka-at', 'salkafka-at')]);
}

function hostWithEnv(): FakeHost {
  const host = new FakeHost();
  host.fs.set(ENV_PATH, Buffer.from(ENV));
  return host;
}

describe('plans over several files', () => {
  it('backs up every existing file before writing, creates the new one, writes the others atomically', async () => {
    const host = hostWithEnv();
    const plan = threeFilePlan();
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'applied', r.hostState);
    assert.equal(host.fs.get(DEV_PATH)!.toString(), DEV);
    assert.equal(host.fs.get(ENV_PATH)!.toString(), 'CYCLE=c0044\n');
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), plan.files[0].newText);
    const backups = r.files.map((f) => f.backupPath);
    assert.equal(backups[1], undefined, 'a created file has no backup');
    assert.ok(host.fs.get(backups[0]!)!.equals(Buffer.from(COMPOSE)));
    assert.ok(host.fs.get(backups[2]!)!.equals(Buffer.from(ENV)));
    assert.match(backups[2]!, /setup_kp\.env\.2026-11-24T23-40-34-123Z\.bak$/);
  });

  it('a later write that fails puts the earlier ones back byte for byte; no command runs', async () => {
    const host = hostWithEnv();
    host.failWrite = ENV_PATH;
    const r = await applyPlan(threeFilePlan(), host);
    assert.equal(r.status, 'refused', r.hostState);
    assert.equal(r.restored, true);
    assert.match(r.hostState, /disk full writing .*setup_kp\.env.*2 file\(s\) written before it were restored byte for byte/);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.equal(host.fs.has(DEV_PATH), false, 'the created file is removed again');
    assert.equal(host.fs.get(ENV_PATH)!.toString(), ENV);
    assert.equal(host.ran.length, 0);
  });

  it('create is refused when the file appeared since the plan: nothing written, nothing run', async () => {
    const host = hostWithEnv();
    host.fs.set(DEV_PATH, Buffer.from('# someone else\n'));
    const r = await applyPlan(threeFilePlan(), host);
    assert.equal(r.status, 'refused');
    assert.match(r.hostState, /docker-compose-dev\.yaml .*appeared since the plan/);
    assert.equal(host.fs.get(DEV_PATH)!.toString(), '# someone else\n');
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.equal([...host.fs.keys()].filter((k) => k.endsWith('.bak')).length, 0);
    assert.equal(host.ran.length, 0);
  });

  it('delete removes the file after its backup', async () => {
    const host = hostWithEnv();
    host.fs.set(DEV_PATH, Buffer.from(DEV));
    const c = ctx();
    const plan = planAddCsc(c, 'salkafka-m2', 'MTDome');
    plan.files.push(plannedFile(c, 'delete', DEV_PATH, Buffer.from(DEV), undefined));
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'applied', r.hostState);
    assert.equal(host.fs.has(DEV_PATH), false);
    assert.ok(host.fs.get(r.files[1].backupPath!)!.equals(Buffer.from(DEV)));
  });

  it('the plan shows every file (a new file against empty) and the commands per stage', () => {
    const plan = threeFilePlan();
    assert.equal(plan.files[1].oldText, '');
    const detail = planDetail(plan, false);
    assert.match(detail, /Creates .*docker-compose-dev\.yaml\./);
    assert.match(detail, /Writes .*setup_kp\.env \(backup: /);
    assert.match(detail, / 2\. start salkafka-dev \(then verify salkafka-dev\)\n {2}docker-compose -f \S*docker-compose-dev\.yaml --ansi never up -d --no-deps salkafka-dev/);
    const md = planMarkdown(plan, false);
    assert.match(md, /### Stage 3: re-create salkafka-at/);
  });
});

describe('staged execution', () => {
  it('stops at the first failing stage: stage 1 verified, stage 2 failed, stage 3 never ran; audit per stage', async () => {
    const host = hostWithEnv();
    const plan = threeFilePlan();
    const verified: string[] = [];
    const r = await applyPlan(plan, host, {
      verifyStage: async (s) => {
        verified.push(s.verify.container);
        return report(s.verify.container, s.verify.container !== 'salkafka-dev');
      },
    });
    assert.deepEqual(verified, ['salkafka-m2', 'salkafka-dev']);
    assert.equal(host.ran.length, 2, 'the third stage ran no command');
    assert.deepEqual(r.stages.map((s) => s.status), ['verified', 'failed', 'not run']);
    assert.equal(r.status, 'failed');
    assert.match(r.hostState, /Stages done and verified: re-create salkafka-m2\. Stage 2 \(start salkafka-dev\) ran but failed verification; stopped there\. Not run: re-create salkafka-at\./);
    assert.deepEqual(stageSummary(r), { completed: ['re-create salkafka-m2'], failed: ['start salkafka-dev'], notRun: ['re-create salkafka-at'] });
    const rec = buildAuditRecord(plan, r, r.stages[1].verify, { localUser: 'a', remoteUser: 'b' });
    assert.deepEqual(rec.stages!.map((s) => [s.status, s.verification?.ok]), [['verified', true], ['failed', false], ['not run', undefined]]);
    assert.deepEqual(rec.files!.map((f) => f.kind), ['modify', 'create', 'modify']);
    assert.ok(rec.files!.every((f) => f.kind === 'create' || f.backupPath));
    assert.equal(rec.commands[2].exitCode, 'not run');
  });

  it('a failing command in a later stage leaves the files and says which stages ran', async () => {
    const host = hostWithEnv();
    const plan = threeFilePlan();
    const origExec = host.exec.bind(host);
    host.exec = async (argv, o) => (argv.includes('salkafka-dev') ? { code: 1, signal: null, stdout: '', stderr: 'ERROR: pull access denied' } : origExec(argv, o));
    const r = await applyPlan(plan, host, { verifyStage: async (s) => report(s.verify.container, true) });
    assert.deepEqual(r.stages.map((s) => s.status), ['verified', 'failed', 'not run']);
    assert.notEqual(r.restored, true);
    assert.equal(host.fs.get(DEV_PATH)!.toString(), DEV);
    assert.match(r.stages[1].error!, /pull access denied/);
    assert.match(r.hostState, /Not run: re-create salkafka-at/);
  });

  it('a plan without stages is one stage: commands, then its container verified', async () => {
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    assert.deepEqual(planStages(plan).map((s) => [s.services, s.verify.container, s.commands.length]), [[['salkafka-m2'], 'salkafka-m2', 1]]);
    const r = await applyPlan(plan, new FakeHost(), { verifyStage: async (s) => report(s.verify.container, true) });
    assert.deepEqual(r.stages.map((s) => s.status), ['verified']);
    assert.equal(r.status, 'applied');
  });

  it('rolling back restores each file from its backup, removes the created one, re-ups the stages that ran', async () => {
    const host = hostWithEnv();
    const plan = threeFilePlan();
    const r = await applyPlan(plan, host, { verifyStage: async (s) => report(s.verify.container, s.verify.container !== 'salkafka-dev') });
    const restores = r.files.map((f) => ({ path: f.path, kind: f.kind, current: host.fs.get(f.path), backup: f.backupPath ? host.fs.get(f.backupPath) : undefined }));
    const back = planFilesRollback(ctx({ composeContent: host.fs.get(COMPOSE_PATH)!, now: new Date('2026-11-24T23:50:00Z') }), restores, {
      summary: 'Roll back',
      reUp: [{ service: 'salkafka-m2', container: 'salkafka-m2', composePath: COMPOSE_PATH }],
      remove: [{ container: 'salkafka-dev', graceSeconds: 30 }],
    });
    assert.deepEqual(back.files.map((f) => f.kind), ['modify', 'delete', 'modify']);
    const rr = await applyPlan(back, host, { verifyStage: async (s) => (s.verify.expect.state === 'skip' ? undefined : report(s.verify.container, true)) });
    assert.equal(rr.status, 'applied', rr.hostState);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.equal(host.fs.get(ENV_PATH)!.toString(), ENV);
    assert.equal(host.fs.has(DEV_PATH), false);
    assert.ok(host.fs.get(rr.files[1].backupPath!)!.equals(Buffer.from(DEV)), 'the removed file is kept as a backup');
    assert.deepEqual(host.ran.slice(-3).map((a) => a.slice(0, 2).join(' ')), ['docker stop', 'docker rm', 'docker-compose -f']);
  });
});
