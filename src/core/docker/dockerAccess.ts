// "Can this user use Docker on the host?" answered at connect time, with the exact missing piece
// spelled out (not installed / daemon down / not in the docker group) instead of a bare EACCES.
import type Dockerode from 'dockerode';
import type { ExecResult } from '../host/host';

export type DockerAccessProblem = 'not-installed' | 'daemon-not-running' | 'permission-denied' | 'unknown';

export type DockerAccessResult =
  | { ok: true; serverVersion: string; apiVersion: string }
  | { ok: false; problem: DockerAccessProblem; message: string };

/** The parts of HostConnection this check needs (small, so tests can fake it). */
export interface DockerAccessHost {
  readonly alias: string;
  docker(): Dockerode;
  exec(argv: readonly string[]): Promise<ExecResult>;
}

// Constant script; the socket path travels as a quoted positional argument ($1).
const DIAGNOSE_SCRIPT = [
  's=$1',
  'echo "user=$(id -un)"',
  'echo "groups=$(id -Gn)"',
  'if command -v docker >/dev/null 2>&1; then echo docker=yes; else echo docker=no; fi',
  'if [ -S "$s" ]; then echo sock=yes; echo "sockgroup=$(stat -c %G "$s" 2>/dev/null)"; echo "sockmode=$(stat -c %a "$s" 2>/dev/null)";',
  'elif [ -e "$s" ]; then echo sock=notsocket; else echo sock=no; fi',
  'if [ -r "$s" ] && [ -w "$s" ]; then echo access=yes; else echo access=no; fi',
].join('\n');

export interface DiagnosisFacts {
  user?: string;
  groups?: string[];
  docker?: string;
  sock?: string;
  sockgroup?: string;
  sockmode?: string;
  access?: string;
}

export function parseDiagnosis(stdout: string): DiagnosisFacts {
  const facts: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) facts[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return { ...facts, groups: facts.groups?.split(/\s+/).filter(Boolean) } as DiagnosisFacts;
}

/** Turn the facts into one sentence that names the missing piece. */
export function explainDockerProblem(
  alias: string,
  socketPath: string,
  f: DiagnosisFacts,
  pingError: string,
): { problem: DockerAccessProblem; message: string } {
  if (f.sock === 'no' || f.sock === 'notsocket') {
    if (f.docker === 'no') {
      return { problem: 'not-installed', message: `docker is not installed on ${alias} (no docker command and no ${socketPath})` };
    }
    return {
      problem: 'daemon-not-running',
      message: `the Docker daemon is not running on ${alias} (${socketPath} ${f.sock === 'no' ? 'does not exist' : 'is not a socket'})`,
    };
  }
  if (f.sock === 'yes' && f.access === 'no') {
    const group = f.sockgroup && f.sockgroup !== 'root' ? f.sockgroup : 'docker';
    const user = f.user ?? 'this user';
    if (f.groups && !f.groups.includes(group)) {
      return {
        problem: 'permission-denied',
        message: `user ${user} is not in group ${group} on ${alias} (permission denied on ${socketPath}); ask an admin to run \`usermod -aG ${group} ${user}\`, then reconnect`,
      };
    }
    return {
      problem: 'permission-denied',
      message: `user ${user} cannot open ${socketPath} on ${alias} (permission denied; socket mode ${f.sockmode ?? '?'}, group ${f.sockgroup ?? '?'})`,
    };
  }
  if (f.sock === 'yes' && f.access === 'yes') {
    return {
      problem: 'daemon-not-running',
      message: `the Docker daemon is not running on ${alias} (nothing answers on ${socketPath}: ${pingError})`,
    };
  }
  return { problem: 'unknown', message: `cannot use Docker on ${alias}: ${pingError}` };
}

export async function checkDockerAccess(host: DockerAccessHost, socketPath = '/var/run/docker.sock'): Promise<DockerAccessResult> {
  let pingError: string;
  try {
    const v = await host.docker().version();
    return { ok: true, serverVersion: v.Version, apiVersion: v.ApiVersion };
  } catch (err) {
    pingError = (err as Error).message;
  }
  let facts: DiagnosisFacts;
  try {
    const r = await host.exec(['sh', '-c', DIAGNOSE_SCRIPT, 'sh', socketPath]);
    facts = parseDiagnosis(r.stdout);
  } catch (err) {
    return { ok: false, problem: 'unknown', message: `cannot use Docker on ${host.alias}: ${pingError} (diagnosis failed: ${(err as Error).message})` };
  }
  return { ok: false, ...explainDockerProblem(host.alias, socketPath, facts, pingError) };
}
