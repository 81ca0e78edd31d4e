// "Upgrade Producers to Cycle…" (producers view: a host, a compose file or a producer; palette):
// pick the target cycle, see per producer the ts_xml before → after, the CSCs the target lacks
// (renamed or removed in the same diff), where the cycle lives and whether the image is on the
// host; one confirmation, one lock, one backup per file; images pulled first, then one producer
// at a time, each verified. On a failure: who is on which cycle, and the roll back on request.
import * as posix from 'node:path/posix';
import * as vscode from 'vscode';
import { defaultHistory } from '../../core/catalogue/defaultCatalogue';
import { parseCompose } from '../../core/compose/parseCompose';
import { siblingCandidates } from '../../core/producers/composeFiles';
import { planFilesRollback } from '../../core/ops/plan';
import type { PipelineOutcome } from '../../core/ops/pipeline';
import type { Plan } from '../../core/ops/plan';
import { analyseUpgrade } from '../../core/upgrade/analyse';
import type { UpgradeAnalysis } from '../../core/upgrade/analyse';
import { imagePresence, readUpgradeInputs } from '../../core/upgrade/hostInputs';
import { cycleStandings, planUpgradeCycle, PULL_STAGE_LABEL } from '../../core/upgrade/planUpgrade';
import { OpsCancelledError, readOpsSettings } from '../ops/opsService';
import { parseCommandArg } from './commandArg';
import { pickUpgradeTarget } from '../upgrade/pickTarget';
import type { OpsCommand } from './types';

const TITLE = 'Upgrade Producers to Cycle';
const ROLL_BACK = 'Roll back the moved producers';

export interface UpgradeRun {
  analysis: UpgradeAnalysis;
  plan?: Plan;
  outcome?: PipelineOutcome;
  /** Who is on which cycle after a run that stopped. */
  standings?: string;
  rollback?: PipelineOutcome;
}

