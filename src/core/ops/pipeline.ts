// The one path every change takes after the user confirmed its plan:
// apply (re-check, backup, write every file) → for each stage: run, verify → record in the audit log.
// Planning and confirming happen before (plan.ts, and the UI's diff + modal), under the host lock
// of the compose file's directory (hostLock.ts), which the caller holds for the whole run.
//
// What a plan kind gets from here (see the contract at the top of plan.ts):
// - nothing runs before every file of plan.files is as planned (else: refused, nothing changed);
// - every existing file is backed up before the first write; a failed write restores the ones
//   before it; the first stage's command failing without touching its container restores all;
// - stages run in order; each is verified (verifyProducer, its own container and expectation)
//   before the next; the first failure stops the plan: outcome.stages says completed / failed /
//   never ran, the audit record carries one result per stage and one entry per file;
// - one audit record per run, written beside the compose file (or efdSalkafka.auditLogFile).
import type { ApplyResult, OpsHost, StageResult } from './apply';
import { applyPlan } from './apply';
import type { AuditHost, AuditRecord } from './audit';
import { appendAuditRecord, buildAuditRecord } from './audit';
import type { Plan, PlanStage } from './plan';
import { planStages } from './plan';
import type { ContainerBaseline, VerifyCheck, VerifyReport } from './verify';
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
  onVerifyProgress?(checks: VerifyCheck[]): void;
  /** Called once the audit line is written (or failed to be). */
  onAudit?(record: AuditRecord, error?: Error): void;
}

export interface PipelineOutcome {
  plan: Plan;
  result: ApplyResult;
  verify?: VerifyReport;
  audit: { path: string; record: AuditRecord; written: boolean; error?: string };
  /** True when the change applied and every stage's verification passed (or had nothing to check). */
  ok: boolean;
  /** Stage labels by what became of them (a single-stage plan has one). */
  stages: { completed: string[]; failed: string[]; notRun: string[] };
}

function verificationFailed(container: string, err: Error): VerifyReport {
  return {
    container,
    ok: false,
    checks: [{ name: 'verification ran', status: 'fail', detail: err.message }],
    summary: `FAIL ${container}: verification could not run (${err.message})`,
    logLinesExamined: 0,
    errorLines: [],
    elapsedMs: 0,
  };
}

export async function executePlan(plan: Plan, host: OpsHost & AuditHost, opts: PipelineOptions): Promise<PipelineOutcome> {
  const staged = planStages(plan).length > 1;
  const verifyOne = async (stage: PlanStage, index: number, at: { actionStart?: Date; before?: ContainerBaseline; clockSkewMs: number }): Promise<VerifyReport | undefined> => {
    if (stage.verify.expect.state === 'skip') return undefined;
    const container = stage.verify.container;
    opts.onStep?.(`Verifying ${staged ? `stage ${index + 1} (${stage.label}): ` : ''}${container} (up to ${opts.verifyTimeoutSeconds} s)…`);
    try {
      return await verifyProducer(
        host.docker(),
        { container, expect: stage.verify.expect, actionStart: at.actionStart, before: at.before, settleSeconds: opts.settleSeconds },
        { timeoutSeconds: opts.verifyTimeoutSeconds, clockSkewMs: at.clockSkewMs, signal: opts.signal, onProgress: opts.onVerifyProgress },
      );
    } catch (err) {
      return verificationFailed(container, err as Error);
    }
  };
  const result = await applyPlan(plan, host, {
    dryRun: opts.dryRun,
    backupDirectory: opts.backupDirectory,
    backupsKeep: opts.backupsKeep,
    signal: opts.signal,
    onOutput: opts.onOutput,
    onStep: opts.onStep,
    verifyStage: (stage, i, at) => verifyOne(stage, i, at),
  });
  // A command cut off (lost connection, cancelled) may have completed: look at its container.
  const cut = result.status === 'unknown' ? result.stages.findIndex((s) => s.status === 'unknown') : -1;
  if (cut >= 0) {
    const stage = planStages(plan)[cut];
    const report = await verifyOne(stage, cut, { actionStart: result.hostStartedAt ? new Date(result.hostStartedAt) : undefined, before: cut === 0 ? result.before : undefined, clockSkewMs: result.clockSkewMs });
    if (report) result.stages[cut].verify = report;
  }
  // The outcome's `verify`: the stage that failed, else the last one verified.
  const reports = result.stages.filter((s) => s.verify);
  const verify = (reports.find((s) => !s.verify!.ok) ?? reports[reports.length - 1])?.verify;
  const record = buildAuditRecord(plan, result, verify, opts.who);
  const audit: PipelineOutcome['audit'] = { path: opts.auditPath, record, written: false };
  try {
    await appendAuditRecord(host, opts.auditPath, record);
    audit.written = true;
    opts.onAudit?.(record);
  } catch (err) {
    audit.error = (err as Error).message;
    opts.onAudit?.(record, err as Error);
  }
  const ok = (result.status === 'applied' && result.stages.every((s) => s.status === 'verified')) || result.status === 'dry-run';
  return { plan, result, verify, audit, ok, stages: stageSummary(result) };
}

/** Which stages completed (verified), which failed, which never ran. */
export function stageSummary(result: ApplyResult): PipelineOutcome['stages'] {
  const pick = (st: StageResult['status']) => result.stages.filter((s) => s.status === st).map((s) => s.label);
  return { completed: pick('verified'), failed: [...pick('failed'), ...pick('unknown')], notRun: pick('not run') };
}
