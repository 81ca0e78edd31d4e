// The plan: everything a change will do, computed before the user confirms and before the host
// is touched. Pure: the caller reads the compose file, the containers and the settings, and the
// plan says which bytes will be written, which commands run (argv and display form), where the
// backup goes, whether the producer is production, and how to roll back.
//
// Adding a plan kind (the contract):
// - A kind is a pure function (PlanContext, its own arguments) → Plan. It reads nothing from the
//   host itself: the caller passes the bytes of every file it may touch. It throws
//   OpsRefusedError for a change it will not plan (unknown service, missing env file…).
// - Files: `files` lists every file the plan writes, each made with plannedFile():
//   'modify' (old bytes → new bytes), 'create' (no file yet) or 'delete'. All of them must sit in
//   the directory of `composePath` or below it, so the one host lock (per kafka_writers
//   directory, hostLock.ts) and the one audit log cover the whole change.
// - Stages: one stage is `commands` + `verify` + `containerName` (every kind before stages). A
//   kind with several stages calls withStages(plan, stages): each stage has its label, the
//   services it touches, its commands and the container it verifies; `commands` becomes the
//   stages' commands in order (shown and audited as today).
// - The pipeline (pipeline.ts) then guarantees: every file is re-checked (modify/delete against
//   its sha256, create refused if the name exists), every existing file is backed up (exact
//   bytes, pruned per file) before anything is written, writes are atomic and a failed write
//   puts back the ones before it; stages run in order, each verified before the next; at the
//   first failure nothing after it runs, and the outcome and the audit record say per stage
//   what was verified, what failed and what never ran. `rollback` is the text shown when it
//   fails; planFilesRollback() builds the plan that undoes a multi-file plan from its backups.
import { randomBytes } from 'node:crypto';
import * as posix from 'node:path/posix';
import type { Catalogue } from '../catalogue/catalogue';
import type { ServiceModel, Variables } from '../compose/model';
import { parseCompose } from '../compose/parseCompose';
import { buildComposeArgv } from '../docker/composeRunner';
import type { ComposeFlavor, ComposeRunOptions, ComposeSubcommand } from '../docker/composeRunner';
import { InvalidNameError, validateServiceName } from '../remote/names';
import { sha256Hex } from '../remote/remoteFiles';
import { shellQuote } from '../remote/shellQuote';
import { backupDirectory, backupName } from './backup';
import { addCscToService, removeCscFromService } from './composeEdit';
import type { CscEditResult } from './composeEdit';
import { OpsRefusedError } from './errors';
import { requireServiceEnv, sourcedArgv, sourcedByHand, sourcedSuffix } from './envSourcing';
import type { MissingEnvFile, SourcedEnvFile } from './envSourcing';
import { detectProduction } from './production';
import type { ProductionSettings, ProductionVerdict } from './production';
import { graceNote, graceText, stopGraceFor } from './stopGrace';
import type { StopGrace } from './stopGrace';

// 'provision-dev', 'take-down-dev' and 'upgrade-cycle' are reserved for the development-producer
// and cycle-upgrade kinds (the audit log and the UI already accept them); nothing plans them yet.
export type OpsAction =
  | 'add-csc'
  | 'remove-csc'
  | 'apply'
  | 'restart'
  | 'stop'
  | 'start'
  | 'rollback'
  | 'hot-add'
  | 'provision-dev'
  | 'take-down-dev'
  | 'upgrade-cycle';

export interface PlannedCommand {
  /** Why this step runs, in words (plan, progress, audit log). */
  purpose: string;
  argv: string[];
  /** Remote working directory (the kafka_writers directory for compose). */
  cwd?: string;
  /** The command as a person would type it (quoted only where needed), and the env files sourced. */
  display: string;
  /** The whole line to type by hand on the host (sourcing the env files, cd, command). */
  byHand?: string;
  /** validate: a failure restores the previous file; change: the step that changes containers. */
  role: 'validate' | 'change';
}

