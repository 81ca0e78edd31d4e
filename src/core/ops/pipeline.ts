// The one path every change takes after the user confirmed its plan:
// apply (re-check, backup, write, run) → verify → record in the audit log.
// Planning and confirming happen before (plan.ts, and the UI's diff + modal).
import type { ApplyResult, OpsHost } from './apply';
import { applyPlan } from './apply';
import type { AuditHost, AuditRecord } from './audit';
import { appendAuditRecord, buildAuditRecord } from './audit';
import type { Plan } from './plan';
import type { VerifyCheck, VerifyReport } from './verify';
import { verifyProducer } from './verify';

export interface PipelineOptions {
  dryRun: boolean;
  backupDirectory?: string;
  backupsKeep?: number;
  auditPath: string;
  who: { localUser: string; remoteUser: string };
  verifyTimeoutSeconds: number;
  settleSeconds?: number;
  signal?: AbortSignal;
  onOutput?(text: string, stream: 'stdout' | 'stderr'): void;
  onStep?(message: string): void;
  /** Before each write and command: throws when the host lock was lost (see ApplyOptions). */
  lockCheck?(before: string): Promise<void>;
  onVerifyProgress?(checks: VerifyCheck[]): void;
  /** Called once the audit line is written (or failed to be). */
  onAudit?(record: AuditRecord, error?: Error): void;
}

export interface PipelineOutcome {
  plan: Plan;
  result: ApplyResult;
  verify?: VerifyReport;
  audit: { path: string; record: AuditRecord; written: boolean; error?: string };
  /** True when the change applied and verification passed (or had nothing to check). */
  ok: boolean;
}

export async function executePlan(plan: Plan, host: OpsHost & AuditHost, opts: PipelineOptions): Promise<PipelineOutcome> {
  const result = await applyPlan(plan, host, {
    dryRun: opts.dryRun,
    backupDirectory: opts.backupDirectory,
    backupsKeep: opts.backupsKeep,
    signal: opts.signal,
    onOutput: opts.onOutput,
    onStep: opts.onStep,
    lockCheck: opts.lockCheck,
  });
  let verify: VerifyReport | undefined;
  if ((result.status === 'applied' || result.status === 'unknown') && plan.verify.state !== 'skip') {
    opts.onStep?.(`Verifying ${plan.containerName} (up to ${opts.verifyTimeoutSeconds} s)…`);
    try {
      verify = await verifyProducer(
        host.docker(),
        {
          container: plan.containerName,
          expect: plan.verify,
          actionStart: result.hostStartedAt ? new Date(result.hostStartedAt) : undefined,
          before: result.before,
          settleSeconds: opts.settleSeconds,
        },
        { timeoutSeconds: opts.verifyTimeoutSeconds, clockSkewMs: result.clockSkewMs, signal: opts.signal, onProgress: opts.onVerifyProgress },
      );
    } catch (err) {
      verify = {
        container: plan.containerName,
        ok: false,
        checks: [{ name: 'verification ran', status: 'fail', detail: (err as Error).message }],
        summary: `FAIL ${plan.containerName}: verification could not run (${(err as Error).message})`,
        logLinesExamined: 0,
        errorLines: [],
        elapsedMs: 0,
      };
    }
  }
  const record = buildAuditRecord(plan, result, verify, opts.who);
  const audit: PipelineOutcome['audit'] = { path: opts.auditPath, record, written: false };
  try {
    await appendAuditRecord(host, opts.auditPath, record, plan.composePath);
    audit.written = true;
    opts.onAudit?.(record);
  } catch (err) {
    audit.error = (err as Error).message;
    opts.onAudit?.(record, err as Error);
  }
  const ok = (result.status === 'applied' && (verify?.ok ?? true)) || result.status === 'dry-run';
  return { plan, result, verify, audit, ok };
}
