// The SECOND local test host ("tucson-test", test/host/up-b.sh): its own sshd on 127.0.0.1:2223
// and its own dockerd on /var/run/docker-b.sock with its own compose file and producers. Used by
// the several-hosts tests; like testHost.ts, callers run under the host lock.
import { readFileSync } from 'fs';
import * as path from 'path';
import { hostExec, repoRoot, shellQuote, stateDir } from './testHost';

export interface TestHostBInfo {
  sshAlias: string;
  host: string;
  port: number;
  user: string;
  composeFile: string;
  dockerSocket: string;
  sshConfigFile: string;
  /** Includes host A's and host B's ssh_config: one file for efdSalkafka.sshConfigFile. */
  sshConfigBoth: string;
  hostKeyFingerprint: string;
  stateDir: string;
  producers: Record<string, string>;
}

const upB = path.join(repoRoot, 'test', 'host', 'up-b.sh');

async function runUpB(args: string[]): Promise<TestHostBInfo> {
  const r = await hostExec(`bash ${shellQuote(upB)} ${args.join(' ')}`, { timeoutMs: 15 * 60_000 });
  if (r.code !== 0) {
    const tail = (r.stderr + r.stdout).trim().split('\n').slice(-25).join('\n');
    throw new Error(`SECOND TEST HOST UNAVAILABLE: ${upB} ${args.join(' ')} exited with ${r.code}.\nLogs: ${stateDir}/b/*.log\n--- last output ---\n${tail}`);
  }
  return JSON.parse(readFileSync(path.join(stateDir, 'b', 'host.json'), 'utf8')) as TestHostBInfo;
}

/** Host B, started if it does not answer. */
export function ensureTestHostB(): Promise<TestHostBInfo> {
  return runUpB(['--ensure']);
}

/** Host B back to its baseline (compose file rewritten, containers recreated). */
export function resetTestHostB(): Promise<TestHostBInfo> {
  return runUpB([]);
}

/** A shell command on this machine against host B's engine. */
export function onHostB(info: TestHostBInfo, cmd: string): ReturnType<typeof hostExec> {
  return hostExec(`DOCKER_HOST=unix://${info.dockerSocket} ${cmd}`, { timeoutMs: 30_000 });
}
