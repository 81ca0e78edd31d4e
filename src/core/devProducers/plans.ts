// The two plan kinds of development producers, made of the foundation's pieces: files planned
// with plannedFile() (backed up, re-checked, written atomically under the one host lock) and
// stages run and verified in order by the one pipeline (core/ops/pipeline.ts). Pure.
import * as posix from 'node:path/posix';
import { parseCompose } from '../compose/parseCompose';
import { OpsRefusedError } from '../ops/errors';
import { displayCommand, emptyPlan, plannedFile, stageComposeCommand, withStages, type Plan, type PlanContext, type PlannedCommand, type PlanStage } from '../ops/plan';
import { detectProduction } from '../ops/production';
import { graceText, stopGraceFor } from '../ops/stopGrace';
import { DevRequestError, planDevProducer, type DevProvision, type DevRequest, type ParsedComposeFile, type PlannedFile } from './provision';
import { planTakeDown, type DevTakeDown } from './takeDown';

function refuse(err: unknown): never {
  if (err instanceof DevRequestError) throw new OpsRefusedError('dev-request', err.message);
  throw err;
}

function fileChange(ctx: PlanContext, f: PlannedFile) {
  return plannedFile(ctx, f.kind, f.path, f.before === undefined ? undefined : Buffer.from(f.before, 'utf8'), f.after === undefined ? undefined : Buffer.from(f.after, 'utf8'));
}

function basePlan(ctx: PlanContext, action: Plan['action'], summary: string, service: string, container: string): Plan {
  return { ...emptyPlan(ctx, action, summary, service), containerName: container };
}

/**
 * New Development Producer: the file (created or modified), then a stage for the planned daemon
 * (it must exist before a shared-memory producer starts) and a stage for the producer, verified
 * with samples of every CSC (a component on another domain sends none).
 * `files`: every compose file of the kafka_writers directory and of the site's other directories.
 */
export function planProvisionDev(ctx: PlanContext, files: readonly ParsedComposeFile[], request: DevRequest): { plan: Plan; provision: DevProvision } {
  let p: DevProvision;
  try {
    p = planDevProducer(request, files, ctx.composePath);
  } catch (err) {
    refuse(err);
  }
  const parsed = parseCompose(p.file.after!, { variables: ctx.variables });
  const svc = parsed.services.find((s) => s.name === p.service);
  const plan = basePlan(ctx, 'provision-dev', `New development producer ${p.service} on DDS domain ${request.domainId} (${request.cscs.join(' ')}) on ${ctx.host.alias}`, p.service, p.container);
  plan.production = detectProduction(ctx.host, svc, ctx.production);
  plan.cscListAfter = [...request.cscs];
  plan.files = [fileChange(ctx, p.file)];
  const stages: PlanStage[] = [];
  if (p.daemon?.state === 'planned') {
    stages.push({
      label: `Start ${p.daemon.container}, the OpenSplice daemon of domain ${request.domainId}`,
      services: [p.daemon.service],
      commands: [stageComposeCommand(ctx, 'up', { flags: ['-d', '--no-deps'], services: [p.daemon.service] }, `create and start ${p.daemon.service} (domain ${request.domainId} daemon)`, p.daemon.path)],
      // A daemon logs nothing the producer checks know; that its container exists is checked.
      verify: { container: p.daemon.container, expect: { state: 'skip', restarted: 'either', cscs: [], fileProducer: false } },
    });
  }
  stages.push({
    label: `Start ${p.service} on domain ${request.domainId}`,
    services: [p.service],
    commands: [stageComposeCommand(ctx, 'up', { flags: ['-d', '--no-deps'], services: [p.service] }, `create and start ${p.service}`, p.file.path)],
    verify: { container: p.container, expect: { state: 'running', restarted: 'yes', cscs: [...request.cscs], fileProducer: false, samples: true } },
  });
  withStages(plan, stages);
  plan.warnings.push(...p.notes, ...p.prerequisites.map((x) => `Prerequisite: ${x}`));
  if (p.daemon?.state === 'found') plan.warnings.push(`Uses the OpenSplice daemon of domain ${request.domainId} already defined: ${p.daemon.container} (${posix.basename(p.daemon.path)}).`);
  plan.rollback = [`Take Down Development Producer ${p.service} (stops ${[p.container, ...(p.daemon?.state === 'planned' ? [p.daemon.container] : [])].join(' and ')}, ${p.file.kind === 'create' ? `removes ${posix.basename(p.file.path)}` : `removes the service from ${posix.basename(p.file.path)}`}).`];
  return { plan, provision: p };
}

/** Take Down Development Producer: the file change, then `docker stop -t <grace>` and `docker rm` of the containers. */
export function planTakeDownDev(ctx: PlanContext, files: readonly ParsedComposeFile[], composeFile: string, service: string): { plan: Plan; takeDown: DevTakeDown } {
  const file = files.find((f) => f.path === composeFile);
  const svc = file?.model.services.find((s) => s.name === service);
  const grace = stopGraceFor(svc);
  let t: DevTakeDown;
  try {
    t = planTakeDown(files, composeFile, service, grace.seconds);
  } catch (err) {
    refuse(err);
  }
  const plan = basePlan(ctx, 'take-down-dev', `Take down development producer ${service} on ${ctx.host.alias}`, service, t.containers[0]);
  plan.production = detectProduction(ctx.host, svc, ctx.production);
  plan.cscListBefore = (svc?.cscList?.tokens ?? []).map((x) => x.text);
  plan.files = [fileChange(ctx, t.file)];
  const existing = t.containers.filter((c) => Object.values(ctx.containers).some((x) => x?.name === c));
  const cmd = (argv: string[], purpose: string): PlannedCommand => ({ purpose, argv, display: displayCommand(argv), byHand: displayCommand(argv), role: 'change' });
  const commands = existing.length
    ? [cmd(['docker', 'stop', '-t', String(grace.seconds), ...existing], `stop ${existing.join(', ')} (${graceText(grace)})`), cmd(['docker', 'rm', ...existing], `remove ${existing.join(', ')}`)]
    : [];
  withStages(plan, [
    {
      label: `Stop and remove ${t.containers.join(', ')}`,
      services: [],
      commands,
      // Nothing should be left: the container is gone (checked) and the file no longer defines it.
      verify: { container: t.containers[0], expect: { state: 'skip', restarted: 'either', cscs: [], fileProducer: false } },
    },
  ]);
  plan.warnings.push(`While ${service} is down, the EFD receives nothing from it for ${plan.cscListBefore.join(' ')}.`, ...t.notes);
  if (!existing.length) plan.warnings.push('No container of it exists: only the file changes.');
  plan.rollback = [`Roll Back restores ${posix.basename(t.file.path)} from its backup; Start then creates the container again.`];
  return { plan, takeDown: t };
}
