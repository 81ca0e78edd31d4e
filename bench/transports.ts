// Benchmark: the same host operations through the SSH transport and the local transport, against
// the real local test host (which runs on this machine, as azar2 does under Remote-SSH):
//   exec `true`, Docker listContainers, file read of the compose file, and one tree refresh
//   (listContainers + compose read, in parallel), interleaved round by round so load from other
//   processes hits both alike.
// Goal: the local transport's tree refresh is no slower than the SSH transport's (≤ 1×).
// Run (under the host lock): npm run compile-tests && node out/bench/transports.js [runs=30]
import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Host } from '../src/core/host/host';
import { LocalHost } from '../src/core/host/local/localHost';
import { HostConnection } from '../src/core/ssh/hostConnection';
import { testTarget } from '../test/integration/support';
import { ensureTestHost } from '../test/integration/testHost';

const RUNS = Number(process.argv[2] ?? 30);
const WARMUP = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const h = await ensureTestHost();
  const ssh = new HostConnection(testTarget(h), { dockerSocketPath: h.dockerSocket });
  const local = new LocalHost(h.sshAlias, { dockerSocketPath: h.dockerSocket });
  await ssh.connect();
  await local.connect();
  const ops: [string, (x: Host) => Promise<unknown>][] = [
    ['exec `true`', (x) => x.exec(['true'])],
    ['Docker listContainers', (x) => x.docker().listContainers({ all: true })],
    ['read compose file', (x) => x.files.readFile(h.composeFile)],
    ['tree refresh (both, parallel)', (x) => Promise.all([x.docker().listContainers({ all: true }), x.files.readFile(h.composeFile)])],
  ];
  const samples = new Map<string, number[]>();
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [name, fn] of ops) {
      for (const [kind, host] of [['ssh', ssh], ['local', local]] as const) {
        const t0 = performance.now();
        await fn(host);
        if (round >= WARMUP) samples.set(`${name}/${kind}`, [...(samples.get(`${name}/${kind}`) ?? []), performance.now() - t0]);
      }
    }
  }
  await ssh.close();
  local.dispose();
  console.log(`\nSSH vs local transport on ${h.sshAlias} — median of ${RUNS} runs (after ${WARMUP} warm-up), Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`);
  console.log(`${'operation'.padEnd(30)}  ${'ssh ms'.padStart(8)}  ${'local ms'.padStart(9)}  ${'local/ssh'.padStart(9)}`);
  let refreshRatio = 0;
  for (const [name] of ops) {
    const s = median(samples.get(`${name}/ssh`)!);
    const l = median(samples.get(`${name}/local`)!);
    if (name.startsWith('tree refresh')) refreshRatio = l / s;
    console.log(`${name.padEnd(30)}  ${s.toFixed(2).padStart(8)}  ${l.toFixed(2).padStart(9)}  ${(l / s).toFixed(2).padStart(9)}`);
  }
  console.log(`\nGoal: local tree refresh ≤ 1× the SSH one: ${refreshRatio.toFixed(2)}× → ${refreshRatio <= 1 ? 'MET' : 'NOT MET'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
