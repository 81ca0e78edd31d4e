// The host lock for changes: one plan → apply → verify at a time per compose directory, across
// operators and machines. The lock is a kernel flock(2) on a file beside the compose file, held by
// a small shell process on the host that lives exactly as long as our SSH channel:
//   - it prints a heartbeat every half second, so when our connection dies sshd closes the pipe,
//     the next write kills the holder with SIGPIPE and the kernel drops the lock (no lease timers,
//     no clock trust);
//   - the lock file holds JSON saying who holds it and what they are doing, so a colleague sees
//     "alice: add MTMount to salkafka-mt since 01:02" instead of a bare "busy";
//   - a clean release empties the file; a holder that died leaves its JSON behind while the flock
//     is free: that is a STALE lock (an interrupted change), which is only broken on purpose.
// flock holds an INODE but colleagues find the lock by PATH: if the file is removed or replaced
// (a `git clean`, an rsync) a second operator would lock a fresh inode while the first goes on.
// So the holder locks an open descriptor whose inode it has checked is the path's own regular
// file (never through a symlink: it compares the descriptor with an lstat of the path), writes
// only through that descriptor, and reports the inode; before each step of a change the pipeline
// checks the path still names it (HeldLock.check), and a lost lock stops the change.
// Every command runs through the host's command runner (each argument quoted); the scripts given
// to `sh -c` are constants and all data reaches them as positional parameters.
import { createHash, randomBytes } from 'node:crypto';
import * as posix from 'node:path/posix';
import { BoundedReadError, LOCK_FILE_MAX_BYTES } from '../files/boundedRead';
import type { RemoteFiles } from '../remote/remoteFiles';
import { RemoteExistsError } from '../remote/remoteFiles';
import type { ExecOptions, ExecResult } from '../host/host';

export const LOCK_FILE_NAME = '.salkafka-change.lock';
/** flock's exit status when the lock is taken (-E). */
export const EXIT_BUSY = 75;
/** The holder found JSON of a holder that is gone (and was not told to break it). */
export const EXIT_STALE = 76;
/** The lock file is not a regular file of ours (a symlink, a FIFO, a device): never used. */
export const EXIT_UNUSABLE = 72;
/** The file was replaced while we waited for its flock: the lock we got is on an orphan inode. */
export const EXIT_REPLACED = 77;
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');
const HELD_MARK = 'salkafka-lock-held';

/**
 * Opens "$f" as fd 9 the safe way, in POSIX sh: only a regular file that is not a symlink; a
 * read-only open (no O_CREAT, no O_TRUNC: a symlink swapped in between can make it create or
 * empty nothing); a watchdog kills the shell if the open blocks (a FIFO swapped in); then the
 * descriptor must be the path's own inode (stat of /dev/fd/9 against an lstat of the path) and a
 * regular file. Leaves `$id` = "dev:ino". Exits EXIT_UNUSABLE otherwise.
 */
const OPEN_CHECKED = [
  `if [ ! -f "$f" ] || [ -h "$f" ]; then echo salkafka-lock-unusable; exit ${EXIT_UNUSABLE}; fi`,
  '( sleep 5; kill -9 $$ ) >/dev/null 2>&1 </dev/null &',
  'w=$!',
  `exec 9<"$f" || exit ${EXIT_UNUSABLE}`,
  'kill $w 2>/dev/null',
  `id=$(stat -L -c %d:%i:%F /dev/fd/9) || exit ${EXIT_UNUSABLE}`,
  `case $id in *:regular*) ;; *) echo salkafka-lock-unusable; exit ${EXIT_UNUSABLE};; esac`,
  'id=${id%%:regular*}',
  `if [ "$(stat -c %d:%i -- "$f" 2>/dev/null)" != "$id" ]; then echo salkafka-lock-unusable; exit ${EXIT_UNUSABLE}; fi`,
];

/**
 * Runs as `sh -c SCRIPT salkafka-lock INFO FILE TOKEN EXPECTED_SHA256 WAIT_SECONDS`: opens the
 * file checked (OPEN_CHECKED), flocks the descriptor (waiting up to WAIT_SECONDS, 0 = not at all),
 * checks the path still names that inode and the file is what the caller expects (empty =
 * released cleanly, or the stale content the user agreed to break), writes INFO with its pid
 * through the descriptor, says so with the inode, then stays while the path names the inode, the
 * file carries TOKEN and our channel takes its heartbeat.
 */
