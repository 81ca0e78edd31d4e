// Benchmark: parse + aggregate 1M salkafka log lines through LogIngest (Docker multiplexed
// frames with timestamps, as read from the API), then report throughput and heap.
// Goals: ≥ 300k lines/s; heap after 1M lines flat (bounded by maxLines, not by line count).
// Then hostile input, bounded in BYTES: 2,000 lines of 1 MiB (a 20,000-line pane would have
// held them all, 2 GiB, before lines were capped), one 256 MiB line, and 10k vs 100k distinct
// topic names (the health model must stay the same size); the heap of each beside its goal.
// Run: npm run compile-tests && node --expose-gc out/bench/logs.js
import * as os from 'node:os';
import { encodeDockerFrame } from '../src/core/logs/dockerDemux';
import { DEFAULT_MAX_LOG_BYTES, LogIngest } from '../src/core/logs/logIngest';
import { DEFAULT_MAX_TOPICS, QueueHealthModel } from '../src/core/logs/queueHealth';
import { parseLine } from '../src/core/logs/parseLine';

const TOTAL = Number(process.env.BENCH_LINES ?? 1_000_000);
const MAX_LINES = 20_000;
const GOAL_LINES_PER_S = 300_000;
const CSCS = ['MTRotator', 'MTHexapod:1', 'MTHexapod:2', 'MTM2'];
const TOPICS = ['rotation', 'application', 'electrical', 'motors', 'ccwFollowingError'];

function line(i: number, startSec: number): string {
  const sec = startSec + Math.floor(i / 1000);
  const ts = new Date(sec * 1000).toISOString().slice(0, 19) + `.${String((i % 1000) * 1000000 + 7).padStart(9, '0')}Z`;
  // Spread queue events over every CSC × topic pair (20 queues) so the health model does real work.
  const csc = CSCS[Math.floor(i / 10) % CSCS.length];
  const topic = TOPICS[Math.floor(i / 40) % TOPICS.length];
  switch (i % 10) {
    case 0: return `${ts} seq=${i} WARNING:salkafka.${csc}:${topic} DDS read queue is filling: ${[10, 50, 90][i % 3]} of 100 elements`;
    case 1: return `${ts} ERROR:salkafka.${csc}:tel_${topic} python read queue is full (100 elements); data may be lost`;
    case 2: return `${ts} INFO:salkafka:Running`;
    case 3: return `${ts} Traceback (most recent call last):`;
    case 4: return `${ts}   File "/opt/lsst/salkafka/component_producer.py", line ${i % 400}, in send`;
    case 5: return `${ts} RuntimeError: broker went away`;
    default: return `${ts} seq=${i} INFO:salkafka.${csc}:Sent ${topic} sample ${i} to Kafka topic lsst.sal.${csc}.${topic}`;
  }
}

function heapMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

function main(): void {
  if (!(globalThis as { gc?: () => void }).gc) console.warn('(run with node --expose-gc for exact heap figures)');
  // Pre-build the wire bytes in 64 KiB chunks so the clock measures parsing, not generation.
  const startSec = Math.floor(Date.UTC(2024, 4, 1) / 1000);
  const chunks: Buffer[] = [];
  let batch: Buffer[] = [];
  let batchBytes = 0;
  for (let i = 0; i < TOTAL; i++) {
    const f = encodeDockerFrame('stderr', line(i, startSec) + '\n');
    batch.push(f);
    batchBytes += f.length;
    if (batchBytes >= 65536) {
      chunks.push(Buffer.concat(batch));
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length) chunks.push(Buffer.concat(batch));
  const wireMiB = chunks.reduce((n, c) => n + c.length, 0) / 1048576;

  const ingest = new LogIngest({ maxLines: MAX_LINES });
  let delivered = 0;
  ingest.subscribe((l) => (delivered += l.length));
  ingest.beginStream(true);
  // Warm up on the first 100k lines worth of chunks, then measure heap and time the rest.
  const warm = Math.max(1, Math.floor(chunks.length / 10));
  for (let i = 0; i < warm; i++) ingest.pushChunk(chunks[i]);
  const heapBefore = heapMiB();
  const linesBefore = ingest.totalLines;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = warm; i < chunks.length; i++) ingest.pushChunk(chunks[i]);
  ingest.endStream();
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const measured = ingest.totalLines - linesBefore;
  const heapAfter = heapMiB();

  const rate = measured / seconds;
  const topics = [...ingest.health.cscs.values()].reduce((n, c) => n + c.topics.size, 0);
  console.log(`lines: ${ingest.totalLines} (delivered ${delivered}, wire ${wireMiB.toFixed(1)} MiB, ${topics} topic queues, ${ingest.errorBlocks.dropped + ingest.errorBlocks.size} tracebacks)`);
  // On a shared machine wall time includes other processes' load; CPU time of this process
  // (main thread plus GC helper threads) is the steadier figure.
  console.log(`cpu: ${Math.round(measured / cpuSeconds).toLocaleString('en')} lines per CPU-second of this process, GC helper threads included (machine load average ${os.loadavg()[0].toFixed(1)})`);
  console.log(`throughput: ${Math.round(rate).toLocaleString('en')} lines/s (wall)   goal ≥ ${GOAL_LINES_PER_S.toLocaleString('en')} lines/s   ${rate >= GOAL_LINES_PER_S ? 'MET' : 'MISSED'}`);
  console.log(`heap after warm-up: ${heapBefore.toFixed(1)} MiB   after ${TOTAL.toLocaleString('en')} lines: ${heapAfter.toFixed(1)} MiB   growth ${(heapAfter - heapBefore).toFixed(1)} MiB   goal: flat (ring of ${MAX_LINES} lines)   ${heapAfter - heapBefore < 16 ? 'MET' : 'MISSED'}`);
  if (ingest.totalLines !== TOTAL) {
    console.error(`line count mismatch: ${ingest.totalLines} != ${TOTAL}`);
    process.exitCode = 1;
  }
}

