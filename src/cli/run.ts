import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Catalogue, CatalogueJson } from '../core/catalogue/catalogue';
import { defaultCatalogue } from '../core/catalogue/defaultCatalogue';
import { diagnosticsFromSiblings, lintCompose, tooLargeDiagnostic } from '../core/lint/lint';
import { CliArgs, parseCliArgs, USAGE, UsageError } from './args';
import { LineIndex } from '../core/text/lineIndex';
import { CliDiagnostic, formatSummary, formatText, forTerminal, toCliDiagnostics } from './format';
import { loadLintInputs, ReadError, readSiblingComposeFiles, readText } from './loadLintInputs';
import { shownPath, type EnvDiscovery, type EnvFileKind } from '../core/compose/envDiscovery';
import { lintValues } from '../core/values/lintValues';
import { detectFileKind } from '../core/values/recognise';
import { valuesInputs } from './loadValuesInputs';
import { defaultHistory } from '../core/catalogue/defaultCatalogue';
import { resolveTarget } from '../core/upgrade/target';
import type { UpgradeTarget } from '../core/upgrade/target';
import { checkValuesAgainst } from '../core/upgrade/valuesCheck';
import type { ValuesCheck } from '../core/upgrade/valuesCheck';
import { checkComposeAgainst } from '../core/upgrade/composeCheck';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

/** The whole CLI as a function: argv (without node and script) → exit code. Never throws. */
export function run(argv: string[], io: CliIo): number {
  let args: CliArgs;
  try {
    args = parseCliArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`salkafka-lint: ${forTerminal(err.message)}\nTry 'salkafka-lint --help'.\n`);
      return EXIT_USAGE;
    }
    return internalError(io, err);
  }
  if (args.help) {
    io.out(USAGE + '\n');
    return EXIT_OK;
  }
  if (args.version) {
    io.out(`salkafka-lint ${packageVersion()}\n`);
    return EXIT_OK;
  }
  try {
    return lintFiles(args, io);
  } catch (err) {
    return internalError(io, err);
  }
}

function lintFiles(args: CliArgs, io: CliIo): number {
  let catalogue: Catalogue;
  try {
    catalogue = args.catalogue ? loadCatalogue(args.catalogue) : defaultCatalogue();
  } catch (err) {
    io.err(`salkafka-lint: ${forTerminal((err as Error).message)}\n`);
    return EXIT_USAGE;
  }
  let target: UpgradeTarget | undefined;
  if (args.againstCycle !== undefined) {
    target = resolveTarget(args.againstCycle, defaultHistory());
    if (!target.ok) {
      io.err(`salkafka-lint: --against-cycle ${forTerminal(args.againstCycle)}: ${forTerminal(target.reason)}\n`);
      return EXIT_USAGE;
    }
  }
  const all: CliDiagnostic[] = [];
  let failedFiles = 0;
  for (const file of args.files) {
    let found: CliDiagnostic[];
    try {
      found = target ? precheckOneFile(file, args, target, io) : lintOneFile(file, args, catalogue, io);
    } catch (err) {
      // Go on with the other files: one unreadable file should not hide the others' results.
      failedFiles++;
      if (err instanceof ReadError) io.err(`salkafka-lint: ${forTerminal(err.message)}\n`);
      else io.err(`salkafka-lint: internal error while checking ${forTerminal(file)}: ${forTerminal(oneLine(err))}\n`);
      continue;
    }
    all.push(...found);
    if (args.format === 'text') for (const d of found) io.out(formatText(d) + '\n');
  }
  if (args.format === 'json') io.out(JSON.stringify(all, null, 2) + '\n');
  else if (failedFiles < args.files.length) io.err(formatSummary(all, args.files.length - failedFiles) + '\n');
  if (failedFiles) return EXIT_USAGE;
  return all.some((d) => d.severity === 'error') ? EXIT_ERRORS : EXIT_OK;
}

/** `salkafka-lint: F: env files: ../setup.env (header), .env` and what was named but not found. */
function describeEnvFiles(file: string, env: EnvDiscovery): string {
  const used = env.files.map((f) => `${shownPath(env, f.path)} (${KIND_SHOWN[f.kind]})`);
  let out = `salkafka-lint: ${file}: env files: ${used.length ? used.join(', ') : 'none'}\n`;
  for (const m of env.missing) {
    out += `salkafka-lint: ${file}: ${m.name} (${KIND_SHOWN[m.kind]}) not found in ${m.searched.map((d) => shownPath(env, d)).join(', ')}\n`;
  }
  for (const r of env.refused) out += `salkafka-lint: ${file}: ${r.name} (${KIND_SHOWN[r.kind]}) is never sourced: ${r.reason}\n`;
  return out;
}

