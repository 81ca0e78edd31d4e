import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { COMPOSE_FILE_NAME } from '../core/lint/siblings';
import { discoverEnvSync, readServiceEnvFilesSync, type EnvDiscovery, type SyncEnvReader } from '../core/compose/envDiscovery';
import { parseCompose } from '../core/compose/parseCompose';
import type { Variables } from '../core/compose/model';

/** A file the user named (or that must exist) could not be read: exit code 2. */
export class ReadError extends Error {}

/** Env files read for interpolation when the user gives none (the summit sources setup.env). */
export const DEFAULT_ENV_FILES = ['setup.env'];

export interface LintInputs {
  text: string;
  variables: Variables;
  serviceEnvFiles: Record<string, Variables | undefined>;
  /** Which env files were used and which named ones were not found (for --verbose). */
  env: EnvDiscovery;
  /** The compose file's absolute POSIX path (sibling checks compare directories). */
  path: string;
}

/**
 * Reads a compose file and what the checks need beside it: interpolation variables from the
 * env files operators use with it (core/compose/envDiscovery.ts: `.env`, the files its header
 * comment names and setup.env, found in its directory or a parent) and each service
 * `env_file:` that exists. `envFiles` (--env-file) replaces the default setup.env; those
 * files are relative to the compose file's directory and must exist.
 */
export function loadLintInputs(composePath: string, envFiles: string[] | undefined): LintInputs {
  const text = stripBom(readText(composePath));
  const path = toPosix(resolve(composePath));
  const env = discoverEnvSync(path, text, nodeReader, envFiles === undefined ? { settingNames: DEFAULT_ENV_FILES } : { explicitNames: envFiles });
  for (const m of env.missing) {
    if (m.kind !== 'explicit') continue;
    const missing = resolve(composePath, '..', m.name);
    // Throws with the reason (no such file, a directory, permission denied).
    readText(missing, `${relative(process.cwd(), missing) || missing} (--env-file)`);
    throw new ReadError(`cannot read ${relative(process.cwd(), missing) || missing} (--env-file): not a readable file`);
  }
  const { variables } = env;
  // The env_file paths as written (after interpolation, which is how docker-compose reads them).
  const model = parseCompose(text, { variables });
  const paths = [...model.services, ...model.shadowedServices].flatMap((s) => s.envFiles.map((f) => f.value));
  const serviceEnvFiles = readServiceEnvFilesSync(path, paths, nodeReader);
  return { text, variables, serviceEnvFiles, env, path };
}

/**
 * The other compose files of the file's directory (docker-compose*.yaml, compose*.yml…) and
 * the other files given on the command line that sit there: one compose project.
 */
export function readSiblingComposeFiles(composePath: string, given: readonly string[]): { path: string; text: string }[] {
  const dir = dirname(resolve(composePath));
  const self = resolve(composePath);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => COMPOSE_FILE_NAME.test(n));
  } catch {
    names = [];
  }
  const paths = new Set([...names.map((n) => join(dir, n)), ...given.map((g) => resolve(g)).filter((g) => dirname(g) === dir)]);
  paths.delete(self);
  const out: { path: string; text: string }[] = [];
  for (const p of [...paths].sort()) {
    const text = readIfExists(p);
    if (text !== undefined) out.push({ path: toPosix(p), text: stripBom(text) });
  }
  return out;
}

/** The file system as env discovery sees it: POSIX paths, Windows drives as /C:/…. */
const nodeReader: SyncEnvReader = {
  readText: (p) => readIfExists(fromPosix(p)),
  exists: (p) => existsSync(fromPosix(p)),
};

function toPosix(p: string): string {
  return process.platform === 'win32' ? '/' + p.replace(/\\/g, '/') : p;
}

function fromPosix(p: string): string {
  return process.platform === 'win32' ? p.replace(/^\/([A-Za-z]:)/, '$1') : p;
}

/** Reads a file or throws ReadError with a short reason ("cannot read X: no such file"). */
export function readText(path: string, shownAs = path): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ReadError(`cannot read ${shownAs}: ${describeFsError(err)}`);
  }
}

/** Undefined when the file does not exist (or is not a readable file). */
function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function describeFsError(err: unknown): string {
  switch ((err as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return String((err as Error)?.message ?? err);
  }
}

/** Editors hide a UTF-8 byte order mark; dropping it keeps line 1's columns the same as theirs. */
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
