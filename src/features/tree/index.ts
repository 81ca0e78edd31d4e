// Producers view (efdSalkafka.producers) and command efdSalkafka.refresh; also starts the log
// panes feature on the same sessions (one per configured host).
import * as vscode from 'vscode';
import type { ImageCatalogueLookup } from '../../core/catalogue/producerRelease';
import type { ConnectionManager } from '../connection';
import { parseCommandArg } from '../commands/commandArg';
import { registerCommands, type ArgumentPicker } from '../commands/register';
import { treePicker } from '../commands/treePicker';
import { activateLogs, type LogsFeature } from '../logs';
import { ImageCatalogueWatcher } from './imageCatalogueWatcher';
import { ProducersSessions } from './producersSessions';
import { ProducersTreeProvider } from './producersTree';

export { ProducersSession } from './producersSession';
export { ProducersSessions } from './producersSessions';
export type { ProducersTreeNode } from './producersTree';

export interface ProducerViews {
  sessions: ProducersSessions;
  tree: ProducersTreeProvider;
  logs: LogsFeature;
  /** The palette's tree-shaped producer pick, for the commands of other features. */
  pick: ArgumentPicker;
}

function commandTitle(context: vscode.ExtensionContext, id: string): string {
  const c = (context.extension.packageJSON?.contributes?.commands ?? []).find((x: { command: string }) => x.command === id) as { title?: string } | undefined;
  return c?.title ?? id;
}

/**
 * `onImageCatalogues` receives the catalogues read from the images of the first host (for the
 * editor's checks; an image ID names the same image on every host).
 */
export function activateTree(context: vscode.ExtensionContext, manager: ConnectionManager, onImageCatalogues?: (lookup: ImageCatalogueLookup | undefined) => void): ProducerViews {
  const log = vscode.window.createOutputChannel('EFD SAL Kafka: Producers', { log: true });
  const sessions = new ProducersSessions(manager, log);
  const tree = new ProducersTreeProvider(sessions);
  const catalogues = new ImageCatalogueWatcher(sessions.primary, (lookup) => onImageCatalogues?.(lookup));
  tree.catalogueOf = (p) => catalogues.describe(p);
  const view = vscode.window.createTreeView('efdSalkafka.producers', { treeDataProvider: tree, showCollapseAll: true });

  // Uptime text ages; re-render (locally, no host request) once a minute while the view is visible.
  const uptimeTimer = setInterval(() => {
    if (view.visible) tree.refresh();
  }, 60_000);

  context.subscriptions.push(
    log, sessions, tree, view, catalogues,
    catalogues.onDidChange(() => tree.refresh()),
    { dispose: () => clearInterval(uptimeTimer) },
    ...registerCommands('tree', {
      'efdSalkafka.refresh': async (arg?: unknown) => {
        // A host row refreshes that host; the title button refreshes every connected host.
        const alias = parseCommandArg(arg).host;
        const targets = alias ? sessions.all().filter((s) => s.alias === alias) : sessions.all().filter((s) => s.hostState === 'connected');
        if (targets.length === 0) {
          const name = alias ?? sessions.primary.alias;
          const pick = await vscode.window.showWarningMessage(`Not connected to ${name}.`, 'Connect');
          if (pick === 'Connect') await vscode.commands.executeCommand('efdSalkafka.connect', name);
          return;
        }
        await vscode.window.withProgress({ location: { viewId: 'efdSalkafka.producers' } }, () => Promise.all(targets.map((s) => s.refresh())));
      },
    }),
  );
  // From the palette, producer commands first show the producers as this view does.
  const pick = treePicker(tree, (id) => commandTitle(context, id));
  const logs = activateLogs(context, sessions, pick);
  return { sessions, tree, logs, pick };
}
