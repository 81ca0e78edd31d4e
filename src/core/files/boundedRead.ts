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
  stat(path: string): Promise<{ size: number; isFile: boolean; isDirectory: boolean } | undefined>;
  readFile(path: string): Promise<{ content: Buffer }>;
}

/**
 * The same rule for a file on the host over SFTP: stat first (following symlinks), since the
 * host's sftp-server would block on opening a FIFO and stall every later request of the session,
 * and would stream /dev/zero for ever. Undefined when the file does not exist.
 */
export async function readRegularFileRemote(files: StatAndRead, path: string, maxBytes: number): Promise<Buffer | undefined> {
  const st = await files.stat(path);
  if (!st) return undefined;
  if (!st.isFile) throw notRegular(st.isDirectory ? 'a directory' : 'a device, FIFO or socket');
  if (st.size > maxBytes) throw tooLarge(st.size, maxBytes);
  const { content } = await files.readFile(path);
  // The file may have grown between the stat and the read.
  if (content.length > maxBytes) throw tooLarge(content.length, maxBytes);
  return content;
}
