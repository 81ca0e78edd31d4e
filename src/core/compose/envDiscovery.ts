import * as posix from 'node:path/posix';
import { parseEnvFile } from './envFile';
import { interpolate } from './interpolate';
import type { Variables } from './model';

/**
 * Finds the env files a kafka_writers compose file is used with, the way operators use them.
 *
 * The Rubin files begin "Using this file requires the following environment files
 * - setup.env - setup_kp.env", and those sit in a parent directory (docker-compose-ops:
 * `summit/setup.env` for `summit/kafka_writers/docker-compose.yaml`): operators `source`
 * them, then `cd kafka_writers && docker-compose up`. So, later ones winning:
 *
 * 1. `.env` beside the file (docker-compose reads it; the shell's environment wins over it);
 * 2. what a login shell sets (`PWD`, `HOME`, `USER`, …): never reported unset;
 * 3. the files named in the header comment, then the configured names (efdSalkafka.envFiles,
 *    default setup.env), each found in the file's directory or the nearest parent, up to the
 *    repository root (a directory holding `.git`) or the file system root; `export` lines,
 *    `${VAR}` in values expanded as the shell does when it sources them;
 * 4. explicit files (salkafka-lint --env-file), relative to the file's directory only;
 * 5. `PWD`: the compose file's directory, where docker-compose is run.
 *
 * Pure: every file access goes through a reader, so the CLI (node:fs), the editor (VS Code's
 * file systems, local or the remote salkafka: one) and the SFTP path share this code. Paths
 * are POSIX paths (callers convert Windows paths with forward slashes).
 */

export type EnvFileKind = 'dotenv' | 'header' | 'setting' | 'explicit';

export interface EnvFileUsed {
  /** Absolute POSIX path. */
  path: string;
  kind: EnvFileKind;
  /** The name as written (header, setting or --env-file). */
  name: string;
  variables: Variables;
}

export interface EnvFileMissing {
  name: string;
  kind: EnvFileKind;
  /** Directories looked in, nearest first. */
  searched: string[];
}

export interface EnvDiscovery {
  /** Interpolation variables, merged in precedence order. */
  variables: Variables;
  /** Files read, in the order applied (later wins). */
  files: EnvFileUsed[];
  /** Files named in the header, the settings or on the command line that were not found. */
  missing: EnvFileMissing[];
  /** Where each variable's value comes from: a file's path, or 'shell'. */
  origin: Record<string, string>;
  /** The compose file's directory. */
  dir: string;
}

export interface EnvDiscoveryOptions {
  /** Configured names (efdSalkafka.envFiles; the CLI's default setup.env). */
  settingNames?: readonly string[];
  /** salkafka-lint --env-file: relative to the compose file's directory, not searched upward. */
  explicitNames?: readonly string[];
}

/** What a login shell exports; their values depend on who runs docker-compose. */
export const SHELL_VARIABLES: Readonly<Record<string, string>> = {
  HOME: '/home/user',
  USER: 'user',
  LOGNAME: 'user',
  SHELL: '/bin/bash',
  PATH: '/usr/local/bin:/usr/bin:/bin',
  SHLVL: '1',
  HOSTNAME: 'localhost',
  LANG: 'C.UTF-8',
  TERM: 'xterm',
  MAIL: '/var/mail/user',
};

/** Parent directories are searched at most this far up (a runaway symlink chain, a deep tree). */
const MAX_LEVELS = 16;