export interface PlannedFileChange {
  /**
   * modify: checked against expectedSha256 at apply, backed up, replaced atomically.
   * create: refused at apply if the name exists by then (oldContent is empty, no backup).
   * delete: checked and backed up, then removed (newContent is empty).
   */
  kind: 'modify' | 'create' | 'delete';
  path: string;
  oldContent: Buffer;
  newContent: Buffer;
  /** Texts for the diff (empty for the missing side of create/delete). */
  oldText: string;
  newText: string;
  /** sha256 the remote file must still have when the plan is applied ('' for create). */
  expectedSha256: string;
  /** sha256 of the file after the change ('' for delete). */
  newSha256: string;
  /** The backup of oldContent the apply step writes (exact bytes; '' for create). */
  backupPath: string;
  backupAt: string;
}

/** One step of a staged plan: its commands run, then its container is verified, then the next. */
export interface PlanStage {
  /** "Re-create salkafka-m2 on c0044". */
  label: string;
  /** The compose services the stage touches (re-upped on rollback if the stage ran). */
  services: string[];
  commands: PlannedCommand[];
  /** The container verified after the commands, and what it should show. */
  verify: { container: string; expect: VerifyExpectation };
}

export interface VerifyExpectation {
  /** What the container should be doing after the change; skip: nothing to check. */
  state: 'running' | 'stopped' | 'skip';
  /**
   * yes: the change recreates/restarts the container (StartedAt after the action); no: it must
   * not restart (hot add); either: compose decides (Apply recreates only on drift).
   */
  restarted: 'yes' | 'no' | 'either';
  /** CSC_LIST words each producer log must show (csc words only). */
  cscs: string[];
  /** CSC_LIST uses --file: the per-CSC check is skipped with a note. */
  fileProducer: boolean;
  /**
   * Also require samples from every CSC (a development producer: a component that is not on the
   * producer's DDS domain starts cleanly and sends nothing). Judged from the producer's message
   * counts when it logs them; skipped with a note when it does not.
   */
  samples?: boolean;
}

export interface Plan {
  id: string;
  action: OpsAction;
  /** One line: "Add MTDome to salkafka-m2 on azar2". */
  summary: string;
  host: string;
  service: string;
  containerName: string;
  createdAt: string;
  composePath: string;
  /** sha256 of the compose file the plan was computed from. */
  basedOnSha256: string;
  csc?: string;
  cscListBefore: string[];
  cscListAfter: string[];
  /** Every file the change writes, creates or removes (empty: no file changes). */
  files: PlannedFileChange[];
  /** All commands, in order (for a staged plan: the stages' commands, see withStages). */
  commands: PlannedCommand[];
  /** Several stages, each verified before the next; absent = one stage (commands + verify). */
  stages?: PlanStage[];
  production: ProductionVerdict;
  /** State of the container when the plan was made. */
  containerState: string;
  /** Things the user must read before confirming. */
  warnings: string[];
  /** How to undo, as steps a person can follow. */
  rollback: string[];
  /** Whether the change survives a container restart (false for hot add). */
  persistent: boolean;
  /** Forced past lint errors: the errors it adds. */
  forcedErrors: string[];
  verify: VerifyExpectation;
  /** Hot add only: the in-container step (see hotAdd.ts). */
  hotAdd?: HotAddDetails;
}

export interface HotAddDetails {
  container: string;
  /** The producer process to replace, or undefined when a new process is started beside it. */
  replacePid?: number;
  mode: 'replace' | 'beside';
  /** argv of the producer process that will be started inside the container. */
  producerArgv: string[];
}

export interface ContainerInfo {
  /** Docker state: running, exited, restarting, created…; absent = no container. */
  state: string;
  id?: string;
  name: string;
}

export interface PlanContext {
  host: { alias: string; hostName?: string };
  composePath: string;
  /** Exact bytes of the compose file as read from the host. */
  composeContent: Buffer;
  /** Interpolation variables: .env beside the compose file, then the sourced env files (envDiscovery). */
  variables?: Variables;
  /** Env files operators source before docker-compose (header, efdSalkafka.envFiles); every compose command sources them. */
  sourcedEnvFiles?: SourcedEnvFile[];
  /** Env files the compose file's header names that are not on the host: plans that create containers are refused. */
  missingEnvFiles?: MissingEnvFile[];
  flavor: ComposeFlavor;
  production: ProductionSettings;
  /** efdSalkafka.backupDirectory. */
  backupDirectory?: string;
  /** Containers by service name (missing = not created). */
  containers: Record<string, ContainerInfo | undefined>;
  catalogue?: Catalogue;
  now?: Date;
}

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** A command line for people: words quoted only when the shell would otherwise change them. */
export function displayCommand(argv: readonly string[], cwd?: string): string {
  const words = argv.map((w) => (SAFE_WORD.test(w) ? w : shellQuote(w))).join(' ');
  return cwd ? `cd ${SAFE_WORD.test(cwd) ? cwd : shellQuote(cwd)} && ${words}` : words;
}

