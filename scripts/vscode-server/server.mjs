// VS Code's server process (server-main.js of the code-server package, run with its Node 24): start
// it on 127.0.0.1, wait until it answers, stop it with everything it forked, and use its CLI to
// install a .vsix. Shared by the test workbench (workbench.mjs: temp dirs, the extension under
// development) and `npm start` (product.mjs: a lasting state dir, the packaged extension).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from './install.mjs';

const SERVER_READY_TIMEOUT_MS = 90_000;

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The last `chars` characters of a log file, for error messages. */
export function tail(file, chars = 3000) {
  try {
    return readFileSync(file, 'utf8').slice(-chars);
  } catch {
    return '(no log)';
  }
}

/** A loopback port: `preferred` when it is free, else one the kernel picks. */
export function freeLoopbackPort(preferred = 0) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', (err) => {
      if (preferred !== 0 && err.code === 'EADDRINUSE') freeLoopbackPort(0).then(resolve, reject);
      else reject(err);
    });
    srv.listen(preferred, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, serverProcess, logFile) {
  const deadline = Date.now() + SERVER_READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (serverProcess.exitCode !== null || serverProcess.signalCode !== null) {
      throw new Error(`VS Code server exited during start-up (code ${serverProcess.exitCode}, signal ${serverProcess.signalCode}).\n--- server log ${logFile} ---\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`VS Code server did not answer ${url} within ${SERVER_READY_TIMEOUT_MS / 1000} s.\n--- server log ${logFile} ---\n${tail(logFile)}`);
}

/** The server's three directories (user data, server data, extensions) under one root. */
export function serverDirs(root) {
  const dirs = {
    user: path.join(root, 'user-data'),
    server: path.join(root, 'server-data'),
    extensions: path.join(root, 'extensions'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

function dirArgs(dirs) {
  return ['--user-data-dir', dirs.user, '--server-data-dir', dirs.server, '--extensions-dir', dirs.extensions];
}

/**
 * Writes the server's machine settings (<user-data-dir>/Machine/settings.json, where the server
 * resolves them): where "machine"-scoped settings live in a remote window, as a user's own
 * settings.json on a desktop.
 */
export function writeMachineSettings(dirs, settings) {
  const file = path.join(dirs.user, 'Machine', 'settings.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  return file;
}

/** Installs a .vsix into the server's extensions dir with the server's own CLI (no server runs). */
export function installVsix({ nodeBin, serverMain }, dirs, vsix, logFile) {
  return new Promise((resolve, reject) => {
    const out = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(nodeBin, [serverMain, ...dirArgs(dirs), '--install-extension', vsix, '--force', '--accept-server-license-terms'], {
      cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      out.end();
      if (code === 0) resolve();
      else reject(new Error(`installing ${vsix} into the VS Code server failed (exit ${code}).\n--- ${logFile} ---\n${tail(logFile)}`));
    });
  });
}

/**
 * Starts the server on 127.0.0.1 and waits until it answers.
 * @param {{nodeBin: string, serverMain: string}} bins from ensureVsCodeServer()
 * @param {object} opts
 * @param {{user: string, server: string, extensions: string}} opts.dirs
 * @param {number} opts.port
 * @param {string} opts.logFile server output (appended)
 * @param {string} [opts.connectionTokenFile] the token every request must carry; omitted: no token (tests)
 * @param {boolean} [opts.smokeTestDriver] honour the `payload` URL parameter (tests load the extension under development with it)
 * @param {boolean} [opts.trustAll] --disable-workspace-trust: every folder opens trusted
 * @param {Record<string,string>} [opts.env] extra environment for the server and its extension host
 * @returns {Promise<{process: import('node:child_process').ChildProcess, port: number, base: string, stop: () => Promise<void>}>}
 */
export async function startServer({ nodeBin, serverMain }, opts) {
  const logStream = createWriteStream(opts.logFile, { flags: 'a' });
  const server = spawn(nodeBin, [
    serverMain,
    '--host', '127.0.0.1',
    '--port', String(opts.port),
    ...(opts.connectionTokenFile ? ['--connection-token-file', opts.connectionTokenFile] : ['--without-connection-token']),
    ...(opts.smokeTestDriver ? ['--enable-smoke-test-driver'] : []),
    '--accept-server-license-terms',
    ...dirArgs(opts.dirs),
    '--disable-telemetry',
    ...(opts.trustAll ? ['--disable-workspace-trust'] : []),
  ], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...(opts.env ?? {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() also ends the extension host and pty host it forks
  });
  server.stdout.pipe(logStream);
  server.stderr.pipe(logStream);

  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // group already gone
      }
      for (let i = 0; i < 20 && server.exitCode === null && server.signalCode === null; i++) await sleep(100);
      try {
        process.kill(-server.pid, 'SIGKILL');
      } catch {
        // exited on SIGTERM
      }
    }
    logStream.end();
  };

  const base = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${base}/version`, server, opts.logFile);
  } catch (err) {
    await stop();
    throw err;
  }
  return { process: server, port: opts.port, base, stop };
}
