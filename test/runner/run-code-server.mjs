#!/usr/bin/env node
// Runs the extension-host tests (out/test/vscode/index.js) inside a real VS Code 1.139 server and
// workbench from the code-server npm package, driven by headless Chromium. For machines that cannot
// download VS Code (ours). Installs what it needs itself into .cache/vscode-server/ on first use.
//
//   node test/runner/run-code-server.mjs          (after `npm run build && npm run compile-tests`)
//   npm run test:vscode                           (does all three)
//
// Before VS Code starts, the local test host (test/host/up.sh --ensure: sshd on 127.0.0.1:2222 +
// dockerd with simulated producers) is brought up if it does not answer, and the server's MACHINE
// settings point the extension at it (efdSalkafka.host = its alias, efdSalkafka.sshConfigFile = its
// ssh_config): the remote suites (test/vscode/remote*.test.ts) use real SSH and Docker. Those
// settings are "machine" scoped, so a workspace cannot set them: the temp workspace's
// .vscode/settings.json carries HOSTILE values for every one of them (HOSTILE_WORKSPACE_SETTINGS),
// which VS Code must ignore; test/vscode/settingsScope.test.ts checks that it does, and every remote
// suite would fail if it did not.
//
// Three passes (SALKAFKA_VSCODE_PASSES, default "ssh,local,restricted"), each on a fresh VS Code
// server: "ssh" runs every suite with efdSalkafka.transport = "ssh"; "local" runs the remote
// suites again with it left on "auto", which on this machine (the test host's compose file is
// here, its Docker socket answers, its alias resolves to 127.0.0.1) must pick the LOCAL transport:
// a real run of the local transport, the way the extension runs on azar2 under Remote-SSH;
// "restricted" opens the folder untrusted (Restricted Mode) and runs the compose-checking suites
// and the Restricted Mode suite.
//
// Exit code: the tests' own exit code (the first failing pass's); 2 if VS Code, Chromium, the test host or the tests could not
// run at all, including no result within SALKAFKA_VSCODE_TIMEOUT_MS (default 8 minutes). Never a silent pass.
// Options (environment): SALKAFKA_VSCODE_VERBOSE=1 prints every workbench console message,
// SALKAFKA_VSCODE_GREP=<pattern> runs only matching tests, SALKAFKA_KEEP_TMP=1 keeps temp dirs/logs.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startWorkbench } from '../../scripts/vscode-server/workbench.mjs';
import { testHostMachineSettings } from '../../scripts/vscode-server/product.mjs';

const TIMEOUT_MS = Number(process.env.SALKAFKA_VSCODE_TIMEOUT_MS ?? 8 * 60_000);
const VERBOSE = process.env.SALKAFKA_VSCODE_VERBOSE === '1';
const TEST_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'vscode', 'index.js');
const BUNDLE = path.join(REPO_ROOT, 'dist', 'extension.js');
// index.ts prefixes every mocha reporter line with this (see prefixReporterOutput there).
const LOG_PREFIX = '[ext-test] ';

function fail(message) {
  console.error(`\n[run-code-server] FAILED: ${message}`);
  process.exit(2);
}

for (const [file, hint] of [[TEST_ENTRY, 'npm run compile-tests'], [BUNDLE, 'npm run build']]) {
  if (!existsSync(file)) fail(`${path.relative(REPO_ROOT, file)} is missing; run "${hint}" first (or "npm run test:vscode").`);
}

const started = Date.now();

/**
 * Starts the test host unless it already answers; returns the settings that point the extension
 * at it. Fails the run (exit 2) when it cannot start: the remote suites would only time out.
 */