// Compose runs with the env files sourced, as in the operator's shell (see envSourcing.ts).
function composeCommand(ctx: PlanContext, sub: ComposeSubcommand, opts: ComposeRunOptions, purpose: string, role: PlannedCommand['role']): PlannedCommand {
  const compose = buildComposeArgv(ctx.flavor, ctx.composePath, sub, opts);
  const files = ctx.sourcedEnvFiles ?? [];
  const cwd = posix.dirname(ctx.composePath);
  return {
    purpose,
    argv: sourcedArgv(files, compose),
    cwd,
    display: displayCommand(compose) + sourcedSuffix(files),
    byHand: sourcedByHand(files, displayCommand(compose, cwd), shellQuoteIfNeeded),
    role,
  };
}

/** Containers created from the file must not get blanks for missing env (refuses the plan). */
function requireEnv(ctx: PlanContext, services: readonly string[]): void {
  const model = parseCompose(composeText(ctx), { variables: ctx.variables });
  for (const name of services) {
    const svc = model.services.find((s) => s.name === name);
    if (svc) requireServiceEnv(svc, ctx.variables ?? {}, ctx.missingEnvFiles ?? [], ctx.composePath);
  }
}

function composeText(ctx: PlanContext): string {
  return ctx.composeContent.toString('utf8');
}

function service(ctx: PlanContext, name: string): ServiceModel {
  try {
    validateServiceName(name);
  } catch (err) {
    if (err instanceof InvalidNameError) throw new OpsRefusedError('invalid-name', err.message);
    throw err;
  }
  const svc = parseCompose(composeText(ctx), { variables: ctx.variables }).services.find((s) => s.name === name);
  if (!svc) throw new OpsRefusedError('unknown-service', `There is no service ${name} in ${ctx.composePath}.`);
  if (!svc.isProducer) throw new OpsRefusedError('not-producer', `${name} is not a SAL Kafka producer (no CSC_LIST, name not salkafka-*).`);
  return svc;
}

function cscWords(svc: ServiceModel | undefined): string[] {
  return (svc?.cscList?.tokens ?? []).map((t) => t.text);
}

function expectation(svc: ServiceModel | undefined, words: string[], state: 'running' | 'stopped', restarted: VerifyExpectation['restarted']): VerifyExpectation {
  const tokens = svc?.cscList?.tokens ?? [];
  const fileProducer = tokens.some((t) => t.kind === 'option' && t.name === '--file');
  // Words of the new list that are CSCs: recompute from the words so add/remove are reflected.
  const valueOpts = new Set(tokens.filter((t) => t.kind === 'optionValue').map((t) => t.text));
  const cscs = words.filter((w) => !w.startsWith('-') && !valueOpts.has(w));
  return { state, restarted, cscs: fileProducer ? [] : cscs, fileProducer };
}

function containerOf(ctx: PlanContext, svc: ServiceModel): ContainerInfo {
  return ctx.containers[svc.name] ?? { state: 'not created', name: svc.containerName?.value ?? svc.name };
}

const isUp = (state: string) => state === 'running' || state === 'restarting';

function base(ctx: PlanContext, action: OpsAction, svc: ServiceModel, summary: string): Plan {
  const now = ctx.now ?? new Date();
  const c = containerOf(ctx, svc);
  const words = cscWords(svc);
  return {
    id: randomBytes(6).toString('hex'),
    action,
    summary,
    host: ctx.host.alias,
    service: svc.name,
    containerName: c.name,
    createdAt: now.toISOString(),
    composePath: ctx.composePath,
    basedOnSha256: sha256Hex(ctx.composeContent),
    cscListBefore: words,
    cscListAfter: words,
    files: [],
    commands: [],
    production: detectProduction(ctx.host, svc, ctx.production),
    containerState: c.state,
    warnings: [],
    rollback: [],
    persistent: true,
    forcedErrors: [],
    verify: expectation(svc, words, 'running', 'yes'),
  };
}

