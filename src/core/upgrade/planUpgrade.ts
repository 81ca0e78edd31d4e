// The plan kind 'upgrade-cycle' (see the contract at the top of ops/plan.ts): one diff across
// the compose and env files (the cycle where it lives, each CSC the target lacks renamed or
// removed), then stages: images first (`docker-compose pull` of exactly the moved services,
// before anything stops), then one producer per stage (`up -d --no-deps`, verified on the new
// cycle before the next). The pipeline stops at the first failing stage; rolling back restores
// every file and re-creates the producers already moved on their previous image.
import * as posix from 'node:path/posix';
import { parseCompose } from '../compose/parseCompose';
import { OpsRefusedError } from '../ops/errors';
import { emptyPlan, plannedFile, stageComposeCommand, withStages } from '../ops/plan';
import type { Plan, PlanContext, PlanStage, VerifyExpectation } from '../ops/plan';
import { detectProduction } from '../ops/production';
import type { ProducerUpgrade, UpgradeAnalysis } from './analyse';
import { describePresence } from './hostInputs';
import type { ImagePresence } from './hostInputs';
import { describeLocation } from './location';

export interface UpgradePlanOptions {
  /** Whether each target image is in the host's engine already (imagePresence). */
  images: readonly ImagePresence[];
  /**
   * false: the host cannot reach a registry. A missing image then refuses the plan, naming it,
   * instead of a pull stage that would fail after the files are written.
   */
  canPull?: boolean;
}

/** The stage label of a producer's re-creation (what the outcome and the audit log name). */
export function producerStageLabel(p: Pick<ProducerUpgrade, 'service'>, tag: string): string {
  return `re-create ${p.service} on ${tag}`;
}

export const PULL_STAGE_LABEL = 'pull the new images';

