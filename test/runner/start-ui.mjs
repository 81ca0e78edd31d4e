#!/usr/bin/env node
// What `npm start` ends with, checked the way a new user meets it: runs scripts/start.mjs (as
// `npm start` does, non-interactive, in a fresh state directory so a user's .start/ is left alone),
// takes the URL it prints, opens it in Chromium and checks:
//   1. the server refuses a request without the URL's token
//   2. the producers view connects to the local test host and lists its running producers
//      (the packaged extension, the machine settings, the host key already known)
//                                                     → media/screenshot-start.png (README quick start)
//   3. the walkthrough opens and its "Check Docker Access" step reports Docker usable on the test host
//   4. Ctrl-C stops the server (its port closes) and names how to stop the test host
// Exit 1 on a failed check, 2 if npm start or Chromium could not start. Run under the test-host lock:
//   SALKAFKA_TEST_HOST_STATE=… flock /tmp/testhost.lock node test/runner/start-ui.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, launchChromium } from '../../scripts/vscode-server/workbench.mjs';
import { ensureVsCodeServer } from '../../scripts/vscode-server/install.mjs';
import { testHostInfo } from '../../scripts/vscode-server/product.mjs';
import { runCommand, uiChecks } from './uiChecks.mjs';

const UI_TIMEOUT = 60_000;
const START_TIMEOUT_MS = 10 * 60_000; // a first run may package the .vsix and install the server
const { failures, saved, check, shot } = uiChecks(path.join(REPO_ROOT, 'media'));

function fail(msg) {
  console.error(`[start-ui] FAILED: ${msg}`);
  process.exit(2);
}

const started = Date.now();
const stateDir = mkdtempSync(path.join(os.tmpdir(), 'salkafka-start-'));
const child = spawn(process.execPath, [path.join(REPO_ROOT, 'scripts', 'start.mjs'), '--port', '0'], {
  cwd: REPO_ROOT,
  env: { ...process.env, SALKAFKA_START_DIR: stateDir },
  stdio: ['ignore', 'pipe', 'pipe'], // no stdin: as in CI, start must not wait on a prompt
});
let output = '';
child.stdout.on('data', (d) => (output += d));
child.stderr.on('data', (d) => (output += d));
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

const url = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve(undefined), START_TIMEOUT_MS);
  const look = () => {
    const m = /^\s*(http:\/\/127\.0\.0\.1:\d+\/\?tkn=\S+)$/m.exec(output);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  };
  child.stdout.on('data', look);
  void exited.then(() => resolve(undefined));
});
if (!url) {
  child.kill('SIGINT');
  fail(`npm start printed no URL within ${START_TIMEOUT_MS / 1000} s (or exited):\n${output}`);
}
const startSeconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`[start-ui] npm start printed ${url.replace(/tkn=[^&]+/, 'tkn=…')} after ${startSeconds} s`);
const origin = new URL(url).origin;