function testHostSettings() {
  const upScript = path.join(REPO_ROOT, 'test', 'host', 'up.sh');
  const stateDir = process.env.SALKAFKA_TEST_HOST_STATE ?? path.join(REPO_ROOT, '.test-host');
  const t0 = Date.now();
  console.log('[run-code-server] test host: bash test/host/up.sh --ensure');
  const up = spawnSync('bash', [upScript, '--ensure'], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 15 * 60_000 });
  if (up.status !== 0) {
    fail(`the local test host could not start (test/host/up.sh --ensure exited with ${up.status ?? up.signal ?? up.error?.message}); see the output above and ${stateDir}/*.log`);
  }
  let info;
  try {
    info = JSON.parse(readFileSync(path.join(stateDir, 'host.json'), 'utf8'));
  } catch (err) {
    fail(`test host is up but ${stateDir}/host.json is unreadable: ${err.message}`);
  }
  for (const key of ['sshAlias', 'sshConfigFile', 'composeFile']) {
    if (!info[key]) fail(`${stateDir}/host.json lacks "${key}"; re-run test/host/up.sh`);
  }
  console.log(`[run-code-server] test host ${info.sshAlias} (${info.user}@${info.host}:${info.port}) ready after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return testHostMachineSettings(info);
}

const baseSettings = testHostSettings();
const userGrep = process.env.SALKAFKA_VSCODE_GREP;
/** A pass runs the suites whose title matches (or, inverted, the others), unless the user grep says otherwise. */
const only = (pattern, invert = false) => (userGrep ? {} : { SALKAFKA_VSCODE_GREP: pattern, SALKAFKA_VSCODE_GREP_INVERT: invert ? '1' : '0' });
const PASSES = {
  // Everything but the Restricted Mode suite, over SSH.
  ssh: { settings: { 'efdSalkafka.transport': 'ssh' }, env: { SALKAFKA_EXPECT_TRANSPORT: 'ssh', ...only('^Restricted Mode', true) } },
  // Only the remote suites: checking a compose file does not depend on the transport.
  local: { settings: { 'efdSalkafka.transport': 'auto' }, env: { SALKAFKA_EXPECT_TRANSPORT: 'local', ...only('^Remote') } },
  // The folder untrusted: compose checking must work, the remote half must refuse.
  restricted: { restricted: true, settings: {}, env: only('^(Restricted Mode|Diagnostics|Completion|Quick fix)') },
};
const passNames = (process.env.SALKAFKA_VSCODE_PASSES ?? 'ssh,local,restricted').split(',').map((x) => x.trim()).filter(Boolean);
for (const n of passNames) if (!PASSES[n]) fail(`SALKAFKA_VSCODE_PASSES names an unknown pass "${n}" (known: ${Object.keys(PASSES).join(', ')})`);
/** What a malicious or careless trusted folder might set; exported to the tests through the env. */
const HOSTILE_WORKSPACE_SETTINGS = {
  'efdSalkafka.host': 'workspace-redirect.invalid',
  'efdSalkafka.hosts': { 'workspace-redirect.invalid': { hostName: 'workspace-redirect.invalid', proxyJump: 'evil.invalid' } },
  'efdSalkafka.sshConfigFile': '/tmp/workspace-ssh-config-must-be-ignored',
  'efdSalkafka.knownHostsFile': '/tmp/workspace-known-hosts-must-be-ignored',
  'efdSalkafka.composeFile': '/tmp/workspace-compose-must-be-ignored.yaml',
  'efdSalkafka.production.hosts': [],
  'efdSalkafka.production.partitions': ['workspace-partition'],
  'efdSalkafka.enableHotAdd': true,
  'efdSalkafka.backupDirectory': '/tmp/workspace-backups-must-be-ignored',
  'efdSalkafka.auditLogFile': '/dev/null',
  'efdSalkafka.dryRun': true,
  'efdSalkafka.rememberPassphrase': true,
  'efdSalkafka.producerHosts': [{ alias: 'workspace-redirect.invalid', composeFile: '/tmp/workspace-compose-must-be-ignored.yaml' }],
  'efdSalkafka.dockerSocket': '/tmp/workspace-docker-must-be-ignored.sock',
  'efdSalkafka.backups.keep': 1,
};

/** Extension-host output goes to stdout as it arrives; workbench noise only when verbose. */
function makeOnConsole(summary) {
  return (text, type) => {
    const at = text.indexOf(LOG_PREFIX);
    if (at >= 0) {
      const line = text.slice(at + LOG_PREFIX.length);
      console.log(line);
      const m = /^\s*(\d+) (passing|failing|pending)\b/.exec(line);
      if (m) summary[m[2]] = Number(m[1]);
    } else if (VERBOSE || type === 'error' && /extension|salkafka/i.test(text)) {
      console.log(`[workbench ${type}] ${text}`);
    }
  };
}

async function runPass(name) {
  const pass = PASSES[name];
  const machineSettings = { ...baseSettings, ...pass.settings };
  const summary = { passing: undefined, failing: undefined, pending: undefined };
  const passStarted = Date.now();
  let resolveExit;
  const exitCode = new Promise((resolve) => (resolveExit = resolve));
  console.log(`\n[run-code-server] pass "${name}": starting VS Code server + Chromium (timeout ${TIMEOUT_MS / 1000} s)`);
  let workbench;
  try {
    workbench = await startWorkbench({
      extensionTestsPath: TEST_ENTRY,
      onConsole: makeOnConsole(summary),
      onExit: (code) => resolveExit(code),
      // The server's environment reaches the extension host, hence the test entry.
      env: {
        SALKAFKA_VSCODE_LOG_PREFIX: LOG_PREFIX,
        SALKAFKA_MACHINE_SETTINGS: JSON.stringify(machineSettings),
        SALKAFKA_HOSTILE_WORKSPACE_SETTINGS: JSON.stringify(HOSTILE_WORKSPACE_SETTINGS),
        ...pass.env,
      },
      // Machine-scoped settings (where a user's own settings.json puts them); the workspace only
      // carries hostile values that must be ignored.
      machineSettings,
      workspaceSettings: HOSTILE_WORKSPACE_SETTINGS,
      restricted: pass.restricted === true,
    });
  } catch (err) {
    fail(err.message);
  }
  console.log(`[run-code-server] workbench opened on port ${workbench.port} after ${((Date.now() - passStarted) / 1000).toFixed(1)} s; running tests`);

  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
  const result = await Promise.race([exitCode, timeout]);
  clearTimeout(timer);

  if (result === 'timeout') {
    const log = workbench.serverLog;
    await workbench.stop();
    fail(`pass "${name}": no exit code from the extension tests within ${TIMEOUT_MS / 1000} s (did the extension host start? server log: ${log}; rerun with SALKAFKA_VSCODE_VERBOSE=1 SALKAFKA_KEEP_TMP=1).`);
  }

  // Console lines logged just before the exit code may still be in flight.
  await new Promise((resolve) => setTimeout(resolve, 500));
  await workbench.flushConsole();
  await workbench.stop();
  const seconds = ((Date.now() - passStarted) / 1000).toFixed(1);
  if (summary.passing === undefined && summary.failing === undefined) {
    // The entry threw before mocha reported (e.g. a test file failed to load): say so, keep the code.
    console.error(`[run-code-server] pass "${name}": no mocha summary was printed by the extension host; the test entry itself failed.`);
    return { name, code: result === 0 ? 2 : result, passed: 0, failed: 0 };
  }
  const passed = summary.passing ?? 0;
  const failed = summary.failing ?? 0;
  console.log(`\n[run-code-server] pass "${name}" finished in ${seconds} s with exit code ${result}`);
  if (result === 0 && failed > 0) fail(`pass "${name}": exit code 0 but mocha reported ${failed} failing`);
  if (passed === 0 && failed === 0) fail(`pass "${name}" ran no test at all`);
  return { name, code: result, passed, failed, pending: summary.pending };
}

const results = [];
for (const name of passNames) results.push(await runPass(name));
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`\n[run-code-server] extension-host tests finished in ${seconds} s`);
for (const r of results) console.log(`extension-host (${r.name} pass): ${r.passed} passed, ${r.failed} failed${r.pending ? `, ${r.pending} skipped` : ''}`);
process.exit(results.find((r) => r.code !== 0)?.code ?? 0);
