import { strict as assert } from 'assert';
import { toCliDiagnostics } from '../../../src/cli/format';
import { parseEnvFile } from '../../../src/core/compose/envFile';
import type { Range } from '../../../src/core/compose/model';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import type { Diagnostic } from '../../../src/core/lint/diagnostic';
import { DIAGNOSTIC_CODES } from '../../../src/core/lint/registry';
import { lintCompose, LintOptions } from '../../../src/core/lint/lint';
import { composeFile, fixture, producer } from '../compose/helpers';
import { prng } from '../prng';

// Random mutations of realistic kafka_writers files: whatever a user types half-way through
// an edit, lintCompose must not throw and every range it reports must point into the text.
// Reproduce a failure with FUZZ_SEED=<seed> (and FUZZ_RUNS=<n> for a longer run).
const SEED = Number(process.env.FUZZ_SEED ?? 0x5a1ca7fa);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);


const SNIPPETS = [
  '\u0000', '\t', '"', "'", '${', '$${', '${X:-', '${X:?need}', '}', '<<: *', '<<: *logging\n', '&a ', '*a', '*logging', ':', ': ',
  '- ', '\n- ', '{', '}', '[', ']', '#', '?', '|', '>-', '!!str ', '!tag ', '%YAML 1.2\n', '---\n', '...\n', '\r', '\r\n', '\n',
  '\u2028', '\u00e9', '\ud83d\ude00', '\ufeff', '\ud800', '\u00a0', '=', 'CSC_LIST=', '- CSC_LIST=ATDome:', ':1', ':999', ' --file ',
  'environment:\n', '  env_file: x.env\n', 'services:\n', 'container_name: salkafka-at\n', 'ipv4_address: 1.2.3.4\n',
  'salkafka-', 'ATDome', 'MTHexapod:', 'Rotator ', '  ', '\t\t',
];

type Mutation = (text: string, rnd: () => number) => string;

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const lines = (t: string) => t.split('\n');

const MUTATIONS: Record<string, Mutation> = {
  deleteLine: (t, r) => {
    const ls = lines(t);
    ls.splice(Math.floor(r() * ls.length), 1);
    return ls.join('\n');
  },
  duplicateLine: (t, r) => {
    const ls = lines(t);
    const i = Math.floor(r() * ls.length);
    ls.splice(i, 0, ls[i]);
    return ls.join('\n');
  },
  shiftIndent: (t, r) => {
    const ls = lines(t);
    const i = Math.floor(r() * ls.length);
    const n = 1 + Math.floor(r() * 4);
    ls[i] = r() < 0.5 ? ' '.repeat(n) + ls[i] : r() < 0.2 ? '\t' + ls[i] : ls[i].replace(new RegExp(`^ {1,${n}}`), '');
    return ls.join('\n');
  },
  insertSnippet: (t, r) => {
    const at = Math.floor(r() * (t.length + 1));
    return t.slice(0, at) + pick(r, SNIPPETS) + t.slice(at);
  },
  insertRandomChars: (t, r) => {
    const at = Math.floor(r() * (t.length + 1));
    let s = '';
    for (let n = 1 + Math.floor(r() * 6); n > 0; n--) s += String.fromCharCode(r() < 0.8 ? Math.floor(r() * 256) : Math.floor(r() * 0x10000));
    return t.slice(0, at) + s + t.slice(at);
  },
  deleteRange: (t, r) => {
    const at = Math.floor(r() * t.length);
    return t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 20));
  },
  truncate: (t, r) => t.slice(0, Math.floor(r() * t.length)),
  swapLines: (t, r) => {
    const ls = lines(t);
    const i = Math.floor(r() * ls.length);
    const j = Math.floor(r() * ls.length);
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return ls.join('\n');
  },
  crlf: (t) => t.replace(/\n/g, '\r\n'),
};

function inText(range: Range, length: number): boolean {
  return Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0 && range.start <= range.end && range.end <= length;
}

