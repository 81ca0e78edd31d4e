// A cycle upgrade on the REAL local test host (sshd + dockerd + its image registry): two
// producers of a sibling compose file, their cycle set as CYCLE_UPGRADE in the setup_kp.env the
// file's header names, move from the simulated cycle c0028 (ts_xml 14.0.0) to c0029 (15.0.0).
// One of them writes MTAlignment, which 15.0.0 renamed LaserTracker: the plan renames it in the
// same diff. The c0029 image is not on the host, so the first stage pulls it from the registry
// (docker-compose pull of exactly those services) before any producer stops; then one producer
// per stage, each verified on the new cycle. A second run, where the second producer fails
// verification, stops there, says who is on which cycle, and the roll back puts the first one
// back on c0028 with the files byte for byte.
import { strict as assert } from 'assert';
import * as os from 'os';
import * as posix from 'node:path/posix';
import { hostOrSkip, Connections } from './support';
import type { TestHost } from './support';
import { hostExec, resetTestHost, setLoad, shellQuote } from './testHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { defaultCatalogue, defaultHistory } from '../../src/core/catalogue/defaultCatalogue';
import { loadPlanContext } from '../../src/core/ops/context';
import type { OpsSettings } from '../../src/core/ops/context';
import { planFilesRollback } from '../../src/core/ops/plan';
import { executePlan } from '../../src/core/ops/pipeline';
import type { PipelineOutcome } from '../../src/core/ops/pipeline';
import { auditLogPath, parseAuditLog } from '../../src/core/ops/audit';
import { sha256Hex } from '../../src/core/remote/remoteFiles';
import { analyseUpgrade } from '../../src/core/upgrade/analyse';
import { imagePresence, readUpgradeInputs } from '../../src/core/upgrade/hostInputs';
import { cycleStandings, planUpgradeCycle, PULL_STAGE_LABEL } from '../../src/core/upgrade/planUpgrade';
import { A, B, COMPOSE, COMPOSE_NAME, ENV, ENV_NAME, REPO } from './upgradeFixture';