function fileChange(ctx: PlanContext, newContent: Buffer): PlannedFileChange {
  return plannedFile(ctx, 'modify', ctx.composePath, ctx.composeContent, newContent);
}

/**
 * One planned file change. `oldContent` is the file's bytes as read for the plan (undefined for
 * create), `newContent` the bytes to write (undefined for delete). The backup goes where Roll Back
 * finds it (efdSalkafka.backupDirectory, relative to the file's own directory).
 */
export function plannedFile(ctx: Pick<PlanContext, 'backupDirectory' | 'now'>, kind: PlannedFileChange['kind'], path: string, oldContent: Buffer | undefined, newContent: Buffer | undefined): PlannedFileChange {
  const now = ctx.now ?? new Date();
  const empty = Buffer.alloc(0);
  const before = kind === 'create' ? empty : (oldContent ?? empty);
  const after = kind === 'delete' ? empty : (newContent ?? empty);
  return {
    kind,
    path,
    oldContent: before,
    newContent: after,
    oldText: before.toString('utf8'),
    newText: after.toString('utf8'),
    expectedSha256: kind === 'create' ? '' : sha256Hex(before),
    newSha256: kind === 'delete' ? '' : sha256Hex(after),
    backupPath: kind === 'create' ? '' : posix.join(backupDirectory(path, { directory: ctx.backupDirectory }), backupName(path, now)),
    backupAt: now.toISOString(),
  };
}

/** The plan as stages: its own, or the one stage every plan without stages is. */
export function planStages(plan: Plan): PlanStage[] {
  if (plan.stages?.length) return plan.stages;
  return [{ label: plan.summary, services: plan.service.split(' ').filter(Boolean), commands: plan.commands, verify: { container: plan.containerName, expect: plan.verify } }];
}

/**
 * The plan of a change that is not one producer's (several producers, files only): nothing
 * planned yet, nothing to verify; the kind fills in files, warnings and rollback, then its
 * stages through withStages. Production: not, until the kind says otherwise.
 */
export function emptyPlan(ctx: PlanContext, action: OpsAction, summary: string, service: string): Plan {
  const now = ctx.now ?? new Date();
  return {
    id: randomBytes(6).toString('hex'),
    action,
    summary,
    host: ctx.host.alias,
    service,
    containerName: '',
    createdAt: now.toISOString(),
    composePath: ctx.composePath,
    basedOnSha256: sha256Hex(ctx.composeContent),
    cscListBefore: [],
    cscListAfter: [],
    files: [],
    commands: [],
    production: { production: false, reasons: [] },
    containerState: ctx.containers[service]?.state ?? 'not created',
    warnings: [],
    rollback: [],
    persistent: true,
    forcedErrors: [],
    verify: { state: 'skip', restarted: 'either', cscs: [], fileProducer: false },
  };
}

/**
 * Gives a plan several stages: `commands` becomes their commands in order, and the plan's own
 * container/verify those of the first stage (what the single-stage views show).
 */
export function withStages(plan: Plan, stages: PlanStage[]): Plan {
  if (!stages.length) throw new Error('A staged plan needs at least one stage.');
  plan.stages = stages;
  plan.commands = stages.flatMap((s) => s.commands);
  plan.containerName = stages[0].verify.container;
  plan.verify = stages[0].verify.expect;
  return plan;
}

/**
 * The compose command of a stage, with the env files sourced as for every other command.
 * `composePath`: the file that defines the services (a sibling of the main compose file).
 */
export function stageComposeCommand(ctx: PlanContext, sub: ComposeSubcommand, opts: ComposeRunOptions, purpose: string, composePath = ctx.composePath): PlannedCommand {
  return composeCommand({ ...ctx, composePath }, sub, opts, purpose, 'change');
}

