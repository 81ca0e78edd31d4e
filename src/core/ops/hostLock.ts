// The host lock for changes: one plan → apply → verify at a time per compose directory, across
// operators and machines. The lock is a kernel flock(2) on a file beside the compose file, held by
// a small `flock` process on the host that lives exactly as long as our SSH channel:
//   - it prints a heartbeat every half second, so when our connection dies sshd closes the pipe,
//     the next write kills the holder with SIGPIPE and the kernel drops the lock (no lease timers,
//     no clock trust);
//   - the lock file holds JSON saying who holds it and what they are doing, so a colleague sees
//     "alice: add MTMount to salkafka-mt since 01:02" instead of a bare "busy";
//   - a clean release empties the file; a holder that died leaves its JSON behind while the flock
//     is free: that is a STALE lock (an interrupted change), which is only broken on purpose.
// Every command runs through the host's command runner (each argument quoted); the script given
// to `sh -c` is a constant and all data reaches it as positional parameters.
import { createHash, randomBytes } from 'node:crypto';
import * as posix from 'node:path/posix';
import type { RemoteFiles } from '../remote/remoteFiles';
import { RemoteExistsError } from '../remote/remoteFiles';
import type { ExecOptions, ExecResult } from '../host/host';

export const LOCK_FILE_NAME = '.salkafka-change.lock';
/** flock's exit status when the lock is taken (-E). */
export const EXIT_BUSY = 75;
/** The holder found JSON of a holder that is gone (and was not told to break it). */
export const EXIT_STALE = 76;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const HELD_MARK = 'salkafka-lock-held';

/**
 * Runs under `flock` as `sh -c SCRIPT salkafka-lock INFO FILE TOKEN EXPECTED_SHA256`:
 * checks the file is what the caller expects (empty = released cleanly, or the stale content the
 * user agreed to break), writes INFO with its pid, says so, then stays while the file still
 * carries TOKEN and our channel still takes its heartbeat.
 */
export const HOLDER_SCRIPT = [
  // A waiter whose operator gave up (channel closed) dies here, before touching the file.
  'echo salkafka-lock-check || exit 0',
  'f=$2',
  'h=$(sha256sum < "$f") || exit 71',
  'if [ "${h%% *}" != "$4" ]; then echo salkafka-lock-stale; exit 76; fi',
  `printf '{"pid":%s,"holder":%s}\\n' "$$" "$1" > "$f" || exit 70`,
  `echo "${HELD_MARK} $$"`,
  'while grep -qF -- "$3" "$f"; do sleep 0.5; echo . || exit 0; done',
].join('\n');

/** Empties the lock file, but only while it still carries our token. */
export const RELEASE_SCRIPT = 'if grep -qF -- "$2" "$1"; then : > "$1"; fi';

/** Who holds the lock and what they are doing (written by the holder's extension). */
export interface LockHolder {
  /** Local user name of the operator. */
  user: string;
  /** The machine they run VS Code on. */
  client: string;
  /** The SSH user on the host. */
  remoteUser: string;
  /** "add-csc", "restart", … */
  action: string;
  service: string;
  /** "Add MTMount to salkafka-mt" */
  summary: string;
  /** ISO time the lock was taken (client clock). */
  since: string;
  /** Random id; the holder stays while the file carries it. */
  token: string;
}

/** The lock file's content: the holder process's pid on the host, and the holder. */
export interface LockFileContent {
  pid?: number;
  holder?: LockHolder;
  /** The raw text when it is not our JSON. */
  raw?: string;
}

export type LockState =
  | { state: 'free' }
  | { state: 'held'; content: LockFileContent }
  | { state: 'stale'; content: LockFileContent; sha256: string };

export interface LockHost {
  readonly alias: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  readonly files: Pick<RemoteFiles, 'readFile' | 'lstat' | 'createFileExclusive'>;
}

export function hostLockPath(composePath: string): string {
  return posix.join(posix.dirname(composePath), LOCK_FILE_NAME);
}

