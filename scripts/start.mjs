#!/usr/bin/env node
// `npm start`: package the extension, bring up the local test host (a stand-in for azar2), then
// serve the product: VS Code's server on 127.0.0.1 with the .vsix installed, pointed at the test
// host, a workspace with an example compose file open, until Ctrl-C (scripts/vscode-server/product.mjs).
//
//   npm start                  everything, ends with the URL to open
//   npm start -- --no-ui       package + test host, then print how to use them in your own VS Code
//   npm start -- --port 9000   ask for another port first (default 8640; any free one when taken; 0: any)
//
// A second start reuses what is there: the .vsix unless a source changed, the running test host,
// the installed server and extension, the workspace (with your edits), the URL's token; and when a
// previous start is still serving, it only prints that one's URL.
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import {
  DEFAULT_PORT, REPO_ROOT, ensureTestHost, ensureVsix, runningProduct, startProduct,
} from './vscode-server/product.mjs';

const started = Date.now();
const args = process.argv.slice(2);
const noUi = args.includes('--no-ui');
const portArg = args.indexOf('--port');
const port = portArg >= 0 ? Number(args[portArg + 1]) : DEFAULT_PORT;
for (const a of args) {
  if (!['--no-ui', '--port'].includes(a) && args[args.indexOf(a) - 1] !== '--port') fail(`unknown option ${a} (known: --no-ui, --port N)`);
}
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port needs a port number, not ${args[portArg + 1]}`);

function say(msg) {
  console.log(`[start] ${msg}`);
}

function fail(msg) {
  console.error(`[start] FAILED: ${msg}`);
  process.exit(1);
}

const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

function codeOnPath() {
  try {
    execFileSync('sh', ['-c', 'command -v code'], { stdio: ['ignore', 'pipe', 'ignore'] });
    return true;
  } catch {
    return false;
  }
}

/** Where `code` is on PATH, offers to install the .vsix there too; never waits on a non-interactive run. */
async function offerDesktopInstall(vsix) {
  if (!codeOnPath()) return;
  const cmd = `code --install-extension ${vsix}`;
  if (!process.stdin.isTTY) {
    console.log(`\nVS Code is on your PATH: install the extension there too with\n  ${cmd}`);
    return;
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  // readline takes Ctrl-C while it asks: pass it on, so Ctrl-C still stops the server.
  rl.on('SIGINT', () => {
    rl.close();
    process.kill(process.pid, 'SIGINT');
  });
  const answer = await new Promise((resolve) => rl.question('\nVS Code is on your PATH: install the extension there too? [y/N] ', resolve));
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.log(`Not installed. Later: ${cmd}`);
    return;
  }
  try {
    execFileSync('code', ['--install-extension', vsix], { stdio: 'inherit' });
  } catch (err) {
    console.log(`code --install-extension failed (${err.message.split('\n')[0]}); the workbench above is unaffected.`);
  }
}

function printNoUiInstructions(vsix, info) {
  console.log(`
EFD SAL Kafka is built (${path.relative(REPO_ROOT, vsix)}) and the local test host is up.

Open it in VS Code:
  1. code --install-extension ${vsix}
  2. In your VS Code settings (JSON):
       "efdSalkafka.host": "${info.sshAlias}",
       "efdSalkafka.sshConfigFile": "${path.resolve(info.sshConfigFile)}"
  3. Run "EFD SAL Kafka: Connect to Host" (the host key is already in ${info.knownHostsFile};
     its fingerprint: ${info.hostKeyFingerprint}).
  4. Open the EFD SAL Kafka view in the activity bar; "Open Remote Compose File" opens
     ${info.composeFile} on the test host.

Or from a terminal:  ssh -F ${path.resolve(info.sshConfigFile)} ${info.sshAlias} docker ps
Stop the test host:   bash test/host/down.sh`);
}

let vsix;
try {
  ({ vsix } = ensureVsix({ log: say }));
} catch (err) {
  fail(`packaging the extension failed: ${err.message.split('\n')[0]}`);
}
say(`extension ready after ${seconds()}`);

let info;
try {
  info = ensureTestHost();
} catch (err) {
  fail(err.message);
}
say(`test host ${info.sshAlias} (${info.user}@${info.host}:${info.port}) ready after ${seconds()}`);

if (noUi) {
  printNoUiInstructions(vsix, info);
  process.exit(0);
}

const already = await runningProduct();
if (already) {
  console.log(`
EFD SAL Kafka is already being served by an earlier "npm start" (pid ${already.pid}); open:

  ${already.url}

Ctrl-C in that terminal stops it. (${seconds()})`);
  await offerDesktopInstall(vsix);
  process.exit(0);
}

let product;
try {
  product = await startProduct({ vsix, hostInfo: info, port, log: say });
} catch (err) {
  fail(err.message);
}

let stopping = false;
const stopOnSignal = (signal) => {
  if (stopping) return;
  stopping = true;
  void product.stop().finally(() => {
    console.log(`\n[start] VS Code server stopped. The test host ${info.sshAlias} is still running; stop it with:  bash test/host/down.sh`);
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 }[signal] ?? 15));
  });
};
process.on('SIGINT', stopOnSignal);
process.on('SIGTERM', stopOnSignal);
// The server runs in its own process group: a closed terminal must stop it too, not orphan it.
process.on('SIGHUP', stopOnSignal);
product.server.process.on('exit', (code, signal) => {
  if (stopping) return;
  console.error(`\n[start] the VS Code server exited on its own (code ${code}, signal ${signal}); see ${product.logFile}`);
  process.exit(1);
});

console.log(`
EFD SAL Kafka is running (ready after ${seconds()}). Open in your browser:

  ${product.url}

VS Code's server on 127.0.0.1:${product.port} (the token in the URL is required), with the extension
installed and pointed at the local test host ${info.sshAlias}: open the EFD SAL Kafka view in the activity bar
and Connect; the workspace has an example compose file to edit (${path.relative(REPO_ROOT, product.composeFile)}).
Machine settings: ${path.relative(REPO_ROOT, product.settingsFile)}. Server log: ${path.relative(REPO_ROOT, product.logFile)}.

Ctrl-C stops the server; the test host keeps running (stop it with: bash test/host/down.sh).`);
await offerDesktopInstall(vsix);