const KIND_SHOWN: Record<EnvFileKind, string> = { dotenv: '.env', header: 'named in the header', setting: 'default', explicit: '--env-file' };

/** A compose file, or an Argo CD kafka-producers values file (by path or content): never compose rules on the latter. */
function lintOneFile(file: string, args: CliArgs, catalogue: Catalogue, io: CliIo): CliDiagnostic[] {
  const inputs = loadLintInputs(file, args.envFiles);
  if (inputs.tooLargeBytes !== undefined) return toCliDiagnostics(file, inputs.text, [tooLargeDiagnostic(inputs.tooLargeBytes)]);
  // The absolute path: `cd apps/kafka-producers && salkafka-lint values-summit.yaml` is a values file too.
  if (detectFileKind(resolve(file), inputs.text) === 'helmValues') {
    return toCliDiagnostics(file, inputs.text, lintValues(valuesInputs(file, inputs.text), { catalogue }).diagnostics);
  }
  for (const note of inputs.notes) io.err(`salkafka-lint: ${forTerminal(note)}\n`);
  if (args.verbose && inputs.env) io.err(describeEnvFiles(file, inputs.env).split('\n').map(forTerminal).join('\n'));
  const options = { catalogue, variables: inputs.variables, serviceEnvFiles: inputs.serviceEnvFiles, envFileErrors: inputs.envFileErrors };
  const { diagnostics, model } = lintCompose(inputs.text, options);
  // Compose files of one directory are one compose project: check them against each other.
  const siblings = diagnosticsFromSiblings({ path: inputs.path, model }, readSiblingComposeFiles(file, args.files), inputs.variables);
  return toCliDiagnostics(file, inputs.text, [...diagnostics, ...siblings].sort((a, b) => a.range.start - b.range.start));
}

/** --against-cycle: the upgrade pre-check of one values or compose file, as diagnostics. */
function precheckOneFile(file: string, args: CliArgs, target: UpgradeTarget, io: CliIo): CliDiagnostic[] {
  const inputs = loadLintInputs(file, args.envFiles);
  if (inputs.tooLargeBytes !== undefined) return toCliDiagnostics(file, inputs.text, [tooLargeDiagnostic(inputs.tooLargeBytes)]);
  const isValues = detectFileKind(resolve(file), inputs.text) === 'helmValues';
  const check: ValuesCheck = isValues ? checkValuesAgainst(valuesInputs(file, inputs.text), target, defaultHistory()) : checkComposeAgainst(inputs.text, inputs.variables, target, defaultHistory());
  for (const p of check.problems) io.err(`salkafka-lint: ${forTerminal(file)}: ${forTerminal(p)}\n`);
  const moved = check.producers.filter((p) => !p.ownTag);
  const from = [...new Set(moved.map((p) => `${p.tagBefore ?? '?'}${p.xmlBefore ? ` (ts_xml ${p.xmlBefore})` : ''}`))];
  if (target.ok) io.err(`salkafka-lint: ${forTerminal(file)}: ${moved.length} producer${moved.length === 1 ? '' : 's'} from ${forTerminal(from.join(', ') || 'no image')} to ${target.label}\n`);
  const found: CliDiagnostic[] = [];
  const index = new LineIndex(inputs.text);
  for (const p of check.producers) {
    for (const ch of p.changes) {
      const r = p.ranges[ch.token];
      const line = p.lines[ch.token];
      const start = index.positionAt(r?.start ?? 0);
      const end = index.positionAt(r?.end ?? 0);
      found.push({
        file,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        severity: ch.breaking ? 'error' : 'info',
        code: `cycle-${ch.kind}`,
        message: `${p.producer}: ${line !== undefined && line < 0 ? `values.yaml line ${-line}: ` : ''}${ch.detail}`,
      });
    }
  }
  return found;
}

function loadCatalogue(path: string): Catalogue {
  const text = readText(path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`catalogue ${path} is not valid JSON: ${oneLine(err)}`);
  }
  try {
    return Catalogue.fromJson(data as CatalogueJson, path);
  } catch (err) {
    throw new Error(`catalogue ${path} cannot be used: ${oneLine(err).replace(/^catalogue: /, '')}`);
  }
}

function internalError(io: CliIo, err: unknown): number {
  io.err(`salkafka-lint: internal error: ${forTerminal(oneLine(err))}\n`);
  return EXIT_USAGE;
}

function oneLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** The version of the package this script ships in (dist/cli.js → ../package.json). */
function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      try {
        const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'efd-salkafka' && pkg.version) return pkg.version;
      } catch {
        // not ours; keep looking upwards
      }
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
