import { dirname, relative, resolve } from 'node:path';
import { LIMITS } from '../core/compose/analysisLimits';
import { parseEnvFile } from '../core/compose/envFile';
import { BoundedReadError, ENV_FILE_MAX_BYTES, readRegularFileSync, readStreamCappedSync } from '../core/files/boundedRead';
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
  /** .env / --env-file / setup.env files not read and why: printed as notes. */
  notes: string[];
}

/**
 * Reads a compose file and what the checks need beside it: interpolation variables from
 * `.env` then the env files (later wins), and each service `env_file:` that exists.
 * `envFiles` undefined means the default list, whose files are optional; files the user
 * named must exist.
 */
export function loadLintInputs(composePath: string, envFiles: string[] | undefined): LintInputs {
  const notes: string[] = [];
  let text: string;
  try {
    // The file the user named may be a pipe (<(git show …)): read it as a stream, capped.
    text = stripBom(readStreamCappedSync(composePath, LIMITS.inputBytes).toString('utf8'));
  } catch (err) {
    if (err instanceof BoundedReadError && err.kind === 'too-large') {
      return { text: '', tooLargeBytes: err.size, variables: {}, serviceEnvFiles: {}, envFileErrors: {}, notes };
    }
    throw new ReadError(`cannot read ${composePath}: ${describeFsError(err)}`);
  }
  const dir = dirname(resolve(composePath));
  const variables: Variables = {};
  const optional = envFiles === undefined;
  for (const name of ['.env', ...(envFiles ?? DEFAULT_ENV_FILES)]) {
    const path = resolve(dir, name);
    const shown = relative(process.cwd(), path) || path;
    let envText: string | undefined;
    if (name === '.env' || optional) {
      const r = readEnvFile(path);
      if (r.error) notes.push(`${shown} was not read: ${r.error}`);
      envText = r.text;
    } else {
      envText = readText(path, `${shown} (--env-file)`, ENV_FILE_MAX_BYTES);
    }
    if (envText !== undefined) Object.assign(variables, parseEnvFile(envText));
  }
  // The env_file paths as written (after interpolation, which is how docker-compose reads them).
  const serviceEnvFiles: Record<string, Variables | undefined> = {};
  const envFileErrors: Record<string, string> = {};
  for (const service of parseCompose(text, { variables }).services) {
    for (const f of service.envFiles) {
      if (f.value in serviceEnvFiles || !f.value.trim()) continue;
      const r = readEnvFile(resolve(dir, f.value));
      serviceEnvFiles[f.value] = r.text === undefined ? undefined : parseEnvFile(r.text);
      if (r.error) envFileErrors[f.value] = r.error;
    }
  }
  return { text, variables, serviceEnvFiles, envFileErrors, notes };
}

/**
 * An env file named by the compose file or found beside it: a regular file of at most
 * ENV_FILE_MAX_BYTES, else `error` says why. A missing or unreadable file is neither text nor
 * error (it is optional, as before).
 */
function readEnvFile(path: string): { text?: string; error?: string } {
  try {
    return { text: readRegularFileSync(path, ENV_FILE_MAX_BYTES).toString('utf8') };
  } catch (err) {
    return err instanceof BoundedReadError ? { error: err.message } : {};
  }
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
