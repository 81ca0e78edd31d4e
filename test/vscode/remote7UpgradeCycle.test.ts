// 7. "Upgrade Producers to Cycle…" end to end in the real VS Code, on the test host with its image
//    registry: two producers of a sibling compose file move from the simulated cycle c0028 to
//    c0029, their cycle set as CYCLE_UPGRADE in the setup_kp.env the file's header names. One
//    writes MTAlignment, which ts_xml 15.0.0 renamed LaserTracker: the plan renames it in the same
//    diff. c0029 is not on the host: the first stage pulls it from the registry; then one producer
//    at a time, each verified. A second run, where the second producer cannot start on the new
//    cycle, stops there, says who is on which cycle, and rolls the first one back on request.
//    The confirmations are answered as a user would (the test host counts as production: a modal,
//    then the typed service names). The host is reset to its baseline afterwards.
import * as assert from 'assert';
import * as posix from 'node:path/posix';
import * as vscode from 'vscode';
import type { OpsApi } from '../../src/features/ops';
import { ScriptedPrompter } from '../../src/features/ops/prompter';
import type { ModalRequest } from '../../src/features/ops/prompter';
import type { UpgradeRun } from '../../src/features/commands/upgradeCycle';
import { A, B, COMPOSE, COMPOSE_NAME, ENV, ENV_NAME, REPO } from '../integration/upgradeFixture';
import { connected, extensionApi, hostAtBaseline, onHost, resetAfterChange, withTimeout, type TestHostInfo } from './remoteHelpers';

const SERVICES = `${A} ${B}`;

