// 7. A development producer end to end, as the procedure asks: "New Development Producer…" with
//    its guided questions (answered by a scripted prompter: MTM2 on DDS domain 7), a plan that
//    creates docker-compose-mtm2.yaml beside the main file with the domain's OpenSplice daemon
//    and the exact commands, the pipeline (confirm → lock → backup → write → up → verify → audit)
//    verifying PASS on the test host (whose simulator runs MTM2 on domain 7 and needs the daemon),
//    the view showing it apart as development with owner and expiry, then "Take Down Development
//    Producer…" leaving the compose files byte-identical and no container behind.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { OpsApi } from '../../src/features/ops';
import { ScriptedPrompter, type Prompter } from '../../src/features/ops/prompter';
import { pollUntil } from './helpers';
import { connected, describeRows, extensionApi, hostAtBaseline, onHost, producersListed, resetAfterChange, withTimeout, type TestHostInfo } from './remoteHelpers';

const SERVICE = 'salkafka-mtm2';
const DAEMON = 'ospl-daemon-domain-007';

/**
 * Answers the guided questions in order (input boxes), picks by question (the production image,
 * then its own file with shared memory) and confirms every modal with "Continue…".
 */
function answering(inputs: string[]): Prompter {
  const left = [...inputs];
  return {
    async modal(req) {
      if (!req.choices.includes('Continue…')) throw new Error(`unexpected modal: ${req.message}`);
      return 'Continue…';
    },
    async input(req) {
      if (!left.length) throw new Error(`unexpected input box: ${req.prompt}`);
      const a = left.shift()!;
      const bad = req.validate?.(a);
      if (bad) throw new Error(`input "${a}" rejected for "${req.prompt}": ${bad}`);
      return a;
    },
    async pick(req) {
      const item = /image/.test(req.title) ? req.items[0] : /where and how/.test(req.title) ? req.items.find((i) => i.label === 'docker-compose-mtm2.yaml, shared memory') : undefined;
      if (!item) throw new Error(`unexpected quick pick: ${req.title}`);
      return item;
    },
  };
}

suite('Remote 7: a development producer on DDS domain 7, provisioned and taken down', () => {
  let info: TestHostInfo;
  let api: ExtensionApi;
  let ops: OpsApi;
  let dir: string;
  let filesBefore: string;
  let changed = false;

  /** Every compose file of the kafka_writers directory with its sha256 (backups and the audit log aside). */
  const composeFiles = async () => onHost(info, `cd ${dir} && sha256sum docker-compose*.yaml | sort -k2`);

  suiteSetup(async function () {
    this.timeout(240_000);
    info = await hostAtBaseline();
    dir = info.composeFile.replace(/\/[^/]+$/, '');
    api = await extensionApi();
    await connected(api);
    await producersListed(api, ['salkafka-m2']);
    ops = await api.ops();
    filesBefore = await composeFiles();
    const expires = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
    // The test host counts as production (runner setting): the modal, then the typed service name.
    ops.setPrompter(answering(['7', 'MTM2', 'mtm2', 'tester', expires, '', SERVICE]));
    changed = true;
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.newDevProducer', { host: info.sshAlias }), 180_000, 'efdSalkafka.newDevProducer (see the "EFD SAL Kafka: Operations" output)');
  });

  suiteTeardown(async function () {
    this.timeout(120_000);
    ops?.setPrompter(undefined);
    await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => !t.isDirty));
    if (changed) await resetAfterChange();
  });

  test('the plan creates docker-compose-mtm2.yaml with the daemon of domain 7 and shows the exact commands', () => {
    const last = ops.lastPlan();
    assert.ok(last, 'no plan was made');
    const { plan } = last;
    assert.strictEqual(plan.action, 'provision-dev');
    assert.deepStrictEqual(plan.files.map((f) => [f.kind, f.path]), [['create', `${dir}/docker-compose-mtm2.yaml`]]);
    const text = plan.files[0].newText;
    assert.match(text, /\n {2}salkafka-mtm2:\n/);
    assert.match(text, /\n {2}ospl-daemon-domain-007:\n {4}image: ospl-daemon-sim:test\n/);
    assert.match(text, /- LSST_DDS_DOMAIN_ID=7\n/);
    assert.match(text, /ipc: host/);
    assert.deepStrictEqual(plan.stages?.map((s) => s.services), [[DAEMON], [SERVICE]]);
    const displays = plan.commands.map((c) => c.display);
    assert.ok(displays[0].includes(`-f ${dir}/docker-compose-mtm2.yaml`) && displays[0].endsWith(`up -d --no-deps ${DAEMON}`), displays.join(' | '));
    assert.ok(displays[1].endsWith(`up -d --no-deps ${SERVICE}`), displays.join(' | '));
    assert.ok(plan.warnings.some((w) => /MTM2 is also in production producer salkafka-m2: both would write the same lsst\.sal\.MTM2\.\* topics/.test(w)), plan.warnings.join('\n'));
    assert.ok(plan.warnings.some((w) => /^Announcement .*DDS domain 7 for MTM2.*Owner: tester/.test(w)), plan.warnings.join('\n'));
  });

  test('applied and verified PASS on the test host, samples of MTM2 on domain 7', () => {
    const { outcome } = ops.lastPlan()!;
    assert.ok(outcome, 'the plan did not run');
    assert.ok(outcome.ok, `outcome not ok: ${outcome.verify?.summary}`);
    assert.match(outcome.verify!.summary, /^PASS salkafka-mtm2/);
    assert.ok(outcome.verify!.checks.some((c) => c.name === 'MTM2 samples' && c.status === 'pass'), JSON.stringify(outcome.verify!.checks, null, 1));
  });

  test('the view shows it apart, as development, with domain, owner and expiry', async () => {
    const views = await api.views();
    const rows = await pollUntil(() => views.producersView(), (r) => r.producers.some((p) => p.label === SERVICE && /dev · domain 7 · tester · expires in/.test(p.description)), 30_000, 300);
    const dev = rows.producers.find((p) => p.label === SERVICE);
    assert.ok(dev && /dev · domain 7 · tester · expires in 1[45] days/.test(dev.description), describeRows(rows));
    assert.ok(rows.messages.some((m) => /^Development producers \(1\)/.test(m)), describeRows(rows));
    const order = rows.producers.map((p) => p.label);
    assert.ok(order.indexOf(SERVICE) > order.indexOf('salkafka-m2'), `development producers come after the production ones: ${order.join(', ')}`);
  });

  test('Take Down leaves the compose files byte-identical and no container behind', async function () {
    this.timeout(180_000);
    const prompter = new ScriptedPrompter({ modal: ['Continue…'], input: [SERVICE] });
    ops.setPrompter(prompter);
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.takeDownDevProducer', { host: info.sshAlias, service: SERVICE }), 120_000, 'efdSalkafka.takeDownDevProducer');
    const { plan, outcome } = ops.lastPlan()!;
    assert.strictEqual(plan.action, 'take-down-dev');
    assert.deepStrictEqual(plan.files.map((f) => f.kind), ['delete']);
    assert.ok(outcome?.ok, `take-down not ok: ${outcome?.verify?.summary}`);
    assert.strictEqual(await composeFiles(), filesBefore, 'compose files differ from before the provisioning');
    const names = (await onHost(info, "docker ps -a --format '{{.Names}}'")).split('\n');
    assert.ok(!names.includes(SERVICE) && !names.includes(DAEMON), `containers left: ${names.join(' ')}`);
    changed = false;
    await resetAfterChange();
  });
});