let browser;
try {
  await check('the server refuses a request without the token, and takes the printed URL', async () => {
    const without = await fetch(`${origin}/`, { redirect: 'manual' });
    if (without.status !== 403) throw new Error(`GET / without the token answered ${without.status}, not 403`);
    const withToken = await fetch(url, { redirect: 'manual' });
    if (withToken.status >= 400) throw new Error(`the printed URL answered ${withToken.status}`);
  });

  try {
    // npm start does not need Chromium; this check does (installed here when missing).
    browser = await launchChromium((await ensureVsCodeServer()).chromium);
  } catch (err) {
    fail(err.message);
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: UI_TIMEOUT });
  await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT });

  const info = testHostInfo();
  const running = execFileSync('docker', ['-H', `unix://${info.dockerSocket}`, 'ps', '--filter', 'name=^salkafka-', '--format', '{{.Names}}'], { encoding: 'utf8' })
    .split('\n').filter(Boolean).sort();
  if (running.length === 0) fail('the test host runs no salkafka-* container: nothing to look for');

  await check(`the producers view connects to ${info.sshAlias} and lists its running producers (${running.join(', ')})`, async () => {
    if (await page.locator('.part.auxiliarybar').isVisible()) await runCommand(page, 'View: Hide Secondary Side Bar');
    const icon = page.locator('.part.activitybar .action-item a[aria-label^="EFD SAL Kafka"], .part.activitybar .action-item[aria-label^="EFD SAL Kafka"]').first();
    await icon.click({ timeout: UI_TIMEOUT });
    const sidebar = page.locator('.part.sidebar');
    await sidebar.getByRole('button', { name: /Connect to/ }).first().click({ timeout: UI_TIMEOUT });
    await sidebar.getByText(`${info.sshAlias}`).first().waitFor({ timeout: UI_TIMEOUT });
    for (const name of running) {
      await sidebar.locator('.monaco-list-row', { hasText: name }).first().waitFor({ timeout: UI_TIMEOUT })
        .catch(() => { throw new Error(`the producers view does not list ${name}`); });
    }
    await sidebar.getByText('connected', { exact: false }).first().waitFor({ timeout: UI_TIMEOUT });
    // The example compose file beside the tree, as a user finds it: open it from Quick Open.
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
    await input.fill('docker-compose.yaml');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'docker-compose.yaml' }).first().click({ timeout: UI_TIMEOUT });
    await page.locator('.tabs-container .tab.active[aria-label*="docker-compose.yaml"]').first().waitFor({ timeout: UI_TIMEOUT });
    await page.mouse.move(900, 600);
    await page.waitForTimeout(1500);
    await shot(page, 'screenshot-start.png');
  });

  await check('the walkthrough opens and its "Check Docker Access" step finds Docker usable on the test host', async () => {
    await runCommand(page, 'Welcome: Open Walkthrough', { pick: 'Get started with EFD SAL Kafka', timeout: UI_TIMEOUT });
    const editor = page.locator('.gettingStartedContainer');
    await editor.getByText('Check Docker access', { exact: true }).first().click({ timeout: UI_TIMEOUT });
    // Every step's button is in the page, only the expanded step's visible; exact, or the step's
    // own title ("Check Docker access") matches too.
    await editor.getByRole('button', { name: 'Check Docker Access', exact: true }).filter({ visible: true }).first().click({ timeout: UI_TIMEOUT });
    // With one host configured the command asks nothing; should it ask, pick the test host.
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: info.sshAlias }).first();
    if (await pick.waitFor({ timeout: 3_000 }).then(() => true, () => false)) await pick.click();
    await page.getByText(new RegExp(`Docker .* on ${info.sshAlias} is usable`)).first().waitFor({ timeout: UI_TIMEOUT })
      .catch(() => { throw new Error('no "Docker … is usable" notification after Check Docker Access'); });
  });
  if (failures.length) {
    mkdirSync(path.join(REPO_ROOT, 'screenshots'), { recursive: true });
    await page.screenshot({ path: path.join(REPO_ROOT, 'screenshots', 'start-ui-failure.png') });
  }
} finally {
  await browser?.close().catch(() => undefined);
}

await check('Ctrl-C stops the server and says how to stop the test host', async () => {
  child.kill('SIGINT');
  const { code } = await Promise.race([exited, new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 30_000))]);
  if (code === 'timeout') throw new Error('npm start did not exit within 30 s of SIGINT');
  if (!output.includes('bash test/host/down.sh')) throw new Error('it did not say how to stop the test host');
  const still = await fetch(`${origin}/version`).then(() => true, () => false);
  if (still) throw new Error(`the server still answers on ${origin}`);
});
if (child.exitCode === null) child.kill('SIGKILL');
rmSync(stateDir, { recursive: true, force: true });

console.log(`[start-ui] saved ${saved.join(', ') || 'nothing'}; ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
console.log(`ui-checks: ${4 - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length > 0 ? 1 : 0);
