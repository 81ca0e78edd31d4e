// 3. "Show Producer Logs" opens a log pane for salkafka-m2 and fills it: first the history (the
//    producer's start-up, "Running"), then live lines as the producer writes them. What is
//    checked is what the extension posted to the pane's webview (its first batch is only sent
//    once the webview has loaded and said it is ready).
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { LogPaneView } from '../../src/features/tree/viewsApi';
import { setLoad } from '../integration/testHost';
import { pollUntil } from './helpers';
import { connected, extensionApi, hostAtBaseline, producersListed, withTimeout } from './remoteHelpers';

const CONTAINER = 'salkafka-m2';

function describePane(p: LogPaneView | undefined): string {
  if (!p) return '(no log pane open for this container)';
  return `${p.posted} lines posted; last ${Math.min(15, p.recentLines.length)}:\n${p.recentLines.slice(-15).map((l) => `    ${l}`).join('\n')}`;
}

function logTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('efdSalkafka.logs') && t.label === `Logs: ${CONTAINER}`);
}

suite('Remote 3: log pane of a producer', () => {
  let api: ExtensionApi;

  suiteSetup(async function () {
    this.timeout(180_000);
    await hostAtBaseline(); // fresh containers: the start-up lines are within the tail
    api = await extensionApi();
    await connected(api);
    await producersListed(api, [CONTAINER]);
  });

  suiteTeardown(async function () {
    this.timeout(30_000);
    await setLoad(CONTAINER, ['* * 2']).catch(() => undefined); // baseline load
    const tab = logTab();
    if (tab) await vscode.window.tabGroups.close(tab);
  });

  test('efdSalkafka.showLogs opens a "Logs: salkafka-m2" pane that receives the history, "Running" included', async function () {
    this.timeout(60_000);
    const views = await api.views();
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.showLogs', CONTAINER), 15_000, `efdSalkafka.showLogs ${CONTAINER}`);
    // The tab list reaches the extension host a moment after the panel is created.
    const tab = await pollUntil(logTab, (t) => t !== undefined, 5_000);
    assert.ok(tab, `no "Logs: ${CONTAINER}" webview tab is open; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} (${t.input?.constructor.name})`).join(', ')}`);
    assert.ok(tab.isActive, 'the log pane is not the active tab of its group');
    const pane = await pollUntil(
      () => views.logPane(CONTAINER),
      (p) => !!p?.recentLines.some((l) => /INFO:salkafka:Running$/.test(l)),
      20_000,
      200,
    );
    assert.ok(pane && pane.posted > 0, `the pane's webview was sent no lines within 20 s (did the webview load?): ${describePane(pane)}`);
    assert.ok(
      pane.recentLines.some((l) => /INFO:salkafka:Running$/.test(l)),
      `the pane did not receive the "INFO:salkafka:Running" line of ${CONTAINER}: ${describePane(pane)}`,
    );
    // The producer's start-up, in order, with Docker timestamps (efdSalkafka.logs.timestamps default).
    const creating = pane.recentLines.findIndex((l) => l.includes('INFO:salkafka:Creating producers'));
    const running = pane.recentLines.findIndex((l) => l.endsWith('INFO:salkafka:Running'));
    assert.ok(creating >= 0 && creating < running, `"Creating producers" should come before "Running": ${describePane(pane)}`);
    assert.match(pane.recentLines[running], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z /, 'lines carry their Docker timestamp');
    for (const csc of ['MTRotator', 'MTHexapod', 'MTM2']) {
      assert.ok(pane.recentLines.some((l) => l.includes(`Created producer for ${csc}:`)), `no "Created producer for ${csc}" line: ${describePane(pane)}`);
    }
  });

  test('the pane follows: a queue warning the producer logs now reaches the pane', async function () {
    this.timeout(60_000);
    const views = await api.views();
    const before = views.logPane(CONTAINER);
    assert.ok(before, 'the log pane closed');
    // The simulated producer re-reads its load file every second; 100 makes MTRotator's rotation
    // queue cross 10 (and 50, 90) within a few ticks, each logged as a WARNING.
    await setLoad(CONTAINER, ['* * 2', 'MTRotator rotation 100']);
    const pane = await pollUntil(
      () => views.logPane(CONTAINER),
      (p) => !!p?.recentLines.some((l) => /WARNING:salkafka\.MTRotator:rotation DDS read queue is filling/.test(l)),
      20_000,
      200,
    );
    assert.ok(
      pane && pane.recentLines.some((l) => /WARNING:salkafka\.MTRotator:rotation DDS read queue is filling/.test(l)),
      `no live "rotation DDS read queue is filling" line reached the pane within 20 s: ${describePane(pane)}`,
    );
    assert.ok(pane.posted > before.posted, `posted count did not grow (${before.posted} → ${pane.posted})`);
  });
});
