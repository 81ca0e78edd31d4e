#!/usr/bin/env node
// Screenshots of a development producer in the real workbench, against the shared test host:
// "New Development Producer…" from the Command Palette, its questions answered by typing (MTM2 on
// DDS domain 7, its own file with shared memory), the plan (diff of the new
// docker-compose-mtm2.yaml with its daemon, and the commands) → media/screenshot-devprod-plan.png;
// confirmed (production host: the modal, then the service name), verified, and the producers view
// showing it apart as development → media/screenshot-devprod-tree.png. The host is reset before and
// after (test/host/up.sh; Take Down itself is checked by test/vscode/remote7DevProducer.test.ts).
// Run under the host lock:
//   npm run build && flock /tmp/testhost.lock node test/runner/screenshotDevProducer.mjs
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { testHostInfo, testHostMachineSettings } from '../../scripts/vscode-server/product.mjs';
import { REPO_ROOT, startWorkbench } from '../../scripts/vscode-server/workbench.mjs';
import { runCommand } from './uiChecks.mjs';

const UI_TIMEOUT = 60_000;
const stateDir = process.env.SALKAFKA_TEST_HOST_STATE ?? path.join(REPO_ROOT, '.test-host');
const info = testHostInfo(stateDir);
const settings = testHostMachineSettings(info);
const reset = () => execFileSync('bash', [path.join(REPO_ROOT, 'test', 'host', 'up.sh')], { stdio: 'inherit', env: { ...process.env, SALKAFKA_TEST_HOST_STATE: stateDir } });

reset();
const workbench = await startWorkbench({ viewport: { width: 1600, height: 1000 }, machineSettings: settings });
const { page } = workbench;
let ok = false;
const answer = async (text) => {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  if (text !== undefined) await input.fill(text);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
};
try {
  const icon = page.locator('.part.activitybar .action-item a[aria-label^="EFD SAL Kafka"], .part.activitybar .action-item[aria-label^="EFD SAL Kafka"]').first();
  await icon.waitFor({ timeout: UI_TIMEOUT });
  await icon.click();
  await page.locator('.part.sidebar').getByRole('button', { name: /Connect to/ }).first().click({ timeout: UI_TIMEOUT });
  await page.locator('.part.sidebar').getByText('salkafka-m2').first().waitFor({ timeout: UI_TIMEOUT });
  await runCommand(page, 'EFD SAL Kafka: New Development Producer…', { timeout: UI_TIMEOUT });
  for (const a of ['7', 'MTM2', 'mtm2', 'tester', undefined]) await answer(a); // domain, CSCs, purpose, owner, expiry (default)
  await answer(undefined); // image: the production one
  await answer(undefined); // own file, shared memory
  await answer(''); // no IDL directory
  // The plan: the new file as a diff, and the modal asking to go on.
  const dialog = page.locator('.monaco-dialog-box');
  await dialog.waitFor({ timeout: UI_TIMEOUT });
  await page.getByText('ospl-daemon-domain-007').first().waitFor({ timeout: UI_TIMEOUT });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(REPO_ROOT, 'media', 'screenshot-devprod-plan.png') });
  console.log('  ✔ the plan of salkafka-mtm2 with its daemon: media/screenshot-devprod-plan.png');
  await dialog.getByRole('button', { name: /Continue/ }).click();
  await answer('salkafka-mtm2'); // the typed confirmation (production host)
  const row = page.locator('.part.sidebar').getByText(/dev · domain 7 · tester · expires in/).first();
  await row.waitFor({ timeout: 120_000 });
  await page.locator('.part.sidebar').getByText(/Verified: PASS|PASS/).first().waitFor({ timeout: 120_000 }).catch(() => undefined);
  await runCommand(page, 'View: Close All Editors', { timeout: UI_TIMEOUT });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(REPO_ROOT, 'media', 'screenshot-devprod-tree.png') });
  console.log('  ✔ the producers view shows salkafka-mtm2 apart as development: media/screenshot-devprod-tree.png');
  ok = true;
} catch (err) {
  console.log(`  ✘ ${err.message.split('\n')[0]}`);
  await page.screenshot({ path: path.join(REPO_ROOT, 'screenshots', 'devprod-failure.png') }).catch(() => undefined);
} finally {
  await workbench.stop();
  reset();
}
process.exit(ok ? 0 : 1);
