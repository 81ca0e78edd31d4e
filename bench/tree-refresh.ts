// Benchmark: one "tree refresh" (Docker listContainers all=true + SFTP read of the compose file)
// against the real local test host, through four transports:
//   persistent   our HostConnection: Docker API on a stream-local channel + SFTP, one SSH connection
//   dockerode-ssh dockerode's built-in `protocol: 'ssh'` (a new SSH connection per request;
//                listContainers only: it has no SFTP)
//   docker-cli   `DOCKER_HOST=ssh://user@127.0.0.1:2222 docker ps -a` (a new ssh process + connection)
//   raw          one bare channel round trip on the persistent connection: exec `true`, and a
//                stream-local open/close of /var/run/docker.sock
// Goal: tree refresh (persistent) within 2× of one raw channel round trip (exec `true`).
// Run: npm run compile-tests && node out/bench/tree-refresh.js [runs=30]
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { ensureTestHost } from '../test/integration/testHost';
import { testTarget } from '../test/integration/support';
import { HostConnection } from '../src/core/ssh/hostConnection';

const RUNS = Number(process.argv[2] ?? 30);
const WARMUP = 3;

interface Row {
  name: string;
  samples: number[];
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i];
}

async function measure(name: string, runs: number, fn: () => Promise<unknown>): Promise<Row> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  process.stderr.write(`  measured ${name}\n`);
  return { name, samples };
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { env, timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout))),
  );
}

async function main(): Promise<void> {
  const h = await ensureTestHost();
  const conn = new HostConnection(testTarget(h));
  await conn.connect();
  const docker = conn.docker();

  // The fast transports are measured interleaved (one of each per round) so that load from
  // other processes on this shared machine hits them alike.
  const fast: [string, () => Promise<unknown>][] = [
    ['raw: exec `true`', () => conn.exec(['true'])],
    [
      'raw: stream-local open+close',
      async () => {
        const s = await conn.openDockerStream();
        await new Promise<void>((resolve) => {
          s.once('close', () => resolve());
          s.resume(); // ssh2 emits 'close' only after 'end', which needs a flowing stream
          s.destroy();
        });
      },
    ],
    ['persistent: listContainers', () => docker.listContainers({ all: true })],
    ['persistent: SFTP read compose', () => conn.files.readFile(h.composeFile)],
    ['persistent: tree refresh (both, parallel)', () => Promise.all([docker.listContainers({ all: true }), conn.files.readFile(h.composeFile)])],
  ];
  const rows: Row[] = fast.map(([name]) => ({ name, samples: [] }));
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (let i = 0; i < fast.length; i++) {
      const t0 = performance.now();
      await fast[i][1]();
      if (round >= WARMUP) rows[i].samples.push(performance.now() - t0);
    }
  }
  const refresh = rows[4];

  const sshDocker = new Dockerode({
    protocol: 'ssh',
    host: h.host,
    port: h.port,
    username: h.user,
    sshOptions: { privateKey: fs.readFileSync(h.identityFile) },
  } as Dockerode.DockerOptions);
  rows.push(await measure('dockerode ssh: listContainers', Math.min(RUNS, 20), () => sshDocker.listContainers({ all: true })));

  // docker CLI over ssh: a throwaway ssh wrapper points the system ssh at the test key and
  // known_hosts without touching ~/.ssh.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-bench-'));
  const cfg = path.join(tmp, 'ssh_config');
  fs.writeFileSync(
    cfg,
    `Host ${h.host}\n  Port ${h.port}\n  User ${h.user}\n  IdentityFile ${h.identityFile}\n  IdentitiesOnly yes\n` +
      `  UserKnownHostsFile ${h.knownHostsFile}\n  StrictHostKeyChecking yes\n  BatchMode yes\n`,
  );
  fs.writeFileSync(path.join(tmp, 'ssh'), `#!/bin/sh\nexec /usr/bin/ssh -F '${cfg}' "$@"\n`, { mode: 0o755 });
  const env = { ...process.env, PATH: `${tmp}:${process.env.PATH}`, DOCKER_HOST: `ssh://${h.user}@${h.host}:${h.port}` };
  try {
    await run('docker', ['ps', '-a', '-q'], env);
    rows.push(await measure('docker CLI: DOCKER_HOST=ssh:// docker ps -a', Math.min(RUNS, 15), () => run('docker', ['ps', '-a'], env)));
  } catch (err) {
    console.log(`docker CLI over ssh skipped: ${(err as Error).message.split('\n')[0]}`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  await conn.close();

  const baseline = rows[0];
  const med = (r: Row) => quantile([...r.samples].sort((a, b) => a - b), 0.5);
  const p95 = (r: Row) => quantile([...r.samples].sort((a, b) => a - b), 0.95);
  const w = Math.max(...rows.map((r) => r.name.length));
  console.log(`\nTree refresh against ${h.user}@${h.host}:${h.port} — ${RUNS} runs (after ${WARMUP} warm-up), Node ${process.version}, load ${os.loadavg()[0].toFixed(2)}`);
  console.log(`${'transport'.padEnd(w)}  ${'median ms'.padStart(10)}  ${'p95 ms'.padStart(9)}  ${'× exec true'.padStart(11)}  ${'× tree refresh'.padStart(14)}`);
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(w)}  ${med(r).toFixed(2).padStart(10)}  ${p95(r).toFixed(2).padStart(9)}  ${(med(r) / med(baseline)).toFixed(2).padStart(11)}  ${(med(r) / med(refresh)).toFixed(2).padStart(14)}`,
    );
  }
  const ratio = med(refresh) / med(baseline);
  console.log(`\nGoal: tree refresh ≤ 2× one raw channel round trip (exec \`true\`): ${ratio.toFixed(2)}× → ${ratio <= 2 ? 'MET' : 'NOT MET'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