/** One file of an applied plan and what it holds now / held before (read by the caller). */
export interface FileRestore {
  path: string;
  /** What the applied plan did to it. */
  kind: PlannedFileChange['kind'];
  /** The file's bytes now (absent: it is not there). */
  current?: Buffer;
  /** The backup's bytes (absent for a file the plan created). */
  backup?: Buffer;
}

/**
 * Undoes a multi-file plan: every modified or removed file gets its backup's bytes back, every
 * created file is removed (after its own backup), then the services of the stages that ran are
 * re-created one stage each, verified in turn. `remove`: containers of services whose file goes
 * away (compose can no longer name them), stopped with their grace and removed first.
 */
export function planFilesRollback(
  ctx: PlanContext,
  restores: FileRestore[],
  what: { summary: string; reUp: { service: string; container: string; composePath: string }[]; remove: { container: string; graceSeconds: number }[] },
): Plan {
  const files = restores.map((r) => {
    if (r.kind === 'create') {
      if (!r.current) throw new OpsRefusedError('no-change', `${r.path} is already gone; nothing to remove.`);
      return plannedFile(ctx, 'delete', r.path, r.current, undefined);
    }
    if (!r.backup) throw new OpsRefusedError('no-change', `There is no backup of ${r.path} to restore.`);
    return r.current ? plannedFile(ctx, 'modify', r.path, r.current, r.backup) : plannedFile(ctx, 'create', r.path, undefined, r.backup);
  });
  const changing = files.filter((f) => f.kind !== 'modify' || f.expectedSha256 !== f.newSha256);
  if (!changing.length) throw new OpsRefusedError('no-change', 'Every file already has the content of its backup; nothing to roll back.');
  const skip: VerifyExpectation = { state: 'skip', restarted: 'either', cscs: [], fileProducer: false };
  const stages: PlanStage[] = [];
  if (what.remove.length) {
    stages.push({
      label: `remove ${what.remove.map((r) => r.container).join(', ')}`,
      services: [],
      commands: what.remove.flatMap((r) => [dockerCommand(['docker', 'stop', '-t', String(r.graceSeconds), r.container], `stop ${r.container} (its compose file is removed)`), dockerCommand(['docker', 'rm', r.container], `remove the container ${r.container}`)]),
      verify: { container: what.remove[0].container, expect: skip },
    });
  }
  for (const u of what.reUp) {
    stages.push({
      label: `re-create ${u.service}`,
      services: [u.service],
      commands: [stageComposeCommand(ctx, 'up', { flags: ['-d', '--no-deps'], services: [u.service] }, `re-create ${u.service} from the restored file`, u.composePath)],
      verify: { container: u.container, expect: { state: 'running', restarted: 'either', cscs: [], fileProducer: false } },
    });
  }
  const plan: Plan = {
    ...emptyPlan(ctx, 'rollback', what.summary, what.reUp.map((u) => u.service).join(' ') || '(files only)'),
    files: changing,
    production: rollbackProduction(ctx, what.reUp.map((u) => u.service)),
    containerState: '',
    rollback: ['The files as they were before this roll back are kept as backups beside them; roll back to those to redo the change.'],
  };
  if (!stages.length) stages.push({ label: 'restore the files', services: [], commands: [], verify: { container: '', expect: skip } });
  return withStages(plan, stages);
}

/** Production if any re-created producer of the main compose file is (else the host's verdict). */
function rollbackProduction(ctx: PlanContext, services: string[]): ProductionVerdict {
  let model: ServiceModel[] = [];
  try {
    model = parseCompose(composeText(ctx), { variables: ctx.variables }).services;
  } catch {
    // An unreadable main file: the verdict falls back to the host alone.
  }
  const verdicts = (services.length ? services : ['']).map((n) => detectProduction(ctx.host, model.find((s) => s.name === n), ctx.production));
  return verdicts.find((v) => v.production) ?? verdicts[0];
}

function dockerCommand(argv: string[], purpose: string): PlannedCommand {
  return { purpose, argv, display: displayCommand(argv), role: 'change' };
}

