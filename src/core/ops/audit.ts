// The audit trail: one JSON line per action, appended on the host beside the compose file so
// every engineer (and every tool) sees the same history. Appends use an append-mode open
// (O_APPEND on the host), which never truncates and keeps concurrent writers' lines whole.
import * as posix from 'node:path/posix';
import type { SFTPWrapper } from 'ssh2';
import type { ApplyResult, FileResult, StageResult } from './apply';
import type { Plan } from './plan';
import type { VerifyReport } from './verify';

export const AUDIT_FILE_NAME = 'salkafka-audit.jsonl';

export interface AuditRecord {
  v: 1;
  at: string;
  localUser: string;
  remoteUser: string;
  host: string;
  service: string;
  action: Plan['action'];
  summary: string;
  csc?: string;
  cscListBefore: string[];
  cscListAfter: string[];
  production: boolean;
  dryRun: boolean;
  forced: boolean;
  commands: { display: string; argv: string[]; exitCode: number | null | 'not run' }[];
  backupPath?: string;
  /** Old backups the retention setting removed during this change. */
  prunedBackups?: string[];
  composeSha256Before?: string;
  composeSha256After?: string;
  verification?: { ok: boolean; summary: string; failed: string[] };
  /** Staged plans (and every plan since): what became of each stage, in order. */
  stages?: { label: string; services: string[]; container: string; status: StageResult['status']; verification?: { ok: boolean; summary: string }; error?: string }[];
  /** Plans with several files: each file, its backup and its sha256 after (absent when put back or removed). */
  files?: { path: string; kind: FileResult['kind']; backupPath?: string; sha256Before?: string; sha256After?: string; restored?: boolean }[];
  outcome: ApplyResult['status'];
  hostState: string;
  error?: string;
  planId: string;
}

/** Where the audit log lives: the setting (absolute or relative to the compose dir) or beside the file. */
export function auditLogPath(composePath: string, setting?: string): string {
  const s = setting?.trim();
  const dir = posix.dirname(composePath);
  if (!s) return posix.join(dir, AUDIT_FILE_NAME);
  return posix.isAbsolute(s) ? s : posix.join(dir, s);
}

export function buildAuditRecord(
  plan: Plan,
  result: ApplyResult,
  verify: VerifyReport | undefined,
  who: { localUser: string; remoteUser: string },
  at: Date = new Date(),
): AuditRecord {
  const ran = new Map(result.steps.map((s) => [s.display, s] as const));
  const rec: AuditRecord = {
    v: 1,
    at: at.toISOString(),
    localUser: who.localUser,
    remoteUser: who.remoteUser,
    host: plan.host,
    service: plan.service,
    action: plan.action,
    summary: plan.summary,
    cscListBefore: plan.cscListBefore,
    cscListAfter: plan.cscListAfter,
    production: plan.production.production,
    dryRun: result.status === 'dry-run',
    forced: plan.forcedErrors.length > 0,
    commands: plan.commands.map((c) => ({ display: c.display, argv: c.argv, exitCode: ran.get(c.display)?.exitCode ?? 'not run' })),
    outcome: result.status,
    hostState: result.hostState,
    planId: plan.id,
  };
  if (plan.csc) rec.csc = plan.csc;
  if (result.backupPath) rec.backupPath = result.backupPath;
  if (result.prunedBackups?.length) rec.prunedBackups = result.prunedBackups;
  const main = plan.files.find((f) => f.path === plan.composePath && f.kind === 'modify');
  if (main) {
    rec.composeSha256Before = main.expectedSha256;
    if (result.writtenSha256 && !result.restored) rec.composeSha256After = result.writtenSha256;
  }
  if (plan.files.length > 1 || (plan.files.length === 1 && !main)) {
    rec.files = (result.files ?? []).map((f) => {
      const planned = plan.files.find((p) => p.path === f.path);
      return {
        path: f.path,
        kind: f.kind,
        ...(f.backupPath ? { backupPath: f.backupPath } : {}),
        ...(planned?.expectedSha256 ? { sha256Before: planned.expectedSha256 } : {}),
        ...(f.writtenSha256 ? { sha256After: f.writtenSha256 } : {}),
        ...(f.restored ? { restored: true } : {}),
      };
    });
  }
  if (result.stages?.length) {
    rec.stages = result.stages.map((s) => ({
      label: s.label,
      services: s.services,
      container: s.container,
      status: result.status === 'dry-run' ? 'not run' : s.status,
      ...(s.verify ? { verification: { ok: s.verify.ok, summary: s.verify.summary } } : {}),
      ...(s.error ? { error: s.error } : {}),
    }));
  }
  if (verify) rec.verification = { ok: verify.ok, summary: verify.summary, failed: verify.checks.filter((c) => c.status === 'fail').map((c) => `${c.name}: ${c.detail}`) };
  if (result.error) rec.error = result.error;
  return rec;
}

/** One line of JSON, newline-terminated; never contains a raw newline inside. */
export function auditLine(record: AuditRecord): string {
  return `${JSON.stringify(record)}\n`;
}

export interface ParsedAuditLog {
  records: AuditRecord[];
  /** 1-based numbers of lines that are not valid records (kept visible, never dropped). */
  badLines: number[];
}

