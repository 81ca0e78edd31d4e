// Producers view (efdSalkafka.producers) and command efdSalkafka.refresh; also starts the log
// panes feature on the same session.
import * as vscode from 'vscode';
import type { ImageCatalogueLookup } from '../../core/catalogue/producerRelease';
import type { ConnectionManager } from '../connection';
import { activateLogs, type LogsFeature } from '../logs';
import { ImageCatalogueWatcher } from './imageCatalogueWatcher';
import { ProducersSession } from './producersSession';
import { ProducersTreeProvider } from './producersTree';

export { ProducersSession } from './producersSession';
export type { ProducersTreeNode } from './producersTree';

export interface ProducerViews {
  session: ProducersSession;
  tree: ProducersTreeProvider;
  logs: LogsFeature;
}

/** `onImageCatalogues` receives the catalogues read from the host's images (for the editor's checks). */
export function activateTree(context: vscode.ExtensionContext, manager: ConnectionManager, onImageCatalogues?: (lookup: ImageCatalogueLookup | undefined) => void): ProducerViews {
  const log = vscode.window.createOutputChannel('EFD SAL Kafka: Producers', { log: true });
  const session = new ProducersSession(manager, log);
  const tree = new ProducersTreeProvider(session);
  const catalogues = new ImageCatalogueWatcher(session, (lookup) => onImageCatalogues?.(lookup));
  tree.catalogueOf = (p) => catalogues.describe(p);
  const view = vscode.window.createTreeView('efdSalkafka.producers', { treeDataProvider: tree, showCollapseAll: true });

  // Uptime text ages; re-render (locally, no host request) once a minute while the view is visible.
  const uptimeTimer = setInterval(() => {
    if (view.visible) tree.refresh();
  }, 60_000);

  context.subscriptions.push(
    log, session, tree, view, catalogues,
    catalogues.onDidChange(() => tree.refresh()),
    { dispose: () => clearInterval(uptimeTimer) },
    vscode.commands.registerCommand('efdSalkafka.refresh', async () => {
      if (session.hostState !== 'connected') {
        const pick = await vscode.window.showWarningMessage(`Not connected to ${session.alias}.`, 'Connect');
        if (pick === 'Connect') await vscode.commands.executeCommand('efdSalkafka.connect');
        return;
      }
      await vscode.window.withProgress({ location: { viewId: 'efdSalkafka.producers' } }, () => session.refresh());
    }),
  );
  const logs = activateLogs(context, session);
  return { session, tree, logs };
}