// No separate `config -q` step: `up` parses the whole file before touching any container, and
// apply restores the previous bytes when `up` fails with the container untouched. (A separate
// check cost ~3–6 s of python start-up on the test host for the same protection.)
// `up -t N`: a recreate stops the old container first, with the same grace as Stop.
function upCommands(ctx: PlanContext, services: string[], _fileChanges: boolean, model?: ServiceModel[]): PlannedCommand[] {
  const out: PlannedCommand[] = [];
  if (services.length) {
    requireEnv(ctx, services);
    const g = graceOf(ctx, services, model);
    out.push(composeCommand(ctx, 'up', { flags: ['-d', '--no-deps', '-t', String(g.seconds)], services }, `recreate ${services.join(', ')} from the compose file (${graceText(g)})`, 'change'));
  }
  return out;
}

/** The longest grace among the services (each the longer of the default and its stop_grace_period). */
function graceOf(ctx: PlanContext, services: string[], model?: ServiceModel[]): StopGrace {
  const all = model ?? parseCompose(composeText(ctx), { variables: ctx.variables }).services;
  const graces = services.map((n) => stopGraceFor(all.find((s) => s.name === n)));
  return graces.reduce((a, b) => (b.seconds > a.seconds ? b : a), stopGraceFor(undefined));
}

function graceWarnings(plan: Plan, g: StopGrace): void {
  plan.warnings.push(graceNote(plan.service, g));
  if (g.unreadable !== undefined) {
    plan.warnings.push(`stop_grace_period "${g.unreadable}" of ${plan.service} is not a duration docker-compose reads; the ${g.seconds} s default grace is used.`);
  }
}

function restoreSteps(plan: Plan, ctx: PlanContext, services: string[]): string[] {
  const f = plan.files[0];
  const up = composeCommand(ctx, 'up', { flags: ['-d', '--no-deps', '-t', String(graceOf(ctx, services).seconds)], services }, '', 'change');
  return [
    `In VS Code: "EFD SAL Kafka: Roll Back Compose File…" and pick the backup ${posix.basename(f.backupPath)}.`,
    `By hand on ${plan.host}: cp -p ${shellQuoteIfNeeded(f.backupPath)} ${shellQuoteIfNeeded(f.path)} && ${up.byHand}`,
  ];
}

const shellQuoteIfNeeded = (w: string) => (SAFE_WORD.test(w) ? w : shellQuote(w));

function notRunningWarning(plan: Plan): void {
  if (!isUp(plan.containerState)) {
    plan.warnings.push(`${plan.containerName} is ${plan.containerState} now: docker-compose up -d will START it.`);
  }
}

function cscPlan(ctx: PlanContext, action: 'add-csc' | 'remove-csc', serviceName: string, csc: string, force: boolean): Plan {
  const edit: CscEditResult = (action === 'add-csc' ? addCscToService : removeCscFromService)(composeText(ctx), serviceName, csc, {
    catalogue: ctx.catalogue,
    variables: ctx.variables,
    force,
  });
  const svc = service(ctx, serviceName);
  const plan = base(ctx, action, svc, action === 'add-csc' ? `Add ${csc} to ${serviceName} on ${ctx.host.alias}` : `Remove ${csc} from ${serviceName} on ${ctx.host.alias}`);
  plan.csc = csc;
  plan.cscListAfter = edit.after;
  plan.files = [fileChange(ctx, Buffer.from(edit.text, 'utf8'))];
  plan.commands = upCommands(ctx, [serviceName], true);
  graceWarnings(plan, stopGraceFor(svc));
  plan.forcedErrors = edit.addedErrors.map((d) => `${d.code}: ${d.message}`);
  if (plan.forcedErrors.length) {
    plan.warnings.push(`FORCED past lint errors — the producer will likely fail to start: ${edit.addedErrors.map((d) => d.message).join(' ')}`);
  }
  notRunningWarning(plan);
  plan.verify = expectation(svc, edit.after, 'running', 'yes');
  plan.rollback = restoreSteps(plan, ctx, [serviceName]);
  return plan;
}

export function planAddCsc(ctx: PlanContext, serviceName: string, csc: string, opts: { force?: boolean } = {}): Plan {
  return cscPlan(ctx, 'add-csc', serviceName, csc, opts.force === true);
}

