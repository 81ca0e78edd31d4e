/**
 * The real-world corpus bench: every historical version of the public kafka_writers compose
 * files and argocd-csc kafka-producers values files (bench/corpus/harvest.ts), each checked
 * by the built CLI inside its own commit's directory tree with no options, as a user would.
 * Prints findings by code and severity, the share of warning/error findings judged true in
 * bench/corpus/judgements.json, and agreement with docker-compose 1.29.2 `config -q`.
 *
 *   npm run bench:corpus                     (needs the mirrors in .mirror beside the checkout, or $SALKAFKA_MIRRORS)
 *   node out/bench/corpus.js --unjudged FILE (also writes stubs for unjudged findings, to fill in and merge)
 *   node out/bench/corpus.js --list          (every warning/error finding with its judgement)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { CorpusFile, harvest } from './corpus/harvest';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const JUDGEMENTS = join(ROOT, 'bench', 'corpus', 'judgements.json');
const SCRATCH = process.env.SALKAFKA_CORPUS_DIR ?? join(tmpdir(), 'salkafka-corpus');

interface CliFinding {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export interface Judgement {
  verdict: boolean;
  why: string;
}

interface Finding extends CliFinding {
  file: CorpusFile;
  token: string;
  id: string;
}

interface FileResult {
  file: CorpusFile;
  kind: 'compose' | 'values';
  findings: Finding[];
  exitCode: number | null;
  /** docker-compose config -q: undefined for values files. */
  compose?: { accepts: boolean; reason: string };
}

/** The text a finding underlines, on one line, so its identity survives line moves. */
function tokenOf(text: string, f: CliFinding): string {
  const lines = text.split(/\r?\n/);
  const line = lines[f.line - 1] ?? '';
  const end = f.endLine === f.line ? f.endColumn - 1 : line.length;
  const t = line.slice(f.column - 1, Math.max(f.column, end)).trim();
  const short = t.length > 60 ? t.slice(0, 60) + '…' : t;
  // A finding a values-<env>.yaml inherits from its base is shown at this file's image tag or
  // producer key: several can share that anchor, so the name it is about joins the identity.
  const inherited = /^values\.ya?ml line \d+: (\S+)/.exec(f.message)?.[1];
  return inherited ? `${short} <- ${inherited}` : short;
}

/** Stable finding identity: repository, path, blob, code and the underlined text. */
export function findingId(file: Pick<CorpusFile, 'repo' | 'path' | 'blob' | 'base'>, code: string, token: string): string {
  return `${file.repo}:${file.path}@${file.blob.slice(0, 10)}${file.base ? `+values.yaml@${file.base.slice(0, 10)}` : ''} ${code} ${token}`;
}

/** The built CLI, run from the file's directory with no options, as a user would. */
function runCli(file: CorpusFile): Promise<{ findings: Finding[]; exitCode: number | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--', CLI, '--format', 'json', basename(file.file)], { cwd: dirname(file.file) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      let parsed: CliFinding[];
      try {
        parsed = JSON.parse(stdout) as CliFinding[];
      } catch {
        reject(new Error(`CLI gave no JSON for ${file.repo}:${file.path}@${file.blob} (exit ${code}): ${stderr}`));
        return;
      }
      const text = readFileSync(file.file, 'utf8');
      resolvePromise({
        exitCode: code,
        findings: parsed.map((f) => {
          const token = tokenOf(text, f);
          return { ...f, file, token, id: findingId(file, f.code, token) };
        }),
      });
    });
  });
}

