// Benchmark: validation time of a 200-producer kafka_writers file, lintCompose against Red Hat's
// yaml-language-server (in-process, with our JSON schema), and which planted domain mistakes
// (unknown/retired CSC, CSC in two producers, …) each one finds.
// Goals: ≤ 10 ms per validation (median); faster than yaml-language-server.
// Run: npm run compile-tests && node out/bench/validate.js [--schema FILE] [--runs N] [--producers N]
// Profile: node --cpu-prof --cpu-prof-dir=.cache/prof out/bench/validate.js --only ours
import { existsSync, readFileSync } from 'fs';
import { cpus, loadavg } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { parseArgs } from 'util';
import { defaultCatalogue } from '../src/core/catalogue/defaultCatalogue';
import { composeFileSpec } from '../src/core/compose/composeSpec';
import { kafkaWritersJsonSchema } from '../src/core/compose/jsonSchema';
import type { Diagnostic } from '../src/core/lint/diagnostic';
import { lintCompose } from '../src/core/lint/lint';
import { CORPUS_VARIABLES, generateKafkaWriters, PlantedError } from './validateCorpus';
import { YamlLsDiagnostic, YamlLsValidator } from './validateYamlLs';

const GOAL_MS = 10;
const ROOT = join(__dirname, '..', '..');

interface Timing {
  median: number;
  p95: number;
  min: number;
  /** Median CPU time of this process per run: less sensitive than wall time to other load on the machine. */
  cpuMedian: number;
}

/** Nearest-rank quantile. */
function quantile(samples: number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

async function time(runs: number, warmup: number, fn: () => unknown): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { median: quantile(wall, 0.5), p95: quantile(wall, 0.95), min: quantile(wall, 0), cpuMedian: quantile(cpu, 0.5) };
}

function loadSchema(path: string | undefined): { text: string; from: string } {
  const file = path ?? join(ROOT, 'schemas', 'kafka-writers.schema.json');
  if (existsSync(file)) return { text: readFileSync(file, 'utf8'), from: file };
  if (path) throw new Error(`bench: schema ${path} not found`);
  // The committed schema is generated from the same spec; build it here when it is absent.
  return { text: JSON.stringify(kafkaWritersJsonSchema(composeFileSpec)), from: 'generated from src/core/compose/composeSpec.ts' };
}

function foundByOurs(p: PlantedError, diagnostics: Diagnostic[]): boolean {
  // On the planted token (csc-index-not-indexed underlines just the ":2" of "ATHexapod:2").
  return diagnostics.some((d) => d.code === p.code && d.range.start >= p.offset && d.range.end <= p.offset + p.token.length && d.range.end > d.range.start);
}

/** Generous: any yaml-language-server diagnostic on the planted line (at most 2 lines tall) counts. */
function foundByYamlLs(p: PlantedError, diagnostics: YamlLsDiagnostic[]): boolean {
  return diagnostics.some((d) => d.startLine <= p.line && p.line <= d.endLine && d.endLine - d.startLine <= 1);
}

