import * as posix from 'node:path/posix';
import { RemoteExistsError } from '../remote/remoteFiles';
import type { RemoteFiles, RemoteStat } from '../remote/remoteFiles';

/** What backups need of the host's files (RemoteFiles over SFTP in production). */
export type BackupFiles = Pick<RemoteFiles, 'readFile' | 'writeFileAtomic' | 'listDir' | 'mkdirp' | 'createFileExclusive' | 'lstat' | 'unlink'>;

/** How many backups of a compose file are kept when the setting is absent. */
export const DEFAULT_BACKUPS_KEEP = 50;

export interface BackupLocation {
  /** Directory for backups: absolute, relative to the compose file's directory, or empty = beside it. */
  directory?: string;
}

export interface BackupInfo {
  path: string;
  /** The moment the backup was taken (from its name). */
  takenAt: Date;
  size: number;
}

// An optional `.N` after the stamp: a second backup in the same millisecond (never overwritten).
const STAMP_RE = /^(.+)\.(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{3})?Z)(?:\.(\d{1,4}))?\.bak$/;

export function backupDirectory(composePath: string, loc: BackupLocation = {}): string {
  const dir = posix.dirname(composePath);
  const d = loc.directory?.trim();
  if (!d) return dir;
  return posix.isAbsolute(d) ? d : posix.join(dir, d);
}

/** `docker-compose.yaml.2026-11-24T23-40-34-123Z.bak`: sorts by time, and says what it is. */
export function backupName(composePath: string, at: Date, seq = 0): string {
  const stamp = at.toISOString().replace(/:/g, '-').replace('.', '-');
  return `${posix.basename(composePath)}.${stamp}${seq ? `.${seq}` : ''}.bak`;
}

/**
 * The backup's mode: the source's read/write bits, never execute or set-id bits, never wider
 * than the source (a 0640 file gets a 0640 backup, not the umask's 0644).
 */
export function backupMode(source: Pick<RemoteStat, 'mode'> | undefined): number {
  return source ? source.mode & 0o666 : 0o600;
}

export function parseBackupName(composePath: string, name: string): Date | undefined {
  const m = STAMP_RE.exec(name);
  if (!m || m[1] !== posix.basename(composePath)) return undefined;
  const iso = m[2].replace(/^(\d{4}-\d{2}-\d{2}T)(\d{2})-(\d{2})-(\d{2})(?:-(\d{3}))?Z$/, (_s, d, h, mi, se, ms) => `${d}${h}:${mi}:${se}.${ms ?? '000'}Z`);
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/**
 * Keeps the exact bytes of the compose file before a change. Created exclusively (never over an
 * existing name, never through a planted symlink) with the source's mode and group, so a backup
 * is complete or absent and readable by no one who could not read the source. Two backups in the
 * same millisecond get `.1`, `.2`… names.
 */
export async function createBackup(files: BackupFiles, composePath: string, content: Buffer, at: Date, loc: BackupLocation = {}): Promise<string> {
  const dir = backupDirectory(composePath, loc);
  await files.mkdirp(dir);
  const source = await files.lstat(composePath).catch(() => undefined);
  const mode = backupMode(source?.isFile ? source : undefined);
  for (let seq = 0; seq < 100; seq++) {
    const path = posix.join(dir, backupName(composePath, at, seq));
    try {
      await files.createFileExclusive(path, content, { mode, gid: source?.isFile ? source.gid : undefined });
      return path;
    } catch (err) {
      if (!(err instanceof RemoteExistsError)) throw err;
    }
  }
  throw new Error(`100 backups of ${composePath} already carry the stamp ${at.toISOString()}; not writing another`);
}

/**
 * Retention: removes the oldest backups beyond `keep` (keep < 1 means keep all). Only files whose
 * names parse as backups of this compose file and that are regular files (not symlinks) are
 * touched. Returns the removed paths, for the audit log.
 */
export async function pruneBackups(files: BackupFiles, composePath: string, keep: number, loc: BackupLocation = {}): Promise<{ removed: string[]; failed: string[] }> {
  const removed: string[] = [];
  const failed: string[] = [];
  if (!Number.isFinite(keep) || keep < 1) return { removed, failed };
  const all = await listBackups(files, composePath, loc);
  for (const b of all.slice(Math.floor(keep))) {
    try {
      const st = await files.lstat(b.path);
      if (!st?.isFile) continue;
      await files.unlink(b.path);
      removed.push(b.path);
    } catch {
      failed.push(b.path);
    }
  }
  return { removed, failed };
}

/** Backups of the compose file, newest first. */
export async function listBackups(files: BackupFiles, composePath: string, loc: BackupLocation = {}): Promise<BackupInfo[]> {
  const dir = backupDirectory(composePath, loc);
  let entries: Awaited<ReturnType<BackupFiles['listDir']>>;
  try {
    entries = await files.listDir(dir);
  } catch {
    return [];
  }
  return entries
    .map((e) => ({ e, takenAt: parseBackupName(composePath, e.name) }))
    .filter((x): x is { e: (typeof entries)[number]; takenAt: Date } => x.takenAt !== undefined && x.e.stat.isFile)
    .map(({ e, takenAt }) => ({ path: posix.join(dir, e.name), takenAt, size: e.stat.size, seq: Number(STAMP_RE.exec(e.name)?.[3] ?? 0) }))
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime() || b.seq - a.seq)
    .map(({ seq: _seq, ...info }) => info);
}
