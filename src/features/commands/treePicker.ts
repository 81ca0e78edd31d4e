// From the Command Palette, a command that acts on a producer first shows the producers as the
// view shows them: each host as a heading, its producer rows below with the same label,
// description and icon, only those rows whose context menu offers the command. The pick is
// passed on as the row itself, so the command runs exactly as from the view.
import * as vscode from 'vscode';
import type { ProducerNode, ProducersTreeNode } from '../tree/producersTree';
import type { TreeContext } from './commandArg';
import type { ArgumentPicker } from './register';
import { commandEntry } from './registry';

interface TreeSource {
  getChildren(node?: ProducersTreeNode): ProducersTreeNode[];
  getTreeItem(node: ProducersTreeNode): vscode.TreeItem;
}

type Item = vscode.QuickPickItem & { node?: ProducerNode };

export function treePicker(tree: TreeSource, title: (id: string) => string): ArgumentPicker {
  return async (id) => {
    const contexts: readonly TreeContext[] = commandEntry(id)?.tree ?? [];
    const items: Item[] = [];
    for (const host of tree.getChildren()) {
      if (host.kind !== 'host') continue;
      const rows = tree.getChildren(host).filter((n): n is ProducerNode => n.kind === 'producer' && contexts.includes(tree.getTreeItem(n).contextValue as TreeContext));
      if (rows.length === 0) continue;
      items.push({ label: host.alias, kind: vscode.QuickPickItemKind.Separator });
      for (const node of rows) {
        const item = tree.getTreeItem(node);
        const icon = item.iconPath instanceof vscode.ThemeIcon ? `$(${item.iconPath.id}) ` : '';
        items.push({ label: `${icon}${node.producer.name}`, description: typeof item.description === 'string' ? item.description : undefined, detail: node.producer.cscs.map((c) => c.text).join(' ') || undefined, node });
      }
    }
    // Nothing to show (not connected, no producer in that state): the command asks in its own way.
    if (!items.some((i) => i.node)) return null;
    const picked = await vscode.window.showQuickPick(items, { title: title(id), placeHolder: 'Producer', matchOnDescription: true, matchOnDetail: true });
    return picked?.node;
  };
}
