// Access to the project's real local test host ("azar2-test", built by test/host/up.sh) for
// integration tests and benchmarks. Plain Node: no vscode import.
//
// ensureTestHost() starts the host at most once per test process (`up.sh --ensure` reuses a host
// that already answers) and throws a loud error when it cannot start; the caller decides to fail
// (always when SALKAFKA_REQUIRE_HOST=1) or to skip with that message printed.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/** Parsed .test-host/host.json, written by test/host/up.sh. */
export interface TestHostInfo {
  host: string; // 127.0.0.1
  port: number; // 2222
  user: string; // salkafka (in group docker)
  identityFile: string;
  noDockerUser: string; // nodocker (NOT in group docker)
  noDockerIdentityFile: string;
  knownHostsFile: string; // "[127.0.0.1]:2222 ssh-ed25519 …"
  hostKeyFingerprint: string; // "SHA256:…" as `ssh-keygen -lf` prints it
  composeFile: string; // /deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml
  sshConfigFile: string; // defines Host azar2-test and azar2-test-nodocker
  sshAlias: string;
  noDockerSshAlias: string;
  dockerSocket: string;
  image: string;
  loadDir: string; // <loadDir>/<container>/load is mounted at /sim/load in that producer
  stateDir: string;
}

export interface ExecResult {
  code: number; // exit status; -1 when killed by a signal or on timeout
  stdout: string;
  stderr: string;
}

/** The repository root: the nearest ancestor holding test/host/up.sh (works from src and out/). */
function findRepoRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'test', 'host', 'up.sh'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`test/host/up.sh not found above ${__dirname}`);
    dir = parent;
  }
}

export const repoRoot = findRepoRoot();
export const upScript = path.join(repoRoot, 'test', 'host', 'up.sh');
export const stateDir = process.env.SALKAFKA_TEST_HOST_STATE ?? path.join(repoRoot, '.test-host');
const hostJsonPath = path.join(stateDir, 'host.json');

/** First run installs packages (about 70 s); a warm run takes about 20 s. */
const UP_TIMEOUT_MS = 15 * 60_000;

/** Run a local command through bash; never rejects on a non-zero exit (tests assert on code). */
export function hostExec(cmd: string, opts: { timeoutMs?: number; input?: string } = {}): Promise<ExecResult> {
  return new Promise((resolve) => {
    const child = execFile(
      'bash',
      ['-c', cmd],
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/** Quote one argument for bash. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Run a command on the test host through the system ssh client (as salkafka, or as nodocker). */
export async function sshExec(info: TestHostInfo, remoteCmd: string, opts: { noDocker?: boolean; timeoutMs?: number } = {}): Promise<ExecResult> {
  const alias = opts.noDocker ? info.noDockerSshAlias : info.sshAlias;
  return hostExec(
    `ssh -F ${shellQuote(info.sshConfigFile)} -o BatchMode=yes -o ConnectTimeout=10 ${alias} ${shellQuote(remoteCmd)}`,
    { timeoutMs: opts.timeoutMs },
  );
}

function readHostJson(): TestHostInfo {
  const info = JSON.parse(fs.readFileSync(hostJsonPath, 'utf8')) as TestHostInfo;
  for (const key of ['host', 'port', 'user', 'identityFile', 'knownHostsFile', 'hostKeyFingerprint', 'composeFile', 'sshConfigFile'] as const) {
    if (info[key] === undefined || info[key] === '') throw new Error(`${hostJsonPath} lacks "${key}"; re-run test/host/up.sh`);
  }
  return info;
}

async function runUp(args: string[]): Promise<TestHostInfo> {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new Error(`TEST HOST UNAVAILABLE: ${upScript} must run as root (uid is ${process.getuid()})`);
  }
  const started = Date.now();
  const r = await hostExec(`bash ${shellQuote(upScript)} ${args.join(' ')}`, { timeoutMs: UP_TIMEOUT_MS });
  if (r.code !== 0) {
    const tail = (r.stderr + r.stdout).trim().split('\n').slice(-25).join('\n');
    throw new Error(
      `TEST HOST UNAVAILABLE: ${upScript} ${args.join(' ')} exited with ${r.code} after ${Date.now() - started} ms.\n` +
        `Logs: ${stateDir}/{apt,dockerd,sshd,compose}.log\n--- last output ---\n${tail}`,
    );
  }
  return readHostJson();
}

let ensured: Promise<TestHostInfo> | undefined;

/**
 * The test host, started if needed. Cached for the process: later calls cost nothing.
 * A failed attempt is not cached, so a later call tries again.
 */
export function ensureTestHost(): Promise<TestHostInfo> {
  if (!ensured) {
    ensured = runUp(['--ensure']);
    ensured.catch(() => {
      ensured = undefined;
    });
  }
  return ensured;
}

/**
 * Back to the baseline: compose file, .env, load files and all salkafka-* containers recreated
 * (m2 and at running, eas exited, calib not created, orphan running). About 20 s.
 */
export function resetTestHost(): Promise<TestHostInfo> {
  ensured = runUp([]);
  ensured.catch(() => {
    ensured = undefined;
  });
  return ensured;
}

/** Whether a missing host must fail the run (CI / README command) rather than skip. */
export function hostRequired(): boolean {
  return process.env.SALKAFKA_REQUIRE_HOST === '1';
}

/**
 * Set the simulated DDS read-queue targets of a producer (container name, e.g. "salkafka-m2").
 * Lines are "<CSC> <topic> <target 0-100>" ("*" matches any; later lines win), e.g.
 * ["MTRotator rotation 100"] or ["* * 0"]. The producer re-reads the file every SIM_PERIOD and
 * moves each queue toward its target by SIM_STEP (20) elements per tick. Written atomically.
 */
export async function setLoad(service: string, lines: string[] | string): Promise<void> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(service)) throw new Error(`bad service name ${JSON.stringify(service)}`);
  const info = await ensureTestHost();
  const dir = path.join(info.loadDir, service);
  const body = (Array.isArray(lines) ? lines.join('\n') : lines).replace(/\n?$/, '\n');
  await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.load.${process.pid}.${Date.now()}`);
  await fs.promises.writeFile(tmp, body, { mode: 0o644 });
  await fs.promises.rename(tmp, path.join(dir, 'load'));
}

/** `docker logs` of a container on the local socket (stdout and stderr merged, in order). */
export async function containerLogs(container: string): Promise<string> {
  const r = await hostExec(`docker logs ${shellQuote(container)} 2>&1`);
  if (r.code !== 0) throw new Error(`docker logs ${container} failed (${r.code}): ${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** Number of lines a container has logged so far (pass it as `fromLine` to see only newer ones). */
export async function logLineCount(container: string): Promise<number> {
  return (await containerLogs(container)).split('\n').filter((l) => l !== '').length;
}

/**
 * Poll a container's log until `pattern` matches a line at index >= fromLine (0-based);
 * returns that line.
 */
export async function waitForLogLine(container: string, pattern: RegExp, timeoutMs = 30_000, fromLine = 0): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = await containerLogs(container);
    const hit = last.split('\n').slice(fromLine).find((l) => pattern.test(l));
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no line matching ${pattern} in ${container} within ${timeoutMs} ms; last lines:\n${last.split('\n').slice(-15).join('\n')}`);
}
