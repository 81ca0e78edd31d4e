import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseEnvFile } from '../core/compose/envFile';
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
}

/**
 * Reads a compose file and what the checks need beside it: interpolation variables from
 * `.env` then the env files (later wins), and each service `env_file:` that exists.
 * `envFiles` undefined means the default list, whose files are optional; files the user
 * named must exist.
 */
export function loadLintInputs(composePath: string, envFiles: string[] | undefined): LintInputs {
  const text = stripBom(readText(composePath));
  const dir = dirname(resolve(composePath));
  const variables: Variables = {};
  const optional = envFiles === undefined;
  for (const name of ['.env', ...(envFiles ?? DEFAULT_ENV_FILES)]) {
    const path = resolve(dir, name);
    const envText = name === '.env' || optional ? readIfExists(path) : readText(path, `${relative(process.cwd(), path) || path} (--env-file)`);
    if (envText !== undefined) Object.assign(variables, parseEnvFile(envText));
  }
  // The env_file paths as written (after interpolation, which is how docker-compose reads them).
  const serviceEnvFiles: Record<string, Variables | undefined> = {};
  for (const service of parseCompose(text, { variables }).services) {
    for (const f of service.envFiles) {
      if (f.value in serviceEnvFiles || !f.value.trim()) continue;
      const envText = readIfExists(resolve(dir, f.value));
      serviceEnvFiles[f.value] = envText === undefined ? undefined : parseEnvFile(envText);
    }
  }
  return { text, variables, serviceEnvFiles };
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