describe('cycle upgrade on the test host (registry pull, rolling, verified, roll back)', function () {
  this.timeout(300_000);
  let h: TestHost;
  let conn: HostConnection;
  const conns = new Connections();
  let composePath: string;
  let envPath: string;
  let dir: string;
  let settings: OpsSettings;

  const docker = (cmd: string) => hostExec(`DOCKER_HOST=unix:///var/run/docker.sock ${cmd}`, { timeoutMs: 120_000 });
  /** As an operator would: source the env file, then compose in the directory. */
  const composeUp = async () => {
    const r = await hostExec(`cd ${shellQuote(dir)} && set -a && . ./setup_kp.env && set +a && DOCKER_HOST=unix:///var/run/docker.sock docker-compose -f ${shellQuote(composePath)} --ansi never up -d ${A} ${B}`, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stderr);
  };
  const writeBaseline = async () => {
    await conn.files.writeFileAtomic(composePath, Buffer.from(COMPOSE));
    await conn.files.writeFileAtomic(envPath, Buffer.from(ENV));
  };
  const imageOf = async (c: string) => ((await conn.docker().getContainer(c).inspect()) as { Config: { Image: string; Env: string[] } }).Config;
  const run = (plan: Parameters<typeof executePlan>[0]): Promise<PipelineOutcome> =>
    executePlan(plan, conn, { dryRun: false, auditPath: auditLogPath(composePath), who: { localUser: os.userInfo().username, remoteUser: h.user }, verifyTimeoutSeconds: 40 });
  const explain = (o: PipelineOutcome) => `${o.result.status}: ${o.result.hostState} ${o.result.error ?? ''}\n${JSON.stringify(o.result.stages.map((s) => [s.label, s.status, s.verify?.summary]))}`;

  async function plan(target: string) {
    const inputs = await readUpgradeInputs(conn.files, [composePath]);
    const analysis = analyseUpgrade({ ...inputs, target, select: [A, B].map((service) => ({ composePath, service })), history: defaultHistory() });
    const images = await imagePresence(conn.docker(), [...new Set(analysis.producers.map((p) => p.imageAfter))]);
    const ctx = await loadPlanContext(conn, { ...settings, composePath }, defaultCatalogue());
    return { analysis, images, plan: planUpgradeCycle(ctx, analysis, { images }) };
  }

  before(async function () {
    h = await hostOrSkip(this, 'cycle upgrade integration test');
    await resetTestHost();
    conn = await conns.connect(h);
    dir = posix.dirname(h.composeFile);
    composePath = posix.join(dir, COMPOSE_NAME);
    envPath = posix.join(dir, ENV_NAME);
    settings = { composePath, production: { hosts: [], partitions: [] }, verifyTimeoutSeconds: 40, dryRun: false, enableHotAdd: false };
    for (const c of [A, B]) await setLoad(c, ['* * 2']);
    await writeBaseline();
    await composeUp(); // pulls c0028 from the registry
    await docker(`docker rmi ${REPO}:c0029 >/dev/null 2>&1; true`);
  });

  after(async function () {
    conns.closeAll();
    if (!h) return;
    await docker(`docker rm -f ${A} ${B} >/dev/null 2>&1; docker rmi ${REPO}:c0028 ${REPO}:c0029 >/dev/null 2>&1; true`);
    await hostExec(`rm -rf ${shellQuote(composePath)} ${shellQuote(envPath)} ${shellQuote(composePath)}.*.bak ${shellQuote(envPath)}.*.bak ${shellQuote(`${dir}/sim/${A}`)} ${shellQuote(`${dir}/sim/${B}`)}`);
    await resetTestHost();
  });

  it('plans one diff over both files, pulls the missing image first, moves each producer in turn, verified on c0029', async () => {
    const { analysis, images, plan: p } = await plan('c0029');
    assert.deepEqual(analysis.problems, []);
    const a = analysis.producers.find((x) => x.service === A)!;
    assert.equal(a.xmlBefore, '14.0.0');
    assert.equal(a.xmlAfter, '15.0.0');
    assert.equal(a.changes[0].successor, 'LaserTracker', 'the CSC the target lacks, with its successor');
    assert.deepEqual(a.sharedWith, [B]);
    assert.deepEqual(images.map((i) => [i.image, i.present]), [[`${REPO}:c0029`, false]]);
    // One change: the compose file (the renamed CSC) and the env file (the cycle), each backed up.
    assert.deepEqual(p.files.map((f) => posix.basename(f.path)).sort(), ['docker-compose-upgrade.yaml', 'setup_kp.env']);
    assert.match(p.files.find((f) => f.path === envPath)!.newText, /^export CYCLE_UPGRADE=c0029$/m);
    assert.match(p.files.find((f) => f.path === composePath)!.newText, /CSC_LIST=LaserTracker MTDome/);
    assert.deepEqual(p.stages!.map((s) => s.label), [PULL_STAGE_LABEL, `re-create ${A} on c0029`, `re-create ${B} on c0029`]);
    assert.deepEqual(p.stages![0].commands[0].argv.slice(-3), ['pull', A, B], 'docker-compose pull of exactly those services');

    const out = await run(p);
    assert.ok(out.ok, explain(out));
    assert.deepEqual(out.stages.completed, p.stages!.map((s) => s.label));
    const pulled = await imagePresence(conn.docker(), [`${REPO}:c0029`]);
    assert.equal(pulled[0].present, true, 'pulled from the registry');
    for (const [c, list] of [[A, 'LaserTracker MTDome'], [B, 'ATDome ATMCS']]) {
      const cfg = await imageOf(c);
      assert.equal(cfg.Image, `${REPO}:c0029`);
      assert.ok(cfg.Env.includes(`CSC_LIST=${list}`), cfg.Env.join(' '));
    }
    const rec = parseAuditLog((await conn.files.readFile(auditLogPath(composePath))).content.toString('utf8')).records.pop()!;
    assert.equal(rec.planId, p.id);
    assert.equal(rec.action, 'upgrade-cycle');
    assert.equal(rec.stages!.length, 3, 'one audit entry per step');
    assert.deepEqual(rec.stages!.slice(1).map((s) => s.status), ['verified', 'verified']);
    assert.notEqual(rec.stages![0].status, 'failed');
  });

  it('a second run where the second producer fails verification stops there; roll back puts the first back on c0028', async () => {
    await writeBaseline();
    await composeUp();
    const composeBefore = (await conn.files.readFile(composePath)).content;
    const envBefore = (await conn.files.readFile(envPath)).content;
    // B will not start on the new cycle: ts_salkafka cannot create one of its topics.
    await setLoad(B, ['* * 2', 'ATDome position fail-create']);
    const { analysis, plan: p } = await plan('c0029');
    assert.equal(p.stages!.length, 2, 'the c0029 image is on the host now: no pull stage');
    const out = await run(p);
    assert.equal(out.ok, false, explain(out));
    assert.deepEqual(out.stages, { completed: [`re-create ${A} on c0029`], failed: [`re-create ${B} on c0029`], notRun: [] }, explain(out));
    const standing = cycleStandings(analysis, out.stages);
    assert.deepEqual(standing.moved, [A]);
    assert.deepEqual(standing.failed, [B]);
    assert.match(standing.text, new RegExp(`on c0029 and verified: ${A}; re-created on c0029 but FAILED verification: ${B}`));

    await setLoad(B, ['* * 2']);
    const restores = await Promise.all(
      out.result.files.map(async (f) => ({ path: f.path, kind: f.kind, current: (await conn.files.readFile(f.path)).content, backup: (await conn.files.readFile(f.backupPath!)).content })),
    );
    const ctx = await loadPlanContext(conn, settings, defaultCatalogue());
    const back = planFilesRollback(ctx, restores, {
      summary: `Roll back the upgrade of ${A}, ${B}`,
      reUp: [A, B].map((s) => ({ service: s, container: s, composePath })),
      remove: [],
    });
    const undone = await run(back);
    assert.ok(undone.ok, explain(undone));
    assert.equal((await conn.files.readFile(composePath)).sha256, sha256Hex(composeBefore));
    assert.equal((await conn.files.readFile(envPath)).sha256, sha256Hex(envBefore));
    for (const c of [A, B]) assert.equal((await imageOf(c)).Image, `${REPO}:c0028`, `${c} back on its previous image`);
    assert.ok((await imageOf(A)).Env.includes('CSC_LIST=MTAlignment MTDome'));
  });
});
