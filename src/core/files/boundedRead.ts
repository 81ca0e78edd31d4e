// Reading files named by a compose file (env_file:, .env beside it) without trusting them: only
// regular files, size-capped, never blocking. `env_file: /dev/zero` filled memory, /dev/urandom
// too, and a FIFO nobody writes hung the CLI and the editor for ever.
import { closeSync, constants, fstatSync, openSync, readSync, Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * Largest env file read: 1 MiB. Real env files are a few hundred bytes (setup.env, .env of the
 * kafka_writers directory); a megabyte is thousands of variables.
 */
export const ENV_FILE_MAX_BYTES = 1024 * 1024;

/** Why a file was not read, in words for a message ("not a regular file (a FIFO)"). */
export class BoundedReadError extends Error {
  constructor(
    readonly kind: 'not-regular' | 'too-large',
    message: string,
    /** For too-large: the size seen (at least maxBytes + 1). */
    readonly size?: number,
  ) {
    super(message);
    this.name = 'BoundedReadError';
  }
}

export function describeFileType(st: Pick<Stats, 'isDirectory' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a plain file';
}

export function notRegular(what: string): BoundedReadError {
  return new BoundedReadError('not-regular', `not a regular file (${what})`);
}

export function tooLarge(size: number, maxBytes: number): BoundedReadError {
  return new BoundedReadError('too-large', `larger than ${kib(maxBytes)} (${size > maxBytes * 2 ? 'much larger' : kib(size)})`, size);
}

function kib(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer;
// O_NOCTTY: a terminal device never becomes our controlling terminal. Both are no-ops for
// regular files. (Windows has neither; the type check after open still applies there.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/**
 * Reads a regular file of at most maxBytes. The type is checked with fstat on the opened
 * descriptor (no window between a check and the open). Throws BoundedReadError for anything
 * else, and the usual fs errors (ENOENT, EACCES…) as they are.
 */
export function readRegularFileSync(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular(describeFileType(st));
    if (st.size > maxBytes) throw tooLarge(st.size, maxBytes);
    return readAtMostSync(fd, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a file the user named (the compose file itself: `salkafka-lint <(git show …)` is a
 * pipe), blocking as any reader would, but never more than maxBytes + 1 bytes: /dev/zero ends
 * with BoundedReadError too-large instead of filling memory.
 */
export function readStreamCappedSync(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NOCTTY ?? 0));
  try {
    const st = fstatSync(fd);
    // As readFileSync says it, so callers describe it the usual way ("is a directory").
    if (st.isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read`), { code: 'EISDIR' });
    if (st.isFile() && st.size > maxBytes) throw tooLarge(st.size, maxBytes);
    return readAtMostSync(fd, maxBytes);
  } finally {
    closeSync(fd);
  }
}

/** Reads to the end, failing once more than maxBytes arrive (a file that grows while read). */
function readAtMostSync(fd: number, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > maxBytes) throw tooLarge(total, maxBytes);
  }
  return Buffer.concat(chunks, total);
}

/** readRegularFileSync without blocking the event loop (the extension host). */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const fh = await open(path, OPEN_FLAGS);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(describeFileType(st));
    if (st.size > maxBytes) throw tooLarge(st.size, maxBytes);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(total, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}

/** The part of the remote file API the bounded remote read needs (RemoteFiles has it). */
export interface StatAndRead {
  stat(path: string): Promise<{ size: number; uid: number; mode: number; isFile: boolean; isDirectory: boolean } | undefined>;
  readFileBounded(path: string, maxBytes: number, opts?: { noFollow?: boolean }): Promise<{ content: Buffer }>;
}

/** Largest lock file read: the holder writes a few hundred bytes of JSON. */
export const LOCK_FILE_MAX_BYTES = 64 * 1024;
/** Largest compose file read from a host: the checker's own input cap (analysisLimits: 2 MiB). */
export const COMPOSE_READ_MAX_BYTES = 2 * 1024 * 1024;
/** Largest audit log shown: one JSON line per change, years of changes. */
export const AUDIT_LOG_MAX_BYTES = 16 * 1024 * 1024;

/**
 * The same rule for a file on the host (SFTP, or the local transport's adapter of it): regular
 * files only, at most maxBytes, never blocking on a FIFO (RemoteFiles.readFileBounded).
 * Undefined when the file does not exist.
 */
export async function readRegularFileRemote(files: StatAndRead, path: string, maxBytes: number): Promise<Buffer | undefined> {
  try {
    return (await files.readFileBounded(path, maxBytes)).content;
  } catch (err) {
    if ((err as { code?: unknown }).code === 2) return undefined;
    throw err;
  }
}
