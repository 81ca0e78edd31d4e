#!/usr/bin/env node
// Screenshots of "Upgrade Producers to Cycle…" in the real workbench, against the shared test host
// and its image registry: two producers of a sibling compose file (docker-compose-upgrade.yaml,
// cycle in setup_kp.env) move from the simulated cycle c0028 to c0029, run from the Command
// Palette and answered as a user would. Saves into media/:
//   screenshot-upgrade-plan.png     the plan (diff + confirmation: ts_xml, MTAlignment → LaserTracker, pull first)
//   screenshot-upgrade-done.png     both producers verified on c0029, stage by stage in the output
//   screenshot-upgrade-stopped.png  a second run stopped at the producer that failed, offering the roll back
// Each step asserts what it shows (exit 1 on a failed check, 2 if VS Code could not start).
// Run under the host lock (it changes the test host and leaves it at its baseline):
//   npm run build && npx tsc -p tsconfig.test.json && SALKAFKA_TEST_HOST_STATE=… \
//     flock /tmp/testhost.lock node test/runner/screenshotUpgrade.mjs
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { testHostInfo } from '../../scripts/vscode-server/product.mjs';
import { REPO_ROOT, startWorkbench } from '../../scripts/vscode-server/workbench.mjs';
import { runCommand, uiChecks } from './uiChecks.mjs';

const UI_TIMEOUT = 60_000;
const stateDir = process.env.SALKAFKA_TEST_HOST_STATE ?? path.join(REPO_ROOT, '.test-host');
const info = testHostInfo(stateDir);
const fx = await import(path.join(REPO_ROOT, 'out', 'test', 'integration', 'upgradeFixture.js'));
const { A, B, COMPOSE, COMPOSE_NAME, ENV, ENV_NAME, REPO } = fx.default ?? fx;
const dir = path.dirname(info.composeFile);
const composePath = path.join(dir, COMPOSE_NAME);
const env = { ...process.env, DOCKER_HOST: `unix://${info.dockerSocket}` };
const sh = (cmd) => execFileSync('bash', ['-c', cmd], { env, stdio: ['ignore', 'pipe', 'inherit'] }).toString();

function setLoad(c, lines) {
  mkdirSync(path.join(dir, 'sim', c), { recursive: true });
  writeFileSync(path.join(dir, 'sim', c, 'load'), `${lines.join('\n')}\n`);
}
function baseline() {
  writeFileSync(composePath, COMPOSE);
  writeFileSync(path.join(dir, ENV_NAME), ENV);
  sh(`chown -R ${info.user}: ${dir}/${COMPOSE_NAME} ${dir}/${ENV_NAME} ${dir}/sim`);
  sh(`cd ${dir} && set -a && . ./${ENV_NAME} && set +a && docker-compose -f ${composePath} --ansi never up -d ${A} ${B} 2>&1`);
}
const imageOf = (c) => sh(`docker inspect -f '{{.Config.Image}}' ${c}`).trim();

const OUT_DIR = path.join(REPO_ROOT, 'media');
const { failures, saved, check, shot } = uiChecks(OUT_DIR);
mkdirSync(path.join(REPO_ROOT, 'screenshots'), { recursive: true });

for (const c of [A, B]) setLoad(c, ['* * 2']);
baseline();
sh(`docker rmi ${REPO}:c0029 >/dev/null 2>&1; true`);

let workbench;
try {
  workbench = await startWorkbench({
    viewport: { width: 1440, height: 900 },
    machineSettings: { 'efdSalkafka.host': info.sshAlias, 'efdSalkafka.sshConfigFile': path.resolve(info.sshConfigFile), 'efdSalkafka.composeFile': info.composeFile },
  });
} catch (err) {
  console.error(`[screenshotUpgrade] FAILED to start VS Code: ${err.message}`);
  process.exit(2);
}
const { page } = workbench;
const dialog = page.locator('.monaco-dialog-box');
const button = (name) => dialog.locator('.dialog-buttons .monaco-button', { hasText: name }).first();

async function startUpgrade() {
  await runCommand(page, 'EFD SAL Kafka: Upgrade Producers to Cycle', { timeout: UI_TIMEOUT });
  const all = page.locator('.quick-input-list .monaco-list-row', { hasText: `All producers of ${COMPOSE_NAME}` }).first();
  await all.waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await all.click();
  const input = page.locator('.quick-input-widget input');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'c0044' }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT });
  await input.fill('c0029');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'c0029' }).first().click({ timeout: UI_TIMEOUT });
}

