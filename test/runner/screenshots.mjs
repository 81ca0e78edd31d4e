#!/usr/bin/env node
// UI checks + screenshots in the real VS Code workbench (same server/browser as run-code-server.mjs),
// with this repository loaded as the extension under development and the fixture workspace open:
//   1. activity bar shows the EFD SAL Kafka container; its Producers view opens
//   2. the Problems panel lists broken.yaml's problems (unknown, retired CSC, container_name)
//   3. a hover on the unknown CSC in the editor
// Each step asserts what it shows (exit 1 on a failed check, 2 if VS Code could not start) and
// saves a PNG into screenshots/ (git-ignored).
//
//   npm run build && node test/runner/screenshots.mjs
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startWorkbench } from '../../scripts/vscode-server/workbench.mjs';
import { runCommand, uiChecks } from './uiChecks.mjs';

const OUT_DIR = path.join(REPO_ROOT, 'screenshots');
const UI_TIMEOUT = 30_000;
const isMac = process.platform === 'darwin';
const mod = isMac ? 'Meta' : 'Control';

const { failures, saved, check, shot } = uiChecks(OUT_DIR);

/** Runs a workbench command through the Command Palette, as a user would. */

async function openFile(page, name) {
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await input.fill(name);
  // Click the matching row: Enter could pick a stale row before the list has filtered.
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: UI_TIMEOUT });
  await row.click();
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: UI_TIMEOUT });
}

mkdirSync(OUT_DIR, { recursive: true });
const started = Date.now();
let workbench;
try {
  workbench = await startWorkbench({ viewport: { width: 1440, height: 900 } });
} catch (err) {
  console.error(`[screenshots] FAILED to start VS Code: ${err.message}`);
  process.exit(2);
}
const { page } = workbench;
console.log(`[screenshots] workbench opened after ${((Date.now() - started) / 1000).toFixed(1)} s`);

/** Trusts the temp workspace (Restricted Mode would put a banner over every screenshot). */
async function trustWorkspace(page) {
  await page.locator('.part.banner a', { hasText: 'Manage' }).first().click({ timeout: UI_TIMEOUT });
  const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first();
  await trust.waitFor({ timeout: UI_TIMEOUT });
  await trust.click();
  await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached', timeout: 5_000 })
    .catch(() => undefined);
  await runCommand(page, 'View: Close All Editors');
}

/** Hides the (empty) secondary side bar so the editor gets the width. */
async function hideSecondarySideBar(page) {
  if (await page.locator('.part.auxiliarybar').isVisible()) await runCommand(page, 'View: Hide Secondary Side Bar');
}

try {
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // startWorkbench passes --disable-workspace-trust unless asked for Restricted Mode; trust by hand only if it shows.
  if (await page.locator('.part.banner', { hasText: 'Restricted Mode' }).count()) {
    await trustWorkspace(page).catch((err) => console.log(`  (could not trust the workspace: ${err.message.split('\n')[0]})`));
  }
  await hideSecondarySideBar(page).catch((err) => console.log(`  (could not hide the secondary side bar: ${err.message.split('\n')[0]})`));

  await check('activity bar shows the EFD SAL Kafka view container and its Producers view', async () => {
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="EFD SAL Kafka"], .part.activitybar .action-item[aria-label^="EFD SAL Kafka"]').first();
    await icon.waitFor({ timeout: UI_TIMEOUT });
    await icon.click();
    const sidebar = page.locator('.part.sidebar');
    await sidebar.locator('.composite.title, .pane-header', { hasText: /Producers/i }).first().waitFor({ timeout: UI_TIMEOUT })
      .catch(() => { throw new Error('the side bar shows no "Producers" view after clicking the EFD SAL Kafka icon'); });
    await sidebar.getByText('Not connected to the producers host', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT })
      .catch(() => { throw new Error('the Producers view does not show its "Not connected" welcome'); });
    // Opened before the screenshot so the editor shows what the producers are made of.
    await openFile(page, 'docker-compose.yaml');
    await page.waitForTimeout(1_000);
    await shot(page, 'activity-bar.png');
  });

  await check('Problems panel lists the broken file: unknown CSC, retired CSC, container_name mismatch', async () => {
    await openFile(page, 'broken.yaml');
    await page.locator('.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning').first().waitFor({ timeout: UI_TIMEOUT });
    await runCommand(page, 'View: Focus Problems');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    for (const text of ['MTRotatr', 'ATScheduler', 'salkafka-aux']) {
      await panel.locator('.monaco-list-row', { hasText: text }).first().waitFor({ timeout: UI_TIMEOUT })
        .catch(() => { throw new Error(`no row mentioning ${text} in the Problems panel`); });
    }
    await page.waitForTimeout(500);
    await shot(page, 'problems.png');
  });

  await check('hover on the unknown CSC shows the problem and its fix', async () => {
    await openFile(page, 'broken.yaml');
    const line = page.locator('.view-line', { hasText: 'CSC_LIST=MTRotatr' }).first();
    await line.waitFor({ timeout: UI_TIMEOUT });
    await line.locator('span', { hasText: /MTRotatr/ }).last().hover();
    const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: 'MTRotatr' }).first();
    await hover.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.waitForTimeout(500);
    await shot(page, 'hover.png');
  });

  await check('hover on a known CSC shows its description', async () => {
    await page.mouse.move(5, 5); // away from the previous hover
    await page.keyboard.press('Escape');
    await openFile(page, 'docker-compose.yaml');
    const line = await page.locator('.view-line', { hasText: 'CSC_LIST=MTRotator' }).first();
    await line.waitFor({ timeout: UI_TIMEOUT });
    const token = line.locator('span', { hasText: /MTRotator/ }).last();
    await token.hover();
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents', { hasText: /rotator/i }).first();
    await hover.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await page.waitForTimeout(300);
    await shot(page, 'hover-csc.png');
  });
} finally {
  if (failures.length > 0) await shot(page, 'failure.png').catch(() => undefined);
  await workbench.stop();
}

console.log(`[screenshots] saved ${saved.join(', ') || 'nothing'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
const total = 4;
console.log(`ui-checks: ${total - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
