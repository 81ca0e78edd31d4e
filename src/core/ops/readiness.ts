// ts_salkafka's readiness file. Since 1.5 the producer removes /tmp/SALKAFKA_PRODUCER_RUNNING at
// start, touches it once every producer runs ("Running" / "Partial producers are all running")
// and removes it on shutdown; SALKAFKA_SEMAPHORE_SUFFIX=<s> makes it
// /tmp/SALKAFKA_PRODUCER_RUNNING_<S> (upper case). The Kubernetes deployments use it as their
// startupProbe; here verification checks it inside the container, so "Running" in the log and
// the producer's own statement that it runs agree.
import type Dockerode from 'dockerode';
import { validateContainerName } from '../remote/names';

export const READINESS_BASE = '/tmp/SALKAFKA_PRODUCER_RUNNING';
// A suffix that makes a plain file name; anything else is reported, never passed to exec.
const SUFFIX_RE = /^[A-Za-z0-9_.-]{1,100}$/;

export type ReadinessPath = { path: string } | { error: string };

/** The file the producer writes, from the container's environment (Config.Env). */
export function readinessPath(env: readonly string[] | undefined): ReadinessPath {
  let suffix: string | undefined;
  for (const e of env ?? []) if (e.startsWith('SALKAFKA_SEMAPHORE_SUFFIX=')) suffix = e.slice('SALKAFKA_SEMAPHORE_SUFFIX='.length);
  if (!suffix) return { path: READINESS_BASE }; // unset or empty: Python's `if suffix` is false
  if (!SUFFIX_RE.test(suffix)) return { error: `SALKAFKA_SEMAPHORE_SUFFIX ${JSON.stringify(suffix.slice(0, 40))} is not a plain file-name suffix; the readiness file is not checked` };
  return { path: `${READINESS_BASE}_${suffix.toUpperCase()}` };
}

export type ReadinessProbe = { path: string; present: boolean } | { path?: string; error: string };

/**
 * Runs `test -e PATH` in the container (docker exec, fixed argv, no shell): exit 0 present,
 * 1 absent, anything else an error (no `test` in the image, exec refused).
 */
export async function probeReadiness(docker: Dockerode, container: string, env: readonly string[] | undefined): Promise<ReadinessProbe> {
  const where = readinessPath(env);
  if ('error' in where) return where;
  try {
    validateContainerName(container);
    const exec = await docker.getContainer(container).exec({ Cmd: ['test', '-e', where.path], AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', () => resolve());
      stream.resume();
    });
    let info = (await exec.inspect()) as { ExitCode?: number | null; Running?: boolean };
    // The stream can end a moment before Docker records the exit code.
    for (let i = 0; i < 20 && info.Running; i++) {
      await new Promise((r) => setTimeout(r, 50));
      info = (await exec.inspect()) as typeof info;
    }
    if (info.ExitCode === 0) return { path: where.path, present: true };
    if (info.ExitCode === 1) return { path: where.path, present: false };
    return { path: where.path, error: `test -e ${where.path} in ${container} exited with ${info.ExitCode ?? 'no code'}` };
  } catch (err) {
    return { path: where.path, error: `could not look inside ${container}: ${(err as Error).message}` };
  }
}
