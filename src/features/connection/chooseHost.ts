// The host a command acts on: the tree row it was invoked on (or an alias given), else the only
// configured host, else the one the user picks. undefined when the pick is dismissed.
import * as vscode from 'vscode';
import { parseCommandArg } from '../commands/commandArg';
import type { ConnectionManager } from './connectionManager';

export async function chooseHost(manager: ConnectionManager, arg: unknown, title: string): Promise<string | undefined> {
  const given = parseCommandArg(arg).host;
  if (given) return given;
  const entries = manager.entries();
  if (entries.length === 1) return entries[0].alias;
  const pick = await vscode.window.showQuickPick(
    entries.map((e) => ({ label: e.alias, description: `${manager.get(e.alias)?.state ?? 'disconnected'} · ${e.composeFile}` })),
    { title, placeHolder: 'Producers host' },
  );
  return pick?.label;
}
