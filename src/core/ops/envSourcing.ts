// The env files operators `source` before docker-compose, applied to the commands the pipeline
// runs. The Rubin kafka_writers files begin "Using this file requires the following environment
// files - setup.env - setup_kp.env" and take the image tag (${CYCLE_AUXTEL}) and the DDS domain
// (LSST_DDS_DOMAIN_ID=${DOMAINID_AUXTEL}) from them: run without them, compose would recreate a
// producer with a blank image tag or on domain 0 (production). So every compose command is run
// under a FIXED script that sources the files found by envDiscovery (the checker's discovery,
// not a second one), and a plan whose producer would still see blanks is refused.
import * as posix from 'node:path/posix';
import type { ServiceModel, Variables } from '../compose/model';
import { interpolate } from '../compose/interpolate';
import { OpsRefusedError } from './errors';

/** One file to source, in order (later wins, as in the operator's shell). */
export interface SourcedEnvFile {
  /** Absolute POSIX path on the host. */
  path: string;
  /** The name as written in the header or the setting. */
  name: string;
}

/** A file the compose file's header names that was not found on the host. */
export interface MissingEnvFile {
  name: string;
  searched: string[];
}

/** Exit status of the wrapper when an env file cannot be sourced (compose never starts). */
export const ENV_SOURCE_FAILED = 125;
/** $0 of the wrapper: what `ps` on the host shows. */
export const ENV_WRAPPER_NAME = 'salkafka-env';

/**
 * Constant text; the file paths and the command only ever arrive as positional parameters
 * ("$1", "$@"), so nothing read from a host file becomes shell syntax. `. "$1"` with an
 * absolute path never searches PATH; a file that is unreadable, not valid sh (checked with
 * `sh -n` first: a syntax error in `.` would end the shell with an unclear status) or whose
 * sourcing fails stops here with ENV_SOURCE_FAILED before docker-compose runs.
 */
export const ENV_WRAPPER_SCRIPT = [
  'set -a',
  'while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do',
  '  case "$1" in /*) ;; *) echo "salkafka-env: $1 is not an absolute path" >&2; exit 125;; esac',
  '  if [ ! -f "$1" ] || [ ! -r "$1" ]; then echo "salkafka-env: cannot read env file $1" >&2; exit 125; fi',
  '  if ! /bin/sh -n "$1"; then echo "salkafka-env: env file $1 is not valid sh" >&2; exit 125; fi',
  '  . "$1" || { echo "salkafka-env: sourcing $1 failed" >&2; exit 125; }',
  '  shift',
  'done',
  'if [ "$1" != "--" ]; then echo "salkafka-env: no command" >&2; exit 125; fi',
  'shift',
  'set +a',
  'exec "$@"',
].join('\n');

/** argv that sources `files` (absolute paths) then execs `argv`; argv unchanged when none. */
export function sourcedArgv(files: readonly SourcedEnvFile[], argv: readonly string[]): string[] {
  if (!files.length) return [...argv];
  for (const f of files) {
    if (!posix.isAbsolute(f.path)) throw new Error(`env file path must be absolute on the host: ${f.path}`);
  }
  return ['sh', '-c', ENV_WRAPPER_SCRIPT, ENV_WRAPPER_NAME, ...files.map((f) => f.path), '--', ...argv];
}

/** " (with setup.env, setup_kp.env sourced from /deploy-lsst/)" for the displayed command. */
export function sourcedSuffix(files: readonly SourcedEnvFile[]): string {
  if (!files.length) return '';
  const dirs = [...new Set(files.map((f) => posix.dirname(f.path)))];
  const names = files.map((f) => (dirs.length === 1 ? posix.basename(f.path) : f.path)).join(', ');
  return ` (with ${names} sourced${dirs.length === 1 ? ` from ${dirs[0].replace(/\/?$/, '/')}` : ''})`;
}

/** What an operator types: `set -a && . /abs/setup.env && set +a && <command>`. */
export function sourcedByHand(files: readonly SourcedEnvFile[], command: string, quote: (w: string) => string): string {
  if (!files.length) return command;
  return `set -a && ${files.map((f) => `. ${quote(f.path)}`).join(' && ')} && set +a && ${command}`;
}

/**
 * Refuses a plan whose compose command would create `svc`'s container with blanks: a header-named
 * env file missing on the host, or a variable its image or environment uses unset (or an image
 * tag that comes out empty) with the files sourced.
 */
export function requireServiceEnv(svc: ServiceModel, variables: Variables, missing: readonly MissingEnvFile[], composePath: string): void {
  if (missing.length) {
    throw new OpsRefusedError(
      'env-file-missing',
      `Refused: ${posix.basename(composePath)} says it needs ${missing.map((m) => m.name).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not on the host ` +
        `(looked in ${[...new Set(missing.flatMap((m) => m.searched))].join(', ')}). Without it docker-compose would run with empty variables ` +
        `(a blank image tag, LSST_DDS_DOMAIN_ID unset = domain 0, production). Nothing was changed.`,
      missing.map((m) => `${m.name}: looked in ${m.searched.join(', ')}`),
    );
  }
  const problems: string[] = [];
  const unsetIn = (raw: string) => interpolate(raw, variables).refs.filter((v) => v.unset).map((v) => v.name);
  if (svc.image) {
    for (const name of unsetIn(svc.image.value)) problems.push(`the image ${svc.image.value} uses \${${name}}, which is unset`);
    const image = interpolate(svc.image.value, variables).value.trim();
    if (!problems.length && (image === '' || image.endsWith(':'))) problems.push(`the image ${svc.image.value} comes out as "${image}" (empty tag)`);
  }
  for (const entry of svc.env.values()) {
    if (!entry.value) continue;
    for (const name of unsetIn(entry.value.raw)) problems.push(`${entry.key}=${entry.value.raw} uses \${${name}}, which is unset`);
  }
  if (problems.length) {
    throw new OpsRefusedError(
      'env-unset',
      `Refused: ${svc.name} would be created with blanks: ${problems.join('; ')}. Set the variable in the env file operators source (or the .env beside the compose file) and plan again. Nothing was changed.`,
      problems,
    );
  }
}
