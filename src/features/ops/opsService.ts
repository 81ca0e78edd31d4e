// The VS Code side of the change pipeline: reads settings, gets the connection, shows the plan
// (diff editor + plan document), asks for confirmation (modal; typed service name for
// production), runs core/ops/pipeline under a progress notification, streams compose output,
// and shows the verification and the audit record. Commands (src/features/commands) call it.
import * as os from 'node:os';
import * as posix from 'node:path/posix';
import * as vscode from 'vscode';
import { Catalogue } from '../../core/catalogue/catalogue';
import { defaultCatalogue } from '../../core/catalogue/defaultCatalogue';
import { parseCompose } from '../../core/compose/parseCompose';
import type { ServiceModel } from '../../core/compose/model';
import { announcementText } from '../../core/ops/announce';
import { auditLogPath, formatAuditRecord } from '../../core/ops/audit';
import type { AuditRecord } from '../../core/ops/audit';
import { DEFAULT_BACKUPS_KEEP } from '../../core/ops/backup';
import { loadPlanContext } from '../../core/ops/context';
import type { OpsSettings } from '../../core/ops/context';
import { OpsRefusedError } from '../../core/ops/errors';
import { executePlan } from '../../core/ops/pipeline';
import type { PipelineOutcome } from '../../core/ops/pipeline';
import type { Plan, PlanContext } from '../../core/ops/plan';
import { planDetail, planMarkdown, verifyMarkdown, verifyText } from '../../core/ops/reportText';
import type { VerifyReport } from '../../core/ops/verify';
import type { Host } from '../../core/host/host';
import type { ConnectionManager } from '../connection';
import { hostEntries } from '../connection/connectionManager';
import { CatalogueSource } from '../language/catalogueSource';
import type { HeldLock } from '../../core/ops/hostLock';
import { takeHostLock } from './hostLockFlow';
import { PlanDocuments } from './planDocuments';
import type { Prompter } from './prompter';
import { VsCodePrompter } from './prompter';

/**
 * Settings of the change pipeline for one host (its compose file and production flag).
 * `composeFile`: the file that defines the producer when it is not the main one; only a file in
 * the main file's directory is taken (one host lock and one audit log per directory).
 */
export function readOpsSettings(alias?: string, composeFile?: string): OpsSettings {
  const c = vscode.workspace.getConfiguration('efdSalkafka');
  const { entries } = hostEntries();
  const entry = entries.find((e) => e.alias === alias) ?? entries[0];
  const productionHosts = c.get<string[]>('production.hosts') ?? ['azar2', 'azar2.cp.lsst.org'];
  return {
    composePath: siblingComposeFile(entry.composeFile, composeFile),
    // The env files operators source (as the producers view and the checker use them).
    envFiles: c.get<string[]>('envFiles', ['setup.env']),
    // A host is production if its entry says so OR the production list names it: a flag can add
    // the typed confirmation, never take it away.
    production: { hosts: entry.production === true ? [...productionHosts, entry.alias] : productionHosts, partitions: c.get<string[]>('production.partitions') ?? [] },
    backupDirectory: c.get<string>('backupDirectory') || undefined,
    backupsKeep: c.get<number>('backups.keep') ?? DEFAULT_BACKUPS_KEEP,
    auditLogFile: c.get<string>('auditLogFile') || undefined,
    verifyTimeoutSeconds: Math.max(5, c.get<number>('verify.timeoutSeconds') ?? 60),
    dryRun: c.get<boolean>('dryRun') === true,
    enableHotAdd: c.get<boolean>('enableHotAdd') === true,
  };
}

/** The producer's compose file when it sits beside the main one, else the main one. */
export function siblingComposeFile(main: string, given: string | undefined): string {
  if (!given || given.includes('\0') || !posix.isAbsolute(given)) return main;
  const norm = posix.normalize(given);
  return posix.dirname(norm) === posix.dirname(main) && /\.ya?ml$/i.test(norm) ? norm : main;
}

/** A verification report and the host it was taken on. */
export type HostVerifyReport = VerifyReport & { host?: string };

