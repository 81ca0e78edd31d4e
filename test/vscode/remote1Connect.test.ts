// Remote suites, run in the order of their number (1 connect, 2 tree, 3 logs, 4 compose, 5 add CSC);
// each also stands alone. Real SSH to the local test host and its real Docker (test/host/up.sh;
// the runner starts it and points efdSalkafka.host / sshConfigFile at it). No fakes.
//
// 1. "Connect to Host" with the key and host key already known: no question asked, the state the
//    status bar shows becomes "connected" and Docker is usable over the connection.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { pollUntil } from './helpers';
import { assertRunnerSettings, describeConnection, describeRows, extensionApi, hostAtBaseline, withTimeout, type TestHostInfo } from './remoteHelpers';

suite('Remote 1: connect to the test host', () => {
  let info: TestHostInfo;
  let api: ExtensionApi;

  suiteSetup(async function () {
    this.timeout(180_000); // a full reset of the test host to its baseline takes about 20 s
    info = await hostAtBaseline();
    assertRunnerSettings(info);
    api = await extensionApi();
  });

  test('efdSalkafka.connect connects without any prompt; state connected, Docker usable', async function () {
    this.timeout(60_000);
    const views = await api.views();
    // Start from disconnected: "Connect" on a live connection asks Disconnect/Reconnect instead.
    if (views.connection().state !== 'disconnected') {
      await vscode.commands.executeCommand('efdSalkafka.disconnect');
      await pollUntil(() => views.connection().state, (s) => s === 'disconnected', 5_000);
    }
    const before = views.connection();
    assert.strictEqual(before.state, 'disconnected', `could not start disconnected: ${describeConnection(before)}`);
    assert.strictEqual(before.alias, info.sshAlias);

    const t0 = Date.now();
    // An unknown host key or a passphrase would open a dialog and this would never resolve.
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.connect'), 30_000, 'efdSalkafka.connect (a prompt may be waiting: unknown host key or passphrase?)');
    const elapsed = Date.now() - t0;
    const now = views.connection();
    assert.strictEqual(now.state, 'connected', `after efdSalkafka.connect (${elapsed} ms): ${describeConnection(now)} (see the "EFD SAL Kafka: Connection" output)`);
    // The Docker check runs right after the connection is up.
    const c = await pollUntil(() => views.connection(), (v) => v.docker !== undefined, 10_000);
    assert.ok(c.docker?.ok, `connected but Docker is not usable: ${describeConnection(c)}`);
    // The runner runs the remote suites once per transport and says which one to expect
    // (the second pass leaves efdSalkafka.transport on "auto", which must find the local host).
    assert.strictEqual(c.transport, process.env.SALKAFKA_EXPECT_TRANSPORT ?? 'ssh', `transport of ${c.alias}`);
  });

  test('the walkthrough step "Check Docker Access" reports Docker usable on the connected host', async function () {
    this.timeout(30_000);
    const verdict = (await vscode.commands.executeCommand('efdSalkafka.checkDockerAccess')) as { ok: boolean; serverVersion?: string; message?: string } | undefined;
    assert.ok(verdict, 'efdSalkafka.checkDockerAccess returned nothing');
    assert.strictEqual(verdict.ok, true, verdict.message);
    assert.match(verdict.serverVersion ?? '', /^\d+\.\d+/);
  });

  test('the producers view shows the host row once connected, and its welcome (no rows) after Disconnect', async function () {
    this.timeout(60_000);
    const views = await api.views();
    const rows = await pollUntil(() => views.producersView(), (r) => r.host !== undefined, 10_000);
    assert.ok(rows.host, 'connected, but the producers view has no host row');
    assert.strictEqual(rows.host.label, info.sshAlias);
    assert.match(rows.host.description, /^connected\b/, `host row: ${describeRows(rows)}`);

    await vscode.commands.executeCommand('efdSalkafka.disconnect');
    const off = await pollUntil(() => views.producersView(), (r) => r.host === undefined || !r.host.description.startsWith('connected'), 10_000);
    assert.strictEqual(views.connection().state, 'disconnected', describeConnection(views.connection()));
    assert.strictEqual(off.host, undefined, `after Disconnect the view should show its Connect welcome (no rows), it shows:\n${describeRows(off)}`);

    await withTimeout(vscode.commands.executeCommand('efdSalkafka.connect'), 30_000, 'efdSalkafka.connect after a disconnect');
    assert.strictEqual(views.connection().state, 'connected', describeConnection(views.connection()));
  });
});
