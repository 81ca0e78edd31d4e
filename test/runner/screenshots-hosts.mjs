#!/usr/bin/env node
// UI checks + screenshots for the hosts features, in the real VS Code workbench (same server and
// browser as run-code-server.mjs), saved into media/ for the README:
//   1. the "Get started with EFD SAL Kafka" walkthrough opens from the Command Palette with its
//      four steps                                          → media/screenshot-walkthrough.png
//   2. in Restricted Mode (folder not trusted) the Producers view explains that trust is needed
//      and offers Manage Workspace Trust                   → media/screenshot-restricted.png
// Each step asserts what it shows (exit 1 on a failed check, 2 if VS Code could not start).
//
//   npm run build && node test/runner/screenshots-hosts.mjs
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startWorkbench } from '../../scripts/vscode-server/workbench.mjs';
import { runCommand, uiChecks } from './uiChecks.mjs';

const OUT_DIR = path.join(REPO_ROOT, 'media');
const UI_TIMEOUT = 30_000;
const { failures, saved, check, shot } = uiChecks(OUT_DIR);


async function session(opts, steps) {
  let workbench;
  try {
    workbench = await startWorkbench({ viewport: { width: 1440, height: 900 }, ...opts });
  } catch (err) {
    console.error(`[screenshots-hosts] FAILED to start VS Code: ${err.message}`);
    process.exit(2);
  }
  try {
    await workbench.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await steps(workbench.page);
    if (failures.length) await workbench.page.screenshot({ path: path.join(REPO_ROOT, 'screenshots', 'hosts-failure.png') });
  } finally {
    await workbench.stop();
  }
}

mkdirSync(path.join(REPO_ROOT, 'screenshots'), { recursive: true });
const started = Date.now();
await session({}, async (page) => {
  await check('the walkthrough opens with its four steps: pick host, check Docker, open compose file, see producers', async () => {
    // Room for the step page beside the steps: no side bars.
    if (await page.locator('.part.auxiliarybar').isVisible()) await runCommand(page, 'View: Hide Secondary Side Bar');
    if (await page.locator('.part.sidebar').isVisible()) await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await runCommand(page, 'Welcome: Open Walkthrough', { pick: 'Get started with EFD SAL Kafka' });
    const editor = page.locator('.gettingStartedContainer');
    await editor.getByText('Get started with EFD SAL Kafka').first().waitFor({ timeout: UI_TIMEOUT });
    for (const step of ['Pick the producers host', 'Check Docker access', 'Open the compose file', 'See the producers']) {
      await editor.getByText(step, { exact: true }).first().waitFor({ timeout: UI_TIMEOUT })
        .catch(() => { throw new Error(`the walkthrough does not show the step "${step}"`); });
    }
    // The first step's page (media/walkthrough/pickHost.md) is rendered beside the steps.
    // (a webview: its text sits two iframes deep).
    await page.frameLocator('.gettingStartedContainer iframe').first().frameLocator('iframe').first().getByText('ssh-agent', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT })
      .catch(() => { throw new Error('the step page (pickHost.md) is not rendered'); });
    await page.waitForTimeout(800);
    await shot(page, 'screenshot-walkthrough.png');
  });
});

if (process.env.SALKAFKA_SHOTS !== 'walkthrough') await session({ restricted: true }, async (page) => {
  await check('Restricted Mode: the Producers view says a trusted workspace is needed', async () => {
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="EFD SAL Kafka"], .part.activitybar .action-item[aria-label^="EFD SAL Kafka"]').first();
    await icon.click({ timeout: UI_TIMEOUT });
    const sidebar = page.locator('.part.sidebar');
    await sidebar.getByText('need a trusted workspace', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT })
      .catch(() => { throw new Error('the Producers view does not explain that trust is needed'); });
    await sidebar.getByText('Manage Workspace Trust').first().waitFor({ timeout: UI_TIMEOUT });
    if (await sidebar.getByText('Not connected to the producers host').count()) throw new Error('the "Connect" welcome shows in Restricted Mode');
    await page.locator('.part.statusbar', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: UI_TIMEOUT });
    await page.waitForTimeout(500);
    await shot(page, 'screenshot-restricted.png');
  });
});

console.log(`[screenshots-hosts] saved ${saved.join(', ') || 'nothing'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`ui-checks: ${2 - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
