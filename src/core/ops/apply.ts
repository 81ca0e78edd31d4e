// Applies a confirmed plan on the host: re-read and compare every file, back them all up, write
// them atomically (putting back the earlier ones if a later write fails), then run the stages in
// order, each verified (by the caller's verifyStage) before the next. If the first stage's
// command fails without touching its container, every file is restored. Every exit says
// precisely what state the host is in and how to roll back. Cancellation is honoured until the
// first file is written; after that the change runs to its end (an interrupted `up` is reported).
import type Dockerode from 'dockerode';
import type { ExecOptions, ExecResult } from '../host/host';
import { CommandAbortedError, ConnectionLostError } from '../host/host';
import { RemoteChangedError, RemoteExistsError } from '../remote/remoteFiles';
import type { RemoteFiles } from '../remote/remoteFiles';
import { createBackup, DEFAULT_BACKUPS_KEEP, pruneBackups } from './backup';
import type { Plan, PlannedCommand, PlannedFileChange, PlanStage } from './plan';
import { planStages } from './plan';
import { inspectContainer } from './verify';
import type { ContainerBaseline, InspectLike, VerifyReport } from './verify';

/** What apply needs of a host connection (HostConnection in production). */
export interface OpsHost {
  readonly alias: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  readonly files: Pick<RemoteFiles, 'readFile' | 'writeFileAtomic' | 'listDir' | 'mkdirp' | 'stat' | 'lstat' | 'unlink' | 'createFileExclusive'>;
  docker(): Dockerode;
}

export interface StepRecord {
  purpose: string;
  display: string;
  argv: string[];
  exitCode: number | null;
  signal?: string | null;
  durationMs: number;
  /** Last lines of output (for the audit log; the full output went to onOutput). */
  outputTail: string;
  error?: string;
}

export type ApplyStatus = 'dry-run' | 'applied' | 'refused' | 'failed' | 'cancelled' | 'unknown';

/** What became of one stage: verified (or nothing to verify), failed, or never ran. */
export interface StageResult {
  label: string;
  services: string[];
  container: string;
  status: 'verified' | 'failed' | 'not run' | 'unknown';
  verify?: VerifyReport;
  error?: string;
}

/** One file of the plan as it ended up. */
export interface FileResult {
  path: string;
  kind: PlannedFileChange['kind'];
  backupPath?: string;
  /** sha256 written (create/modify) while it is still in place (not restored). */
  writtenSha256?: string;
  restored?: boolean;
}

export interface ApplyResult {
  planId: string;
  status: ApplyStatus;
  /** Local time the apply started. */
  startedAt: string;
  /** Host-clock time the apply started (Docker's SystemTime corrected by the skew). */
  hostStartedAt?: string;
  clockSkewMs: number;
  /** Backup of the first file (the compose file for single-file plans). */
  backupPath?: string;
  /** Every file of the plan: backup, what was written, whether it was put back. */
  files: FileResult[];
  /** One entry per stage, in order. */
  stages: StageResult[];
  /** Old backups removed by the retention setting after this one was written. */
  prunedBackups?: string[];
  writtenSha256?: string;
  /** The file was put back to its previous bytes after a failed host check. */
  restored?: boolean;
  steps: StepRecord[];
  /** Where the host stands now, in one or two sentences. */
  hostState: string;
  error?: string;
  /** The container as it was before the change (for verification). */
  before?: ContainerBaseline;
}

export interface ApplyOptions {
  dryRun?: boolean;
  backupDirectory?: string;
  /** Backups kept per compose file (efdSalkafka.backups.keep); < 1 keeps all. */
  backupsKeep?: number;
  signal?: AbortSignal;
  onOutput?(text: string, stream: 'stdout' | 'stderr'): void;
  /** Progress messages ("Backing up…"). */
  onStep?(message: string): void;
  /**
   * Verifies a stage after its commands exited 0 (the pipeline passes verifyProducer); undefined
   * = nothing to verify. A report that is not ok stops the plan: later stages never run.
   */
  verifyStage?(stage: PlanStage, index: number, at: { actionStart: Date; before?: ContainerBaseline; clockSkewMs: number }): Promise<VerifyReport | undefined>;
}

