// The audit trail: one JSON line per action, appended on the host beside the compose file so
// every engineer (and every tool) sees the same history. Appends use an append-mode open
// (O_APPEND on the host), which never truncates and keeps concurrent writers' lines whole.
import * as posix from 'node:path/posix';
import type { SFTPWrapper } from 'ssh2';
import type { ApplyResult } from './apply';
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
  composeSha256Before?: string;
  composeSha256After?: string;
  verification?: { ok: boolean; summary: string; failed: string[] };
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
  if (plan.file) {
    rec.composeSha256Before = plan.file.expectedSha256;
    if (result.writtenSha256 && !result.restored) rec.composeSha256After = result.writtenSha256;
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

/** A human line for the output channel. */
export function formatAuditRecord(r: AuditRecord): string {
  const list = r.cscListBefore.join(' ') === r.cscListAfter.join(' ') ? '' : ` CSC_LIST: "${r.cscListBefore.join(' ')}" → "${r.cscListAfter.join(' ')}"`;
  const cmds = r.commands.map((c) => `${c.display} → ${c.exitCode}`).join('; ');
  const ver = r.verification ? ` verify: ${r.verification.ok ? 'PASS' : 'FAIL'}` : '';
  return `${r.at} ${r.localUser}→${r.remoteUser}@${r.host} ${r.action}${r.dryRun ? ' (dry run)' : ''} ${r.service}: ${r.outcome}.${list}${cmds ? ` [${cmds}]` : ''}${r.backupPath ? ` backup ${r.backupPath}` : ''}${ver}`;
}

/** Appends bytes with an append-mode open (O_APPEND|O_CREAT): never truncates existing lines. */
export function sftpAppend(sftp: SFTPWrapper, path: string, data: string): Promise<void> {
  const buf = Buffer.from(data, 'utf8');
  return new Promise<void>((resolve, reject) => {
    sftp.open(path, 'a', { mode: 0o664 }, (err, handle) => {
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
