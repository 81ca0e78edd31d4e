// Runs the extension-host tests in a desktop VS Code downloaded by @vscode/test-electron, for
// machines that can reach the VS Code download service (ours cannot: use run-code-server.mjs).
// Same test entry (out/test/vscode/index.js) and the same workspace fixture as that runner.
//
//   npm run build && npm run compile-tests && node out/test/runner/run-electron.js
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const repoRoot = path.resolve(__dirname, '..', '..', '..'); // out/test/runner → repo
  const extensionTestsPath = path.join(repoRoot, 'out', 'test', 'vscode', 'index.js');
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-electron-'));
  fs.cpSync(path.join(repoRoot, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  try {
    const exitCode = await runTests({
      version: process.env.SALKAFKA_VSCODE_VERSION ?? 'stable',
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath,
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes'],
    });
    process.exitCode = exitCode;
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  // runTests rejects when VS Code cannot be downloaded or started, and when the tests fail.
  console.error(`[run-electron] FAILED: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