/** Every invariant a consumer (VS Code adapter, CLI) relies on; returns the first violation. */
function violation(text: string, diagnostics: Diagnostic[]): string | undefined {
  for (const d of diagnostics) {
    const where = `${d.code} [${d.range.start}, ${d.range.end}) in text of ${text.length}`;
    if (!(d.code in DIAGNOSTIC_CODES)) return `unknown code ${d.code}`;
    if (!['error', 'warning', 'info'].includes(d.severity)) return `bad severity ${d.severity}`;
    if (typeof d.message !== 'string' || !d.message.trim()) return `empty message: ${where}`;
    if (!inText(d.range, text.length)) return `range outside the text: ${where}`;
    for (const r of d.related ?? []) if (!inText(r.range, text.length)) return `related range outside the text: ${where}`;
    for (const fix of d.fixes ?? []) {
      for (const e of fix.edits) {
        if (!inText(e.range, text.length)) return `fix "${fix.title}" edit [${e.range.start}, ${e.range.end}) outside the text: ${where}`;
        if (typeof e.newText !== 'string') return `fix "${fix.title}" without newText: ${where}`;
      }
    }
  }
  for (const c of toCliDiagnostics('f.yaml', text, diagnostics)) {
    if (c.line < 1 || c.column < 1 || c.endLine < c.line || (c.endLine === c.line && c.endColumn < c.column)) {
      return `CLI position out of order: ${JSON.stringify(c)}`;
    }
  }
  return undefined;
}

describe('lintCompose fuzz (random edits of realistic files)', function () {
  this.timeout(120_000);

  it(`never throws and keeps every range inside the text (${RUNS} runs, seed ${SEED})`, () => {
    const envVars = parseEnvFile(fixture('.env'));
    const generated = composeFile(
      producer('salkafka-at', 'ATDome ATMCS ATDome AtMCS Rotator'),
      producer('salkafka-mt', 'MTHexapod:1 MTHexapod:9 MTM2 ATDome --file x.yaml', { container: 'mt', extra: '    env_file:\n      - producer.env\n      - ${MISSING}.env' }),
      producer('salkafka-bad', '', { env: { BROKER_PORT: '99999', WAIT_ACK: 'maybe', LOG_LEVEL: '15', REGISTRY_ADDR: 'registry' } }),
    );
    const bases = { summit: fixture('summit.yaml'), legacy: fixture('legacy.yaml'), generated };
    const rnd = prng(SEED);
    const names = Object.keys(MUTATIONS);
    const started = Date.now();
    let diagnosticsSeen = 0;
    for (let run = 0; run < RUNS; run++) {
      const base = pick(rnd, Object.keys(bases) as (keyof typeof bases)[]);
      let text = bases[base];
      const applied: string[] = [];
      for (let n = 1 + Math.floor(rnd() * 4); n > 0; n--) {
        const name = pick(rnd, names);
        applied.push(name);
        text = MUTATIONS[name](text, rnd);
      }
      const options: LintOptions = {
        catalogue: defaultCatalogue(),
        variables: rnd() < 0.7 ? envVars : undefined,
        serviceEnvFiles: rnd() < 0.5 ? { 'producer.env': { BROKER_IP: 'x' }, 'x.env': undefined } : undefined,
      };
      const context = () =>
        `seed ${SEED}, run ${run}: ${base} + ${applied.join(', ')} (reproduce with FUZZ_SEED=${SEED} FUZZ_RUNS=${run + 1})\ninput: ${JSON.stringify(text)}`;
      let diagnostics: Diagnostic[];
      try {
        diagnostics = lintCompose(text, options).diagnostics;
      } catch (err) {
        assert.fail(`lintCompose threw ${(err as Error)?.stack ?? err}\n${context()}`);
      }
      diagnosticsSeen += diagnostics.length;
      const problem = violation(text, diagnostics);
      if (problem) assert.fail(`${problem}\n${context()}`);
    }
    // The mutations must actually produce findings, or this test checks nothing.
    assert.ok(diagnosticsSeen > RUNS, `only ${diagnosticsSeen} diagnostics over ${RUNS} runs`);
    if (Date.now() - started > 15_000) console.warn(`    (fuzz took ${Date.now() - started} ms; goal ≤ 15 s)`);
  });
});
