#!/usr/bin/env node
// Screenshot of the restart-proof log pane in the real workbench, against the shared test host:
// opens "Show Producer Logs" for salkafka-m2, restarts the producer, then re-creates its
// container (what Apply does), and checks the pane shows a start marker for each before saving
// media/screenshot-logs-restart.png. Run under the host lock and the VS Code lock:
//   npm run build && SALKAFKA_TEST_HOST_STATE=<the test host's state dir> \
//     flock /tmp/salkafka-vscode.lock flock /tmp/salkafka-host.lock node test/runner/screenshotLogs.mjs
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startWorkbench } from '../../scripts/vscode-server/workbench.mjs';
import { runCommand } from './uiChecks.mjs';

const UI_TIMEOUT = 60_000;
const stateDir = process.env.SALKAFKA_TEST_HOST_STATE ?? path.join(REPO_ROOT, '.test-host');
const info = JSON.parse(readFileSync(path.join(stateDir, 'host.json'), 'utf8'));
const workspaceSettings = {
  'efdSalkafka.host': info.sshAlias,
  'efdSalkafka.sshConfigFile': path.resolve(info.sshConfigFile),
  'efdSalkafka.composeFile': info.composeFile,
  'efdSalkafka.logs.timestamps': false,
};


// The host settings are machine-scoped (a workspace cannot redirect SSH): machine settings, as a user's own.
const workbench = await startWorkbench({ viewport: { width: 1440, height: 900 }, machineSettings: workspaceSettings });
const { page } = workbench;
let ok = false;
try {
  const icon = page.locator('.part.activitybar .action-item a[aria-label^="EFD SAL Kafka"], .part.activitybar .action-item[aria-label^="EFD SAL Kafka"]').first();
  await icon.waitFor({ timeout: UI_TIMEOUT });
  await icon.click();
  await page.locator('.part.sidebar').getByRole('button', { name: /Connect to/ }).first().click({ timeout: UI_TIMEOUT });
  await page.locator('.part.sidebar').getByText('salkafka-m2').first().waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'EFD SAL Kafka: Show Producer Logs', { timeout: UI_TIMEOUT });
  const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'salkafka-m2' }).first();
  await pick.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await pick.click();
  const pane = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await pane.getByText('INFO:salkafka:Running').first().waitFor({ timeout: UI_TIMEOUT });
  execFileSync('docker', ['restart', '-t', '30', 'salkafka-m2'], { stdio: 'inherit' });
  await pane.getByText(/salkafka-m2 restarted \(container/).first().waitFor({ timeout: UI_TIMEOUT });
  execFileSync('docker-compose', ['-f', info.composeFile, '--ansi', 'never', 'up', '-d', '--no-deps', '--force-recreate', '-t', '30', 'salkafka-m2'], { stdio: 'inherit' });
  await pane.getByText(/salkafka-m2 re-created, now container/).first().waitFor({ timeout: UI_TIMEOUT });
  await pane.getByText('INFO:salkafka:Running').nth(2).waitFor({ timeout: UI_TIMEOUT });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(REPO_ROOT, 'media', 'screenshot-logs-restart.png') });
  console.log('  ✔ the pane kept following across a restart and a re-create, one marker each: media/screenshot-logs-restart.png');

  // The merged pane: salkafka-at and salkafka-m2 interleaved, tagged by producer; a restart of one.
  await runCommand(page, 'View: Close All Editors', { timeout: UI_TIMEOUT });
  await runCommand(page, 'EFD SAL Kafka: Show Merged Logs of Several Producers', { timeout: UI_TIMEOUT });
  for (const name of ['salkafka-at', 'salkafka-m2']) {
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await row.locator('.monaco-icon-label, .label-name').first().click();
    await page.waitForTimeout(400);
  }
  await page.locator('.quick-input-widget').getByText('2 Selected').waitFor({ timeout: UI_TIMEOUT });
  await page.locator('.quick-input-widget').getByRole('button', { name: 'OK' }).click();
  const merged = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await merged.locator('.tag.p0').first().waitFor({ timeout: UI_TIMEOUT });
  await merged.locator('.tag.p1').first().waitFor({ timeout: UI_TIMEOUT });
  execFileSync('docker', ['restart', '-t', '30', 'salkafka-at'], { stdio: 'inherit' });
  await merged.getByText(/salkafka-at restarted \(container/).first().waitFor({ timeout: UI_TIMEOUT });
  await page.mouse.move(900, 600); // no tooltip over the title bar
  await page.waitForTimeout(4000);
  await page.screenshot({ path: path.join(REPO_ROOT, 'media', 'screenshot-logs-merged.png') });
  console.log('  ✔ merged pane of salkafka-at + salkafka-m2, tagged by producer, marker on restart: media/screenshot-logs-merged.png');
  ok = true;
} catch (err) {
  console.log(`  ✘ ${err.message.split('\n')[0]}`);
  await page.screenshot({ path: path.join(REPO_ROOT, 'screenshots', 'logs-failure.png') }).catch(() => undefined);
} finally {
  await workbench.stop();
}
process.exit(ok ? 0 : 1);