export function newLockToken(): string {
  return randomBytes(12).toString('hex');
}

export function parseLockFile(text: string): LockFileContent {
  const t = text.trim();
  if (!t) return {};
  try {
    const j = JSON.parse(t) as { pid?: unknown; holder?: Partial<LockHolder> };
    const h = j.holder;
    if (h && typeof h === 'object' && typeof h.user === 'string' && typeof h.summary === 'string') {
      return { pid: typeof j.pid === 'number' ? j.pid : undefined, holder: h as LockHolder };
    }
  } catch {
    /* not ours: shown raw */
  }
  return { raw: t.slice(0, 500) };
}

/** "alice (on laptop1, as salkafka): Add MTMount to salkafka-mt — since 01:02:03 UTC, 2 min ago" */
export function describeHolder(c: LockFileContent, now = Date.now()): string {
  const h = c.holder;
  if (!h) return c.raw ? `an unknown holder (lock file says: ${c.raw.slice(0, 120)})` : 'another operator (details not written yet)';
  const since = Date.parse(h.since);
  const ago = Number.isNaN(since) ? '' : `, ${formatAgo(now - since)} ago`;
  return `${h.user} (on ${h.client}, as ${h.remoteUser}): ${h.summary} — since ${h.since.slice(11, 19)} UTC${ago}${c.pid ? `, holder pid ${c.pid}` : ''}`;
}

