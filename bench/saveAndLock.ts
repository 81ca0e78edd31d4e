// Benchmark: what "no lost bytes" and the host lock cost, against a PRIVATE sshd (same host key
// and users as the test host; never the shared sshd) and a private directory.
//   save 176 KB      writeFileAtomic of a summit-sized compose file: temp + fsync + close +
//                    read-back (size, sha256) + rename — the full checked path
//   read-back only   the verification step alone (one lstat + one SFTP read of the temp file)
//   raw write        open + write + close of the same bytes, nothing else: the floor
//   lock             acquireHostLock + release (flock holder over an exec channel)
// Goal: the read-back adds at most the cost of one read of the file (< 1× raw write); a lock
// round trip stays under 1 s (the holder notices release within its 0.5 s poll).
// Run: npm run compile-tests && node out/bench/saveAndLock.js [runs=20]   (as root, test host set up)
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { acquireHostLock, newLockToken } from '../src/core/ops/hostLock';
import { sha256Hex } from '../src/core/remote/remoteFiles';
import { HostConnection } from '../src/core/ssh/hostConnection';
import { privateDir } from '../test/integration/privateDirs';
import { PrivateSshd } from '../test/integration/privateSshd';
import { stateDir } from '../test/integration/testHost';
import type { TestHostInfo } from '../test/integration/testHost';

const RUNS = Number(process.argv[2] ?? 20);

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, min ${s[0].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
}

async function main(): Promise<void> {
  const host = JSON.parse(fs.readFileSync(path.join(stateDir, 'host.json'), 'utf8')) as TestHostInfo;
  const sshd = await PrivateSshd.start(host);
  const dir = privateDir(host.user, 'bench-save');
  const conn = new HostConnection(sshd.target());
  try {
    await conn.connect();
    const sftp = await conn.sftp();
    const base = fs.readFileSync(host.composeFile, 'utf8');
    let body = base;
    while (Buffer.byteLength(body) < 176 * 1024) body += `# padding ${body.length}\n`;
    const file = path.join(dir, 'docker-compose.yaml');
    const call = <T>(f: (cb: (e: Error | null | undefined, v?: T) => void) => void): Promise<T> => new Promise((res, rej) => f((e, v) => (e ? rej(e) : res(v as T))));
    const save: number[] = [];
    const raw: number[] = [];
    const readBack: number[] = [];
    const lock: number[] = [];
    await conn.files.writeFileAtomic(file, body);
    for (let i = 0; i < RUNS; i++) {
      const buf = Buffer.from(`${body}# run ${i}\n`);
      let t = performance.now();
      await conn.files.writeFileAtomic(file, buf);
      save.push(performance.now() - t);
      const p = path.join(dir, `raw-${i}`);
      t = performance.now();
      const h = await call<Buffer>((cb) => sftp.open(p, 'w', cb));
      for (let o = 0; o < buf.length; o += 32 * 1024) await call<void>((cb) => sftp.write(h, buf, o, Math.min(32 * 1024, buf.length - o), o, cb as never));
      await call<void>((cb) => sftp.close(h, cb));
      raw.push(performance.now() - t);
      t = performance.now();
      await conn.files.lstat(p);
      const back = await conn.files.readFile(p);
      if (back.sha256 !== sha256Hex(buf)) throw new Error('read-back mismatch');
      readBack.push(performance.now() - t);
      t = performance.now();
      const r = await acquireHostLock(conn, path.join(dir, '.salkafka-change.lock'), { user: 'bench', client: 'bench', remoteUser: host.user, action: 'bench', service: 'x', summary: 'Bench', since: new Date().toISOString(), token: newLockToken() });
      if (r.kind !== 'acquired') throw new Error(`lock: ${r.kind}`);
      await r.lock.release();
      lock.push(performance.now() - t);
    }
    console.log(`runs: ${RUNS}, file ${Buffer.byteLength(body)} bytes, private sshd on 127.0.0.1:${sshd.port}`);
    console.log(`save 176 KB (checked)  ${stats(save)}`);
    console.log(`raw write (floor)      ${stats(raw)}`);
    console.log(`read-back only         ${stats(readBack)}`);
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`read-back / raw write  ${(med(readBack) / med(raw)).toFixed(2)}×   (goal < 1×)`);
    console.log(`lock take + release    ${stats(lock)}   (goal < 1000 ms)`);
  } finally {
    conn.dispose();
    await sshd.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