const pad = (s: string, n: number) => s.padEnd(n);
const ms = (n: number) => n.toFixed(2).padStart(8);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      schema: { type: 'string' },
      runs: { type: 'string', default: '50' },
      producers: { type: 'string', default: '200' },
      only: { type: 'string' },
    },
  });
  const runs = Number(values.runs);
  const catalogue = defaultCatalogue();
  const corpus = generateKafkaWriters(catalogue, Number(values.producers));
  const lines = corpus.text.split('\n').length;
  console.log(`kafka_writers file: ${corpus.producers} producers, ${lines} lines, ${(corpus.text.length / 1024).toFixed(0)} KiB; Node ${process.version}`);
  console.log(`planted domain mistakes: ${corpus.planted.map((p) => p.label).join('; ')}`);

  // Ours: parse + every rule, exactly what the editor and the CLI run on each change.
  const options = { catalogue, variables: CORPUS_VARIABLES };
  const ours = lintCompose(corpus.text, options).diagnostics;
  const oursFound = corpus.planted.filter((p) => foundByOurs(p, ours));
  const oursTime = await time(runs, 10, () => lintCompose(corpus.text, options));
  const oursOther = ours.filter((d) => !corpus.planted.some((p) => foundByOurs(p, [d])));

  let yls: { time: Timing; found: PlantedError[]; count: number; messages: Map<string, number>; schemaFrom: string } | undefined;
  if (values.only !== 'ours') {
    const schema = loadSchema(values.schema);
    const validator = new YamlLsValidator(schema.text);
    // The schema must really be applied, or the timing compares nothing: a misspelt key must be reported.
    const probe = await validator.validate('services:\n  salkafka-x:\n    imagee: x\n');
    if (!probe.some((d) => /imagee/.test(d.message) || d.startLine === 2)) {
      throw new Error(`bench: yaml-language-server did not apply the schema (probe gave ${JSON.stringify(probe)})`);
    }
    const diagnostics = await validator.validate(corpus.text);
    const messages = new Map<string, number>();
    for (const d of diagnostics) messages.set(d.message, (messages.get(d.message) ?? 0) + 1);
    yls = {
      time: await time(runs, 10, () => validator.validate(corpus.text)),
      found: corpus.planted.filter((p) => foundByYamlLs(p, diagnostics)),
      count: diagnostics.length,
      messages,
      schemaFrom: schema.from,
    };
  }

  const y = corpus.planted.length;
  console.log('');
  console.log(`${pad('tool', 30)} ${'median ms'.padStart(9)} ${'p95 ms'.padStart(8)} ${'min ms'.padStart(8)} ${'cpu ms'.padStart(8)} ${'ratio'.padStart(7)}  domain mistakes found`);
  console.log(`${pad('efd-salkafka lintCompose', 30)} ${ms(oursTime.median)}  ${ms(oursTime.p95)} ${ms(oursTime.min)} ${ms(oursTime.cpuMedian)} ${'1.0x'.padStart(7)}  ${oursFound.length} of ${y}`);
  if (yls) {
    const ratio = yls.time.median / oursTime.median;
    console.log(
      `${pad('yaml-language-server + schema', 30)} ${ms(yls.time.median)}  ${ms(yls.time.p95)} ${ms(yls.time.min)} ${ms(yls.time.cpuMedian)} ${(ratio.toFixed(1) + 'x').padStart(7)}  ${yls.found.length} of ${y}`,
    );
  }
  console.log(`(${runs} runs each after 10 warm-up runs; wall-clock median/p95/min, cpu = median CPU time of this process; ratio = that tool's median / ours)`);
  console.log(`machine: ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (other load inflates wall times; compare the cpu column)`);
  console.log('');
  console.log('found by each:');
  for (const p of corpus.planted) {
    const o = oursFound.includes(p) ? 'yes' : 'NO ';
    const l = yls ? (yls.found.includes(p) ? 'yes' : 'no ') : '-  ';
    console.log(`  ours ${o}  yaml-language-server ${l}  line ${p.line + 1}: ${p.label}`);
  }
  console.log(`our other diagnostics: ${oursOther.length}${oursOther.length ? ` (${[...new Set(oursOther.map((d) => d.code))].join(', ')})` : ''}`);
  if (yls) {
    console.log(`yaml-language-server: ${yls.count} diagnostics, schema ${yls.schemaFrom}`);
    for (const [m, n] of yls.messages) console.log(`  ${n}× ${m}`);
  }
  console.log('');
  console.log('goals:');
  const okTime = oursTime.median <= GOAL_MS;
  console.log(`  ≤ ${GOAL_MS} ms per validation:          ${okTime ? 'met' : 'NOT met'} (median ${oursTime.median.toFixed(2)} ms, p95 ${oursTime.p95.toFixed(2)} ms)`);
  if (yls) {
    const faster = oursTime.median < yls.time.median;
    console.log(`  faster than yaml-language-server: ${faster ? 'met' : 'NOT met'} (${yls.time.median.toFixed(2)} ms vs ${oursTime.median.toFixed(2)} ms)`);
  }
  if (oursFound.length !== y) {
    console.log(`  every planted mistake found by ours: NOT met (${oursFound.length} of ${y})`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exitCode = 2;
});