function formatAgo(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${Math.round(s / 3600)} h`;
}

/** Short form for the producers view: "being changed by alice: add MTMount". */
export function beingChangedText(c: LockFileContent): string {
  const h = c.holder;
  if (!h) return 'being changed by another operator';
  return `being changed by ${h.user}: ${h.summary.charAt(0).toLowerCase()}${h.summary.slice(1)}`;
}

/** Refuses a lock path that is a symlink or not a regular file; creates it (0664) when missing. */
async function ensureLockFile(host: LockHost, path: string): Promise<void> {
  const st = await host.files.lstat(path);
  if (st?.isSymbolicLink) throw new Error(`${path} on ${host.alias} is a symbolic link; the host lock never follows one. Remove it.`);
  if (st && !st.isFile) throw new Error(`${path} on ${host.alias} is not a regular file; the host lock cannot use it.`);
  if (st) return;
  try {
    // Group-writable: every operator of the team must be able to write who holds it.
    await host.files.createFileExclusive(path, Buffer.alloc(0), { mode: 0o664 });
  } catch (err) {
    if (!(err instanceof RemoteExistsError)) throw err;
  }
}

/** Reads the lock's state without taking it: one SFTP read, plus one flock probe when non-empty. */
export async function readHostLock(host: LockHost, path: string): Promise<LockState> {
  let text: Buffer;
  try {
    text = (await host.files.readFile(path)).content;
  } catch (err) {
    if ((err as { code?: unknown }).code === 2) return { state: 'free' };
    throw err;
  }
  const content = parseLockFile(text.toString('utf8'));
  if (!content.holder && !content.raw) return { state: 'free' };
  const probe = await host.exec(['flock', '-n', '-E', String(EXIT_BUSY), path, 'true']);
  if (probe.code === EXIT_BUSY) return { state: 'held', content };
  if (probe.code !== 0) throw flockError(host, probe);
  return { state: 'stale', content, sha256: createHash('sha256').update(text).digest('hex') };
}

function flockError(host: LockHost, r: ExecResult): Error {
  if (r.code === 127) return new Error(`the host lock needs flock(1) (util-linux) on ${host.alias}, and it is not installed there.`);
  return new Error(`taking the host lock on ${host.alias} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().slice(0, 300)}`);
}

/** A lock we hold. */
export interface HeldLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** Resolves when the holder process ended (released, or lost with the connection). */
  readonly ended: Promise<void>;
  /** True once the holder process is gone without release() (e.g. the connection dropped). */
  readonly lost: boolean;
  release(): Promise<void>;
}

export type AcquireResult =
  | { kind: 'acquired'; lock: HeldLock }
  | { kind: 'busy'; content: LockFileContent }
  | { kind: 'stale'; content: LockFileContent; sha256: string };

export interface AcquireOptions {
  /** Wait up to this many seconds for a busy lock (0: do not wait). */
  waitSeconds?: number;
  /** Break a stale lock whose file content has this sha256 (the user confirmed). */
  breakStaleSha256?: string;
  /** Cancels a wait (and drops the lock if it was just taken). */
  signal?: AbortSignal;
  /** Internal: the one retry after running into a colleague's momentary probe. */
  retried?: boolean;
}

/**
 * Tries to take the lock for `holder`. Busy: who holds it. Stale: who held it (breaking it needs
 * the user's confirmation, then a call with breakStaleSha256). Acquired: a HeldLock to release.
 */
export async function acquireHostLock(host: LockHost, path: string, holder: LockHolder, opts: AcquireOptions = {}): Promise<AcquireResult> {
  await ensureLockFile(host, path);
  const wait = Math.max(0, Math.floor(opts.waitSeconds ?? 0));
  const expected = opts.breakStaleSha256 ?? EMPTY_SHA256;
  const argv = ['flock', ...(wait > 0 ? ['-w', String(wait)] : ['-n']), '-E', String(EXIT_BUSY), '-o', path, 'sh', '-c', HOLDER_SCRIPT, 'salkafka-lock', JSON.stringify(holder), path, holder.token, expected];
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let out = '';
  let heldResolve: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (heldResolve = resolve));
  let released = false;
  const run = host.exec(argv, {
    signal: stop.signal,
    onStdout: (d) => {
      if (out.length < 4096) out += d.toString('utf8');
      if (out.includes(`${HELD_MARK} `)) heldResolve?.();
    },
  });
  const state = { lost: false };
  const ended = run.then(
    () => undefined,
    () => undefined,
  );
  const first = await Promise.race([held.then(() => 'held' as const), run.then((r) => r, (err: Error) => err)]);
  opts.signal?.removeEventListener('abort', onOuterAbort);
  if (first !== 'held') {
    if (first instanceof Error) {
      if (opts.signal?.aborted) throw new Error('Cancelled while waiting for the host lock; nothing was changed.');
      throw first;
    }
    if (first.code === EXIT_BUSY) {
      const s = await readHostLock(host, path).catch(() => undefined);
      // A colleague's view probes a stale lock with `flock -n` for a few milliseconds: if nobody
      // holds it now, that is what we ran into; try once more instead of reporting "busy".
      if (s && s.state !== 'held' && !opts.retried) return acquireHostLock(host, path, holder, { ...opts, retried: true });
      return { kind: 'busy', content: s && s.state !== 'free' ? s.content : {} };
    }
    if (first.code === EXIT_STALE) {
      const s = await readHostLock(host, path);
      if (s.state === 'stale') return { kind: 'stale', content: s.content, sha256: s.sha256 };
      if (s.state === 'held') return { kind: 'busy', content: s.content };
      return acquireHostLock(host, path, holder, { ...opts, breakStaleSha256: undefined });
    }
    throw flockError(host, first);
  }
  void ended.then(() => {
    if (!released) state.lost = true;
  });
  const lock: HeldLock = {
    path,
    holder,
    ended,
    get lost() {
      return state.lost;
    },
    async release() {
      if (released) return;
      released = true;
      try {
        await host.exec(['sh', '-c', RELEASE_SCRIPT, 'salkafka-unlock', path, holder.token]);
      } catch {
        /* connection gone: the holder dies with it, which releases the flock */
      }
      // The holder sees its token gone within half a second; if not, end its channel.
      const t = setTimeout(() => stop.abort(), 5000);
      await ended;
      clearTimeout(t);
    },
  };
  if (opts.signal?.aborted) {
    await lock.release();
    throw new Error('Cancelled while taking the host lock; nothing was changed.');
  }
  return { kind: 'acquired', lock };
}
