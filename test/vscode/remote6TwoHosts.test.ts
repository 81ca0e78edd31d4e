// 6. Two producers hosts in one view: the first test host (azar2-test) and the second one
//    (tucson-test, test/host/up-b.sh: its own sshd on :2223 and its own dockerd on
//    /var/run/docker-b.sock, its own compose file and producers; salkafka-m2 exists on both).
//    efdSalkafka.producerHosts lists both; the view shows both with their own producers, the
//    status bar summarises, and a change made on the second host touches only the second host.
//    Runs in both transport passes: over SSH, or (auto) the local transport with host B's socket.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { OpsApi } from '../../src/features/ops';
import { ScriptedPrompter } from '../../src/features/ops/prompter';
import { ensureTestHostB, onHostB, resetTestHostB, type TestHostBInfo } from '../integration/testHostB';
import { pollUntil } from './helpers';
import { connected, describeRows, extensionApi, hostAtBaseline, onHost, withTimeout, type TestHostInfo } from './remoteHelpers';

const CSC = 'MTDomeTrajectory';

suite('Remote 6: two hosts in one view', () => {
  let a: TestHostInfo;
  let b: TestHostBInfo;
  let api: ExtensionApi;
  let ops: OpsApi;
  let saved: { producerHosts: unknown; sshConfigFile: unknown };
  let changedB = false;
  const config = () => vscode.workspace.getConfiguration('efdSalkafka');

  suiteSetup(async function () {
    this.timeout(300_000);
    a = await hostAtBaseline();
    b = await ensureTestHostB();
    if (!(await onHostB(b, `cat ${b.composeFile}`)).stdout.includes('CSC_LIST=MTMount MTDome\n')) b = await resetTestHostB();
    api = await extensionApi();
    ops = await api.ops();
    await connected(api);
    saved = { producerHosts: config().inspect('producerHosts')?.globalValue, sshConfigFile: config().inspect('sshConfigFile')?.globalValue };
    // One ssh config naming both hosts (it Includes host A's), and the list of hosts.
    await config().update('sshConfigFile', b.sshConfigBoth, vscode.ConfigurationTarget.Global);
    await config().update('producerHosts', [{ alias: a.sshAlias }, { alias: b.sshAlias, composeFile: b.composeFile, dockerSocket: b.dockerSocket }], vscode.ConfigurationTarget.Global);
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.connect', b.sshAlias), 30_000, `efdSalkafka.connect ${b.sshAlias}`);
  });

  suiteTeardown(async function () {
    this.timeout(300_000);
    ops?.setPrompter(undefined);
    await vscode.commands.executeCommand('efdSalkafka.disconnect', b?.sshAlias);
    await config().update('producerHosts', saved?.producerHosts, vscode.ConfigurationTarget.Global);
    await config().update('sshConfigFile', saved?.sshConfigFile, vscode.ConfigurationTarget.Global);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => !t.isDirty));
    if (changedB) await resetTestHostB();
  });

  test('both hosts have a row, each with its own producers; the status bar says 2/2 connected', async function () {
    this.timeout(60_000);
    const views = await api.views();
    const rowsB = await pollUntil(() => views.producersView(b.sshAlias), (r) => Object.keys(b.producers).every((n) => r.producers.some((p) => p.label === n)), 30_000, 200);
    const rowsA = await pollUntil(() => views.producersView(a.sshAlias), (r) => r.producers.some((p) => p.label === 'salkafka-at'), 30_000, 200);
    assert.deepStrictEqual(views.hosts().map((h) => h.label), [a.sshAlias, b.sshAlias]);
    assert.deepStrictEqual(rowsB.producers.map((p) => p.label).sort(), Object.keys(b.producers).sort(), describeRows(rowsB));
    assert.deepStrictEqual(rowsB.producers.find((p) => p.label === 'salkafka-m2')?.cscs, ['MTM2'], 'host B has its own salkafka-m2, with its own CSC_LIST');
    assert.deepStrictEqual(rowsA.producers.find((p) => p.label === 'salkafka-m2')?.cscs, ['MTRotator', 'MTHexapod', 'MTM2'], describeRows(rowsA));
    assert.ok(!rowsA.producers.some((p) => p.label === 'salkafka-tma'), 'host A lists a producer of host B');
    assert.match(views.statusBar(), /EFD: 2\/2 connected$/);
    assert.strictEqual(views.connection(b.sshAlias).transport, process.env.SALKAFKA_EXPECT_TRANSPORT ?? 'ssh');
    assert.ok(views.connection(b.sshAlias).docker?.ok, `Docker on ${b.sshAlias}: ${views.connection(b.sshAlias).docker?.message}`);
  });

  test('Add CSC on the second host changes only the second host', async function () {
    this.timeout(180_000);
    const composeA = await onHost(a, `sha256sum ${a.composeFile}`);
    const containersA = await onHost(a, "docker ps -a --format '{{.Names}} {{.ID}} {{.State}}'");
    const prompter = new ScriptedPrompter({ modal: ['Apply'] });
    ops.setPrompter(prompter);
    changedB = true;
    await withTimeout(
      vscode.commands.executeCommand('efdSalkafka.addCsc', { host: b.sshAlias, service: 'salkafka-tma', csc: CSC }),
      150_000,
      `efdSalkafka.addCsc ${CSC} on ${b.sshAlias}`,
    );
    const last = ops.lastPlan();
    assert.ok(last?.outcome, `no outcome; asked: ${JSON.stringify(prompter.asked)}`);
    assert.strictEqual(last.plan.host, b.sshAlias);
    assert.strictEqual(last.plan.production.production, false, 'tucson-test is not production: one modal, no typed name');
    assert.ok(last.outcome.ok, `${last.outcome.result.status}: ${last.outcome.result.hostState} ${last.outcome.verify?.summary ?? ''}`);
    const composeB = (await onHostB(b, `cat ${b.composeFile}`)).stdout;
    assert.match(composeB, new RegExp(`CSC_LIST=MTMount MTDome ${CSC}\\n`));
    const inspect = (await onHostB(b, "docker inspect -f '{{range .Config.Env}}{{println .}}{{end}}' salkafka-tma")).stdout;
    assert.match(inspect, new RegExp(`^CSC_LIST=MTMount MTDome ${CSC}$`, 'm'));
    // Host A: same compose bytes, same containers (same ids: nothing recreated).
    assert.strictEqual(await onHost(a, `sha256sum ${a.composeFile}`), composeA);
    assert.strictEqual(await onHost(a, "docker ps -a --format '{{.Names}} {{.ID}} {{.State}}'"), containersA);
  });

  test('a change command given no host asks which one, and acts on the answer', async function () {
    this.timeout(120_000);
    const views = await api.views();
    // Host A's salkafka-m2 may carry a verification from an earlier suite; it must not change.
    const rowABefore = views.producersView(a.sshAlias).producers.find((p) => p.label === 'salkafka-m2')?.verification;
    const reports: { host?: string; container: string; ok: boolean }[] = [];
    const sub = ops.onDidVerify((r) => reports.push(r as typeof r & { host?: string }));
    const prompter = new ScriptedPrompter({ pick: [b.sshAlias] });
    ops.setPrompter(prompter);
    try {
      await withTimeout(vscode.commands.executeCommand('efdSalkafka.verifyProducer', { service: 'salkafka-m2' }), 90_000, 'efdSalkafka.verifyProducer');
    } finally {
      sub.dispose();
    }
    assert.deepStrictEqual(prompter.asked.map((q) => q.kind), ['pick'], JSON.stringify(prompter.asked));
    assert.strictEqual(reports.length, 1, `verification reports: ${JSON.stringify(reports)}`);
    assert.strictEqual(reports[0].host, b.sshAlias);
    assert.strictEqual(reports[0].container, 'salkafka-m2');
    const rowB = await pollUntil(() => views.producersView(b.sshAlias).producers.find((p) => p.label === 'salkafka-m2'), (r) => r?.verification !== undefined, 5_000);
    assert.ok(rowB?.verification, 'the verification shows under host B\'s salkafka-m2');
    const rowA = views.producersView(a.sshAlias).producers.find((p) => p.label === 'salkafka-m2');
    assert.strictEqual(rowA?.verification, rowABefore, 'and host A\'s salkafka-m2 row is untouched');
  });
});
