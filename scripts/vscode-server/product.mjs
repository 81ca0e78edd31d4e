// The product as a user sees it, in one place: VS Code's server on 127.0.0.1 with the PACKAGED
// extension (.vsix) installed, the local test host's settings written as machine settings (as the
// extension-host tests write them), and a workspace holding an example kafka_writers compose file.
// `npm start` (scripts/start.mjs) serves it until Ctrl-C; test/runner/start-ui.mjs starts the same
// thing and opens it in Chromium.
//
// Everything lasting goes to one git-ignored directory (default .start/): the server's user data
// and extensions, the workspace (left alone once made: it is the user's to edit), the connection
// token and server.json (the running server's pid and port, so a second start finds it).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, ensureVsCodeServer } from './install.mjs';
import { freeLoopbackPort, installVsix, serverDirs, startServer, writeMachineSettings } from './server.mjs';

export { REPO_ROOT };
/** SALKAFKA_START_DIR moves it (the UI test uses a fresh one, leaving a user's .start/ alone). */
export const START_DIR = process.env.SALKAFKA_START_DIR ? path.resolve(process.env.SALKAFKA_START_DIR) : path.join(REPO_ROOT, '.start');
export const VSIX = path.join(REPO_ROOT, 'efd-salkafka.vsix');
/** The port `npm start` asks for first, so the printed URL stays the same from one start to the next. */
export const DEFAULT_PORT = 8640;
/** The example compose file (and the .env its ${CYCLE} comes from): the fixture the extension-host tests open. */
const EXAMPLE_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'workspace', 'kafka_writers');
const EXAMPLE_FILES = ['docker-compose.yaml', '.env'];
/** What the .vsix is made of: packaged again when any of these is newer than it. */
const VSIX_SOURCES = ['src', 'media', 'schemas', 'data', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'scripts/build.mjs', '.vscodeignore'];

/** The test host's description (test/host/up.sh writes it); a clear error when it is not there. */
export function testHostInfo(stateDir = process.env.SALKAFKA_TEST_HOST_STATE ?? path.join(REPO_ROOT, '.test-host')) {
  let info;
  try {
    info = JSON.parse(readFileSync(path.join(stateDir, 'host.json'), 'utf8'));
  } catch (err) {
    throw new Error(`the test host's ${path.join(stateDir, 'host.json')} is unreadable (${err.message}); run "bash test/host/up.sh"`);
  }
  for (const key of ['sshAlias', 'sshConfigFile', 'composeFile']) {
    if (!info[key]) throw new Error(`${stateDir}/host.json lacks "${key}"; re-run test/host/up.sh`);
  }
  return info;
}

/**
 * Machine settings that point the extension at the test host: its alias, the ssh_config that
 * names its key and known_hosts (the host key is known, no prompt), its compose file. The stand-in
 * is treated like azar2 itself: changes need the typed service name, as in production.
 */
export function testHostMachineSettings(info) {
  return {
    'efdSalkafka.host': info.sshAlias,
    'efdSalkafka.sshConfigFile': path.resolve(info.sshConfigFile),
    'efdSalkafka.composeFile': info.composeFile,
    'efdSalkafka.production.hosts': ['azar2', 'azar2.cp.lsst.org', info.sshAlias],
    // A simulated producer logs every CSC within ~2 s of starting; a failure should not take a minute.
    'efdSalkafka.verify.timeoutSeconds': 30,
  };
}

/** Brings the test host up unless it already answers (test/host/up.sh --ensure). */
export function ensureTestHost({ quiet = false } = {}) {
  const up = spawnSync('bash', [path.join(REPO_ROOT, 'test', 'host', 'up.sh'), '--ensure'], {
    cwd: REPO_ROOT, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'], timeout: 15 * 60_000,
  });
  if (up.status !== 0) throw new Error(`the local test host could not start (test/host/up.sh --ensure exited with ${up.status ?? up.signal ?? up.error?.message})`);
  return testHostInfo();
}