export const upgradeCycle: OpsCommand = {
  async run(ops, arg): Promise<UpgradeRun | undefined> {
    const a = parseCommandArg(arg);
    const extra = (arg && typeof arg === 'object' ? arg : {}) as { cycle?: unknown; services?: unknown };
    let conn;
    try {
      conn = await ops.connection(a.host);
    } catch (err) {
      if (!(err instanceof OpsCancelledError)) void vscode.window.showErrorMessage(`EFD SAL Kafka: ${TITLE}: ${(err as Error).message}`);
      return undefined;
    }
    const settings = readOpsSettings(conn.alias, a.composeFile);
    const history = defaultHistory();
    // Every compose file of the kafka_writers directory (one lock, one audit log): the main one and its siblings.
    const main = readOpsSettings(conn.alias).composePath;
    const inputs = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `${TITLE}: reading ${conn.alias}…` }, async () => {
      const siblings = siblingCandidates(main, await conn.files.listDir(posix.dirname(main)).catch(() => []));
      const read = await readUpgradeInputs(conn.files, [main, ...siblings.map((c) => c.path)], settings.envFiles ?? [], new Set(siblings.filter((c) => c.needsServicesKey).map((c) => c.path)));
      for (const s of read.skipped) ops.output.appendLine(`${TITLE}: ${s.path} not read: ${s.reason}`);
      return read;
    });
    const all = inputs.composes.flatMap((c) =>
      parseCompose(c.text, { variables: c.discovery.variables })
        .services.filter((s) => s.isProducer)
        .map((s) => ({ file: c.path, service: s.name, image: s.image?.interpolated ?? '', cscs: (s.cscList?.tokens ?? []).map((t) => t.text) })),
    );
    // Which producers: given (tests, links, a producer row), else the host's, one file's, or one picked.
    const givenFile = a.composeFile ?? (a.service ? all.find((p) => p.service === a.service)?.file : undefined) ?? main;
    let selected: { file: string; service: string }[] | undefined = Array.isArray(extra.services)
      ? extra.services.filter((s): s is string => typeof s === 'string').map((service) => ({ file: all.find((p) => p.service === service && p.file === givenFile)?.file ?? givenFile, service }))
      : a.service
        ? [{ file: givenFile, service: a.service }]
        : undefined;
    if (!selected) {
      const files = [...new Set(all.map((p) => p.file))];
      const items = [
        ...(files.length > 1 ? [{ label: `All producers of ${conn.alias}`, description: `${all.length}`, services: all }] : []),
        ...files.map((f) => ({ label: `All producers of ${posix.basename(f)}`, description: `${all.filter((p) => p.file === f).length}`, services: all.filter((p) => p.file === f) })),
        ...all.map((p) => ({ label: p.service, description: `${p.image.split('/').pop()}${p.file !== main ? ` · ${posix.basename(p.file)}` : ''}`, detail: p.cscs.join(' '), services: [p] })),
      ];
      const picked = await ops.prompter.pick({ title: TITLE, placeHolder: 'Producers to upgrade', items });
      if (!picked) return undefined;
      selected = picked.services.map((p) => ({ file: p.file, service: p.service }));
    }
    const services = selected.map((s) => s.service);
    const composePath = selected[0]?.file ?? main;
    const current = all.find((p) => services.includes(p.service))?.image.split(':').pop();
    const target = await pickUpgradeTarget(ops.prompter, TITLE, typeof extra.cycle === 'string' ? extra.cycle : undefined, current);
    if (!target) return undefined;
    const analysis = analyseUpgrade({ ...inputs, target, select: selected.map((s) => ({ composePath: s.file, service: s.service })), history });
    if (analysis.problems.length) {
      await ops.prompter.modal({ message: `${TITLE}: cannot plan this upgrade`, detail: analysis.problems.join('\n'), choices: [], severity: 'warning' });
      return { analysis };
    }
    const images = await imagePresence(conn.docker(), [...new Set(analysis.producers.map((p) => p.imageAfter))]);
    let plan: Plan;
    try {
      plan = planUpgradeCycle(await ops.planContext(conn, composePath), analysis, { images });
    } catch (err) {
      await ops.explainRefusal(err, TITLE);
      return { analysis };
    }
    const outcome = await ops.confirmAndRun(conn, plan);
    if (!outcome || outcome.ok || outcome.result.status === 'dry-run') return { analysis, plan, outcome };

    // Stopped: say where everyone is, and offer to put the moved ones back.
    if (outcome.stages.failed.includes(PULL_STAGE_LABEL)) {
      const missing = images.filter((i) => !i.present).map((i) => i.image);
      ops.output.appendLine(`These images are missing and ${conn.alias} could not pull them: ${missing.join(', ')}. No producer was touched; the files were restored.`);
      void vscode.window.showErrorMessage(`EFD SAL Kafka: ${missing.join(', ')} could not be pulled on ${conn.alias}; no producer was touched.`);
      return { analysis, plan, outcome };
    }
    const standing = cycleStandings(analysis, outcome.stages);
    ops.output.appendLine(`Upgrade stopped: ${standing.text}.`);
    const reUp = [...standing.moved, ...standing.failed];
    if (!reUp.length || !outcome.result.files.some((f) => f.backupPath)) return { analysis, plan, outcome, standings: standing.text };
    const answer = await ops.prompter.modal({
      message: `${TITLE}: stopped at ${standing.failed.join(', ') || 'a failed stage'}`,
      detail: `${standing.text}.\n\n${ROLL_BACK}: restore ${outcome.result.files.map((f) => posix.basename(f.path)).join(' and ')} from their backups and re-create ${reUp.join(', ')} on their previous image, one at a time.`,
      choices: [ROLL_BACK],
    });
    if (answer !== ROLL_BACK) return { analysis, plan, outcome, standings: standing.text };
    const restores = await Promise.all(
      outcome.result.files.map(async (f) => ({
        path: f.path,
        kind: f.kind,
        current: (await conn.files.readFile(f.path)).content,
        backup: f.backupPath ? (await conn.files.readFile(f.backupPath)).content : undefined,
      })),
    );
    let back: Plan;
    try {
      back = planFilesRollback(await ops.planContext(conn, composePath), restores, {
        summary: `Roll back the upgrade of ${reUp.join(', ')} to ${analysis.target.ok ? analysis.target.tag : 'the new cycle'} on ${conn.alias}`,
        reUp: reUp.map((service) => {
          const p = analysis.producers.find((x) => x.service === service);
          return { service, container: p?.container ?? service, composePath: p?.composePath ?? composePath };
        }),
        remove: [],
      });
    } catch (err) {
      await ops.explainRefusal(err, TITLE);
      return { analysis, plan, outcome, standings: standing.text };
    }
    const rollback = await ops.confirmAndRun(conn, back);
    return { analysis, plan, outcome, standings: standing.text, rollback };
  },
};