/** Feeds `frames` (built lazily, one at a time) to a fresh pane-sized ingest; prints heap growth. */
function hostile(name: string, goalMiB: number, feed: (ingest: LogIngest) => void, detail: (ingest: LogIngest) => string): void {
  const ingest = new LogIngest({ maxLines: MAX_LINES });
  ingest.beginStream(true);
  const before = heapMiB();
  const t0 = process.hrtime.bigint();
  feed(ingest);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const growth = heapMiB() - before;
  console.log(
    `${name}: heap growth ${growth.toFixed(1)} MiB in ${seconds.toFixed(1)} s (${detail(ingest)})   goal ≤ ${goalMiB} MiB   ${growth <= goalMiB ? 'MET' : 'MISSED'}`,
  );
  if (growth > goalMiB) process.exitCode = 1;
}

function hostileInputs(): void {
  const startSec = Math.floor(Date.UTC(2024, 4, 1) / 1000);
  const MiB = 1024 * 1024;
  const budgetMiB = DEFAULT_MAX_LOG_BYTES / MiB;
  console.log(`\nhostile input (pane of ${MAX_LINES} lines, byte budget ${budgetMiB} MiB, lines capped at 16 KiB, ${DEFAULT_MAX_TOPICS} topic queues):`);
  const body = Buffer.alloc(MiB, 0x7a);
  hostile('2,000 lines of 1 MiB (2 GiB)', budgetMiB * 2.5, (ingest) => {
    for (let i = 0; i < 2_000; i++) {
      const head = Buffer.from(`${line(6, startSec + i).slice(0, 31)} seq=${i} INFO:salkafka:`);
      ingest.pushChunk(encodeDockerFrame('stdout', Buffer.concat([head, body, Buffer.from('\n')])));
    }
  }, (ingest) => `${ingest.lines.size} lines kept, ${(ingest.lines.weight / MiB).toFixed(1)} MiB accounted`);
  hostile('one 256 MiB line in 64 KiB frames', 8, (ingest) => {
    const frame = encodeDockerFrame('stdout', Buffer.alloc(64 * 1024, 0x41));
    for (let i = 0; i < 4096; i++) ingest.pushChunk(frame);
    ingest.pushChunk(encodeDockerFrame('stdout', '\n'));
  }, (ingest) => `kept as ${ingest.lines.last()?.raw.length ?? 0} characters`);
  const topics = (n: number): number => {
    const model = new QueueHealthModel(500);
    const before = heapMiB();
    for (let i = 0; i < n; i++) {
      model.apply(parseLine(`${line(0, startSec).slice(0, 31)} WARNING:salkafka.CSC${i % 5000}:topic_${i} DDS read queue is filling: 10 of 100 elements`));
    }
    const growth = heapMiB() - before;
    console.log(`${n.toLocaleString('en')} distinct topic names: health model heap ${growth.toFixed(1)} MiB (${model.topicCount} queues kept, ${model.droppedTopics} dropped)`);
    return growth;
  };
  const small = topics(10_000);
  const large = topics(100_000);
  const ratio = large / Math.max(small, 0.1);
  console.log(`topic map: 100k names / 10k names = ${ratio.toFixed(2)}×   goal ≤ 1.25× (bounded, not per name)   ${ratio <= 1.25 ? 'MET' : 'MISSED'}`);
  if (ratio > 1.25) process.exitCode = 1;
}

main();
hostileInputs();
