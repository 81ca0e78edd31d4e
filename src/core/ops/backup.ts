import * as posix from 'node:path/posix';
import type { RemoteFiles } from '../remote/remoteFiles';

/** What backups need of the host's files (RemoteFiles over SFTP in production). */
export type BackupFiles = Pick<RemoteFiles, 'readFile' | 'writeFileAtomic' | 'listDir' | 'mkdirp'>;

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

const STAMP_RE = /^(.+)\.(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:-\d{3})?Z)\.bak$/;

export function backupDirectory(composePath: string, loc: BackupLocation = {}): string {
  const dir = posix.dirname(composePath);
  const d = loc.directory?.trim();
  if (!d) return dir;
  return posix.isAbsolute(d) ? d : posix.join(dir, d);
}

/** `docker-compose.yaml.2026-11-24T23-40-34-123Z.bak`: sorts by time, and says what it is. */
export function backupName(composePath: string, at: Date): string {
  const stamp = at.toISOString().replace(/:/g, '-').replace('.', '-');
  return `${posix.basename(composePath)}.${stamp}.bak`;
}

export function parseBackupName(composePath: string, name: string): Date | undefined {
  const m = STAMP_RE.exec(name);
  if (!m || m[1] !== posix.basename(composePath)) return undefined;
  const iso = m[2].replace(/^(\d{4}-\d{2}-\d{2}T)(\d{2})-(\d{2})-(\d{2})(?:-(\d{3}))?Z$/, (_s, d, h, mi, se, ms) => `${d}${h}:${mi}:${se}.${ms ?? '000'}Z`);
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/**
 * Keeps the exact bytes of the compose file before a change. Written atomically and never
 * over an existing backup, so a backup is either complete or absent.
 */
export async function createBackup(files: BackupFiles, composePath: string, content: Buffer, at: Date, loc: BackupLocation = {}): Promise<string> {
  const dir = backupDirectory(composePath, loc);
  await files.mkdirp(dir);
  const path = posix.join(dir, backupName(composePath, at));
  const existing = await files.listDir(dir);
  if (existing.some((e) => e.name === posix.basename(path))) throw new Error(`backup ${path} already exists; not overwriting it`);
  await files.writeFileAtomic(path, content, { mode: 0o644 });
  return path;
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
    .map(({ e, takenAt }) => ({ path: posix.join(dir, e.name), takenAt, size: e.stat.size }))
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}
