// Extension-host test entry: VS Code loads this file (extensionTestsPath) inside its extension host
// and awaits run(). Both runners (test/runner/run-electron.ts and test/runner/run-code-server.mjs)
// point here. Failures are reported by rejecting, which makes VS Code exit with a non-zero code.
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
// mocha 12 is an ES module package whose CommonJS build lives in lib/mocha.cjs; requiring that file
// keeps this entry loadable by any extension host (Electron's or Node 24's).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof import('mocha') = require('mocha/lib/mocha.cjs');

/** Every compiled `*.test.js` below this folder (out/test/vscode/**), sorted for a stable order. */
function findTestFiles(root: string): string[] {
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((rel) => rel.endsWith('.test.js'))
    .map((rel) => path.join(root, rel))
    .sort();
}

/**
 * In the browser workbench (run-code-server.mjs) the extension host's console reaches the page mixed
 * with the workbench's own log lines; a prefix chosen by the runner lets it pick out the reporter's
 * lines. Each call is formatted here so the page receives one plain string.
 */
function prefixReporterOutput(prefix: string): void {
  const base = Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void };
  base.consoleLog = (...args: unknown[]) => {
    for (const line of util.format(...args).split('\n')) console.log(prefix + line);
  };
}

export async function run(): Promise<void> {
  const logPrefix = process.env.SALKAFKA_VSCODE_LOG_PREFIX;
  if (logPrefix) prefixReporterOutput(logPrefix);
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false, // the output ends up in a browser console and CI logs, not a terminal
    timeout: 30_000,
    slow: 5_000,
  });
  // Optional focus for local debugging, e.g. SALKAFKA_VSCODE_GREP=Diagnostics (passed through the
  // server's environment). Never set by CI.
  const grep = process.env.SALKAFKA_VSCODE_GREP;
  if (grep) mocha.grep(grep);
  // The runner's passes pick suites by title; SALKAFKA_VSCODE_GREP_INVERT=1 runs the others.
  if (grep && process.env.SALKAFKA_VSCODE_GREP_INVERT === '1') mocha.invert();

  const files = findTestFiles(__dirname);
  if (files.length === 0) {
    throw new Error(`No extension-host test files (*.test.js) found under ${__dirname}; run "npm run compile-tests" first.`);
  }
  for (const file of files) mocha.addFile(file);
  await mocha.loadFilesAsync();

  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed.`);
}
