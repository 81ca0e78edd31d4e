// Asks for the target of an upgrade: a cycle of the shipped ts_cycle_build history (with its
// ts_xml), or an image tag typed by hand, resolved like any image tag (an unknown one says why).
import type * as vscode from 'vscode';
import { defaultHistory } from '../../core/catalogue/defaultCatalogue';
import { cycleChoices, resolveTarget } from '../../core/upgrade/target';
import type { UpgradeTarget } from '../../core/upgrade/target';
import type { Prompter } from '../ops/prompter';

const TYPE_TAG = 'Type a cycle or image tag…';

export async function pickUpgradeTarget(prompter: Prompter, title: string, given?: string, current?: string): Promise<UpgradeTarget | undefined> {
  const history = defaultHistory();
  if (given !== undefined) return resolveTarget(given, history);
  const items: (vscode.QuickPickItem & { tag?: string })[] = [
    { label: TYPE_TAG, detail: 'A cycle (c0037, 37) or a tag such as v1.1.0_salobj_v5.7.0_xml_4.8.0' },
    ...cycleChoices(history).map((c) => ({ label: c.cycle, description: `ts_xml ${c.version}${c.cycle === current ? ' (current)' : ''}`, tag: c.cycle })),
  ];
  const picked = await prompter.pick({ title, placeHolder: 'Target cycle (ts_cycle_build history, newest first)', items });
  if (!picked) return undefined;
  if (picked.tag) return resolveTarget(picked.tag, history);
  const typed = await prompter.input({
    title,
    prompt: 'Cycle or image tag to upgrade to',
    placeHolder: 'c0037',
    validate: (v) => {
      const t = resolveTarget(v, history);
      return t.ok ? undefined : t.reason;
    },
  });
  return typed === undefined ? undefined : resolveTarget(typed, history);
}