export class OpsService implements vscode.Disposable {
  readonly output = vscode.window.createOutputChannel('EFD SAL Kafka: Operations');
  private readonly verified = new vscode.EventEmitter<HostVerifyReport>();
  /** Every verification report, after a change or on demand (the producers view shows the last one). */
  readonly onDidVerify = this.verified.event;

  publishVerification(report: VerifyReport, host?: string): void {
    this.verified.fire({ ...report, host });
  }
  readonly auditOutput = vscode.window.createOutputChannel('EFD SAL Kafka: Audit');
  readonly docs = new PlanDocuments();
  private readonly catalogues = new CatalogueSource(() => ({ defaultCatalogue, Catalogue }));
  private prompterImpl: Prompter = new VsCodePrompter();
  /** The last plan shown (for Announce) and its outcome when it ran. */
  last: { plan: Plan; outcome?: PipelineOutcome } | undefined;

  constructor(
    readonly manager: ConnectionManager,
    private readonly hooks: { afterChange?(alias: string): void; onLockChange?(alias: string): void } = {},
  ) {}

  get prompter(): Prompter {
    return this.prompterImpl;
  }
  setPrompter(p: Prompter | undefined): void {
    this.prompterImpl = p ?? new VsCodePrompter();
  }

  catalogue(): Promise<Catalogue> {
    return this.catalogues.get();
  }

  /**
   * The connected host a command acts on, connecting if needed: the given alias (the selected
   * tree item's host), else the only configured host, else the one the user picks.
   */
  async connection(alias?: string): Promise<Host> {
    let target = alias;
    if (!target) {
      const entries = this.manager.entries();
      if (entries.length === 1) target = entries[0].alias;
      else {
        const picked = await this.prompter.pick({
          title: 'Which producers host?',
          placeHolder: 'Host (efdSalkafka.producerHosts)',
          items: entries.map((e) => ({ label: e.alias, description: `${this.manager.get(e.alias)?.state ?? 'disconnected'} · ${e.composeFile}` })),
        });
        if (!picked) throw new OpsCancelledError('no host chosen');
        target = picked.label;
      }
    }
    return this.manager.connected(target) ?? this.manager.connect(target);
  }

  async planContext(conn: Host, composeFile?: string): Promise<PlanContext> {
    return loadPlanContext(conn, readOpsSettings(conn.alias, composeFile), await this.catalogue());
  }

  producers(ctx: PlanContext): ServiceModel[] {
    return parseCompose(ctx.composeContent.toString('utf8'), { variables: ctx.variables }).services.filter((s) => s.isProducer);
  }

  /** Quick pick of a producer service (unless given), with its container state. */
  async pickService(ctx: PlanContext, given: string | undefined, title: string, filter: (s: ServiceModel) => boolean = () => true): Promise<string | undefined> {
    if (given) return given;
    const items = this.producers(ctx)
      .filter(filter)
      .map((s) => ({
        label: s.name,
        description: ctx.containers[s.name]?.state ?? 'not created',
        detail: (s.cscList?.tokens ?? []).map((t) => t.text).join(' '),
      }));
    if (!items.length) {
      void vscode.window.showWarningMessage(`EFD SAL Kafka: no producer in ${ctx.composePath} fits.`);
      return undefined;
    }
    return (await this.prompter.pick({ title, placeHolder: 'Producer (compose service)', items }))?.label;
  }

  /** Shows why a plan was refused; returns true when the user wants to force past lint errors. */
  async explainRefusal(err: unknown, title: string): Promise<'force' | undefined> {
    if (err instanceof OpsRefusedError) {
      if (err.code === 'lint-errors') {
        const a = await this.prompter.modal({
          message: `${title}: refused`,
          detail: `${err.message}\n\n${err.details.join('\n')}\n\nForcing will very likely make the producer exit (restart loop) until you remove it again.`,
          choices: ['Plan anyway (force)'],
        });
        return a === 'Plan anyway (force)' ? 'force' : undefined;
      }
      void vscode.window.showWarningMessage(`EFD SAL Kafka: ${err.message}`);
      return undefined;
    }
    void vscode.window.showErrorMessage(`EFD SAL Kafka: ${title} failed: ${(err as Error).message}`);
    return undefined;
  }

