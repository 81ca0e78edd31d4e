// 5. Add a CSC end to end, as a user would with "Add CSC to Producer…": the plan is shown as a
//    diff, the confirmations are answered (the test host counts as production, see the runner:
//    a modal, then the typed service name), and the pipeline backs up, edits the compose file on
//    the host, recreates the container, verifies it and appends one audit record. Everything is
//    checked on the host itself over ssh. The host is reset to its baseline afterwards.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { OpsApi } from '../../src/features/ops';
import { ScriptedPrompter } from '../../src/features/ops/prompter';
import { pollUntil } from './helpers';
import { connected, describeRows, extensionApi, hostAtBaseline, onHost, producersListed, resetAfterChange, withTimeout, type TestHostInfo } from './remoteHelpers';

const SERVICE = 'salkafka-m2';
const CSC = 'MTMount';
const BEFORE = ['MTRotator', 'MTHexapod', 'MTM2'];
const AFTER = [...BEFORE, CSC];

interface AuditLine {
  planId: string;
  action: string;
  service: string;
  csc?: string;
  outcome: string;
  production: boolean;
  cscListAfter: string[];
  verification?: { ok: boolean; summary: string };
}

suite('Remote 5: add a CSC end to end', () => {
  let info: TestHostInfo;
  let api: ExtensionApi;
  let ops: OpsApi;
  let auditPath: string;
  let composeBefore: string;
  let auditBefore: string[];
  let prompter: ScriptedPrompter;
  let changed = false;
  let startedAt: number;

  const auditLines = async (): Promise<string[]> => (await onHost(info, `cat ${auditPath} 2>/dev/null || true`)).split('\n').filter((l) => l.trim() !== '');

  suiteSetup(async function () {
    this.timeout(180_000);
    info = await hostAtBaseline();
    api = await extensionApi();
    await connected(api);
    await producersListed(api, [SERVICE]);
    ops = await api.ops();
    auditPath = info.composeFile.replace(/[^/]+$/, 'salkafka-audit.jsonl');
    composeBefore = await onHost(info, `cat ${info.composeFile}`);
    assert.ok(composeBefore.includes(`CSC_LIST=${BEFORE.join(' ')}\n`), `the test host is not at its baseline: no "CSC_LIST=${BEFORE.join(' ')}" line`);
    auditBefore = await auditLines();

    prompter = new ScriptedPrompter({ modal: ['Continue…'], input: [SERVICE] });
    ops.setPrompter(prompter);
    startedAt = Date.now();
    changed = true; // from here on the host may change: reset in suiteTeardown whatever happens
    await withTimeout(
      vscode.commands.executeCommand('efdSalkafka.addCsc', { service: SERVICE, csc: CSC }),
      120_000,
      `efdSalkafka.addCsc ${CSC} → ${SERVICE} (see the "EFD SAL Kafka: Operations" output)`,
    );
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    ops?.setPrompter(undefined);
    // The plan diff and reports this suite opened; a dirty editor would ask to save, so leave those.
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => !t.isDirty));
    if (changed) await resetAfterChange();
  });

  function outcome() {
    const last = ops.lastPlan();
    assert.ok(last, 'lastPlan() is empty: no plan was made (see prompter questions: ' + JSON.stringify(prompter.asked) + ')');
    return last;
  }

  test('the plan: CSC_LIST before/after, one docker-compose up command, production', () => {
    const { plan } = outcome();
    assert.strictEqual(plan.action, 'add-csc');
    assert.strictEqual(plan.service, SERVICE);
    assert.strictEqual(plan.host, info.sshAlias);
    assert.strictEqual(plan.csc, CSC);
    assert.deepStrictEqual(plan.cscListBefore, BEFORE);
    assert.deepStrictEqual(plan.cscListAfter, AFTER);
    assert.strictEqual(plan.commands.length, 1, `commands: ${plan.commands.map((c) => c.display).join(' | ')}`);
    const [up] = plan.commands;
    assert.strictEqual(up.role, 'change');
    assert.deepStrictEqual(up.argv.slice(-6), ['up', '-d', '--no-deps', '-t', '30', SERVICE], up.display);
    assert.ok(up.argv.includes(info.composeFile), `compose command does not name ${info.composeFile}: ${up.display}`);
    assert.ok(plan.production.production, 'the test host is listed in efdSalkafka.production.hosts by the runner');
    assert.ok(plan.production.reasons.some((r) => r.includes(info.sshAlias)), plan.production.reasons.join('; '));
  });

  test('the user was asked exactly: the confirmation modal, then the typed service name', () => {
    assert.deepStrictEqual(prompter.asked.map((a) => a.kind), ['modal', 'input'], JSON.stringify(prompter.asked, null, 1));
    assert.match(prompter.asked[0].text, new RegExp(`^PRODUCTION — Add ${CSC} to ${SERVICE} on ${info.sshAlias}\\?`));
    assert.match(prompter.asked[1].text, new RegExp(`Type ${SERVICE} to add ${CSC}`));
  });

  test('the plan was shown as a diff editor of salkafka-plan: documents, current ↔ planned', async () => {
    const { plan } = outcome();
    const diffs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'salkafka-plan');
    const mine = diffs.find((t) => (t.input as vscode.TabInputTextDiff).modified.path === `/${plan.id}/planned/docker-compose.yaml`);
    assert.ok(mine, `no salkafka-plan diff tab for plan ${plan.id}; salkafka-plan diff tabs: ${diffs.map((t) => t.label).join(', ') || '(none)'}`);
    const input = mine.input as vscode.TabInputTextDiff;
    assert.strictEqual(input.original.scheme, 'salkafka-plan');
    assert.strictEqual(input.original.path, `/${plan.id}/current/docker-compose.yaml`);
    const left = (await vscode.workspace.openTextDocument(input.original)).getText();
    const right = (await vscode.workspace.openTextDocument(input.modified)).getText();
    assert.strictEqual(left, composeBefore, 'the diff\'s left side is not the file as it was on the host');
    assert.ok(right.includes(`CSC_LIST=${AFTER.join(' ')}\n`), 'the diff\'s right side lacks the new CSC_LIST');
  });

  test('applied and verified: outcome ok, verification passed with the new CSC seen', () => {
    const { outcome: o } = outcome();
    assert.ok(o, 'the plan has no outcome: it was not run');
    const checks = o.verify?.checks.map((c) => `  ${c.status} ${c.name}: ${c.detail}`).join('\n') ?? '(no verification)';
    assert.strictEqual(o.result.status, 'applied', `${o.result.status}: ${o.result.hostState} ${o.result.error ?? ''}`);
    assert.ok(o.verify?.ok, `verification failed: ${o.verify?.summary}\n${checks}`);
    assert.ok(o.verify.checks.some((c) => c.name === `${CSC} seen` && c.status === 'pass'), `no passed "${CSC} seen" check:\n${checks}`);
    assert.ok(o.ok);
  });

  test('the compose file on the host has exactly that one change (ssh cat)', async () => {
    const now = await onHost(info, `cat ${info.composeFile}`);
    const expected = composeBefore.replace(`CSC_LIST=${BEFORE.join(' ')}\n`, `CSC_LIST=${AFTER.join(' ')}\n`);
    assert.notStrictEqual(expected, composeBefore);
    assert.strictEqual(now, expected, 'the host compose file is not the baseline with MTMount appended to salkafka-m2\'s CSC_LIST');
    const { outcome: o } = outcome();
    assert.ok(o?.result.backupPath, 'no backup path in the outcome');
    assert.strictEqual(await onHost(info, `cat ${o.result.backupPath}`), composeBefore, 'the backup does not hold the previous file');
  });

  test('the recreated container runs with the new CSC_LIST (docker inspect over ssh) and logs the new CSC', async () => {
    const inspect = JSON.parse(await onHost(info, `docker inspect ${SERVICE}`)) as { State: { Status: string; StartedAt: string }; Config: { Env: string[] } }[];
    const c = inspect[0];
    assert.ok(c.Config.Env.includes(`CSC_LIST=${AFTER.join(' ')}`), `container env: ${c.Config.Env.filter((e) => e.startsWith('CSC_LIST')).join(', ')}`);
    assert.strictEqual(c.State.Status, 'running');
    assert.ok(Date.parse(c.State.StartedAt) >= startedAt - 2_000, `container started at ${c.State.StartedAt}, before the change (${new Date(startedAt).toISOString()})`);
    const logs = await onHost(info, `docker logs ${SERVICE} 2>&1`);
    assert.match(logs, new RegExp(`INFO:salkafka\\.${CSC}:Created producer for ${CSC}:`));
  });

  test('the audit log on the host gained exactly one record, for this plan', async () => {
    const { plan } = outcome();
    const after = await auditLines();
    const added = after.slice(auditBefore.length).map((l) => JSON.parse(l) as AuditLine);
    const mine = added.filter((r) => r.planId === plan.id);
    assert.strictEqual(mine.length, 1, `records for plan ${plan.id}: ${mine.length}; all records added during the test:\n${added.map((r) => JSON.stringify(r).slice(0, 200)).join('\n')}`);
    assert.strictEqual(after.length, auditBefore.length + 1, `the audit log went from ${auditBefore.length} to ${after.length} lines (another run on the same test host at the same time?)`);
    const r = mine[0];
    assert.strictEqual(r.action, 'add-csc');
    assert.strictEqual(r.service, SERVICE);
    assert.strictEqual(r.csc, CSC);
    assert.strictEqual(r.outcome, 'applied');
    assert.strictEqual(r.production, true);
    assert.deepStrictEqual(r.cscListAfter, AFTER);
    assert.ok(r.verification?.ok, `audit verification: ${JSON.stringify(r.verification)}`);
  });

  test('the producers view shows the new CSC under salkafka-m2', async function () {
    this.timeout(20_000);
    const views = await api.views();
    const rows = await pollUntil(() => views.producersView(), (r) => r.producers.find((p) => p.label === SERVICE)?.cscs.includes(CSC) ?? false, 10_000);
    assert.deepStrictEqual(rows.producers.find((p) => p.label === SERVICE)?.cscs, AFTER, describeRows(rows));
  });

  test('the producers view shows the verification result under salkafka-m2', async () => {
    const views = await api.views();
    const row = views.producersView().producers.find((p) => p.label === SERVICE);
    assert.match(row?.verification ?? '(no verification row)', /^Verified: PASS (\d+)\/\1 checks/, describeRows(views.producersView()));
  });
});
