import { RemoteChangedError, sha256Hex } from '../remote/remoteFiles';
import { BackupFiles, BackupLocation, createBackup } from './backup';

export interface SaveResult {
  sha256: string;
  /** Backup of the previous content; undefined when the file is new or unchanged. */
  backupPath?: string;
  previousSha256?: string;
  unchanged: boolean;
}

/**
 * Saves a file the user edited from `baseSha256` (the content they loaded): refuses when
 * the host's copy changed meanwhile, keeps a timestamped backup of the exact previous bytes,
 * then replaces the file atomically. Either the save completes or the host is untouched.
 */
export async function saveWithBackup(
  files: BackupFiles,
  path: string,
  content: Buffer,
  baseSha256: string | undefined,
  at: Date,
  loc: BackupLocation = {},
): Promise<SaveResult> {
  let current: { content: Buffer; sha256: string } | undefined;
  try {
    current = await files.readFile(path);
  } catch (err) {
    if ((err as { code?: unknown }).code !== 2 /* SFTP no such file */) throw err;
  }
  if (baseSha256 !== undefined && current?.sha256 !== baseSha256) {
    throw new RemoteChangedError(path, baseSha256, current?.sha256);
  }
  const sha256 = sha256Hex(content);
  if (current && current.sha256 === sha256) return { sha256, unchanged: true, previousSha256: current.sha256 };
  const backupPath = current ? await createBackup(files, path, current.content, at, loc) : undefined;
  await files.writeFileAtomic(path, content, { expectedSha256: current?.sha256 });
  return { sha256, backupPath, previousSha256: current?.sha256, unchanged: false };
}
