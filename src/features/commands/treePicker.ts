// From the Command Palette, a command that acts on a producer first shows the producers as the
// view shows them: each host as a heading, its producer rows below with the same label,
// description and icon, only those rows whose context menu offers the command. The pick is
// passed on as the row itself, so the command runs exactly as from the view.
import * as vscode from 'vscode';
import type { ProducerNode, ProducersTreeNode } from '../tree/producersTree';
import type { ArgumentPicker } from './register';
import { commandEntry } from './registry';
import { pickerEntries, type PickerRow } from './treePickerEntries';

interface TreeSource {
  getChildren(node?: ProducersTreeNode): ProducersTreeNode[];
  getTreeItem(node: ProducersTreeNode): vscode.TreeItem;
}

type Item = vscode.QuickPickItem & { node?: ProducerNode };

/** The view's host rows and, under each, its producer rows as the view renders them. */
function rowsOf(tree: TreeSource): { alias: string; rows: PickerRow<ProducerNode>[] }[] {
  return tree.getChildren().flatMap((host) =>
    host.kind !== 'host'
      ? []
      : [{
          alias: host.alias,
          rows: tree.getChildren(host).flatMap((node) => {
            if (node.kind !== 'producer') return [];
            const item = tree.getTreeItem(node);
            return [{
              node,
              contextValue: item.contextValue ?? '',
              label: node.producer.name,
              icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : undefined,
              description: typeof item.description === 'string' ? item.description : undefined,
              detail: node.producer.cscs.map((c) => c.text).join(' ') || undefined,
            }];
          }),
        }],
  );
}

export function treePicker(tree: TreeSource, title: (id: string) => string): ArgumentPicker {
  return async (id) => {
    const entries = pickerEntries(rowsOf(tree), commandEntry(id)?.tree ?? []);
    // Nothing to show (not connected, no producer in that state): the command asks in its own way.
    if (!entries) return null;
    const items: Item[] = entries.map((e) =>
      'heading' in e
        ? { label: e.heading, kind: vscode.QuickPickItemKind.Separator }
        : { label: `${e.icon ? `$(${e.icon}) ` : ''}${e.label}`, description: e.description, detail: e.detail, node: e.node },
    );
    const picked = await vscode.window.showQuickPick(items, { title: title(id), placeHolder: 'Producer', matchOnDescription: true, matchOnDetail: true });
    return picked?.node;
  };
}
