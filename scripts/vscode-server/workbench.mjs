// Starts a real VS Code (server from the code-server package + headless Chromium via playwright-core)
// with this repository loaded as the extension under development. Shared by the extension-host test
// runner, the screenshot script and the activation benchmark.
//
// Every failure to start throws an Error with a clear message and the relevant log tail: callers
// turn that into a non-zero exit, never a silent pass.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, ensureVsCodeServer } from './install.mjs';
import { freeLoopbackPort, serverDirs, startServer, writeMachineSettings } from './server.mjs';

export { REPO_ROOT };
export const FIXTURE_WORKSPACE = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace');

const CHROMIUM_ARGS = [
  '--no-sandbox', // we run as root in a VM; Chromium refuses its sandbox as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Formats a console call the way a terminal would: the first argument is a printf-style format
 * (%s %d %i %f %o %O %j substituted, %c styling dropped with its CSS argument), the rest appended.
 * Extension-host output reaches the page as console.log('%c[Extension Host] %c' + format, css, css, ...args),
 * so msg.text() alone would show unformatted templates.
 */
export function formatConsoleArgs(values) {
  if (values.length === 0) return '';
  const [first, ...rest] = values;
  if (typeof first !== 'string') return values.map(show).join(' ');
  let i = 0;
  const text = first.replace(/%([sdifoOjc%])/g, (match, kind) => {
    if (kind === '%') return '%';
    if (i >= rest.length) return match;
    const value = rest[i++];
    if (kind === 'c') return '';
    if (kind === 'd' || kind === 'i') return String(Math.trunc(Number(value)));
    if (kind === 'f') return String(Number(value));
    return show(value);
  });
  return [text, ...rest.slice(i).map(show)].join(' ');
}

function show(value) {
  if (typeof value === 'string') return value;
  if (value === undefined) return 'undefined';
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Resolves a Playwright console message to its formatted text (falls back to msg.text()). */
export async function consoleText(msg) {
  try {
    const values = await Promise.all(msg.args().map((a) => a.jsonValue().catch(() => undefined)));
    return values.length > 0 ? formatConsoleArgs(values) : msg.text();
  } catch {
    return msg.text();
  }
}

/**
 * Adds `extra` settings to the text of a workspace settings.json (JSON with comments), as the first
 * entries of its top-level object so the fixture's comments and formatting stay as written.
 * Throws when the fixture already sets one of the keys (its value would silently win).
 */
export function addWorkspaceSettings(text, extra) {
  const entries = Object.entries(extra);
  if (entries.length === 0) return text;
  for (const [key] of entries) {
    if (text.includes(JSON.stringify(key))) throw new Error(`the workspace fixture's settings.json already sets ${key}; the runner sets it (remove it from the fixture)`);
  }
  const open = text.indexOf('{');
  const before = open < 0 ? '' : text.slice(0, open);
  if (open < 0 || before.split('\n').some((line) => line.trim() !== '' && !line.trim().startsWith('//'))) {
    throw new Error('workspace settings.json does not start with its top-level object');
  }
  const empty = /^\{\s*\}\s*$/.test(text.slice(open).replace(/^\s*\/\/.*$/gm, ''));
  const lines = entries.map(([k, v], i) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}${empty && i === entries.length - 1 ? '' : ','}`);
  return `${before}{\n  // Added by the test runner (startWorkbench workspaceSettings), not in the fixture:\n${lines.join('\n')}\n${text.slice(open + 1).replace(/^\s*\n/, '')}`;
}

/**
 * Headless Chromium through playwright-core, with the flags these machines need. Its own
 * SIGINT/SIGTERM handling is off: callers stop browser and server together (Playwright's would exit first).
 */
export async function launchChromium(chromiumPath) {
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (err) {
    throw new Error(`playwright-core is not installed (devDependency; run "npm ci"): ${err.message}`);
  }
  try {
    return await playwright.chromium.launch({
      executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000,
      handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    });
  } catch (err) {
    throw new Error(`Chromium (${chromiumPath}) could not start: ${err.message}`);
  }
}

/**
 * Starts server + browser and opens the workbench.
 * @param {object} opts
 * @param {string} [opts.extensionTestsPath] absolute path of a test entry (exports run()); omit for a plain workbench
 * @param {string} [opts.workspaceSource] folder copied into a fresh temp workspace (default: test fixtures);
 *   null opens an empty temp folder
 * @param {(code: number) => void} [opts.onExit] receives the tests' exit code (codeAutomationExit)
 * @param {(text: string, type: string) => void} [opts.onConsole] every browser console message
 * @param {{width: number, height: number}} [opts.viewport]
 * @param {Record<string,string>} [opts.env] extra environment for the server (and its extension host)
 * @param {Record<string,unknown>} [opts.workspaceSettings] settings added to the temp workspace's .vscode/settings.json
 * @param {Record<string,unknown>} [opts.machineSettings] the server's machine settings
 *   (<user-data-dir>/Machine/settings.json, as the server resolves it when --user-data-dir is given):
 *   where "machine"-scoped settings live in this remote window, as a user's settings.json on a desktop
 * @param {boolean} [opts.restricted] leave workspace trust on: the folder opens in Restricted Mode
 *   (the default is --disable-workspace-trust, i.e. trusted, as a user who trusts their folder)
 */
export async function startWorkbench(opts = {}) {
  const bins = await ensureVsCodeServer();
  const chromiumPath = bins.chromium;
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'salkafka-vscode-'));
  const dirs = { ...serverDirs(tmp), workspace: path.join(tmp, 'workspace') };
  mkdirSync(dirs.workspace, { recursive: true });
  const source = opts.workspaceSource === undefined ? FIXTURE_WORKSPACE : opts.workspaceSource;
  if (source) cpSync(source, dirs.workspace, { recursive: true });
  if (opts.workspaceSettings) {
    const file = path.join(dirs.workspace, '.vscode', 'settings.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, addWorkspaceSettings(existsSync(file) ? readFileSync(file, 'utf8') : '{}\n', opts.workspaceSettings));
  }
  if (opts.machineSettings) writeMachineSettings(dirs, opts.machineSettings);

  const port = await freeLoopbackPort();
  const serverLog = path.join(tmp, 'server.log');
  let server;
  let browser;
  const stop = async () => {
    try {
      await browser?.close();
    } catch {
      // browser already gone
    }
    await server?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (!process.env.SALKAFKA_KEEP_TMP) rmSync(tmp, { recursive: true, force: true });
  };

  // The server runs in its own process group (detached), so Ctrl+C on the runner would not reach it:
  // stop it ourselves before exiting.
  const onSignal = (signal) => {
    void stop().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    server = await startServer(bins, {
      dirs, port, logFile: serverLog, env: opts.env,
      smokeTestDriver: true, // makes the workbench honour the `payload` URL parameter
      // Without this the temp folder is untrusted and opens in Restricted Mode, where the extension
      // refuses every remote feature (package.json capabilities.untrustedWorkspaces).
      trustAll: !opts.restricted,
    });
    const { base } = server;

    browser = await launchChromium(chromiumPath);
    const page = await browser.newPage({ viewport: opts.viewport ?? { width: 1600, height: 1000 } });
    // Resolving arguments is async; chain the calls so lines come out in the order they were logged.
    let consoleChain = Promise.resolve();
    page.on('console', (msg) => {
      consoleChain = consoleChain.then(async () => opts.onConsole?.(await consoleText(msg), msg.type()));
    });
    page.on('pageerror', (err) => opts.onConsole?.(`[page error] ${err.message}`, 'error'));
    page.on('crash', () => opts.onConsole?.('[page crashed]', 'error'));
    // The workbench calls window.codeAutomationExit(code) when the extension tests finish.
    await page.exposeFunction('codeAutomationExit', (code) => opts.onExit?.(Number(code)));

    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    if (opts.extensionTestsPath) payload.push(['extensionTestsPath', remote(opts.extensionTestsPath)]);
    const url = `${base}/?folder=${encodeURIComponent(dirs.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    return { page, browser, port, dirs, serverLog, stop, flushConsole: () => consoleChain };
  } catch (err) {
    if (process.env.SALKAFKA_KEEP_TMP) console.error(`[vscode-server] temp files kept in ${tmp}`);
    await stop();
    throw err;
  }
}