export function planRemoveCsc(ctx: PlanContext, serviceName: string, csc: string, opts: { force?: boolean } = {}): Plan {
  return cscPlan(ctx, 'remove-csc', serviceName, csc, opts.force === true);
}

/** `up -d --no-deps`: make the container match the compose file as it is on the host. */
export function planApply(ctx: PlanContext, serviceName: string): Plan {
  const svc = service(ctx, serviceName);
  const plan = base(ctx, 'apply', svc, `Apply the compose file to ${serviceName} on ${ctx.host.alias}`);
  plan.commands = upCommands(ctx, [serviceName], false);
  graceWarnings(plan, stopGraceFor(svc));
  notRunningWarning(plan);
  plan.warnings.push('docker-compose recreates the container only if its configuration differs from the file; otherwise nothing restarts.');
  plan.verify.restarted = 'either';
  plan.rollback = [
    'The compose file is not changed by Apply. To return to an earlier configuration, roll back the compose file to a backup ("EFD SAL Kafka: Roll Back Compose File…"), which applies it.',
  ];
  return plan;
}

/** restart / stop / start through docker-compose. */
export function planLifecycle(ctx: PlanContext, action: 'restart' | 'stop' | 'start', serviceName: string): Plan {
  const svc = service(ctx, serviceName);
  const verb = { restart: 'Restart', stop: 'Stop', start: 'Start' }[action];
  const plan = base(ctx, action, svc, `${verb} ${serviceName} on ${ctx.host.alias}`);
  const exists = plan.containerState !== 'not created';
  const g = stopGraceFor(svc);
  const t = String(g.seconds);
  const up = (services: string[]) => (requireEnv(ctx, services), composeCommand(ctx, 'up', { flags: ['-d', '--no-deps'], services }, `create and start ${services.join(', ')}`, 'change'));
  const startCmd = composeCommand(ctx, 'start', { services: [serviceName] }, `start ${serviceName}`, 'change');
  const stopCmd = composeCommand(ctx, 'stop', { flags: ['-t', t], services: [serviceName] }, `stop ${serviceName} (${graceText(g)})`, 'change');
  if (action === 'restart') {
    if (!exists) throw new OpsRefusedError('not-running', `${serviceName} has no container to restart; use Start (it runs docker-compose up -d).`);
    plan.commands = [composeCommand(ctx, 'restart', { flags: ['-t', t], services: [serviceName] }, `restart ${serviceName} (${graceText(g)})`, 'change')];
    graceWarnings(plan, g);
    if (!isUp(plan.containerState)) plan.warnings.push(`${plan.containerName} is ${plan.containerState}: restart will start it.`);
    plan.warnings.push('Restart keeps the container\'s current configuration; edits of the compose file since it was created are not applied (use Apply for that).');
    plan.rollback = ['Nothing to undo: the producer runs with the same configuration. If it does not come back, run Troubleshoot, then Apply.'];
  } else if (action === 'stop') {
    if (!isUp(plan.containerState)) throw new OpsRefusedError('not-running', `${plan.containerName} is ${plan.containerState}; there is nothing to stop.`);
    plan.commands = [stopCmd];
    graceWarnings(plan, g);
    plan.warnings.push(`While ${serviceName} is stopped, the EFD receives NO data for ${plan.cscListBefore.join(' ')}.`);
    plan.verify = { ...plan.verify, state: 'stopped', restarted: 'either', cscs: [] };
    plan.rollback = [`Start it again: ${startCmd.byHand}`];
  } else {
    if (isUp(plan.containerState)) throw new OpsRefusedError('not-running', `${plan.containerName} is already ${plan.containerState}.`);
    plan.commands = [exists ? startCmd : up([serviceName])];
    plan.rollback = [`Stop it again: ${stopCmd.byHand}`];
  }
  // stop/start/restart of an existing container do not read the variables (up was refused above).
  const missing = ctx.missingEnvFiles ?? [];
  if (missing.length && !plan.commands.some((c) => c.argv.includes('up'))) {
    plan.warnings.push(`${missing.map((m) => m.name).join(', ')} (named in the compose file's header) ${missing.length > 1 ? 'are' : 'is'} not on the host; this command does not need it, but Apply and Add/Remove CSC will be refused until it is there.`);
  }
  return plan;
}