  /**
   * Plan → confirm → (backup → apply → verify → record). Returns the outcome, or undefined
   * when the user declined (nothing happened, nothing recorded).
   */
  async confirmAndRun(conn: Host, plan: Plan): Promise<PipelineOutcome | undefined> {
    // The plan's compose file: the producer's own (a sibling of the main one) or the main one.
    const settings = readOpsSettings(conn.alias, plan.composePath);
    this.last = { plan };
    // plan → apply → verify holds the host lock (a dry run changes nothing and takes none).
    let lock: HeldLock | undefined;
    if (!settings.dryRun) {
      lock = await takeHostLock(conn, settings.composePath, plan, {
        prompter: this.prompter,
        localUser: safeUser(),
        auditPath: auditLogPath(settings.composePath, settings.auditLogFile),
        log: (l) => this.output.appendLine(l),
      });
      if (!lock) {
        this.output.appendLine('The host lock was not taken: nothing was changed.');
        return undefined;
      }
      this.hooks.onLockChange?.(conn.alias);
    }
    try {
      return await this.confirmAndRunLocked(conn, plan, settings);
    } finally {
      await lock?.release();
      if (lock) this.hooks.onLockChange?.(conn.alias);
    }
  }

  private async confirmAndRunLocked(conn: Host, plan: Plan, settings: OpsSettings): Promise<PipelineOutcome | undefined> {
    // 1. The plan: diff editor for the file, plan document for the commands.
    // Every file's diff (a new file against empty, a removed one against empty).
    for (const f of plan.files) {
      const title = plan.files.length > 1 ? `${plan.summary} — ${f.kind} ${posix.basename(f.path)}` : `${plan.summary} — current ↔ planned`;
      await this.docs.showDiff(plan.id, f.oldText, f.newText, title, plan.files.length > 1 ? f.path : undefined);
    }
    const planMd = planMarkdown(plan, settings.dryRun);
    this.docs.put(plan.id, 'plan.md', planMd);
    if (!plan.files.length || plan.stages?.length) await this.docs.showMarkdown(plan.id, 'plan.md', planMd);
    this.output.appendLine(`\n=== ${new Date().toISOString()} PLAN ${plan.summary}\n${planDetail(plan, settings.dryRun)}`);
    // 2. Modal confirmation.
    const go = settings.dryRun ? 'Dry run' : plan.production.production ? 'Continue…' : 'Apply';
    const answer = await this.prompter.modal({
      message: `${settings.dryRun ? '[DRY RUN] ' : ''}${plan.production.production ? 'PRODUCTION — ' : ''}${plan.summary}?`,
      detail: planDetail(plan, settings.dryRun),
      choices: [go],
    });
    if (answer !== go) {
      this.output.appendLine('Declined: nothing was changed.');
      return undefined;
    }
    // 3. Production: type the service name.
    if (plan.production.production && !settings.dryRun) {
      const typed = await this.prompter.input({
        title: `Confirm a PRODUCTION change on ${plan.host}`,
        prompt: `${plan.production.reasons.join('; ')}. Type ${plan.service} to ${plan.summary.charAt(0).toLowerCase()}${plan.summary.slice(1)}.`,
        placeHolder: plan.service,
        validate: (v) => (v === plan.service ? undefined : `Type exactly ${plan.service}`),
      });
      if (typed !== plan.service) {
        this.output.appendLine('Production confirmation not given: nothing was changed.');
        return undefined;
      }
    }
    // 4. Run it, cancellable until the compose file is written.
    this.output.show(true);
    const auditPath = auditLogPath(settings.composePath, settings.auditLogFile);
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: plan.summary, cancellable: true },
      (progress, token) => {
        const ac = new AbortController();
        token.onCancellationRequested(() => {
          ac.abort();
          this.output.appendLine('Cancel requested: honoured only until the compose file is written; a running compose command is never interrupted.');
        });
        return executePlan(plan, conn, {
          dryRun: settings.dryRun,
          backupDirectory: settings.backupDirectory,
          backupsKeep: settings.backupsKeep,
          auditPath,
          who: { localUser: safeUser(), remoteUser: conn.target.user },
          verifyTimeoutSeconds: settings.verifyTimeoutSeconds,
          signal: ac.signal,
          onOutput: (text) => this.output.append(text),
          onStep: (m) => {
            progress.report({ message: m });
            this.output.appendLine(`▶ ${m}`);
          },
          onAudit: (r, err) => this.recordAudit(r, auditPath, err),
        });
      },
    );
    this.last = { plan, outcome };
    this.report(outcome, conn.alias);
    this.hooks.afterChange?.(conn.alias);
    return outcome;
  }

  private recordAudit(r: AuditRecord, path: string, err?: Error): void {
    this.auditOutput.appendLine(formatAuditRecord(r));
    if (err) {
      this.auditOutput.appendLine(`  !! could not append to ${path} on the host: ${err.message}`);
      void vscode.window.showWarningMessage(`EFD SAL Kafka: the audit record could not be written to ${path}: ${err.message}`);
    }
  }

  private report(o: PipelineOutcome, alias: string): void {
    this.output.appendLine(`\n${o.result.status.toUpperCase()}: ${o.result.hostState}`);
    if (o.result.error) this.output.appendLine(`Error: ${o.result.error}`);
    if (o.result.stages.length > 1) {
      // Every stage's report under its producer; the summary says what ran.
      for (const s of o.result.stages) if (s.verify && s.verify !== o.verify) this.publishVerification(s.verify, alias);
      const { completed, failed, notRun } = o.stages;
      this.output.appendLine(`Stages — done: ${completed.join('; ') || 'none'}${failed.length ? ` · FAILED: ${failed.join('; ')}` : ''}${notRun.length ? ` · never ran: ${notRun.join('; ')}` : ''}`);
    }
    if (o.verify) {
      this.publishVerification(o.verify, alias);
      this.output.appendLine(verifyText(o.verify));
      void this.docs.showMarkdown(o.plan.id, 'verification.md', verifyMarkdown(o.verify));
    }
    const s = o.plan.summary;
    if (o.result.status === 'dry-run') void vscode.window.showInformationMessage(`EFD SAL Kafka: dry run of "${s}": nothing was changed.`);
    else if (o.ok) void vscode.window.showInformationMessage(`EFD SAL Kafka: ${s} — done; verification ${o.verify ? 'PASSED' : 'not needed'}.`, 'Copy Announcement').then((a) => a && this.copyAnnouncement());
    else if (o.result.status === 'applied') void vscode.window.showErrorMessage(`EFD SAL Kafka: ${s} — applied but verification FAILED: ${o.verify?.summary}`, 'Troubleshoot').then((a) => a && vscode.commands.executeCommand('efdSalkafka.troubleshoot', { service: o.plan.service.split(' ')[0], host: alias }));
    else void vscode.window.showErrorMessage(`EFD SAL Kafka: ${s} — ${o.result.status}: ${o.result.hostState}`, { modal: o.result.status !== 'refused' && o.result.status !== 'cancelled' });
  }

  async copyAnnouncement(): Promise<string | undefined> {
    if (!this.last) {
      void vscode.window.showInformationMessage('EFD SAL Kafka: no plan yet in this window; plan a change first.');
      return undefined;
    }
    const text = announcementText(this.last.plan, { user: safeUser(), result: this.last.outcome?.result, verify: this.last.outcome?.verify });
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage('EFD SAL Kafka: announcement copied to the clipboard.');
    return text;
  }

  dispose(): void {
    this.verified.dispose();
    this.output.dispose();
    this.auditOutput.dispose();
    this.docs.dispose();
    this.catalogues.dispose();
  }
}

/** The user closed a host or producer picker: not an error worth a message. */
export class OpsCancelledError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpsCancelledError';
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}
