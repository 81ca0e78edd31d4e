// The real docker-compose as an oracle: does it accept a compose file, and if not, why?
// Used by the differential test (test/integration/composeParity.test.ts) and by
// bench/composeParity.ts. Never talks to a Docker daemon (see verdictOf).
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { FAKE_DAEMON_MESSAGE, fakeDaemonSocket } from './fakeDaemon';

export interface ComposeVerdict {
  accepted: boolean;
  /** docker-compose's own words when it refuses (warnings and tracebacks stripped). */
  reason: string;
}

export interface ComposeCase {
  /** The compose file, relative to cwd or absolute. */
  file: string;
  /** The project directory (where an operator would run docker-compose). */
  cwd: string;
  /** The shell environment, as after `source setup.env` (nothing else is inherited). */
  env?: Record<string, string>;
}

/** docker-compose on PATH (Debian's 1.29.2 is installed by test/host/up.sh), or undefined. */
export function findDockerCompose(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'docker-compose');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** `docker-compose version --short`, e.g. "1.29.2". */
export function dockerComposeVersion(binary: string): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(binary, ['version', '--short'], { timeout: 60_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
  );
}

// `config --hash=*` first validates the file exactly as `config -q` does, then loads the project
// as `up` would (undefined networks, secrets… are only found there), then needs an image to hash
// each service. A pinned API version stops the client from asking for the daemon's version up
// front. Loading the project already asks the daemon about each service's default network and
// volumes, so with no daemon at all the first such question ends the run and the services after
// it are never loaded (an undefined network in the second service went unseen). A FAKE daemon
// (fakeDaemon.ts: answers 404 to everything) lets the load go through every service; the run then
// ends at the first image lookup, after every check, with the fake's own message.
export async function verdictOf(binary: string, c: ComposeCase): Promise<ComposeVerdict> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    LANG: 'C.UTF-8',
    ...c.env,
    COMPOSE_API_VERSION: '1.41',
    DOCKER_HOST: `unix://${await fakeDaemonSocket()}`,
  };
  return new Promise((resolve) => {
    execFile(binary, ['-f', c.file, 'config', '--hash=*'], { cwd: c.cwd, env, timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const out = `${stdout}\n${stderr}`;
      if (!err || out.includes(FAKE_DAEMON_MESSAGE)) resolve({ accepted: true, reason: '' });
      else resolve({ accepted: false, reason: cleanReason(out) || `exit ${String((err as { code?: unknown }).code)}` });
    });
  });
}

/** Runs the cases `parallel` at a time (the CI machine has two cores); results in input order. */
export async function verdictsOf(binary: string, cases: ComposeCase[], parallel = 2): Promise<ComposeVerdict[]> {
  const out: ComposeVerdict[] = new Array(cases.length);
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const i = next++;
      out[i] = await verdictOf(binary, cases[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, cases.length) }, worker));
  return out;
}

function cleanReason(out: string): string {
  const lines = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^WARNING:/.test(l) && !/variable is not set\. Defaulting to a blank string/.test(l));
  // docker-compose itself crashed (an uncaught exception): its last line says why.
  if (lines.some((l) => l.startsWith('Traceback'))) return `crashed: ${lines[lines.length - 1]}`.slice(0, 600);
  return lines.join(' ').slice(0, 600);
}

/**
 * The variables an operator's shell has after `set -a; source FILE…` (e.g. setup.env, whose
 * values refer to each other as ${OSPL_CONFIG_DIR}/…), computed by bash itself.
 */
export function sourcedEnv(files: string[], cwd: string): Record<string, string> {
  if (!files.length) return {};
  const script = 'set -a; for f in "$@"; do . "$f" >/dev/null 2>&1; done; env -0';
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/tmp' };
  const out = execFileSync('bash', ['-c', script, 'bash', ...files], { cwd, env: base, encoding: 'utf8' });
  const vars: Record<string, string> = {};
  for (const entry of out.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0 && !['PATH', 'HOME', 'PWD', 'SHLVL', 'OLDPWD', '_'].includes(entry.slice(0, eq))) vars[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return vars;
}