export const HOLDER_SCRIPT = [
  'f=$2',
  ...OPEN_CHECKED,
  `if [ "$5" -gt 0 ] 2>/dev/null; then flock -w "$5" -E ${EXIT_BUSY} 9; else flock -n -E ${EXIT_BUSY} 9; fi`,
  'r=$?',
  'if [ $r -ne 0 ]; then exit $r; fi',
  // A waiter whose operator gave up (channel closed) dies here, before touching the file.
  'echo salkafka-lock-check || exit 0',
  `if [ "$(stat -c %d:%i -- "$f" 2>/dev/null)" != "$id" ]; then echo salkafka-lock-replaced; exit ${EXIT_REPLACED}; fi`,
  'h=$(sha256sum < /dev/fd/9) || exit 71',
  `if [ "\${h%% *}" != "$4" ]; then echo salkafka-lock-stale; exit ${EXIT_STALE}; fi`,
  // /dev/fd/9 reopens the descriptor's own inode (checked above), never what the path names now.
  `printf '{"pid":%s,"holder":%s}\\n' "$$" "$1" > /dev/fd/9 || exit 70`,
  `echo "${HELD_MARK} $$ $id"`,
  'while [ "$(stat -c %d:%i -- "$f" 2>/dev/null)" = "$id" ] && grep -qF -- "$3" /dev/fd/9; do sleep 0.5; echo . || exit 0; done',
  'echo salkafka-lock-lost',
].join('\n');

/** `sh -c RELEASE_SCRIPT salkafka-unlock FILE TOKEN ID`: empties the file, only if it is still the locked inode and carries our token. */
export const RELEASE_SCRIPT = ['f=$1', ...OPEN_CHECKED.map((l) => l.replace(/exit \d+/, 'exit 0')), 'if [ "$id" != "$3" ]; then exit 0; fi', 'if grep -qF -- "$2" /dev/fd/9; then : > /dev/fd/9; fi'].join('\n');

/** `sh -c PROBE_SCRIPT salkafka-lock-probe FILE`: is the flock taken? (EXIT_BUSY when it is.) */
export const PROBE_SCRIPT = ['f=$1', ...OPEN_CHECKED, `flock -n -E ${EXIT_BUSY} 9`].join('\n');

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
  /** The raw text when it is not our JSON (or a field of it has the wrong type). */
  raw?: string;
}

export type LockState =
  | { state: 'free' }
  | { state: 'held'; content: LockFileContent }
  | { state: 'stale'; content: LockFileContent; sha256: string }
  /** The path is not a regular file within the size cap (a FIFO, /dev/zero through a symlink…). */
  | { state: 'unusable'; reason: string };

export interface LockHost {
  readonly alias: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  readonly files: Pick<RemoteFiles, 'readFileBounded' | 'lstat' | 'stat' | 'createFileExclusive'>;
}

/** The lock was lost before a step of the change: the change stops there. */
export class LockLostError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`the host lock ${path} was lost (${reason}); another operator could take a fresh lock now, so the change stops here.`);
    this.name = 'LockLostError';
  }
}

export function hostLockPath(composePath: string): string {
  return posix.join(posix.dirname(composePath), LOCK_FILE_NAME);
}

export function newLockToken(): string {
  return randomBytes(12).toString('hex');
}

const HOLDER_FIELDS = ['user', 'client', 'remoteUser', 'action', 'service', 'summary', 'since', 'token'] as const;
/** Longest field value kept from a lock file: enough for any real summary. */
const FIELD_MAX = 300;

/**
 * The lock file's JSON, validated field by field: every holder field a string (cut to a sane
 * length), pid a positive integer or absent. Anything else (foreign text, a record without
 * `since`, a number where a string belongs) is shown raw, never trusted and never a crash.
 */
