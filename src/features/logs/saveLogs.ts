// "Save…" in a log pane: the core formats the lines (src/core/logs/mergedLog.ts), this adapter
// asks where and writes the file. Nothing is written unless the user picks a file.
import * as vscode from 'vscode';
import { formatForSave, type TaggedLine } from '../../core/logs/mergedLog';
import { parseLine } from '../../core/logs/parseLine';

/** rows: [timestamp, text] from a single pane, [timestamp, text, producer] from a merged one. */
export async function saveLogLines(rows: readonly ([string, string] | [string, string, string])[], producers: readonly string[], host: string, filter: string | undefined): Promise<vscode.Uri | undefined> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const base = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${producers.join('+')}-${stamp}.log`;
  const target = await vscode.window.showSaveDialog({
    title: `Save the log of ${producers.join(', ')}`,
    saveLabel: 'Save log',
    filters: { 'Log files': ['log', 'txt'] },
    ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
  });
  if (!target) return undefined;
  const lines = rows.map((r): TaggedLine => ({ producer: (r[2] ?? producers[0]).trim(), colour: 0, line: parseLine(r[0] ? `${r[0]} ${r[1]}` : r[1]) }));
  const text = formatForSave(lines, { producers, host, savedAt: new Date(), ...(filter ? { filter } : {}) });
  try {
    await vscode.workspace.fs.writeFile(target, Buffer.from(text, 'utf8'));
  } catch (err) {
    void vscode.window.showErrorMessage(`Could not save the log to ${target.fsPath}: ${(err as Error).message}`);
    return undefined;
  }
  void vscode.window.setStatusBarMessage(`Saved ${lines.length} log lines to ${target.fsPath}`, 5000);
  return target;
}
