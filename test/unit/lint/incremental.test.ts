import { strict as assert } from 'assert';
import { writeFileSync } from 'fs';
import { CORPUS_VARIABLES, generateKafkaWriters } from '../../../bench/validateCorpus';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import type { EnvEntry, ServiceModel } from '../../../src/core/compose/model';
import type { Diagnostic } from '../../../src/core/lint/diagnostic';
import { splitCompose } from '../../../src/core/lint/incremental';
import { createIncrementalLinter, lintCompose, LintOptions, LintResult } from '../../../src/core/lint/lint';
import { composeFile, fixture, producer } from '../compose/helpers';
import { prng } from '../prng';

// The incremental linter must answer exactly what a whole-file lint answers, after every
// step of random edit sequences. Reproduce a failure with INCR_SEED=<seed>; INCR_DUMP=<file>
// keeps the text of the failing step.
const SEED = Number(process.env.INCR_SEED ?? 0x1dc0de);


const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const TYPED = [...'ATDomeMTHexapod:12 ', ':', ' ', '1', 'x', '-', '$', '{', '}', '"', '#', '&a', '*logging'];

/** Start and end offsets of each line matching re (its part after the match). */
function valueSpans(text: string, re: RegExp): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  for (const m of text.matchAll(re)) {
    const start = m.index! + m[0].length;
    const nl = text.indexOf('\n', start);
    out.push({ start, end: nl < 0 ? text.length : nl });
  }
  return out;
}

function typeOrDelete(text: string, r: () => number, spans: { start: number; end: number }[]): string {
  if (!spans.length) return text;
  const s = pick(r, spans);
  const at = s.start + Math.floor(r() * (s.end - s.start + 1));
  if (r() < 0.4 && at > s.start) return text.slice(0, at - 1) + text.slice(at);
  return text.slice(0, at) + pick(r, TYPED) + text.slice(at);
}

function serviceChunks(text: string): { name: string; start: number; end: number }[] {
  return splitCompose(text)?.chunks ?? [];
}

type Edit = (text: string, r: () => number) => string;

const EDITS: Record<string, Edit> = {
  typeInCscList: (t, r) => typeOrDelete(t, r, valueSpans(t, /CSC_LIST=/g)),
  typeInEnvValue: (t, r) => typeOrDelete(t, r, valueSpans(t, /- [A-Z_]+=|^ +[A-Z_]+: /gm)),
  typeInContainerName: (t, r) => typeOrDelete(t, r, valueSpans(t, /container_name: /g)),
  addService: (t, r) => {
    const cs = serviceChunks(t);
    if (!cs.length) return t;
    const c = pick(r, cs);
    const copy = t.slice(c.start, c.end).replace(c.name, `${c.name}-copy${Math.floor(r() * 1000)}`);
    return t.slice(0, c.end) + copy + t.slice(c.end);
  },
  pasteDuplicateService: (t, r) => {
    const cs = serviceChunks(t);
    if (!cs.length) return t;
    const c = pick(r, cs);
    return t.slice(0, c.end) + t.slice(c.start, c.end) + t.slice(c.end);
  },
  removeService: (t, r) => {
    const cs = serviceChunks(t);
    if (cs.length < 2) return t;
    const c = pick(r, cs);
    return t.slice(0, c.start) + t.slice(c.end);
  },
  editPrelude: (t, r) => {
    const end = splitCompose(t)?.preludeEnd ?? Math.min(t.length, 200);
    const at = Math.floor(r() * end);
    return t.slice(0, at) + pick(r, ['x', ' ', '"', '\n', '&b ', ':']) + t.slice(at);
  },
  breakYaml: (t, r) => {
    const at = Math.floor(r() * (t.length + 1));
    return t.slice(0, at) + pick(r, ['"', "'", '{', '[', '\t', ': :', '\n  bad', '\n---\n', '&x ', '*nope', '\r\n']) + t.slice(at);
  },
  ipv4: (t, r) => {
    const cs = serviceChunks(t);
    if (!cs.length) return t;
    const c = pick(r, cs);
    // Right after the service key line: two services may now share an address.
    const afterKey = t.indexOf('\n', c.start) + 1;
    const block = `    networks:\n      kafka:\n        ipv4_address: 10.0.0.${Math.floor(r() * 3)}\n`;
    return afterKey > 0 ? t.slice(0, afterKey) + block + t.slice(afterKey) : t;
  },
};