/** Runs `fn` over `items`, `width` at a time, keeping the order of the results. */
async function pool<T, R>(items: T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** docker-compose's own verdict, cached per blob and commit (it takes ~0.5 s a file). */
function dockerCompose(file: CorpusFile, cache: Record<string, { accepts: boolean; reason: string }>): { accepts: boolean; reason: string } {
  const key = `${file.repo}:${file.path}@${file.blob}:${file.commit}`;
  if (cache[key]) return cache[key];
  const r = spawnSync('docker-compose', ['-f', basename(file.file), 'config', '-q'], { cwd: dirname(file.file), encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw new Error(`docker-compose could not run: ${r.error.message} (Debian: apt-get install docker-compose)`);
  const reason = r.stderr
    .split('\n')
    .filter((l) => l.trim() && !/variable is not set\. Defaulting to a blank string/.test(l))
    .join(' ')
    .slice(0, 300);
  return (cache[key] = { accepts: r.status === 0, reason });
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a';
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  mkdirSync(SCRATCH, { recursive: true });
  const t0 = Date.now();
  const files = harvest(SCRATCH);
  const tHarvest = Date.now() - t0;
  const judgements = JSON.parse(readFileSync(JUDGEMENTS, 'utf8')) as Record<string, Judgement>;
  const cachePath = join(SCRATCH, 'docker-compose-cache.json');
  const cache = existsSync(cachePath) ? (JSON.parse(readFileSync(cachePath, 'utf8')) as Record<string, { accepts: boolean; reason: string }>) : {};

  const t1 = Date.now();
  const width = Number(process.env.SALKAFKA_CORPUS_JOBS ?? 3);
  const results: FileResult[] = await pool(files, width, async (file) => {
    const kind = file.repo === 'lsst-ts/argocd-csc' ? 'values' : 'compose';
    const { findings, exitCode } = await runCli(file);
    return { file, kind, findings, exitCode, compose: kind === 'compose' ? dockerCompose(file, cache) : undefined };
  });
  const tCheck = Date.now() - t1;
  writeFileSync(cachePath, JSON.stringify(cache));

  const all = results.flatMap((r) => r.findings);
  const compose = results.filter((r) => r.kind === 'compose');
  const values = results.filter((r) => r.kind === 'values');
  const out: string[] = [];
  out.push(`Corpus: ${compose.length} compose versions (${new Set(compose.map((r) => r.file.repo + r.file.path)).size} paths), ${values.length} values-file versions (${new Set(values.map((r) => r.file.path)).size} paths); harvest ${tHarvest} ms, check ${tCheck} ms (${(tCheck / results.length).toFixed(0)} ms a file, one CLI process each, ${width} at a time)`);

  out.push('', 'Findings by code and severity (compose | values):');
  const codes = [...new Set(all.map((f) => f.code))].sort();
  const count = (rs: FileResult[], code: string, sev: string) => rs.reduce((n, r) => n + r.findings.filter((f) => f.code === code && f.severity === sev).length, 0);
  out.push(`  ${'code'.padEnd(28)} ${'error'.padStart(13)} ${'warning'.padStart(13)} ${'info'.padStart(13)}`);
  for (const code of codes) {
    const cell = (sev: string) => `${count(compose, code, sev)} | ${count(values, code, sev)}`.padStart(13);
    out.push(`  ${code.padEnd(28)} ${cell('error')} ${cell('warning')} ${cell('info')}`);
  }
  const composeStar = values.reduce((n, r) => n + r.findings.filter((f) => f.code.startsWith('compose-')).length, 0);
  out.push(`  compose-* findings on values files: ${composeStar}`);

  const serious = all.filter((f) => f.severity !== 'info');
  const verdict = (f: Finding) => judgements[f.id]?.verdict;
  const trueN = serious.filter((f) => verdict(f) === true).length;
  const falseN = serious.filter((f) => verdict(f) === false).length;
  const unjudged = serious.filter((f) => verdict(f) === undefined);
  out.push('', `Warning/error findings: ${serious.length}; judged true ${trueN}, false ${falseN}, unjudged ${unjudged.length}`);
  out.push(`  true share of judged: ${pct(trueN, trueN + falseN)}; true share counting unjudged as false: ${pct(trueN, serious.length)}`);
  for (const [label, rs] of [['compose', compose], ['values', values]] as const) {
    const s = rs.flatMap((r) => r.findings).filter((f) => f.severity !== 'info');
    const t = s.filter((f) => verdict(f) === true).length;
    const fa = s.filter((f) => verdict(f) === false).length;
    out.push(`  ${label}: ${s.length} findings, true ${t}, false ${fa}, unjudged ${s.length - t - fa} (true share of judged ${pct(t, t + fa)})`);
  }
  const falseByCode = new Map<string, number>();
  for (const f of serious) if (verdict(f) === false) falseByCode.set(f.code, (falseByCode.get(f.code) ?? 0) + 1);
  if (falseByCode.size) out.push(`  false by code: ${[...falseByCode].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);

  const refused = compose.filter((r) => !r.compose!.accepts);
  const checkerErrors = (r: FileResult) => r.findings.some((f) => f.severity === 'error');
  const agree = compose.filter((r) => r.compose!.accepts !== checkerErrors(r)).length;
  out.push('', `docker-compose 1.29.2 config -q: refuses ${refused.length} of ${compose.length} compose files; the checker gives an error on ${refused.filter(checkerErrors).length} of those`);
  // "With its reason": an error that quotes docker-compose's message, or for a YAML parse error
  // a yaml-syntax error on the line docker-compose names (PyYAML's wording is not ours to copy).
  const withReason = (r: FileResult) => {
    const errors = r.findings.filter((f) => f.severity === 'error');
    const reason = r.compose!.reason;
    const lines = [...reason.matchAll(/line (\d+), column/g)].map((m) => Number(m[1]));
    if (/yaml\.[\w.]+Error/.test(reason) && lines.length) return errors.some((f) => f.code === 'yaml-syntax' && f.line === lines[lines.length - 1]);
    return errors.some((f) => f.message.includes(reason.trim()));
  };
  out.push(`  with docker-compose's reason (its message quoted, or a YAML error on the line it names) on ${refused.filter(withReason).length} of ${refused.length}`);
  for (const r of refused.filter((r) => !withReason(r))) out.push(`  reason missing: ${r.file.repo}:${r.file.path}@${r.file.blob.slice(0, 10)}: ${r.compose!.reason}`);
  // Compose-level = what docker-compose itself checks: the compose-* codes and YAML syntax.
  const composeLevel = (f: Finding) => f.severity === 'error' && (f.code.startsWith('compose-') || f.code === 'yaml-syntax');
  const acceptedComposeLevel = compose.filter((r) => r.compose!.accepts && r.findings.some(composeLevel));
  out.push(`  compose-level errors (compose-*, yaml-syntax) on files docker-compose accepts: ${acceptedComposeLevel.length} files${acceptedComposeLevel.length ? ': ' + acceptedComposeLevel.map((r) => `${r.file.path}@${r.file.blob.slice(0, 10)}`).join(', ') : ''}`);
  const acceptedWithError = compose.filter((r) => r.compose!.accepts && checkerErrors(r));
  const trueErrors = acceptedWithError.filter((r) => r.findings.filter((f) => f.severity === 'error').every((f) => verdict(f) === true));
  out.push(`  the checker gives an error on ${acceptedWithError.length} files docker-compose accepts (on ${trueErrors.length} of them every error is judged true: problems config -q does not check); same verdict on ${agree} of ${compose.length} (${pct(agree, compose.length)})`);
  for (const r of compose.filter((r) => r.compose!.accepts === checkerErrors(r))) {
    out.push(`  differs: ${r.file.repo}:${r.file.path}@${r.file.blob.slice(0, 10)} (${r.file.date.slice(0, 10)}) docker-compose ${r.compose!.accepts ? 'accepts' : `refuses: ${r.compose!.reason}`}; checker ${checkerErrors(r) ? 'errors: ' + r.findings.filter((f) => f.severity === 'error').map((f) => f.code).join(',') : 'no error'}`);
  }

  const stale = Object.keys(judgements).filter((id) => !all.some((f) => f.id === id));
  out.push('', `Judgements: ${Object.keys(judgements).length} in ${JUDGEMENTS.slice(ROOT.length + 1)}; ${stale.length} match no current finding (fixed or changed: kept for the record)`);
  if (unjudged.length) {
    out.push('', `Unjudged warning/error findings (${new Set(unjudged.map((f) => f.id)).size} identities):`);
    const seen = new Set<string>();
    for (const f of unjudged) {
      if (seen.has(f.id)) continue;
      seen.add(f.id);
      out.push(`  ${JSON.stringify(f.id)}: {"verdict": ?, "why": ""},  // ${f.file.date.slice(0, 10)} ${f.file.commit.slice(0, 10)} ${basename(f.file.path)}:${f.line}:${f.column} ${f.severity} ${f.message}`);
    }
  }
  if (args.includes('--list')) {
    out.push('', 'Every warning/error finding:');
    for (const f of serious) out.push(`  [${verdict(f) === undefined ? '?' : verdict(f) ? 'T' : 'F'}] ${f.id} | ${f.file.date.slice(0, 10)} ${f.file.commit.slice(0, 10)} ${f.line}:${f.column} ${f.severity} ${f.message}`);
  }
  const stubPath = args[args.indexOf('--unjudged') + 1];
  if (args.includes('--unjudged') && stubPath) {
    const stubs: Record<string, { verdict: null; why: string; context: string }> = {};
    for (const f of unjudged) stubs[f.id] ??= { verdict: null, why: '', context: `${f.file.date.slice(0, 10)} ${f.file.commit} ${f.file.path}:${f.line}:${f.column} ${f.severity} ${f.message}` };
    writeFileSync(stubPath, JSON.stringify(stubs, null, 2) + '\n');
    out.push('', `Wrote ${Object.keys(stubs).length} stubs to ${stubPath}`);
  }
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