function tail(text: string, lines = 20): string {
  return text.split('\n').slice(-lines).join('\n').trim();
}

/** Host clock minus local clock, from Docker's /info SystemTime (0 if unknown). */
export async function hostClockSkew(docker: Dockerode): Promise<number> {
  try {
    const before = Date.now();
    const info = (await docker.info()) as { SystemTime?: string };
    const after = Date.now();
    const host = Date.parse(info.SystemTime ?? '');
    return Number.isNaN(host) ? 0 : host - Math.round((before + after) / 2);
  } catch {
    return 0;
  }
}

function baseline(i: InspectLike | undefined): ContainerBaseline | undefined {
  if (!i) return undefined;
  return { id: i.Id, startedAt: i.State?.StartedAt, restartCount: i.RestartCount ?? 0 };
}

async function containerState(host: OpsHost, name: string): Promise<string> {
  try {
    const i = await inspectContainer(host.docker(), name);
    if (!i) return `${name} does not exist`;
    return `${name} is ${i.State?.Status ?? 'in an unknown state'} (started ${i.State?.StartedAt ?? '?'}, RestartCount ${i.RestartCount ?? 0})`;
  } catch (err) {
    return `the state of ${name} could not be read (${(err as Error).message})`;
  }
}

/** The container is the same one, not restarted, as before the command (or absent both times). */
async function untouched(host: OpsHost, name: string, before: ContainerBaseline | undefined): Promise<boolean> {
  try {
    const now = await inspectContainer(host.docker(), name);
    if (!before) return now === undefined;
    return now !== undefined && now.Id === before.id && now.State?.StartedAt === before.startedAt && (now.RestartCount ?? 0) === before.restartCount;
  } catch {
    return false;
  }
}

class Cancelled extends Error {}

/** A planned file that is no longer as planned (create: the name appeared). */
export class FileAppearedError extends Error {
  constructor(readonly path: string) {
    super(`${path} appeared on the host since the plan was made; not overwriting it.`);
    this.name = 'FileAppearedError';
  }
}

const fileWord = (plan: Plan) => (plan.files.length > 1 ? `${plan.files.length} files` : 'the compose file');

/** Re-check every file against the plan: the host is exactly as planned or nothing is written. */
async function checkFiles(plan: Plan, host: OpsHost): Promise<Map<string, Buffer>> {
  const current = new Map<string, Buffer>();
  for (const f of plan.files) {
    if (f.kind === 'create') {
      if (await host.files.lstat(f.path)) throw new FileAppearedError(f.path);
      continue;
    }
    const c = await host.files.readFile(f.path);
    if (c.sha256 !== f.expectedSha256) throw new RemoteChangedError(f.path, f.expectedSha256, c.sha256);
    current.set(f.path, c.content);
  }
  return current;
}

/** Puts back the files already written, last first. Returns the paths it could not restore. */
async function restoreFiles(host: OpsHost, done: PlannedFileChange[], results: Map<string, FileResult>): Promise<string[]> {
  const failed: string[] = [];
  for (const f of [...done].reverse()) {
    try {
      if (f.kind === 'create') await host.files.unlink(f.path);
      else if (f.kind === 'modify') await host.files.writeFileAtomic(f.path, f.oldContent, { expectedSha256: f.newSha256 });
      else await host.files.createFileExclusive(f.path, f.oldContent, { mode: 0o644 });
      const r = results.get(f.path);
      if (r) {
        r.restored = true;
        delete r.writtenSha256;
      }
    } catch (err) {
      failed.push(`${f.path} (${(err as Error).message})`);
    }
  }
  return failed;
}

