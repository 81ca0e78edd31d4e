// Shared steps of the change commands: connect, load the plan context, pick a CSC, plan with an
// optional "force" round-trip, then confirm and run.
import * as vscode from 'vscode';
import type { ServiceModel } from '../../core/compose/model';
import type { PipelineOutcome } from '../../core/ops/pipeline';
import type { Plan, PlanContext } from '../../core/ops/plan';
import type { Host } from '../../core/host/host';
import { OpsCancelledError, type OpsService } from '../ops/opsService';

/**
 * Connect and read the plan context of the compose file that defines the producer (`composeFile`,
 * from the tree node; default the host's main compose file); errors are shown and undefined returned.
 */
export async function hostAndContext(ops: OpsService, title: string, host?: string, composeFile?: string): Promise<{ conn: Host; ctx: PlanContext } | undefined> {
  try {
    const conn = await ops.connection(host);
    const ctx = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `${title}: reading ${conn.alias}…` }, () => ops.planContext(conn, composeFile));
    return { conn, ctx };
  } catch (err) {
    if (!(err instanceof OpsCancelledError)) void vscode.window.showErrorMessage(`EFD SAL Kafka: ${title}: ${(err as Error).message}`);
    return undefined;
  }
}

/** Build a plan; on a lint refusal, offer to force and build again. */
export async function planOrExplain(ops: OpsService, title: string, make: (force: boolean) => Plan, force = false): Promise<Plan | undefined> {
  try {
    return make(force);
  } catch (err) {
    if (!force && (await ops.explainRefusal(err, title)) === 'force') return planOrExplain(ops, title, make, true);
    if (force) await ops.explainRefusal(err, title);
    return undefined;
  }
}

export async function run(ops: OpsService, conn: Host, plan: Plan | undefined): Promise<PipelineOutcome | undefined> {
  if (!plan) return undefined;
  try {
    return await ops.confirmAndRun(conn, plan);
  } catch (err) {
    void vscode.window.showErrorMessage(`EFD SAL Kafka: ${plan.summary} failed: ${(err as Error).message}`);
    return undefined;
  }
}

/** Quick pick of a catalogue CSC not already in `service`, marking those another producer writes. */
export async function pickCscToAdd(ops: OpsService, producers: ServiceModel[], service: string): Promise<string | undefined> {
  const catalogue = await ops.catalogue();
  const own = new Set((producers.find((p) => p.name === service)?.cscList?.tokens ?? []).map((t) => t.text));
  const elsewhere = new Map<string, string[]>();
  for (const p of producers) {
    if (p.name === service) continue;
    for (const t of p.cscList?.tokens ?? []) if (t.kind === 'csc') elsewhere.set(t.name, [...(elsewhere.get(t.name) ?? []), `${t.text} in ${p.name}`]);
  }
  const items = [...catalogue.components]
    .filter((c) => c.index.kind !== 'none' || !own.has(c.name))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => ({
      label: c.name,
      description: elsewhere.has(c.name) ? `already in ${elsewhere.get(c.name)!.join(', ')}` : c.index.kind === 'none' ? '' : 'indexed',
      detail: c.description,
      index: c.index,
    }));
  const picked = await ops.prompter.pick({ title: `Add CSC to ${service}`, placeHolder: 'SAL component (catalogue in force)', items });
  if (!picked) return undefined;
  if (picked.index.kind === 'none') return picked.label;
  if (picked.index.kind === 'named') {
    const idx = await ops.prompter.pick({
      title: `${picked.label} index`,
      placeHolder: `Index of ${picked.label}`,
      items: picked.index.values.map((v) => ({ label: `${picked.label}:${v.value}`, description: v.name })).filter((i) => !own.has(i.label)),
    });
    return idx?.label;
  }
  const value = await ops.prompter.input({
    title: `${picked.label} index`,
    prompt: `Index of ${picked.label} (an integer), or leave empty for all indices`,
    validate: (v) => (v === '' || /^\d{1,9}$/.test(v) ? (own.has(v ? `${picked.label}:${v}` : picked.label) ? 'already in this producer' : undefined) : 'an integer'),
  });
  if (value === undefined) return undefined;
  return value ? `${picked.label}:${value}` : picked.label;
}