export function planUpgradeCycle(ctx: PlanContext, analysis: UpgradeAnalysis, opts: UpgradePlanOptions): Plan {
  const target = analysis.target;
  if (!target.ok) throw new OpsRefusedError('unknown-target', analysis.problems.join(' '));
  if (analysis.problems.length) throw new OpsRefusedError('upgrade-refused', `Cannot plan the upgrade: ${analysis.problems.join(' ')}`, analysis.problems);
  const moving = analysis.producers.filter((p) => !p.alreadyOnTarget || p.cscsAfter.join(' ') !== p.cscsBefore.join(' '));
  if (!moving.length) throw new OpsRefusedError('no-change', `Every producer asked for is already on ${target.label}.`);
  const dir = posix.dirname(ctx.composePath);
  // One lock and one audit log per kafka_writers directory: every file must sit in it (or below).
  for (const e of analysis.edits) {
    if (e.path !== dir && !e.path.startsWith(`${dir}/`)) {
      throw new OpsRefusedError(
        'outside-directory',
        `The cycle is set in ${e.path}, outside ${dir}; the change lock and the audit log cover only ${dir}. Edit ${posix.basename(e.path)} by hand (${e.what.join('; ')}), then upgrade from there.`,
      );
    }
  }
  const missing = opts.images.filter((i) => !i.present);
  if (missing.length && opts.canPull === false) {
    throw new OpsRefusedError('images-missing', `These images are not on ${ctx.host.alias} and the host cannot pull them: ${missing.map((i) => i.image).join(', ')}. Load them onto the host first (docker load), then upgrade; nothing was changed.`);
  }

  const files = analysis.edits.map((e) => plannedFile(ctx, 'modify', e.path, Buffer.from(e.oldText, 'utf8'), Buffer.from(e.newText, 'utf8')));
  const stages: PlanStage[] = [];
  const skip: VerifyExpectation = { state: 'skip', restarted: 'either', cscs: [], fileProducer: false };
  // Images first: pulled while every producer still runs; a failure here changes no container.
  if (missing.length) {
    const byFile = new Map<string, string[]>();
    for (const p of moving) if (missing.some((i) => i.image === p.imageAfter)) byFile.set(p.composePath, [...(byFile.get(p.composePath) ?? []), p.service]);
    stages.push({
      label: PULL_STAGE_LABEL,
      services: [],
      commands: [...byFile].map(([path, services]) => stageComposeCommand(ctx, 'pull', { services }, `pull ${missing.map((i) => i.image).join(', ')} for ${services.join(', ')} (no container stops)`, path)),
      // Nothing to verify (no container changes), but the pipeline checks every stage's container name.
      verify: { container: moving[0].container, expect: skip },
    });
  }
  // Rolling: one producer per stage, verified on the new cycle before the next.
  for (const p of moving) {
    const model = parseCompose(analysis.edits.find((e) => e.path === p.composePath)?.newText ?? '', {});
    const fileProducer = model.services.find((s) => s.name === p.service)?.cscList?.tokens.some((t) => t.kind === 'option' && t.name === '--file') ?? false;
    const cscs = p.cscsAfter.filter((w) => !w.startsWith('-'));
    stages.push({
      label: producerStageLabel(p, target.tag),
      services: [p.service],
      commands: [stageComposeCommand(ctx, 'up', { flags: ['-d', '--no-deps'], services: [p.service] }, `re-create ${p.service} on ${p.imageAfter}`, p.composePath)],
      verify: { container: p.container, expect: { state: 'running', restarted: 'yes', cscs: fileProducer ? [] : cscs, fileProducer } },
    });
  }

  // Production: the typed confirmation when any moved producer is production.
  const verdicts = moving.map((p) => {
    const c = parseCompose(p.composePath === ctx.composePath ? ctx.composeContent.toString('utf8') : (analysis.edits.find((e) => e.path === p.composePath)?.oldText ?? ''), { variables: ctx.variables });
    return detectProduction(ctx.host, c.services.find((s) => s.name === p.service), ctx.production);
  });
  const prod = verdicts.find((v) => v.production) ?? verdicts[0];
  const production = { ...prod, reasons: [...new Set(verdicts.flatMap((v) => v.reasons))] };

  const warnings: string[] = [];
  for (const p of moving) {
    warnings.push(
      `${p.service}: ts_xml ${p.xmlBefore ?? `unknown (${p.xmlBeforeUnknown})`} → ${p.xmlAfter}; cycle set by ${describeLocation(p.location, posix.basename)}${p.sharedWith.length ? `, shared with ${p.sharedWith.join(', ')}` : ''}`,
    );
    for (const ch of p.changes) warnings.push(`  ${ch.breaking ? '✗' : 'ℹ'} ${ch.detail}`);
    if (p.cscsAfter.join(' ') !== p.cscsBefore.join(' ')) warnings.push(`  CSC_LIST of ${p.service}: ${p.cscsBefore.join(' ')} → ${p.cscsAfter.join(' ')}`);
  }
  for (const i of opts.images) warnings.push(describePresence(i));
  warnings.push(...analysis.notes);

  const services = moving.map((p) => p.service);
  const plan: Plan = {
    // Several producers: each one's CSC_LIST is in the warnings (one list would mix them).
    ...emptyPlan(ctx, 'upgrade-cycle', `Upgrade ${services.join(', ')} to ${target.label} on ${ctx.host.alias}`, services.join(' ')),
    files,
    production,
    containerState: moving.map((p) => `${p.service}: ${ctx.containers[p.service]?.state ?? 'not created'}`).join(', '),
    warnings,
    rollback: [
      `Roll back restores ${files.map((f) => posix.basename(f.path)).join(' and ')} from their backups and re-creates the producers already moved, one at a time, on their previous image (${[...new Set(moving.map((p) => p.imageBefore))].join(', ')}), which stays on the host.`,
    ],
  };
  return withStages(plan, stages);
}

/** After a run that stopped: which producer is on which cycle, from the stages' outcome. */
export function cycleStandings(analysis: UpgradeAnalysis, stages: { completed: string[]; failed: string[]; notRun: string[] }): { moved: string[]; failed: string[]; unchanged: string[]; text: string } {
  const tag = analysis.target.ok ? analysis.target.tag : '?';
  const moved: string[] = [];
  const failed: string[] = [];
  const unchanged: string[] = [];
  for (const p of analysis.producers) {
    const label = producerStageLabel(p, tag);
    if (stages.completed.includes(label)) moved.push(p.service);
    else if (stages.failed.includes(label)) failed.push(p.service);
    else unchanged.push(p.service);
  }
  const from = (s: string) => analysis.producers.find((p) => p.service === s)?.imageBefore.split(':').pop() ?? '?';
  const parts = [
    moved.length ? `on ${tag} and verified: ${moved.join(', ')}` : '',
    failed.length ? `re-created on ${tag} but FAILED verification: ${failed.join(', ')}` : '',
    unchanged.length ? `still running their previous cycle: ${unchanged.map((s) => `${s} (${from(s)})`).join(', ')}` : '',
  ].filter(Boolean);
  return { moved, failed, unchanged, text: parts.join('; ') };
}