export interface SyncEnvReader {
  /** The file's text, or undefined when it is missing, unreadable or not a regular file. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
}

export interface AsyncEnvReader {
  readText(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
}

type Request = { op: 'read'; path: string } | { op: 'exists'; path: string };
type Steps<T> = Generator<Request, T, string | undefined | boolean>;

export function discoverEnvSync(composePath: string, text: string, reader: SyncEnvReader, options: EnvDiscoveryOptions = {}): EnvDiscovery {
  return runSync(discover(composePath, text, options), reader);
}

export function discoverEnv(composePath: string, text: string, reader: AsyncEnvReader, options: EnvDiscoveryOptions = {}): Promise<EnvDiscovery> {
  return runAsync(discover(composePath, text, options), reader);
}

/**
 * Each service `env_file:` path (as written, after interpolation) → its variables, or
 * undefined when it cannot be read. Relative paths are relative to the compose file's directory.
 */
export function readServiceEnvFilesSync(composePath: string, paths: readonly string[], reader: SyncEnvReader): Record<string, Variables | undefined> {
  return runSync(serviceEnvFiles(composePath, paths), reader);
}

export function readServiceEnvFiles(composePath: string, paths: readonly string[], reader: AsyncEnvReader): Promise<Record<string, Variables | undefined>> {
  return runAsync(serviceEnvFiles(composePath, paths), reader);
}

/**
 * Env file names in the comment block at the top of a compose file: the Rubin header
 * ("# Using this file requires the following environment files / # - setup.env"), or any
 * `name.env` / `../dir/name.env` the leading comments mention.
 */
export function headerEnvFileNames(text: string): string[] {
  const names: string[] = [];
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (!line.startsWith('#')) break;
    for (const m of line.matchAll(/(?:^|[\s`'"(,:=])((?:\.{1,2}\/|\/)?[\w.\-/]*[\w-]\.env)(?=$|[\s`'"),.;:])/g)) {
      if (!names.includes(m[1])) names.push(m[1]);
    }
  }
  return names;
}

/** A path shown relative to the compose file's directory (`../setup.env`, `.env`). */
export function shownPath(discovery: Pick<EnvDiscovery, 'dir'>, path: string): string {
  if (path === 'shell') return 'the shell';
  return posix.relative(discovery.dir, path) || '.';
}

function* discover(composePath: string, text: string, options: EnvDiscoveryOptions): Steps<EnvDiscovery> {
  const dir = posix.dirname(posix.resolve('/', composePath));
  const result: EnvDiscovery = { variables: {}, files: [], missing: [], origin: {}, dir };
  const read = new Set<string>();
  const apply = (file: EnvFileUsed) => {
    read.add(file.path);
    result.files.push(file);
    for (const [k, v] of Object.entries(file.variables)) {
      result.variables[k] = v;
      result.origin[k] = file.path;
    }
  };
  const setShell = (name: string, value: string) => {
    result.variables[name] = value;
    result.origin[name] = 'shell';
  };

  const dotenvPath = posix.join(dir, '.env');
  const dotenv = (yield { op: 'read', path: dotenvPath }) as string | undefined;
  if (dotenv !== undefined) apply({ path: dotenvPath, kind: 'dotenv', name: '.env', variables: parseEnvFile(dotenv) });
  for (const [k, v] of Object.entries(SHELL_VARIABLES)) setShell(k, v);

  let ancestors: string[] | undefined;
  const sourced: { name: string; kind: EnvFileKind }[] = [
    ...headerEnvFileNames(text).map((name) => ({ name, kind: 'header' as const })),
    ...(options.settingNames ?? []).map((name) => ({ name, kind: 'setting' as const })),
  ];
  for (const { name, kind } of sourced) {
    if (!name.trim() || name === '.env') continue;
    // A bare name is looked for upward; a path is taken as written, from the file's directory.
    const upward = !name.includes('/');
    const dirs = upward ? (ancestors ??= yield* ancestorDirs(dir)) : [dir];
    let found = false;
    for (const d of dirs) {
      const path = posix.resolve(d, name);
      if (read.has(path)) {
        found = true;
        break;
      }
      const content = (yield { op: 'read', path }) as string | undefined;
      if (content === undefined) continue;
      apply({ path, kind, name, variables: expandSourced(parseEnvFile(content), result.variables) });
      found = true;
      break;
    }
    if (!found && !result.missing.some((m) => m.name === name)) result.missing.push({ name, kind, searched: dirs });
  }
  for (const name of options.explicitNames ?? []) {
    const path = posix.resolve(dir, name);
    const content = (yield { op: 'read', path }) as string | undefined;
    if (content === undefined) result.missing.push({ name, kind: 'explicit', searched: [dir] });
    else apply({ path, kind: 'explicit', name, variables: parseEnvFile(content) });
  }
  // The shell sets PWD when the operator changes into the directory, after sourcing.
  setShell('PWD', dir);
  if (!('OLDPWD' in result.variables)) setShell('OLDPWD', posix.dirname(dir));
  return result;
}

/** The directory and its parents, up to and including the one holding `.git`, or the root. */
function* ancestorDirs(dir: string): Steps<string[]> {
  const dirs: string[] = [];
  for (let d = dir, level = 0; level < MAX_LEVELS; level++) {
    dirs.push(d);
    if ((yield { op: 'exists', path: posix.join(d, '.git') }) === true) break;
    const parent = posix.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  return dirs;
}

/** A sourced file's `${VAR}` / `$VAR` are expanded by the shell with what is set so far. */
function expandSourced(vars: Variables, before: Variables): Variables {
  const scope: Variables = { ...before };
  const out: Variables = {};
  for (const [k, v] of Object.entries(vars)) {
    const value = v.includes('$') ? interpolate(v, scope).value : v;
    out[k] = value;
    scope[k] = value;
  }
  return out;
}

function* serviceEnvFiles(composePath: string, paths: readonly string[]): Steps<Record<string, Variables | undefined>> {
  const dir = posix.dirname(posix.resolve('/', composePath));
  const out: Record<string, Variables | undefined> = {};
  for (const p of paths) {
    if (p in out || !p.trim()) continue;
    const content = (yield { op: 'read', path: posix.resolve(dir, p) }) as string | undefined;
    out[p] = content === undefined ? undefined : parseEnvFile(content);
  }
  return out;
}

function runSync<T>(steps: Steps<T>, reader: SyncEnvReader): T {
  let next = steps.next();
  while (!next.done) {
    const req = next.value;
    next = steps.next(req.op === 'read' ? safe(() => reader.readText(req.path), undefined) : safe(() => reader.exists(req.path), false));
  }
  return next.value;
}

async function runAsync<T>(steps: Steps<T>, reader: AsyncEnvReader): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const req = next.value;
    const answer = req.op === 'read' ? await reader.readText(req.path).catch(() => undefined) : await reader.exists(req.path).catch(() => false);
    next = steps.next(answer);
  }
  return next.value;
}

/** A reader that throws is a file we cannot read: never a crash of the checker. */
function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