suite('Remote 7: upgrade producers to a cycle', () => {
  let info: TestHostInfo;
  let ops: OpsApi;
  let dir: string;
  let composePath: string;
  let changed = false;

  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  // rm first: over the local transport (the extension as root) the upgrade's atomic writes leave
  // the files owned by root, which the test host user cannot overwrite but may replace.
  const writeFile = (path: string, text: string) => onHost(info, `rm -f ${q(path)} && cat > ${q(path)} <<'SALKAFKA_EOF'\n${text}SALKAFKA_EOF`);
  const setLoad = (c: string, lines: string[]) => onHost(info, `mkdir -p ${q(`${dir}/sim/${c}`)} && printf '%s\\n' ${lines.map(q).join(' ')} > ${q(`${dir}/sim/${c}/load`)}`);
  const baseline = async () => {
    await writeFile(composePath, COMPOSE);
    await writeFile(posix.join(dir, ENV_NAME), ENV);
    await onHost(info, `cd ${q(dir)} && set -a && . ./${ENV_NAME} && set +a && docker-compose -f ${q(composePath)} --ansi never up -d ${SERVICES} 2>&1`);
  };
  const inspect = async (c: string) => JSON.parse(await onHost(info, `docker inspect -f '{{json .Config}}' ${c}`)) as { Image: string; Env: string[] };
  const upgrade = (prompter: ScriptedPrompter) => {
    ops.setPrompter(prompter);
    return withTimeout(
      vscode.commands.executeCommand<UpgradeRun | undefined>('efdSalkafka.upgradeCycle', { composeFile: composePath, services: [A, B], cycle: 'c0029' }),
      240_000,
      'efdSalkafka.upgradeCycle (see the "EFD SAL Kafka: Operations" output)',
    );
  };

  suiteSetup(async function () {
    this.timeout(240_000);
    info = await hostAtBaseline();
    const api = await extensionApi();
    await connected(api);
    ops = await api.ops();
    dir = posix.dirname(info.composeFile);
    composePath = posix.join(dir, COMPOSE_NAME);
    changed = true;
    for (const c of [A, B]) await setLoad(c, ['* * 2']);
    await baseline(); // pulls c0028 from the registry
    await onHost(info, `docker rmi ${REPO}:c0029 >/dev/null 2>&1; true`);
  });

  suiteTeardown(async function () {
    this.timeout(180_000);
    ops?.setPrompter(undefined);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => !t.isDirty));
    if (!changed) return;
    await onHost(info, `docker rm -f ${SERVICES} >/dev/null 2>&1; docker rmi ${REPO}:c0028 ${REPO}:c0029 >/dev/null 2>&1; cd ${q(dir)} && rm -rf ${COMPOSE_NAME} ${ENV_NAME} ${COMPOSE_NAME}.*.bak ${ENV_NAME}.*.bak sim/${A} sim/${B}; true`);
    await resetAfterChange();
  });

  test('both producers move to c0029: image pulled from the registry first, MTAlignment renamed LaserTracker in the same plan, each verified', async function () {
    this.timeout(300_000);
    const prompter = new ScriptedPrompter({ modal: ['Continue…'], input: [SERVICES] });
    const run = await upgrade(prompter);
    assert.ok(run?.plan && run.outcome, `no plan or outcome; asked: ${JSON.stringify(prompter.asked)}; problems: ${run?.analysis.problems.join(' ')}`);
    const a = run.analysis.producers.find((p) => p.service === A)!;
    assert.strictEqual(a.changes[0].successor, 'LaserTracker');
    assert.strictEqual(`${a.xmlBefore} → ${a.xmlAfter}`, '14.0.0 → 15.0.0');
    assert.deepStrictEqual(run.plan.stages!.map((s) => s.label), ['pull the new images', `re-create ${A} on c0029`, `re-create ${B} on c0029`]);
    assert.deepStrictEqual(run.plan.files.map((f) => posix.basename(f.path)).sort(), [COMPOSE_NAME, ENV_NAME].sort());
    assert.deepStrictEqual(prompter.asked.map((x) => x.kind), ['modal', 'input'], 'one confirmation, typed on production');
    assert.match(prompter.asked[0].text, /PRODUCTION — Upgrade salkafka-upgrade-a, salkafka-upgrade-b to cycle c0029 \(ts_xml 15\.0\.0\)/);
    assert.ok(run.outcome.ok, `outcome: ${run.outcome.result.status} ${run.outcome.result.hostState} ${JSON.stringify(run.outcome.stages)}`);
    assert.strictEqual((await inspect(A)).Image, `${REPO}:c0029`);
    assert.ok((await inspect(A)).Env.includes('CSC_LIST=LaserTracker MTDome'));
    assert.strictEqual((await inspect(B)).Image, `${REPO}:c0029`);
    // Both files were backed up before the change.
    assert.ok(run.outcome.result.files.every((f) => f.backupPath), JSON.stringify(run.outcome.result.files));
  });

  test('a second run where the second producer fails verification stops there, and the first is rolled back on request', async function () {
    this.timeout(420_000);
    await baseline();
    await setLoad(B, ['* * 2', 'ATDome position fail-create']);
    // Before answering the roll back offer, B may start again (as an operator would fix it first):
    // the roll back re-creates it on c0028 and verifies it.
    const prompter = new (class extends ScriptedPrompter {
      override async modal(req: ModalRequest) {
        if (req.message.includes('stopped at')) await setLoad(B, ['* * 2']);
        return super.modal(req);
      }
    })({ modal: ['Continue…', 'Roll back the moved producers', 'Continue…'], input: [SERVICES, SERVICES] });
    const run = await upgrade(prompter);
    assert.ok(run?.outcome, `no outcome; asked: ${JSON.stringify(prompter.asked)}`);
    assert.strictEqual(run.outcome.ok, false);
    assert.deepStrictEqual(run.outcome.stages, { completed: [`re-create ${A} on c0029`], failed: [`re-create ${B} on c0029`], notRun: [] });
    assert.match(run.standings ?? '', new RegExp(`on c0029 and verified: ${A}; re-created on c0029 but FAILED verification: ${B}`));
    assert.match(prompter.asked[2].text, /stopped at salkafka-upgrade-b/);
    assert.ok(run.rollback?.ok, `roll back: ${run.rollback?.result.status} ${run.rollback?.result.hostState}`);
    for (const c of [A, B]) assert.strictEqual((await inspect(c)).Image, `${REPO}:c0028`, `${c} is back on its previous image`);
    assert.ok((await inspect(A)).Env.includes('CSC_LIST=MTAlignment MTDome'));
    assert.strictEqual(await onHost(info, `cat ${q(posix.join(dir, ENV_NAME))}`), ENV);
  });
});
