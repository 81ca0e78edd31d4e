// Benchmark: after a one-character edit in the CSC_LIST of a service in the middle of the
// 200-producer file, a whole lintCompose against IncrementalLinter (which re-parses only the
// edited service). Goal: ≤ 10 ms per validation (median).
// Run: npm run compile-tests && node out/bench/validateIncremental.js [--edits N] [--producers N]
import { performance } from 'perf_hooks';
import { parseArgs } from 'util';
import { defaultCatalogue } from '../src/core/catalogue/defaultCatalogue';
import { createIncrementalLinter, lintCompose } from '../src/core/lint/lint';
import { CORPUS_VARIABLES, generateKafkaWriters } from './validateCorpus';

const GOAL_MS = 10;

function stats(samples: number[]): { median: number; min: number } {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], min: s[0] };
}

function main(): void {
  const { values } = parseArgs({ options: { edits: { type: 'string', default: '50' }, producers: { type: 'string', default: '200' } } });
  const catalogue = defaultCatalogue();
  const options = { catalogue, variables: CORPUS_VARIABLES };
  const { text: base } = generateKafkaWriters(catalogue, Number(values.producers));
  // The CSC_LIST of the middle service.
  const lists = [...base.matchAll(/CSC_LIST=/g)].map((m) => m.index! + m[0].length);
  const at = lists[Math.floor(lists.length / 2)];
  const linter = createIncrementalLinter();
  let text = base;
  linter.lint(text, options);
  lintCompose(text, options); // warm-up
  const full: number[] = [];
  const incremental: number[] = [];
  let fallbacks = 0;
  let mismatches = 0;
  for (let i = 0; i < Number(values.edits); i++) {
    // Type a character, then delete it: the file alternates between two versions.
    text = i % 2 === 0 ? text.slice(0, at) + 'X' + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
    let t0 = performance.now();
    const got = linter.lint(text, options);
    incremental.push(performance.now() - t0);
    if (linter.lastMode !== 'incremental') fallbacks++;
    t0 = performance.now();
    const want = lintCompose(text, options);
    full.push(performance.now() - t0);
    const canon = (ds: typeof got.diagnostics) => JSON.stringify(ds.map((d) => JSON.stringify(d)).sort());
    if (canon(got.diagnostics) !== canon(want.diagnostics)) mismatches++;
  }
  const f = stats(full);
  const inc = stats(incremental);
  const ms = (n: number) => n.toFixed(2).padStart(8);
  console.log(`${values.producers} producers, ${base.length} bytes; ${values.edits} one-character edits in the CSC_LIST of the middle service`);
  console.log(`${'linter'.padEnd(14)}${'median ms'.padStart(10)}${'min ms'.padStart(10)}`);
  console.log(`${'full'.padEnd(14)}  ${ms(f.median)}  ${ms(f.min)}`);
  console.log(`${'incremental'.padEnd(14)}  ${ms(inc.median)}  ${ms(inc.min)}`);
  console.log(`goal ≤ ${GOAL_MS} ms (median): ${inc.median <= GOAL_MS ? 'met' : 'NOT met'}; speed-up ×${(f.median / inc.median).toFixed(1)}`);
  console.log(`fallbacks to a whole lint: ${fallbacks}; results different from lintCompose: ${mismatches}`);
  if (mismatches) process.exitCode = 1;
}

main();