function throwsOn(f: () => unknown): string | undefined {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Diagnostics in one canonical order, so equal sets compare equal. */
function canonical(ds: Diagnostic[]): string[] {
  return ds.map((d) => JSON.stringify(d)).sort();
}

/** The model fields the language features read (services without yaml nodes, variables). */
function modelView(r: LintResult): unknown {
  // Drop yaml nodes before JSON.stringify: it would call their toJSON, which can throw.
  const entry = (e: EnvEntry) => ({ ...e, node: undefined });
  const service = (s: ServiceModel) => ({
    ...s,
    node: undefined,
    environment: s.environment.map(entry),
    env: [...s.env].map(([k, e]) => [k, entry(e)]),
    cscList: s.cscList && { ...s.cscList, entry: entry(s.cscList.entry) },
  });
  const m = r.model;
  return JSON.parse(JSON.stringify({ text: m.text, services: m.services.map(service), shadowed: m.shadowedServices.map(service), servicesRange: m.servicesRange, variables: m.variables }));
}

function assertSame(text: string, options: LintOptions, got: LintResult, where: string): void {
  if (process.env.INCR_DUMP) writeFileSync(process.env.INCR_DUMP, text); // the last text checked, to reproduce a failure
  const want = lintCompose(text, options);
  assert.deepEqual(canonical(got.diagnostics), canonical(want.diagnostics), `diagnostics differ ${where}`);
  assert.deepEqual(got.diagnostics.map((d) => [d.range.start, d.range.end]), want.diagnostics.map((d) => [d.range.start, d.range.end]), `order differs ${where}`);
  assert.deepEqual(modelView(got), modelView(want), `model differs ${where}`);
}

describe('IncrementalLinter', function () {
  this.timeout(300_000);
  const catalogue = defaultCatalogue();

  function run(name: string, base: string, options: LintOptions, sequences: number, steps: number, rnd: () => number) {
    const names = Object.keys(EDITS);
    let incremental = 0;
    let total = 0;
    for (let s = 0; s < sequences; s++) {
      const linter = createIncrementalLinter();
      let text = base;
      assertSame(text, options, linter.lint(text, options), `${name} seq ${s} start`);
      const history: string[] = [];
      for (let i = 0; i < steps; i++) {
        // Mostly typing in values, sometimes structural edits; undo now and then (a broken
        // file is usually repaired a keystroke later).
        const edit = rnd() < 0.7 ? pick(rnd, ['typeInCscList', 'typeInEnvValue', 'typeInContainerName']) : pick(rnd, names);
        if (history.length && rnd() < 0.15) text = history.pop()!;
        else {
          history.push(text);
          text = EDITS[edit](text, rnd);
        }
        const where = `${name} seq ${s} step ${i} after ${edit} (seed ${SEED})`;
        // lintCompose itself can throw on some broken merge keys: then so must the linter.
        const thrown = throwsOn(() => lintCompose(text, options));
        if (thrown) {
          assert.throws(() => linter.lint(text, options), { message: thrown }, where);
          continue;
        }
        const got = linter.lint(text, options);
        total++;
        if (linter.lastMode === 'incremental') incremental++;
        assertSame(text, options, got, where);
      }
    }
    return { incremental, total };
  }

  it('equals lintCompose after every step of random edits (fixtures)', () => {
    const rnd = prng(SEED);
    const options = { catalogue, variables: { CYCLE: 'c0035' } };
    const generated = composeFile(
      producer('salkafka-at', 'ATDome ATMCS'),
      producer('salkafka-mt', 'MTHexapod:1 ATDome', { container: 'mt' }),
      producer('salkafka-bad', 'ESS:1', { env: { BROKER_PORT: '99999' } }),
    );
    // Shared settings merged from an x- anchor (map environment): diagnostics of a service can
    // land in the prelude, which must never be attributed to a single service.
    const merged =
      'x-common: &common\n  image: ts-dockerhub.lsst.org/salkafka:${CYCLE}\n  environment: &env\n    BROKER_IP: 10.0.0.5\n    BROKER_PORT: "9094"\n    REGISTRY_ADDR: http://registry:8081\n' +
      'services:\n' +
      ['at', 'mt', 'ess'].map((n, i) => `  salkafka-${n}:\n    <<: *common\n    container_name: salkafka-${n}\n    environment:\n      <<: *env\n      CSC_LIST: ${['ATDome ATMCS', 'MTHexapod:1 ATDome', 'ESS:1'][i]}\n`).join('');
    let incremental = 0;
    let total = 0;
    for (const [name, base] of Object.entries({ summit: fixture('summit.yaml'), legacy: fixture('legacy.yaml'), generated, merged })) {
      const r = run(name, base, options, 80, 12, rnd);
      incremental += r.incremental;
      total += r.total;
    }
    // The property would hold trivially if every step fell back to a whole lint.
    assert.ok(incremental > total * 0.3, `only ${incremental} of ${total} steps were incremental`);
  });

  it('equals lintCompose after every step of random edits (200 producers)', () => {
    const rnd = prng(SEED + 1);
    const { text } = generateKafkaWriters(catalogue, 200);
    const r = run('corpus', text, { catalogue, variables: CORPUS_VARIABLES }, 5, 20, rnd);
    assert.ok(r.incremental > r.total * 0.3, `only ${r.incremental} of ${r.total} steps were incremental`);
  });

  describe('falls back to a whole lint', () => {
    const options = { catalogue, variables: { CYCLE: 'c0035' } };
    const base = fixture('summit.yaml');
    const csc = base.indexOf('CSC_LIST=') + 'CSC_LIST='.length;
    const cases: Record<string, string> = {
      'document marker': '---\n' + base,
      'tab in indentation': base.replace('\n    image:', '\n\t  image:'),
      'flow-style service': base.replace(/\nservices:\n/, '\nservices:\n  flow-one: {image: x}\n'),
      'anchor inside a service': base.replace('    restart: always', '    restart: &r always'),
      // An unterminated quote: in the whole file it runs on into the next services.
      'YAML error in the edited service': base.replace('- CSC_LIST=', '- "CSC_LIST='),
      'changed x- prelude': base.replace('max-file: "5"', 'max-file: "6"'),
      'added service': base.replace('\nservices:\n', '\nservices:\n  extra:\n    image: x\n'),
      // Same number of services, but one renamed to another's name.
      'duplicate service': base.replace('\n  salkafka-m2:\n', '\n  salkafka-at:\n'),
      'CRLF line ends': base.replace(/\n/g, '\r\n'),
      'changed variables': base,
    };
    for (const [name, text] of Object.entries(cases)) {
      it(name, () => {
        const linter = createIncrementalLinter();
        linter.lint(base, options);
        const opts = name === 'changed variables' ? { catalogue, variables: { CYCLE: 'c0036' } } : options;
        const got = linter.lint(text, opts);
        assert.equal(linter.lastMode, 'full');
        assertSame(text, opts, got, name);
      });
    }

    it('but not for a one-character edit in a CSC_LIST', () => {
      const linter = createIncrementalLinter();
      linter.lint(base, options);
      const text = base.slice(0, csc) + 'X' + base.slice(csc);
      const got = linter.lint(text, options);
      assert.equal(linter.lastMode, 'incremental');
      assertSame(text, options, got, 'CSC_LIST edit');
      assert.ok(got.diagnostics.some((d) => d.code === 'csc-unknown' && text.slice(d.range.start, d.range.end).startsWith('X')));
    });
  });
});
