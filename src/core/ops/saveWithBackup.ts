import { RemoteChangedError, sha256Hex } from '../remote/remoteFiles';
import { BackupFiles, BackupLocation, createBackup, DEFAULT_BACKUPS_KEEP, pruneBackups } from './backup';

export interface SaveResult {
  sha256: string;
  /** Backup of the previous content; undefined when the file is new or unchanged. */
  backupPath?: string;
  previousSha256?: string;
  unchanged: boolean;
  /** Old backups removed by the retention setting (for the audit log). */
  prunedBackups?: string[];
}

export interface SaveOptions extends BackupLocation {
  /** Backups kept per compose file (efdSalkafka.backups.keep); < 1 keeps all. */
  keep?: number;
}

/**
 * Saves a file the user edited from `baseSha256` (the content they loaded): refuses when
 * the host's copy changed meanwhile, keeps a timestamped backup of the exact previous bytes,
 * then replaces the file atomically. Either the save completes or the host is untouched.
 * Without a base (an editor restored after a reload that never read the file) an existing file
 * is NOT overwritten blindly: the save is refused as a conflict so the user compares first.
 */
export async function saveWithBackup(
  files: BackupFiles,
  path: string,
  content: Buffer,
  baseSha256: string | undefined,
  at: Date,
  opts: SaveOptions = {},
): Promise<SaveResult> {
  let current: { content: Buffer; sha256: string } | undefined;
  try {
    current = await files.readFile(path);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 2 /* SFTP no such file */) throw err;
  }
  const sha256 = sha256Hex(content);
  if (current && current.sha256 === sha256) return { sha256, unchanged: true, previousSha256: current.sha256 };
  if (baseSha256 === undefined && current) throw new RemoteChangedError(path, undefined, current.sha256);
  if (baseSha256 !== undefined && current?.sha256 !== baseSha256) {
    throw new RemoteChangedError(path, baseSha256, current?.sha256);
  }
  const backupPath = current ? await createBackup(files, path, current.content, at, opts) : undefined;
  await files.writeFileAtomic(path, content, { expectedSha256: current?.sha256 });
  const result: SaveResult = { sha256, backupPath, previousSha256: current?.sha256, unchanged: false };
  if (backupPath) {
    // Pruning is housekeeping: a failure here must not turn a completed save into an error.
    const pruned = await pruneBackups(files, path, opts.keep ?? DEFAULT_BACKUPS_KEEP, opts).catch(() => undefined);
    if (pruned?.removed.length) result.prunedBackups = pruned.removed;
  }
  return result;
}
