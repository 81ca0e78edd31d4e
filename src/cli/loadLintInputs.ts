import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { LIMITS } from '../core/compose/analysisLimits';
import { discoverEnvSync, readServiceEnvFilesSync, type EnvDiscovery, type SyncEnvReader } from '../core/compose/envDiscovery';
import { BoundedReadError, ENV_FILE_MAX_BYTES, readRegularFileSync, readStreamCappedSync } from '../core/files/boundedRead';
import { COMPOSE_FILE_NAME, SITE_DIRS_MAX } from '../core/lint/siblings';
import { parseCompose } from '../core/compose/parseCompose';
import type { Variables } from '../core/compose/model';

/** A file the user named (or that must exist) could not be read: exit code 2. */
export class ReadError extends Error {}

/** Env files read for interpolation when the user gives none (the summit sources setup.env). */
export const DEFAULT_ENV_FILES = ['setup.env'];

export interface LintInputs {
  text: string;
  /** Set when the compose file is over LIMITS.inputBytes: it was not read, `text` is empty. */
  tooLargeBytes?: number;
  variables: Variables;
  serviceEnvFiles: Record<string, Variables | undefined>;
  /** env_file entries not read and why (a device, a FIFO, too large). */
  envFileErrors: Record<string, string>;
  /** Discovered env files not read and why: printed as notes. */
  notes: string[];
  /** Which env files were used and which named ones were not found (for --verbose). */
  env?: EnvDiscovery;
  /** The compose file's absolute POSIX path (sibling checks compare directories). */
  path: string;
}

/**
 * Reads a compose file and what the checks need beside it: interpolation variables from the
 * env files operators use with it (core/compose/envDiscovery.ts: `.env`, the files its header
 * comment names and setup.env, found in its directory or a parent) and each service
 * `env_file:` that exists. `envFiles` (--env-file) replaces the default setup.env; those
 * files are relative to the compose file's directory and must exist. Every file named by the
 * compose file is read bounded (regular files only, size-capped, never blocking).
 */
export function loadLintInputs(composePath: string, envFiles: string[] | undefined): LintInputs {
  const path = toPosix(resolve(composePath));
  let text: string;
  try {
    // The file the user named may be a pipe (<(git show …)): read it as a stream, capped.
    text = stripBom(readStreamCappedSync(composePath, LIMITS.inputBytes).toString('utf8'));
  } catch (err) {
    if (err instanceof BoundedReadError && err.kind === 'too-large') {
      return { text: '', tooLargeBytes: err.size, variables: {}, serviceEnvFiles: {}, envFileErrors: {}, notes: [], path };
    }
    throw new ReadError(`cannot read ${composePath}: ${describeFsError(err)}`);
  }
  const reader = boundedReader();
  const env = discoverEnvSync(path, text, reader, envFiles === undefined ? { settingNames: DEFAULT_ENV_FILES } : { explicitNames: envFiles });
  for (const m of env.missing) {
    if (m.kind !== 'explicit') continue;
    const missing = resolve(composePath, '..', m.name);
    // Throws with the reason (no such file, a directory, permission denied, too large).
    readText(missing, `${relative(process.cwd(), missing) || missing} (--env-file)`, ENV_FILE_MAX_BYTES);
    throw new ReadError(`cannot read ${relative(process.cwd(), missing) || missing} (--env-file): not a readable file`);
  }
  const notes = [...reader.errors].map(([p, why]) => `${relative(process.cwd(), fromPosix(p)) || p} was not read: ${why}`);
  const { variables } = env;
  // The env_file paths as written (after interpolation, which is how docker-compose reads them).
  const model = parseCompose(text, { variables });
  const written = [...model.services, ...model.shadowedServices].flatMap((s) => s.envFiles.map((f) => f.value)).filter((v) => v.trim());
  const serviceReader = boundedReader();
  const serviceEnvFiles = readServiceEnvFilesSync(path, written, serviceReader);
  const envFileErrors: Record<string, string> = {};
  for (const value of written) {
    const why = serviceReader.errors.get(toPosix(resolve(dirname(fromPosix(path)), value)));
    if (why) envFileErrors[value] = why;
  }
  return { text, variables, serviceEnvFiles, envFileErrors, notes, env, path };
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
  for (const p of siteComposeFiles(dir)) paths.add(p);
  paths.delete(self);
  const out: { path: string; text: string }[] = [];
  for (const p of [...paths].sort()) {
    const text = readBounded(p, LIMITS.inputBytes).text;
    if (text !== undefined) out.push({ path: toPosix(p), text: stripBom(text) });
  }
  return out;
}

/** Compose files of the directories beside `dir` (the site's support/ holds the DDS daemons). */
function siteComposeFiles(dir: string): string[] {
  const site = dirname(dir);
  if (site === dir) return [];
  const out: string[] = [];
  try {
    const dirs = readdirSync(site, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.') && join(site, e.name) !== dir).map((e) => e.name).sort().slice(0, SITE_DIRS_MAX);
    for (const d of dirs) {
      try {
        for (const n of readdirSync(join(site, d)).filter((n) => COMPOSE_FILE_NAME.test(n)).sort()) out.push(join(site, d, n));
      } catch {
        // unreadable directory: no daemons from there
      }
    }
  } catch {
    // no site directory listing
  }
  return out;
}

/**
 * The file system as env discovery sees it (POSIX paths, Windows drives as /C:/…), reading
 * only regular files of at most ENV_FILE_MAX_BYTES; `errors` keeps why a file was not read.
 */
function boundedReader(): SyncEnvReader & { errors: Map<string, string> } {
  const errors = new Map<string, string>();
  return {
    errors,
    readText: (p) => {
      const r = readBounded(fromPosix(p), ENV_FILE_MAX_BYTES);
      if (r.error) errors.set(p, r.error);
      return r.text;
    },
    exists: (p) => existsSync(fromPosix(p)),
    // POSIX owners and modes; Windows has neither in Node's stat (every directory looks
    // world-writable there), so the owner rule is not applied on Windows.
    ...(process.platform === 'win32'
      ? {}
      : {
          statDir: (p: string) => {
            try {
              const st = statSync(fromPosix(p));
              return st.isDirectory() ? { uid: st.uid, mode: st.mode } : undefined;
            } catch {
              return undefined;
            }
          },
          ownUid: process.getuid?.(),
        }),
  };
}

/**
 * A regular file of at most maxBytes, else `error` says why (a device, a FIFO, too large). A
 * missing or unreadable file is neither text nor error: such files are optional.
 */
function readBounded(path: string, maxBytes: number): { text?: string; error?: string } {
  try {
    return { text: readRegularFileSync(path, maxBytes).toString('utf8') };
  } catch (err) {
    return err instanceof BoundedReadError ? { error: err.message } : {};
  }
}

function toPosix(p: string): string {
  return process.platform === 'win32' ? '/' + p.replace(/\\/g, '/') : p;
}

function fromPosix(p: string): string {
  return process.platform === 'win32' ? p.replace(/^\/([A-Za-z]:)/, '$1') : p;
}

/**
 * Reads a file the user named (--env-file, --catalogue) or throws ReadError with a short reason
 * ("cannot read X: no such file"). Pipes are fine; the size is capped either way.
 */
export function readText(path: string, shownAs = path, maxBytes = ENV_FILE_MAX_BYTES * 16): string {
  try {
    return readStreamCappedSync(path, maxBytes).toString('utf8');
  } catch (err) {
    throw new ReadError(`cannot read ${shownAs}: ${describeFsError(err)}`);
  }
}

export function describeFsError(err: unknown): string {
  if (err instanceof BoundedReadError) return err.message;
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