function newestMtime(p) {
  let st;
  try {
    st = statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  // Files only: a directory's own time changes with any file made in it (a screenshot in media/).
  let newest = 0;
  // README screenshots live in media/ but are not shipped (.vscodeignore): a new one changes nothing.
  for (const e of readdirSync(p)) if (!e.startsWith('screenshot-')) newest = Math.max(newest, newestMtime(path.join(p, e)));
  return newest;
}

/** Packages the .vsix (production build included) unless it is newer than everything it is made of. */
export function ensureVsix({ log = () => {} } = {}) {
  const built = existsSync(VSIX) ? statSync(VSIX).mtimeMs : 0;
  const stale = VSIX_SOURCES.some((p) => newestMtime(path.join(REPO_ROOT, p)) > built);
  if (!stale) {
    log(`reusing ${path.relative(REPO_ROOT, VSIX)} (nothing it is made of changed)`);
    return { vsix: VSIX, packaged: false };
  }
  log(`packaging ${path.relative(REPO_ROOT, VSIX)} (production build, then vsce)`);
  execFileSync('npx', ['@vscode/vsce', 'package', '--no-dependencies', '--out', VSIX], { cwd: REPO_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  return { vsix: VSIX, packaged: true };
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The token the server wants in the URL (?tkn=); made once, kept private, reused by later starts. */
function connectionToken(dir) {
  const file = path.join(dir, 'connection-token');
  if (!existsSync(file)) writeFileSync(file, randomBytes(24).toString('hex'), { mode: 0o600 });
  return { file, token: readFileSync(file, 'utf8').trim() };
}

/** The workspace: made once from the example; later starts leave it (and the user's edits) alone. */
function ensureWorkspace(dir) {
  const workspace = path.join(dir, 'workspace');
  const target = path.join(workspace, 'kafka_writers');
  const made = !existsSync(target);
  if (made) {
    mkdirSync(target, { recursive: true });
    for (const f of EXAMPLE_FILES) cpSync(path.join(EXAMPLE_DIR, f), path.join(target, f));
  }
  return { workspace, composeFile: path.join(target, 'docker-compose.yaml'), made };
}

export function productUrl(port, token, workspace) {
  return `http://127.0.0.1:${port}/?tkn=${encodeURIComponent(token)}&folder=${encodeURIComponent(workspace)}`;
}

/** The server a previous start left running (its pid alive and its port answering), if any. */
export async function runningProduct(dir = START_DIR) {
  const state = readJson(path.join(dir, 'server.json'));
  if (!state || !Number.isInteger(state.pid) || !pidAlive(state.pid)) return undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${state.port}/version`, { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return undefined;
  } catch {
    return undefined;
  }
  return { ...state, url: productUrl(state.port, connectionToken(dir).token, state.workspace) };
}

/**
 * Installs the server (cached) and the .vsix (again only when it changed), writes the machine
 * settings, makes the workspace and starts the server; resolves once it answers.
 * @param {object} opts
 * @param {string} [opts.dir] state directory (default .start/)
 * @param {string} opts.vsix the packaged extension
 * @param {object} opts.hostInfo testHostInfo()
 * @param {number} [opts.port] asked for first (default DEFAULT_PORT; 0: any); another free one when taken
 * @param {(msg: string) => void} [opts.log]
 */
export async function startProduct({ dir = START_DIR, vsix, hostInfo, port = DEFAULT_PORT, log = () => {} }) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bins = await ensureVsCodeServer({ browser: false });
  const dirs = serverDirs(dir);
  const logFile = path.join(dir, 'server.log');

  // The extension: installed again only when the .vsix differs from the one installed last.
  const stampFile = path.join(dir, 'extension.json');
  const hash = sha256(vsix);
  const installed = readJson(stampFile);
  const extensionPresent = readdirSync(dirs.extensions).some((d) => d.startsWith('lsst-ts.efd-salkafka-'));
  if (installed?.sha256 === hash && extensionPresent) {
    log(`extension already installed (${path.relative(REPO_ROOT, vsix)} unchanged)`);
  } else {
    const t0 = Date.now();
    await installVsix(bins, dirs, vsix, logFile);
    writeFileSync(stampFile, `${JSON.stringify({ sha256: hash, installedAt: new Date().toISOString() }, null, 2)}\n`);
    log(`installed ${path.relative(REPO_ROOT, vsix)} into the server in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  // The test host's settings over whatever else is there (a user may add their own); a file that
  // is not plain JSON (comments) is left as it is, with a word.
  let settingsFile = path.join(dirs.user, 'Machine', 'settings.json');
  const current = existsSync(settingsFile) ? readJson(settingsFile) : {};
  if (current && typeof current === 'object' && !Array.isArray(current)) settingsFile = writeMachineSettings(dirs, { ...current, ...testHostMachineSettings(hostInfo) });
  else log(`left ${path.relative(REPO_ROOT, settingsFile)} alone (not plain JSON): check that it points at ${hostInfo.sshAlias}`);
  const ws = ensureWorkspace(dir);
  log(`${ws.made ? 'made' : 'reusing'} workspace ${path.relative(REPO_ROOT, ws.workspace)} (example compose file kafka_writers/docker-compose.yaml)`);
  const { file: tokenFile, token } = connectionToken(dir);

  const chosen = await freeLoopbackPort(port);
  const server = await startServer(bins, {
    dirs, port: chosen, logFile,
    connectionTokenFile: tokenFile,
    // The workspace is the one made above: open it trusted, or the producers view would ask for trust first.
    trustAll: true,
  });
  writeFileSync(path.join(dir, 'server.json'), `${JSON.stringify({ pid: server.process.pid, port: chosen, workspace: ws.workspace, startedAt: new Date().toISOString() }, null, 2)}\n`);
  const stop = async () => {
    await server.stop();
    rmSync(path.join(dir, 'server.json'), { force: true });
  };
  return {
    url: productUrl(chosen, token, ws.workspace),
    base: server.base, port: chosen, token, workspace: ws.workspace, composeFile: ws.composeFile,
    settingsFile, logFile, server, stop,
  };
}
