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
 * The change pipeline SOURCES the files of step 3 (runs them as shell code on the host), so the
 * rule for them is strict, and the same here for the checker: a bare name or a relative path that
 * stays in the deployment tree; never an absolute path, a URL, `.env` or a file a service uses as
 * `env_file:` (KEY=VALUE data for docker-compose, not shell). Refused names are in `refused`.
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

export interface EnvFileRefused {
  name: string;
  kind: EnvFileKind;
  reason: string;
}

export interface EnvDiscovery {
  /** Interpolation variables, merged in precedence order. */
  variables: Variables;
  /** Files read, in the order applied (later wins). */
  files: EnvFileUsed[];
  /** Files named in the header, the settings or on the command line that were not found. */
  missing: EnvFileMissing[];
  /** Names from the header or the settings that are never sourced, and why. */
  refused: EnvFileRefused[];
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

/** Owner and mode of a directory (stat following symlinks, as the shell's `.` would). */
export interface DirOwner {
  uid: number;
  mode: number;
}

/**
 * A reader that can tell who owns a directory applies the ownership rule of the upward search;
 * one that cannot (a virtual file system of the editor, which only reads for checking) does not.
 * Every reader of a host the pipeline sources from can (remoteEnvReader).
 */
export interface SyncEnvReader {
  /** The file's text, or undefined when it is missing, unreadable or not a regular file. */
  readText(path: string): string | undefined;
  exists(path: string): boolean;
  /** Undefined when the directory cannot be stat-ed (then it is not trusted). */
  statDir?(path: string): DirOwner | undefined;
  /** The uid of whoever the files are read (and sourced) as. */
  ownUid?: number;
}

export interface AsyncEnvReader {
  readText(path: string): Promise<string | undefined>;
  exists(path: string): Promise<boolean>;
  statDir?(path: string): Promise<DirOwner | undefined>;
  ownUid?: number;
}

/** 'dir' answers null when the reader cannot tell owners at all (the rule is then not applied). */
type Request = { op: 'read'; path: string } | { op: 'exists'; path: string } | { op: 'dir'; path: string };
type Steps<T> = Generator<Request, T, string | undefined | boolean | DirOwner | null>;

/**
 * A directory the upward search may look in: owned by root or the user, and not writable by
 * others (a sticky /tmp included: anyone can create /tmp/setup.env). `null`: cannot tell.
 */
export function trustedDir(st: DirOwner | undefined | null, ownUid: number | undefined): boolean {
  if (st === null) return true;
  if (!st) return false;
  return (st.uid === 0 || st.uid === ownUid) && (st.mode & 0o002) === 0;
}

export function discoverEnvSync(composePath: string, text: string, reader: SyncEnvReader, options: EnvDiscoveryOptions = {}): EnvDiscovery {
  return runSync(discover(composePath, text, options, reader.ownUid), reader);
}

export function discoverEnv(composePath: string, text: string, reader: AsyncEnvReader, options: EnvDiscoveryOptions = {}): Promise<EnvDiscovery> {
  return runAsync(discover(composePath, text, options, reader.ownUid), reader);
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

/** The Rubin header line; the list under it is what operators source. */
const HEADER_LINE = /requires?\s+the\s+following\s+(?:environment|env)\s+files?/i;

/**
 * The names listed under the Rubin header in the comment block at the top of a compose file:
 *   # Using this file requires the following environment files
 *   # - setup.env
 *   # - setup_kp.env
 * Only that list: other `*.env` words in comments ("Do NOT source producer.env", the env_file of
 * a service) are prose, not instructions to run a file. The list ends at the first line that is
 * not an item. Names are returned as written; discovery decides which may be sourced.
 */
export function headerEnvFileNames(text: string): string[] {
  const names: string[] = [];
  let inList = false;
  for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line.startsWith('#')) {
      if (inList || line) break;
      continue;
    }
    const body = line.replace(/^#+\s*/, '');
    if (!inList) {
      inList = HEADER_LINE.test(body);
      continue;
    }
    const item = /^[-*]\s+(\S+)/.exec(body);
    if (!item) {
      // Another header further down the block starts a new list; anything else ends this one.
      inList = HEADER_LINE.test(body);
      continue;
    }
    const name = item[1].replace(/^[`'"]|[`'",;]+$/g, '');
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Basenames of the service `env_file:` entries, found without a YAML parse (discovery runs before
 * the parse, which needs its variables): `env_file: x.env`, `env_file: [a.env, b.env]` and block
 * lists. Over-matching only ever refuses more.
 */
export function envFileBasenames(text: string): Set<string> {
  const out = new Set<string>();
  const add = (v: string) => {
    const t = v.trim().replace(/^(?:path:\s*)?['"]?|['"]?\s*(?:#.*)?$/g, '');
    if (t) out.add(posix.basename(t));
  };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(?:-\s+)?env_file\s*:\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    const value = m[2].replace(/\s+#.*$/, '').trim();
    if (value.startsWith('[')) value.replace(/^\[|\]$/g, '').split(',').forEach(add);
    else if (value) add(value);
    else {
      for (let j = i + 1; j < lines.length; j++) {
        const item = /^\s*-\s+(.*)$/.exec(lines[j]);
        if (item) add(item[1]);
        else if (lines[j].trim() && !lines[j].trim().startsWith('#') && !/^\s+path\s*:/.test(lines[j]) && !/^\s+required\s*:/.test(lines[j])) break;
      }
    }
  }
  return out;
}

/**
 * Why a header or setting name is never sourced, or undefined when it may be (subject to where it
 * resolves: see discover). Sourcing runs the file as shell code on the host.
 */
export function unsourceableReason(name: string, envFiles: ReadonlySet<string>): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(name)) return 'a URL is not a file';
  if (name.startsWith('/') || name.startsWith('~') || /^[A-Za-z]:/.test(name)) return 'absolute paths are never sourced; name a file in the deployment tree';
  if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.split('/').some((seg) => seg === '')) return 'not a plain relative file name';
  const base = posix.basename(name);
  if (base === '.env' || base === '.' || base === '..') return 'docker-compose reads .env itself (KEY=VALUE data); it is never sourced';
  if (envFiles.has(base)) return `a service uses ${base} as env_file: (KEY=VALUE data for docker-compose, not shell); it is never sourced`;
  return undefined;
}

/** A path shown relative to the compose file's directory (`../setup.env`, `.env`). */
export function shownPath(discovery: Pick<EnvDiscovery, 'dir'>, path: string): string {
  if (path === 'shell') return 'the shell';
  return posix.relative(discovery.dir, path) || '.';
}

function* discover(composePath: string, text: string, options: EnvDiscoveryOptions, ownUid: number | undefined): Steps<EnvDiscovery> {
  const dir = posix.dirname(posix.resolve('/', composePath));
  const result: EnvDiscovery = { variables: {}, files: [], missing: [], refused: [], origin: {}, dir };
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

  let search: { dirs: string[]; tree: string } | undefined;
  const envFiles = envFileBasenames(text);
  const sourced: { name: string; kind: EnvFileKind }[] = [
    ...headerEnvFileNames(text).map((name) => ({ name, kind: 'header' as const })),
    ...(options.settingNames ?? []).map((name) => ({ name: name.trim(), kind: 'setting' as const })),
  ];
  const refuse = (name: string, kind: EnvFileKind, reason: string) => {
    if (!result.refused.some((r) => r.name === name)) result.refused.push({ name, kind, reason });
  };
  for (const { name, kind } of sourced) {
    if (!name) continue;
    const reason = unsourceableReason(name, envFiles);
    if (reason) {
      refuse(name, kind, reason);
      continue;
    }
    search ??= yield* searchDirs(dir, ownUid);
    // A bare name is looked for upward; a path is taken as written, from the file's directory,
    // and must stay in the deployment tree, in a directory the search could trust.
    let dirs = search.dirs;
    if (name.includes('/')) {
      const path = posix.resolve(dir, name);
      const rel = posix.relative(search.tree, path);
      if (rel.startsWith('..') || posix.isAbsolute(rel)) {
        refuse(name, kind, `it resolves to ${path}, outside the deployment tree (${search.tree})`);
        continue;
      }
      const parent = posix.dirname(path);
      if (!search.dirs.includes(parent) && !trustedDir((yield { op: 'dir', path: parent }) as DirOwner | undefined | null, ownUid)) {
        refuse(name, kind, `${parent} is writable by others or not owned by root or you`);
        continue;
      }
      dirs = [dir];
    }
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

/**
 * Where bare names are looked for: the directory and its parents, up to and including the one
 * holding `.git`, never climbing into a directory others may write or someone else owns. `tree`
 * is the deployment tree a relative path must stay in: the repository root, or without one the
 * compose file's parent directory (where operators keep setup.env) when the search reaches it.
 */
function* searchDirs(dir: string, ownUid: number | undefined): Steps<{ dirs: string[]; tree: string }> {
  const dirs: string[] = [];
  let repoRoot: string | undefined;
  for (let d = dir, level = 0; level < MAX_LEVELS; level++) {
    dirs.push(d);
    if ((yield { op: 'exists', path: posix.join(d, '.git') }) === true) {
      repoRoot = d;
      break;
    }
    const parent = posix.dirname(d);
    if (parent === d) break;
    const st = (yield { op: 'dir', path: parent }) as DirOwner | undefined | null;
    if (!trustedDir(st, ownUid)) break;
    d = parent;
  }
  return { dirs, tree: repoRoot ?? dirs[Math.min(1, dirs.length - 1)] };
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
    next = steps.next(
      req.op === 'read'
        ? safe(() => reader.readText(req.path), undefined)
        : req.op === 'exists'
          ? safe(() => reader.exists(req.path), false)
          : reader.statDir
            ? safe(() => reader.statDir!(req.path), undefined)
            : null,
    );
  }
  return next.value;
}

async function runAsync<T>(steps: Steps<T>, reader: AsyncEnvReader): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    const req = next.value;
    const answer =
      req.op === 'read'
        ? await reader.readText(req.path).catch(() => undefined)
        : req.op === 'exists'
          ? await reader.exists(req.path).catch(() => false)
          : reader.statDir
            ? await reader.statDir(req.path).catch(() => undefined)
            : null;
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