export function parseLockFile(text: string): LockFileContent {
  const t = text.trim();
  if (!t) return {};
  try {
    const j = JSON.parse(t) as unknown;
    if (j && typeof j === 'object' && !Array.isArray(j)) {
      const { pid, holder: h } = j as { pid?: unknown; holder?: unknown };
      const pidOk = pid === undefined || (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0);
      if (pidOk && h && typeof h === 'object' && !Array.isArray(h) && HOLDER_FIELDS.every((k) => typeof (h as Record<string, unknown>)[k] === 'string')) {
        const holder = Object.fromEntries(HOLDER_FIELDS.map((k) => [k, ((h as Record<string, string>)[k]).slice(0, FIELD_MAX)])) as unknown as LockHolder;
        return { pid: pid as number | undefined, holder };
      }
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
  const when = Number.isNaN(since) ? `since ${h.since.slice(0, 40)}` : `since ${new Date(since).toISOString().slice(11, 19)} UTC, ${formatAgo(now - since)} ago`;
  return `${h.user} (on ${h.client}, as ${h.remoteUser}): ${h.summary} — ${when}${c.pid ? `, holder pid ${c.pid}` : ''}`;
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

/**
 * Mode and group of a new lock file (or audit log): those of the compose file, so whoever may
 * change the compose file may take the lock; read and write bits only, and always the owner's.
 */
export async function modeLike(files: Pick<RemoteFiles, 'stat'>, composePath: string | undefined, fallback: number): Promise<{ mode: number; gid?: number }> {
  const st = composePath ? await files.stat(composePath).catch(() => undefined) : undefined;
  if (!st?.isFile) return { mode: fallback };
  return { mode: (st.mode & 0o666) | 0o600, gid: st.gid };
}

/** Refuses a lock path that is a symlink or not a regular file; creates it when missing, like the compose file. */
async function ensureLockFile(host: LockHost, path: string, composePath: string | undefined): Promise<void> {
  const st = await host.files.lstat(path);
  if (st?.isSymbolicLink) throw new Error(`${path} on ${host.alias} is a symbolic link; the host lock never follows one. Remove it.`);
  if (st && !st.isFile) throw new Error(`${path} on ${host.alias} is not a regular file; the host lock cannot use it. Remove it.`);
  if (st) return;
  try {
    // Exclusive: a name taken in between (even by a dangling symlink) is never written through.
    await host.files.createFileExclusive(path, Buffer.alloc(0), await modeLike(host.files, composePath, 0o664));
  } catch (err) {
    if (!(err instanceof RemoteExistsError)) throw err;
  }
}

/**
 * Reads the lock's state without taking it: one bounded read of the file (never a symlink, a
 * FIFO or a device, at most LOCK_FILE_MAX_BYTES), plus one flock probe when it names a holder.
 */
export async function readHostLock(host: LockHost, path: string): Promise<LockState> {
  let text: Buffer;
  try {
    text = (await host.files.readFileBounded(path, LOCK_FILE_MAX_BYTES, { noFollow: true })).content;
  } catch (err) {
    if ((err as { code?: unknown }).code === 2) return { state: 'free' };
    if (err instanceof BoundedReadError) return { state: 'unusable', reason: `${path} is ${err.message}` };
    throw err;
  }
  const content = parseLockFile(text.toString('utf8'));
  if (!content.holder && !content.raw) return { state: 'free' };
  const probe = await host.exec(['sh', '-c', PROBE_SCRIPT, 'salkafka-lock-probe', path]);
  if (probe.code === EXIT_BUSY) return { state: 'held', content };
  if (probe.code === EXIT_UNUSABLE) return { state: 'unusable', reason: `${path} is not a regular file of its own (a symbolic link, FIFO or device)` };
  if (probe.code !== 0) throw flockError(host, probe);
  return { state: 'stale', content, sha256: createHash('sha256').update(text).digest('hex') };
}

function flockError(host: LockHost, r: ExecResult): Error {
  if (r.code === 127 || /flock: (?:not found|command not found)/.test(r.stderr)) return new Error(`the host lock needs flock(1) (util-linux) on ${host.alias}, and it is not installed there.`);
  return new Error(`taking the host lock on ${host.alias} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().slice(0, 300)}`);
}

/** A lock we hold. */
export interface HeldLock {
  readonly path: string;
  readonly holder: LockHolder;
  /** "dev:ino" of the locked file on the host. */
  readonly inode: string;
  /** Resolves when the holder process ended (released, or lost with the connection). */
  readonly ended: Promise<void>;
  /** True once the holder process is gone without release() (e.g. the connection dropped). */
  readonly lost: boolean;
  /**
   * Throws LockLostError unless the lock still holds: the holder process is alive and the path
   * still names the locked inode (not removed, replaced or swapped for a symlink). Called before
   * each step of a change.
   */
  check(): Promise<void>;
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
  /** A new lock file gets this file's mode and group (the compose file). */
  composePath?: string;
  /** Internal: the retries after running into a colleague's momentary probe or a replaced file. */
  retried?: number;
}

/** "dev:ino" of what the path names now (lstat: a symlink is its own inode), or undefined. */
async function pathInode(host: LockHost, path: string): Promise<string | undefined> {
  const r = await host.exec(['stat', '-c', '%d:%i', '--', path]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

/**
 * Tries to take the lock for `holder`. Busy: who holds it. Stale: who held it (breaking it needs
 * the user's confirmation, then a call with breakStaleSha256). Acquired: a HeldLock to release.
 */
export async function acquireHostLock(host: LockHost, path: string, holder: LockHolder, opts: AcquireOptions = {}): Promise<AcquireResult> {
  await ensureLockFile(host, path, opts.composePath);
  const wait = Math.max(0, Math.floor(opts.waitSeconds ?? 0));
  const expected = opts.breakStaleSha256 ?? EMPTY_SHA256;
  const argv = ['sh', '-c', HOLDER_SCRIPT, 'salkafka-lock', JSON.stringify(holder), path, holder.token, expected, String(wait)];
  const retried = opts.retried ?? 0;
  const stop = new AbortController();
  const onOuterAbort = (): void => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  let out = '';
  let heldResolve: (() => void) | undefined;
  const held = new Promise<void>((resolve) => (heldResolve = resolve));
  let released = false;
  const state = { lost: false, lostWhy: '' };
  const run = host.exec(argv, {
    signal: stop.signal,
    onStdout: (d) => {
      if (out.length < 4096) out += d.toString('utf8');
      if (new RegExp(`${HELD_MARK} \\d+ \\d+:\\d+`).test(out)) heldResolve?.();
      if (out.includes('salkafka-lock-lost')) state.lostWhy = 'the lock file was removed, replaced or emptied by someone else';
    },
  });
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
      if (s && s.state !== 'held' && !retried) return acquireHostLock(host, path, holder, { ...opts, retried: retried + 1 });
      return { kind: 'busy', content: s && (s.state === 'held' || s.state === 'stale') ? s.content : {} };
    }
    if (first.code === EXIT_REPLACED && retried < 3) {
      // The file we waited on was replaced meanwhile: lock the one the path names now.
      return acquireHostLock(host, path, holder, { ...opts, retried: retried + 1 });
    }
    if (first.code === EXIT_UNUSABLE) {
      throw new Error(`${path} on ${host.alias} is not a regular file of its own (a symbolic link, FIFO or device was put there); the host lock never uses it. Remove it.`);
    }
    if (first.code === EXIT_STALE) {
      const s = await readHostLock(host, path);
      if (s.state === 'stale') return { kind: 'stale', content: s.content, sha256: s.sha256 };
      if (s.state === 'held') return { kind: 'busy', content: s.content };
      if (s.state === 'unusable') throw new Error(`${s.reason}; the host lock never uses it. Remove it.`);
      return acquireHostLock(host, path, holder, { ...opts, breakStaleSha256: undefined });
    }
    throw flockError(host, first);
  }
  const inode = new RegExp(`${HELD_MARK} \\d+ (\\d+:\\d+)`).exec(out)![1];
  void ended.then(() => {
    if (!released) {
      state.lost = true;
      state.lostWhy ||= 'its holder process on the host ended: the connection dropped?';
    }
  });
  const lock: HeldLock = {
    path,
    holder,
    inode,
    ended,
    get lost() {
      return state.lost;
    },
    async check() {
      if (released) throw new LockLostError(path, 'it was released');
      if (state.lost) throw new LockLostError(path, state.lostWhy);
      const now = await pathInode(host, path);
      if (now !== inode) throw new LockLostError(path, now ? `the lock file was replaced (the path names inode ${now}, the lock is on ${inode})` : 'the lock file was removed');
      if (state.lost) throw new LockLostError(path, state.lostWhy);
    },
    async release() {
      if (released) return;
      released = true;
      try {
        await host.exec(['sh', '-c', RELEASE_SCRIPT, 'salkafka-unlock', path, holder.token, inode]);
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