export function parseAuditLog(text: string): ParsedAuditLog {
  const records: AuditRecord[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      const r = JSON.parse(line) as AuditRecord;
      if (r && typeof r === 'object' && typeof r.action === 'string' && typeof r.at === 'string') records.push(r);
      else badLines.push(i + 1);
    } catch {
      badLines.push(i + 1);
    }
  });
  return { records, badLines };
}

/**
 * A line about the host's housekeeping rather than a planned change: old backups pruned by the
 * retention setting, a stale host lock broken. Same file, same `v`/`at`/`action` keys.
 */
export interface AuditEvent {
  v: 1;
  at: string;
  action: 'prune-backups' | 'break-lock';
  localUser: string;
  remoteUser: string;
  host: string;
  summary: string;
  paths?: string[];
  /** The lock's holder as recorded in the lock file (break-lock). */
  previousHolder?: unknown;
}

export function auditEventLine(e: AuditEvent): string {
  return `${JSON.stringify(e)}\n`;
}

/** A human line for the output channel. */
export function formatAuditRecord(r: AuditRecord | AuditEvent): string {
  if (!('cscListBefore' in r) || !Array.isArray(r.cscListBefore)) {
    const e = r as AuditEvent;
    return `${e.at} ${e.localUser}→${e.remoteUser}@${e.host} ${e.action}: ${e.summary}${e.paths?.length ? ` [${e.paths.join(', ')}]` : ''}`;
  }
  const list = r.cscListBefore.join(' ') === r.cscListAfter.join(' ') ? '' : ` CSC_LIST: "${r.cscListBefore.join(' ')}" → "${r.cscListAfter.join(' ')}"`;
  const cmds = r.commands.map((c) => `${c.display} → ${c.exitCode}`).join('; ');
  const ver = r.verification ? ` verify: ${r.verification.ok ? 'PASS' : 'FAIL'}` : '';
  return `${r.at} ${r.localUser}→${r.remoteUser}@${r.host} ${r.action}${r.dryRun ? ' (dry run)' : ''} ${r.service}: ${r.outcome}.${list}${cmds ? ` [${cmds}]` : ''}${r.backupPath ? ` backup ${r.backupPath}` : ''}${ver}`;
}

/**
 * Appends bytes with an append-mode open (O_APPEND): never truncates existing lines. Never
 * follows a symlink: SFTP v3 has no O_NOFOLLOW, so the path is checked with lstat first and a
 * missing log is created with O_EXCL ('ax'), which refuses a symlink planted in between.
 */
export async function sftpAppend(sftp: SFTPWrapper, path: string, data: string): Promise<void> {
  const st = await new Promise<import('ssh2').Stats | undefined>((resolve, reject) =>
    sftp.lstat(path, (err, s) => (err ? ((err as { code?: unknown }).code === 2 ? resolve(undefined) : reject(new Error(`cannot check ${path} on the host: ${err.message}`))) : resolve(s))),
  );
  if (st?.isSymbolicLink()) throw new Error(`${path} on the host is a symbolic link; the audit log is never written through one. Replace it with a regular file.`);
  if (st && !st.isFile()) throw new Error(`${path} on the host is not a regular file; not appending the audit record to it.`);
  return appendOpen(sftp, path, st ? 'a' : 'ax', Buffer.from(data, 'utf8')).catch((err: Error) => {
    // Lost the race to create the log with another writer: append to theirs (still checked).
    if (!st && /exist|failure/i.test(err.message)) return sftpAppendExisting(sftp, path, data);
    throw err;
  });
}

async function sftpAppendExisting(sftp: SFTPWrapper, path: string, data: string): Promise<void> {
  const st = await new Promise<import('ssh2').Stats>((resolve, reject) => sftp.lstat(path, (err, s) => (err ? reject(new Error(`cannot check ${path} on the host: ${err.message}`)) : resolve(s))));
  if (!st.isFile()) throw new Error(`${path} on the host is not a regular file (a symbolic link?); not appending the audit record to it.`);
  return appendOpen(sftp, path, 'a', Buffer.from(data, 'utf8'));
}

function appendOpen(sftp: SFTPWrapper, path: string, flags: 'a' | 'ax', buf: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    sftp.open(path, flags, { mode: 0o664 }, (err, handle) => {
      if (err) return reject(new Error(`cannot open ${path} for appending on the host: ${err.message}`));
      // One write request: on a local filesystem an O_APPEND write of one line lands whole.
      sftp.write(handle, buf, 0, buf.length, 0, (werr) => {
        sftp.close(handle, (cerr) => {
          if (werr) reject(new Error(`appending to ${path} failed on the host: ${werr.message}`));
          else if (cerr) reject(new Error(`closing ${path} failed on the host: ${cerr.message}`));
          else resolve();
        });
      });
    });
  });
}

export interface AuditHost {
  sftp(): Promise<SFTPWrapper>;
}

export async function appendAuditRecord(host: AuditHost, path: string, record: AuditRecord): Promise<void> {
  let line = auditLine(record);
  if (Buffer.byteLength(line) > 30_000) {
    // Keep one write request per line: drop the bulky parts, never the facts.
    line = auditLine({ ...record, hostState: record.hostState.slice(0, 2000), error: record.error?.slice(0, 2000) });
  }
  await sftpAppend(await host.sftp(), path, line);
}

export async function appendAuditEvent(host: AuditHost, path: string, event: AuditEvent): Promise<void> {
  await sftpAppend(await host.sftp(), path, auditEventLine(event));
}