try {
  await page.locator('.monaco-workbench').waitFor({ timeout: UI_TIMEOUT });
  const icon = page.locator('.part.activitybar .action-item a[aria-label^="EFD SAL Kafka"], .part.activitybar .action-item[aria-label^="EFD SAL Kafka"]').first();
  await icon.waitFor({ timeout: UI_TIMEOUT });
  await icon.click();
  await page.locator('.part.sidebar').getByRole('button', { name: /Connect to/ }).first().click({ timeout: UI_TIMEOUT });
  await page.locator('.part.sidebar').getByText(A).first().waitFor({ timeout: UI_TIMEOUT });

  await check('the plan: one confirmation naming the target cycle, with the ts_xml change, the renamed CSC and the pull', async () => {
    await startUpgrade();
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    const text = await dialog.innerText();
    for (const want of [`Upgrade ${A}, ${B} to cycle c0029 (ts_xml 15.0.0)`, 'MTAlignment is not in ts_xml 15.0.0', 'LaserTracker', 'not on the host — pulled before anything stops']) {
      if (!text.includes(want)) throw new Error(`the confirmation does not say "${want}":\n${text}`);
    }
    await page.waitForTimeout(1500);
    await shot(page, 'screenshot-upgrade-plan.png');
  });

  await check('applied: the image pulled from the registry, both producers verified on c0029', async () => {
    await button('Apply').click({ timeout: UI_TIMEOUT });
    // The operations output ends each run with its stages (toasts may be held back by the workbench).
    await page.locator('.part.panel').getByText(`Stages — done: pull the new images; re-create ${A} on c0029; re-create ${B} on c0029`).first().waitFor({ timeout: 240_000 });
    for (const c of [A, B]) if (imageOf(c) !== `${REPO}:c0029`) throw new Error(`${c} runs ${imageOf(c)}`);
    await page.waitForTimeout(1500);
    await shot(page, 'screenshot-upgrade-done.png');
  });

  await check('a second run stops at the producer that fails on c0029 and offers the roll back; rolled back on request', async () => {
    await runCommand(page, 'Notifications: Clear All Notifications', { timeout: UI_TIMEOUT });
    await runCommand(page, 'View: Close All Editors', { timeout: UI_TIMEOUT });
    baseline();
    setLoad(B, ['* * 2', 'ATDome position fail-create']);
    await startUpgrade();
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await button('Apply').click({ timeout: UI_TIMEOUT });
    await dialog.getByText(`stopped at ${B}`).first().waitFor({ timeout: 240_000 });
    const text = await dialog.innerText();
    if (!text.includes(`on c0029 and verified: ${A}`)) throw new Error(`the stop does not say who moved:\n${text}`);
    await page.waitForTimeout(1000);
    await shot(page, 'screenshot-upgrade-stopped.png');
    setLoad(B, ['* * 2']);
    await button('Roll back the moved producers').click({ timeout: UI_TIMEOUT });
    await dialog.waitFor({ timeout: UI_TIMEOUT });
    await button('Apply').click({ timeout: UI_TIMEOUT });
    await page.locator('.part.panel').getByText(`Stages — done: re-create ${A}; re-create ${B}`).first().waitFor({ timeout: 240_000 });
    for (const c of [A, B]) if (imageOf(c) !== `${REPO}:c0028`) throw new Error(`${c} runs ${imageOf(c)} after the roll back`);
  });
  if (failures.length) await page.screenshot({ path: path.join(REPO_ROOT, 'screenshots', 'upgrade-failure.png') }).catch(() => undefined);
} finally {
  await workbench.stop();
  sh(`docker rm -f ${A} ${B} >/dev/null 2>&1; docker rmi ${REPO}:c0028 ${REPO}:c0029 >/dev/null 2>&1; true`);
  for (const f of [COMPOSE_NAME, ENV_NAME]) rmSync(path.join(dir, f), { force: true });
  sh(`rm -f ${dir}/${COMPOSE_NAME}.*.bak ${dir}/${ENV_NAME}.*.bak; rm -rf ${dir}/sim/${A} ${dir}/sim/${B}`);
}
console.log(`${failures.length ? `${failures.length} check(s) FAILED` : 'all checks passed'}; saved: ${saved.join(', ') || 'nothing'}`);
process.exit(failures.length ? 1 : 0);
