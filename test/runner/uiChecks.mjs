// The bookkeeping both UI runners (screenshots.mjs, screenshots-hosts.mjs) share, kept in one place
// so their output and exit codes stay alike: each named check prints ✔/✘ with its time and a failed
// one is counted; each screenshot saved is listed in the summary line.
import path from 'node:path';
import { REPO_ROOT } from '../../scripts/vscode-server/workbench.mjs';

/** Checks and screenshots into outDir; `failures` and `saved` fill as they run. */
export function uiChecks(outDir) {
  const failures = [];
  const saved = [];

  async function check(name, fn) {
    const t0 = Date.now();
    try {
      await fn();
      console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
    } catch (err) {
      failures.push(name);
      console.log(`  ✘ ${name}: ${err.message.split('\n')[0]}`);
    }
  }

  async function shot(page, file, options = {}) {
    const target = path.join(outDir, file);
    await page.screenshot({ path: target, ...options });
    saved.push(path.relative(REPO_ROOT, target));
  }

  return { failures, saved, check, shot };
}

/**
 * Runs a command from the Command Palette by its title; `pick` then filters the quick pick the
 * command opens (the walkthroughs) and takes the row naming it.
 */
export async function runCommand(page, label, { pick, timeout = 30_000 } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${label}`);
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  if (pick) {
    await page.waitForTimeout(500);
    await input.fill(pick);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: pick }).first().click({ timeout });
  }
}
