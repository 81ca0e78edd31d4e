import { spawnSync } from 'child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { HostileCase } from './cases';

/** Writes a case's files, FIFOs and links into a new temporary directory. */
export function materialize(c: HostileCase, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `hostile-${c.name}-`));
  for (const [name, content] of Object.entries(c.files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  for (const name of c.fifos ?? []) spawnSync('mkfifo', [join(dir, name)]);
  for (const [name, target] of Object.entries(c.links ?? {})) symlinkSync(target, join(dir, name));
  return dir;
}

export interface CaseRun {
  /** Undefined when the child was killed (timeout, memory cap) or printed no figures. */
  result?: { code: number; ms: number; cpuMs: number; maxRssMB: number; outBytes: number; stdout: string; stderr: string };
  /** Wall time seen by the parent, child start-up included. */
  wallMs: number;
  killed: boolean;
  childStderr: string;
}

/** Hard limits of the child: a regression fails the case instead of hanging or eating the machine. */
export const CHILD_TIMEOUT_MS = 30_000;
export const CHILD_HEAP_MB = 768;

export function runCase(dir: string, format: 'text' | 'json', timeoutMs = CHILD_TIMEOUT_MS): CaseRun {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, join(__dirname, 'child.js'), dir, format], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Date.now() - t0;
  const last = (r.stdout ?? '').trimEnd().split('\n').pop() ?? '';
  let result: CaseRun['result'];
  try {
    result = last ? JSON.parse(last) : undefined;
  } catch {
    result = undefined;
  }
  return { result, wallMs, killed: r.signal !== null || r.error !== undefined, childStderr: (r.stderr ?? '').slice(0, 2000) };
}
