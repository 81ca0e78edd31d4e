// Walkthrough step 1, "Pick the producers host": a quick pick of the Host entries of the user's
// ssh config (efdSalkafka.sshConfigFile), stored as efdSalkafka.host where it is set now
// (workspace, else user settings).
import * as os from 'node:os';
import * as vscode from 'vscode';
import { expandTilde } from '../../core/ssh/resolveHost';
import { hostAliasesInConfigFile } from '../../core/ssh/sshConfigHosts';

export async function pickHost(): Promise<string | undefined> {
  const c = vscode.workspace.getConfiguration('efdSalkafka');
  const file = expandTilde(c.get<string>('sshConfigFile') || '~/.ssh/config', os.homedir());
  let aliases: string[];
  try {
    aliases = hostAliasesInConfigFile(file);
  } catch (err) {
    void vscode.window.showErrorMessage(`EFD SAL Kafka: cannot read ${file}: ${(err as Error).message}`);
    return undefined;
  }
  const current = c.get<string>('host') || 'azar2';
  const items: vscode.QuickPickItem[] = aliases.map((a) => ({ label: a, description: a === current ? 'current' : undefined }));
  if (!aliases.includes(current)) items.push({ label: current, description: `current; not in ${file} (resolved as ${current === 'azar2' ? 'azar2.cp.lsst.org' : current})` });
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Producers host',
    placeHolder: aliases.length ? `Host entries of ${file}` : `No Host entries in ${file}: type an alias or add one there`,
  });
  if (!picked) return undefined;
  const inspected = c.inspect<string>('host');
  const target = inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await c.update('host', picked.label, target);
  void vscode.window.showInformationMessage(`EFD SAL Kafka: producers host set to ${picked.label}. Next: check Docker access.`);
  return picked.label;
}
