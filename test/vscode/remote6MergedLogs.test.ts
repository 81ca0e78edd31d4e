// 6. "Show Merged Logs of Several Producers" for salkafka-at + salkafka-m2: one pane with both
//    producers' lines, each tagged with its producer; restarting salkafka-at while the pane is
//    open adds exactly one start marker for it and the pane keeps receiving its new run; a change of
//    efdSalkafka.logs.maxLines reaches the open merged pane.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { LogPaneView } from '../../src/features/tree/viewsApi';
import { hostExec } from '../integration/testHost';
import { pollUntil } from './helpers';
import { connected, extensionApi, hostAtBaseline, producersListed, withTimeout } from './remoteHelpers';

const PRODUCERS = ['salkafka-at', 'salkafka-m2'];

const describePane = (p: LogPaneView | undefined) =>
  p ? `${p.posted} lines posted; last 15:\n${p.recentLines.slice(-15).map((l) => `    ${l}`).join('\n')}` : '(no merged pane open)';

function mergedTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('efdSalkafka.mergedLogs'));
}

suite('Remote 6: merged log pane of several producers', () => {
  let api: ExtensionApi;

  suiteSetup(async function () {
    this.timeout(180_000);
    await hostAtBaseline();
    api = await extensionApi();
    await connected(api);
    await producersListed(api, PRODUCERS);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    const tab = mergedTab();
    if (tab) await vscode.window.tabGroups.close(tab);
  });

  test('both producers in one pane, tagged; a restart of one is marked once and followed', async function () {
    this.timeout(120_000);
    const views = await api.views();
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.showMergedLogs', PRODUCERS), 15_000, 'efdSalkafka.showMergedLogs');
    assert.ok(await pollUntil(mergedTab, (t) => t !== undefined, 5_000), 'no merged log tab opened');
    const both = await pollUntil(
      () => views.mergedPane(PRODUCERS),
      (p) => !!p && PRODUCERS.every((n) => p.recentLines.some((l) => l.startsWith(`${n} | `))),
      30_000,
      200,
    );
    assert.ok(both && PRODUCERS.every((n) => both.recentLines.some((l) => l.startsWith(`${n} | `))), `lines of both producers, tagged: ${describePane(both)}`);
    const r = await hostExec('docker restart -t 30 salkafka-at');
    assert.equal(r.code, 0, r.stderr);
    const after = await pollUntil(
      () => views.mergedPane(PRODUCERS),
      (p) => {
        const lines = p?.recentLines ?? [];
        const m = lines.findIndex((l) => /^salkafka-at \| ── salkafka-at restarted \(container /.test(l));
        return m >= 0 && lines.slice(m).some((l) => /^salkafka-at \| seq=\d+ INFO:salkafka:Running$/.test(l));
      },
      60_000,
      250,
    );
    const lines = after?.recentLines ?? [];
    assert.equal(lines.filter((l) => /── salkafka-at restarted/.test(l)).length, 1, `one marker for the restart: ${describePane(after)}`);
    assert.ok(lines.some((l) => /^salkafka-at \| seq=1 INFO:salkafka:Creating producers$/.test(l)), `the new run of salkafka-at reached the pane: ${describePane(after)}`);
  });

  test('the open merged pane follows a change of efdSalkafka.logs.maxLines', async function () {
    this.timeout(30_000);
    const views = await api.views();
    const config = vscode.workspace.getConfiguration('efdSalkafka');
    const before = views.mergedPane(PRODUCERS);
    assert.ok(before && before.maxLines > 0, `the merged pane of the previous test is open and was sent its limit: ${describePane(before)}`);
    const wanted = before.maxLines + 1234;
    await config.update('logs.maxLines', wanted, vscode.ConfigurationTarget.Global);
    try {
      const after = await pollUntil(() => views.mergedPane(PRODUCERS), (p) => p?.maxLines === wanted, 10_000, 100);
      assert.equal(after?.maxLines, wanted, 'the pane was not sent the new limit');
    } finally {
      await config.update('logs.maxLines', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