/** Services whose definition differs between two compose texts (by their source text). */
export function changedServices(oldText: string, newText: string, variables?: Variables): { changed: string[]; removed: string[] } {
  const slice = (text: string) =>
    new Map(parseCompose(text, { variables }).services.map((s) => [s.name, text.slice(s.nameRange.start, s.range.end)] as const));
  const a = slice(oldText);
  const b = slice(newText);
  const changed = [...b.keys()].filter((n) => a.get(n) !== b.get(n));
  const removed = [...a.keys()].filter((n) => !b.has(n));
  return { changed, removed };
}

/**
 * Restore a backup's exact bytes, then `up -d --no-deps` the producers whose definition changed
 * and whose containers are up. Stopped producers stay stopped (said in the warnings).
 */
export function planRollback(ctx: PlanContext, backup: { path: string; content: Buffer; takenAt: Date }): Plan {
  const oldText = composeText(ctx);
  const newText = backup.content.toString('utf8');
  if (sha256Hex(backup.content) === sha256Hex(ctx.composeContent)) {
    throw new OpsRefusedError('no-change', `The compose file already has the content of ${posix.basename(backup.path)}; nothing to roll back.`);
  }
  const { changed, removed } = changedServices(oldText, newText, ctx.variables);
  const newModel = parseCompose(newText, { variables: ctx.variables });
  const producers = changed.filter((n) => newModel.services.find((s) => s.name === n)?.isProducer);
  const toUp = producers.filter((n) => isUp(ctx.containers[n]?.state ?? 'not created'));
  const primary = toUp[0] ?? producers[0] ?? changed[0];
  const svcNew = newModel.services.find((s) => s.name === primary);
  const svcOld = primary ? parseCompose(oldText, { variables: ctx.variables }).services.find((s) => s.name === primary) : undefined;
  const plan: Plan = {
    ...base(ctx, 'rollback', (svcOld ?? svcNew ?? { name: primary ?? '(none)', env: new Map() }) as ServiceModel, ''),
    summary: `Roll back ${posix.basename(ctx.composePath)} on ${ctx.host.alias} to the backup of ${backup.takenAt.toISOString()}`,
  };
  plan.service = toUp.join(' ') || primary || '(no producer changes)';
  plan.cscListBefore = cscWords(svcOld);
  plan.cscListAfter = cscWords(svcNew);
  plan.files = [fileChange(ctx, backup.content)];
  plan.commands = upCommands(ctx, toUp, true, newModel.services);
  if (toUp.length) plan.warnings.push(graceNote(toUp.join(', '), graceOf(ctx, toUp, newModel.services)));
  for (const n of producers.filter((p) => !toUp.includes(p))) {
    plan.warnings.push(`${n} changes too but its container is ${ctx.containers[n]?.state ?? 'not created'}: the file is restored and ${n} is left as it is.`);
  }
  for (const n of changed.filter((c) => !producers.includes(c))) plan.warnings.push(`Service ${n} (not a producer) changes in the file; it is not restarted.`);
  for (const n of removed) plan.warnings.push(`Service ${n} is not in the backup; its container (if any) keeps running until removed by hand.`);
  if (!changed.length) plan.warnings.push('No service definition differs (only comments or formatting); no container is touched.');
  if (toUp.length > 1) plan.warnings.push(`Several producers are recreated: ${toUp.join(', ')}.`);
  plan.verify = toUp.length ? expectation(svcNew, plan.cscListAfter, 'running', 'yes') : { state: 'skip', restarted: 'either', cscs: [], fileProducer: false };
  // Production if any producer that is recreated (or the primary one) is.
  const verdicts = (toUp.length ? toUp : [primary]).map((n) => detectProduction(ctx.host, newModel.services.find((s) => s.name === n), ctx.production));
  plan.production = verdicts.find((v) => v.production) ?? verdicts[0] ?? plan.production;
  plan.rollback = restoreSteps(plan, ctx, toUp.length ? toUp : [primary ?? 'SERVICE']);
  return plan;
}
