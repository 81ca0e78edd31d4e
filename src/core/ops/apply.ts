// Applies a confirmed plan on the host: re-read and compare, back up, write atomically, run the
// change command (restoring the old file if compose fails before touching the container). Every exit says precisely what
// state the host is in and how to roll back. Cancellation is honoured until the compose file is
// written; after that the change runs to its end (an interrupted `up` is reported as such).
import type Dockerode from 'dockerode';
import type { ExecOptions, ExecResult } from '../ssh/hostConnection';
import { CommandAbortedError, ConnectionLostError } from '../ssh/hostConnection';
import { RemoteChangedError } from '../remote/remoteFiles';
import type { RemoteFiles } from '../remote/remoteFiles';
import { COMPOSE_READ_MAX_BYTES } from '../files/boundedRead';
import { createBackup, DEFAULT_BACKUPS_KEEP, pruneBackups } from './backup';
import type { Plan, PlannedCommand } from './plan';
import { inspectContainer } from './verify';
import type { ContainerBaseline, InspectLike } from './verify';

/** What apply needs of a host connection (HostConnection in production). */
export interface OpsHost {
  readonly alias: string;
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  readonly files: Pick<RemoteFiles, 'readFile' | 'readFileBounded' | 'writeFileAtomic' | 'listDir' | 'mkdirp' | 'stat' | 'lstat' | 'unlink' | 'createFileExclusive'>;
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

export interface ApplyResult {
  planId: string;
  status: ApplyStatus;
  /** Local time the apply started. */
  startedAt: string;
  /** Host-clock time the apply started (Docker's SystemTime corrected by the skew). */
  hostStartedAt?: string;
  clockSkewMs: number;
  backupPath?: string;
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
   * Called before each write and each command; throws when the host lock no longer holds
   * (HeldLock.check: LockLostError), which stops the change there and says why.
   */
  lockCheck?(before: string): Promise<void>;
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

export async function applyPlan(plan: Plan, host: OpsHost, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const result: ApplyResult = {
    planId: plan.id,
    status: 'dry-run',
    startedAt: new Date().toISOString(),
    clockSkewMs: 0,
    steps: [],
    hostState: '',
  };
  if (opts.dryRun) {
    result.hostState = 'Dry run: nothing was changed on the host (efdSalkafka.dryRun is on).';
    return result;
  }
  const step = (m: string) => opts.onStep?.(m);
  const checkCancel = (where: string) => {
    if (opts.signal?.aborted) throw new Cancelled(`Cancelled ${where}; nothing was changed on the host.`);
  };
  const rollbackText = plan.rollback.join(' ');
  const lockCheck = async (before: string) => {
    if (opts.lockCheck) await opts.lockCheck(before);
  };
  let written = false;
  try {
    checkCancel('before starting');
    const docker = host.docker();
    result.clockSkewMs = await hostClockSkew(docker);
    result.hostStartedAt = new Date(Date.now() + result.clockSkewMs).toISOString();
    const before = await inspectContainer(docker, plan.containerName);
    const b = baseline(before);
    if (b) result.before = b;

    if (plan.file || plan.action === 'apply') {
      step(`Checking ${plan.composePath} is unchanged since the plan…`);
      const current = await host.files.readFileBounded(plan.composePath, COMPOSE_READ_MAX_BYTES);
      const expected = plan.file?.expectedSha256 ?? plan.basedOnSha256;
      if (current.sha256 !== expected) throw new RemoteChangedError(plan.composePath, expected, current.sha256);
      if (plan.file) {
        checkCancel('before the backup');
        await lockCheck('the backup');
        step('Writing the backup…');
        result.backupPath = await createBackup(host.files, plan.composePath, current.content, new Date(plan.file.backupAt), {
          directory: opts.backupDirectory,
        });
        checkCancel('after the backup (the backup stays; the compose file is unchanged)');
        await lockCheck(`writing ${plan.composePath}`);
        step(`Writing ${plan.composePath}…`);
        const w = await host.files.writeFileAtomic(plan.composePath, plan.file.newContent, { expectedSha256: plan.file.expectedSha256 });
        written = true;
        result.writtenSha256 = w.sha256;
        // Retention is housekeeping: a failure never fails the change (the audit shows what went).
        const pruned = await pruneBackups(host.files, plan.composePath, opts.backupsKeep ?? DEFAULT_BACKUPS_KEEP, { directory: opts.backupDirectory }).catch(() => undefined);
        if (pruned?.removed.length) result.prunedBackups = pruned.removed;
      }
    }

    for (const cmd of plan.commands) {
      // Before the write, cancelling is clean; after it, an interrupted command is reported.
      if (!written) checkCancel(`before ${cmd.purpose}`);
      await lockCheck(cmd.display);
      step(`${cmd.purpose}: ${cmd.display}`);
      const rec = await runStep(host, cmd, opts);
      result.steps.push(rec);
      if (rec.exitCode === 0) continue;
      if (cmd.role === 'validate' && plan.file && written) {
        // The host's compose rejects the new file: put the old bytes back; nothing else ran.
        try {
          await host.files.writeFileAtomic(plan.composePath, plan.file.oldContent, { expectedSha256: plan.file.newSha256 });
          result.restored = true;
          result.status = 'failed';
          result.hostState = `docker-compose on ${host.alias} rejected the new file (exit ${rec.exitCode}); the previous file was restored byte for byte and no container was touched. Backup: ${result.backupPath}.`;
        } catch (err) {
          result.status = 'failed';
          result.hostState = `docker-compose on ${host.alias} rejected the new file (exit ${rec.exitCode}) and restoring the previous file FAILED (${(err as Error).message}). The NEW file is on the host; no container was touched. Restore it: ${rollbackText}`;
        }
        result.error = `${cmd.display} exited with ${rec.exitCode}: ${tail(rec.outputTail, 5)}`;
        return result;
      }
      result.status = 'failed';
      result.error = `${cmd.display} exited with ${rec.exitCode ?? `signal ${rec.signal}`}: ${tail(rec.outputTail, 5)}`;
      if (written && plan.file && (await untouched(host, plan.containerName, result.before))) {
        // compose refused before touching the container (e.g. it rejects the file): put the
        // previous bytes back so the host stays exactly as it was.
        try {
          await host.files.writeFileAtomic(plan.composePath, plan.file.oldContent, { expectedSha256: plan.file.newSha256 });
          result.restored = true;
          result.hostState = `${cmd.purpose} failed (exit ${rec.exitCode}) without touching ${plan.containerName}; the previous compose file was restored byte for byte, so the host is as before. Backup: ${result.backupPath}.`;
          return result;
        } catch (err) {
          result.hostState = `${cmd.purpose} failed (exit ${rec.exitCode}) without touching ${plan.containerName}, and restoring the previous file FAILED (${(err as Error).message}). The NEW file is on the host. Restore it: ${rollbackText}`;
          return result;
        }
      }
      result.hostState =
        (written ? `The compose file on ${host.alias} is the NEW version (sha256 ${plan.file!.newSha256.slice(0, 12)}…); backup ${result.backupPath}. ` : '') +
        `${cmd.purpose} failed; ${await containerState(host, plan.containerName)}. To roll back: ${rollbackText}`;
      return result;
    }
    result.status = 'applied';
    result.hostState = written
      ? `The compose file on ${host.alias} is the new version (backup ${result.backupPath}) and ${plan.commands.filter((c) => c.role === 'change').map((c) => c.display).join('; ') || 'no container command was needed'} succeeded.`
      : `${plan.commands.map((c) => c.display).join('; ')} succeeded on ${host.alias}.`;
    return result;
  } catch (err) {
    const e = err as Error;
    result.error = e.message;
    if (err instanceof Cancelled) {
      result.status = 'cancelled';
      result.hostState = e.message + (result.backupPath ? ` (A backup was written: ${result.backupPath}.)` : '');
    } else if (err instanceof RemoteChangedError) {
      result.status = 'refused';
      result.hostState =
        `Nothing was changed: ${plan.composePath} on ${host.alias} was edited by someone else since the plan was made. ` +
        `Their version stays on the host; your planned text is kept in the plan. Plan again from the current file.` +
        (result.backupPath ? ` (A backup of the file as it was when you planned was written: ${result.backupPath}.)` : '');
    } else if (err instanceof CommandAbortedError || err instanceof ConnectionLostError) {
      result.status = 'unknown';
      result.hostState =
        (written ? `The compose file on ${host.alias} is the NEW version (backup ${result.backupPath}). ` : 'The compose file was not changed. ') +
        `The command was ${err instanceof CommandAbortedError ? 'cancelled' : 'cut off by a lost connection'} while running: it may or may not have completed. ` +
        `Run Verify to see the container's state. To roll back: ${rollbackText}`;
    } else {
      result.status = written ? 'failed' : 'refused';
      result.hostState = written
        ? `The compose file on ${host.alias} is the NEW version (backup ${result.backupPath}); then: ${e.message}. To roll back: ${rollbackText}`
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