export async function applyPlan(plan: Plan, host: OpsHost, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const stages = planStages(plan);
  const result: ApplyResult = {
    planId: plan.id,
    status: 'dry-run',
    startedAt: new Date().toISOString(),
    clockSkewMs: 0,
    files: plan.files.map((f) => ({ path: f.path, kind: f.kind })),
    stages: stages.map((s) => ({ label: s.label, services: s.services, container: s.verify.container, status: 'not run' })),
    steps: [],
    hostState: '',
  };
  if (opts.dryRun) {
    result.hostState = 'Dry run: nothing was changed on the host (efdSalkafka.dryRun is on).';
    return result;
  }
  const fileResults = new Map(result.files.map((r) => [r.path, r] as const));
  const step = (m: string) => opts.onStep?.(m);
  const checkCancel = (where: string) => {
    if (opts.signal?.aborted) throw new Cancelled(`Cancelled ${where}; nothing was changed on the host.`);
  };
  const rollbackText = plan.rollback.join(' ');
  const writtenFiles: PlannedFileChange[] = [];
  let written = false;
  const newVersion = () =>
    plan.files.length > 1
      ? `The planned files on ${host.alias} are in place (${plan.files.map((f) => `${f.kind} ${f.path}`).join(', ')}; backups ${result.files.map((f) => f.backupPath).filter(Boolean).join(', ')}). `
      : `The compose file on ${host.alias} is the NEW version (sha256 ${plan.files[0]?.newSha256.slice(0, 12)}…); backup ${result.backupPath}. `;
  try {
    checkCancel('before starting');
    const docker = host.docker();
    result.clockSkewMs = await hostClockSkew(docker);
    result.hostStartedAt = new Date(Date.now() + result.clockSkewMs).toISOString();
    // Baselines of every stage's container, before anything changes.
    const befores: (ContainerBaseline | undefined)[] = [];
    for (const s of stages) befores.push(baseline(await inspectContainer(docker, s.verify.container)));
    if (befores[0]) result.before = befores[0];

    if (plan.files.length) {
      step(plan.files.length > 1 ? `Checking the ${plan.files.length} files are as planned…` : `Checking ${plan.files[0].path} is unchanged since the plan…`);
      const current = await checkFiles(plan, host);
      checkCancel('before the backup');
      // Every existing file is backed up before anything is written.
      for (const f of plan.files) {
        if (f.kind === 'create') continue;
        step(`Writing the backup of ${f.path}…`);
        const path = await createBackup(host.files, f.path, current.get(f.path)!, new Date(f.backupAt), { directory: opts.backupDirectory });
        fileResults.get(f.path)!.backupPath = path;
        result.backupPath ??= path;
      }
      checkCancel('after the backup (the backups stay; no file was changed)');
      for (const f of plan.files) {
        step(`${f.kind === 'create' ? 'Creating' : f.kind === 'delete' ? 'Removing' : 'Writing'} ${f.path}…`);
        try {
          if (f.kind === 'modify') {
            fileResults.get(f.path)!.writtenSha256 = (await host.files.writeFileAtomic(f.path, f.newContent, { expectedSha256: f.expectedSha256 })).sha256;
          } else if (f.kind === 'create') {
            const mode = (await host.files.lstat(plan.composePath).catch(() => undefined))?.mode;
            fileResults.get(f.path)!.writtenSha256 = (await host.files.createFileExclusive(f.path, f.newContent, { mode: mode !== undefined ? mode & 0o666 : 0o644 }).catch((err) => {
              throw err instanceof RemoteExistsError ? new FileAppearedError(f.path) : err;
            })).sha256;
          } else {
            await host.files.unlink(f.path);
          }
        } catch (err) {
          if (!writtenFiles.length) throw err;
          // A later write failed: put the earlier ones back so the host is as before.
          const failed = await restoreFiles(host, writtenFiles, fileResults);
          written = failed.length > 0;
          result.restored = !failed.length;
          const e = new Error(
            `writing ${f.path} failed (${(err as Error).message}); ` +
              (failed.length ? `restoring FAILED for ${failed.join(', ')}.` : `the ${writtenFiles.length} file(s) written before it were restored byte for byte.`),
          );
          throw Object.assign(e, { afterRestore: true });
        }
        writtenFiles.push(f);
        written = true;
      }
      // The compose file's new sha256 (the audit's composeSha256After), else the first file's.
      result.writtenSha256 = (result.files.find((f) => f.path === plan.composePath) ?? result.files[0])?.writtenSha256;
      // Retention is housekeeping: a failure never fails the change (the audit shows what went).
      for (const f of plan.files.filter((x) => x.kind !== 'create')) {
        const pruned = await pruneBackups(host.files, f.path, opts.backupsKeep ?? DEFAULT_BACKUPS_KEEP, { directory: opts.backupDirectory }).catch(() => undefined);
        if (pruned?.removed.length) (result.prunedBackups ??= []).push(...pruned.removed);
      }
    } else if (plan.action === 'apply') {
      step(`Checking ${plan.composePath} is unchanged since the plan…`);
      const current = await host.files.readFile(plan.composePath);
      if (current.sha256 !== plan.basedOnSha256) throw new RemoteChangedError(plan.composePath, plan.basedOnSha256, current.sha256);
    }

    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      const sr = result.stages[i];
      // The first stage counts from the start of the apply (as before stages existed), each later
      // one from the start of its own commands.
      const actionStart = i === 0 ? new Date(result.hostStartedAt) : new Date(Date.now() + result.clockSkewMs);
      const staged = stages.length > 1 ? `Stage ${i + 1}/${stages.length} (${stage.label}): ` : '';
      for (const cmd of stage.commands) {
        // Before the write, cancelling is clean; after it, an interrupted command is reported.
        if (!written) checkCancel(`before ${cmd.purpose}`);
        step(`${staged}${cmd.purpose}: ${cmd.display}`);
        sr.status = 'unknown';
        const rec = await runStep(host, cmd, opts);
        result.steps.push(rec);
        if (rec.exitCode === 0) continue;
        sr.status = 'failed';
        sr.error = `${cmd.display} exited with ${rec.exitCode ?? `signal ${rec.signal}`}: ${tail(rec.outputTail, 5)}`;
        result.status = 'failed';
        result.error = cmd.role === 'validate' ? `${cmd.display} exited with ${rec.exitCode}: ${tail(rec.outputTail, 5)}` : sr.error;
        const ranBefore = result.stages.slice(0, i).map((s) => s.label);
        if (i === 0 && written && (cmd.role === 'validate' || (await untouched(host, stage.verify.container, befores[0])))) {
          // compose refused before touching the container (e.g. it rejects the file): put the
          // previous bytes back so the host stays exactly as it was.
          const failed = await restoreFiles(host, writtenFiles, fileResults);
          const restoredWord = plan.files.length > 1 ? 'the previous files were' : 'the previous compose file was';
          if (!failed.length) {
            result.restored = true;
            result.hostState =
              cmd.role === 'validate'
                ? `docker-compose on ${host.alias} rejected the new file (exit ${rec.exitCode}); ${restoredWord.replace('compose ', '')} restored byte for byte and no container was touched. Backup: ${result.backupPath}.`
                : `${cmd.purpose} failed (exit ${rec.exitCode}) without touching ${stage.verify.container}; ${restoredWord} restored byte for byte, so the host is as before. Backup: ${result.backupPath}.`;
          } else {
            result.hostState = `${cmd.purpose} failed (exit ${rec.exitCode}) without touching ${stage.verify.container}, and restoring FAILED for ${failed.join(', ')}. The NEW version is on the host. Restore it: ${rollbackText}`;
          }
          return result;
        }
        result.hostState =
          (written ? newVersion() : '') +
          (ranBefore.length ? `Stages done and verified: ${ranBefore.join('; ')}. ` : '') +
          `${staged}${cmd.purpose} failed; ${await containerState(host, stage.verify.container)}.` +
          (i + 1 < stages.length ? ` Not run: ${result.stages.slice(i + 1).map((s) => s.label).join('; ')}.` : '') +
          ` To roll back: ${rollbackText}`;
        return result;
      }
      const report = await opts.verifyStage?.(stage, i, { actionStart, before: befores[i], clockSkewMs: result.clockSkewMs });
      if (report) sr.verify = report;
      sr.status = report && !report.ok ? 'failed' : 'verified';
      if (report && !report.ok && i + 1 < stages.length) {
        sr.error = report.summary;
        result.status = 'failed';
        result.error = `Stage ${i + 1} (${stage.label}) failed verification: ${report.summary}`;
        result.hostState =
          (written ? newVersion() : '') +
          (i ? `Stages done and verified: ${result.stages.slice(0, i).map((s) => s.label).join('; ')}. ` : '') +
          `Stage ${i + 1} (${stage.label}) ran but failed verification; stopped there. Not run: ${result.stages.slice(i + 1).map((s) => s.label).join('; ')}. To roll back: ${rollbackText}`;
        return result;
      }
    }
    result.status = 'applied';
    const changeCmds = plan.commands.filter((c) => c.role === 'change').map((c) => c.display).join('; ');
    result.hostState = written
      ? plan.files.length > 1
        ? `${plan.files.length} files changed on ${host.alias} (backups ${result.files.map((f) => f.backupPath).filter(Boolean).join(', ') || 'none needed'}) and ${changeCmds || 'no container command was needed'} succeeded.`
        : `The compose file on ${host.alias} is the new version (backup ${result.backupPath}) and ${changeCmds || 'no container command was needed'} succeeded.`
      : `${plan.commands.map((c) => c.display).join('; ')} succeeded on ${host.alias}.`;
    return result;
  } catch (err) {
    const e = err as Error;
    result.error = e.message;
    const what = fileWord(plan);
    if (err instanceof Cancelled) {
      result.status = 'cancelled';
      result.hostState = e.message + (result.backupPath ? ` (A backup was written: ${result.backupPath}.)` : '');
    } else if (err instanceof RemoteChangedError || err instanceof FileAppearedError) {
      result.status = 'refused';
      result.hostState =
        (err instanceof FileAppearedError
          ? `Nothing was changed: ${err.path} on ${host.alias} appeared since the plan was made (the plan would create it). `
          : `Nothing was changed: ${err.path} on ${host.alias} was edited by someone else since the plan was made. `) +
        `Their version stays on the host; your planned text is kept in the plan. Plan again from the current file.` +
        (result.backupPath ? ` (A backup of the file as it was when you planned was written: ${result.backupPath}.)` : '');
    } else if ((err as { afterRestore?: boolean }).afterRestore) {
      result.status = written ? 'failed' : 'refused';
      result.hostState = written
        ? `Some files on ${host.alias} could not be put back: ${e.message} No container was touched. To roll back: ${rollbackText}`
        : `Nothing was changed on the files or the containers: ${e.message}`;
    } else if (err instanceof CommandAbortedError || err instanceof ConnectionLostError) {
      result.status = 'unknown';
      result.hostState =
        (written
          ? plan.files.length > 1
            ? newVersion()
            : `The compose file on ${host.alias} is the NEW version (backup ${result.backupPath}). `
          : `${what.charAt(0).toUpperCase()}${what.slice(1)} ${plan.files.length > 1 ? 'were' : 'was'} not changed. `) +
        `The command was ${err instanceof CommandAbortedError ? 'cancelled' : 'cut off by a lost connection'} while running: it may or may not have completed. ` +
        `Run Verify to see the container's state. To roll back: ${rollbackText}`;
    } else {
      result.status = written ? 'failed' : 'refused';
      result.hostState = written
        ? `${plan.files.length > 1 ? newVersion() : `The compose file on ${host.alias} is the NEW version (backup ${result.backupPath}); `}then: ${e.message}. To roll back: ${rollbackText}`
        : `Nothing was changed on the compose file or the containers: ${e.message}` + (result.backupPath ? ` (backup written: ${result.backupPath})` : '');
    }
    return result;
  }
}

async function runStep(host: OpsHost, cmd: PlannedCommand, opts: ApplyOptions): Promise<StepRecord> {
  const t0 = Date.now();
  const dec = { out: new TextDecoder(), err: new TextDecoder() };
  const onOut = (stream: 'stdout' | 'stderr') => (d: Buffer) => opts.onOutput?.((stream === 'stdout' ? dec.out : dec.err).decode(d, { stream: true }), stream);
  // Commands are never interrupted from here: cancelling is possible until the compose file is
  // written (checked between steps), and a half-done `up` is worse than waiting for it.
  const execOpts: ExecOptions = { onStdout: onOut('stdout'), onStderr: onOut('stderr') };
  if (cmd.cwd) execOpts.cwd = cmd.cwd;
  const r = await host.exec(cmd.argv, execOpts);
  return {
    purpose: cmd.purpose,
    display: cmd.display,
    argv: cmd.argv,
    exitCode: r.code,
    signal: r.signal,
    durationMs: Date.now() - t0,
    outputTail: tail(`${r.stdout}\n${r.stderr}`),
  };
}
