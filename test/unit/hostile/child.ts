// Child process of the hostile-input tests and bench: runs the salkafka-lint CLI in-process on one
// case directory and prints one JSON line of figures: wall time, peak memory (maxRSS), output size,
// and the codes and messages found. Run in a child so a hang or a blow-up is killed by the parent's
// timeout and memory cap instead of taking the test runner down with it.
// Usage: node child.js DIR text|json
import { join } from 'path';
import { performance } from 'perf_hooks';
import { run } from '../../../src/cli/run';

const [dir, format] = process.argv.slice(2);
let outBytes = 0;
let stdout = '';
let stderr = '';
const t0 = performance.now();
const c0 = process.cpuUsage();
const code = run(['--format', format, join(dir, 'docker-compose.yaml')], {
  out: (t) => {
    outBytes += Buffer.byteLength(t);
    // Keep what the parent checks, bounded so a blow-up shows in outBytes rather than here.
    if (stdout.length < 4_000_000) stdout += t;
  },
  err: (t) => {
    outBytes += Buffer.byteLength(t);
    if (stderr.length < 100_000) stderr += t;
  },
});
const ms = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ code, ms, cpuMs, maxRssMB: process.resourceUsage().maxRSS / 1024, outBytes, stdout: stdout.slice(0, 4_000_000), stderr }) + '\n');
