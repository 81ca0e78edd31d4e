// Connection feature: commands efdSalkafka.connect / efdSalkafka.disconnect, the status bar item,
// and the ConnectionManager other features consume.
import * as vscode from 'vscode';
import { ConnectionManager } from './connectionManager';
import { ConnectionStatusBar } from './statusBar';

export { ConnectionManager } from './connectionManager';
export type { ConnectionStateEvent } from './connectionManager';

export function activateConnection(context: vscode.ExtensionContext): ConnectionManager {
  const log = vscode.window.createOutputChannel('EFD SAL Kafka: Connection', { log: true });
  const manager = new ConnectionManager(context, log);
  const statusBar = new ConnectionStatusBar();

  const refresh = (change?: Parameters<Parameters<typeof manager.onDidChangeState>[0]>[0]['change']) => {
    const alias = manager.defaultAlias;
    const access = manager.dockerAccess(alias);
    statusBar.show(alias, manager.get(alias), change, access && !access.ok ? access.message : undefined);
  };
  refresh();

  context.subscriptions.push(
    log,
    manager,
    statusBar,
    manager.onDidChangeState((e) => {
      if (e.alias === manager.defaultAlias) refresh(e.change);
    }),
    manager.onDidConnect((conn) => {
      if (conn.alias === manager.defaultAlias) refresh();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('efdSalkafka.host')) refresh();
    }),
    vscode.commands.registerCommand('efdSalkafka.connect', async (alias?: string) => {
      const target = typeof alias === 'string' && alias ? alias : manager.defaultAlias;
      const existing = manager.get(target);
      if (existing?.state === 'connected') {
        const pick = await vscode.window.showInformationMessage(`Connected to ${target} (${existing.target.user}@${existing.target.hostName}).`, 'Disconnect', 'Reconnect');
        if (pick === 'Disconnect') await manager.disconnect(target);
        if (pick !== 'Reconnect') return;
        await manager.disconnect(target);
      }
      try {
        await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Window, title: `Connecting to ${target}…` },
          () => manager.connect(target),
        );
      } catch {
        // Already reported to the user by the manager.
      }
    }),
    vscode.commands.registerCommand('efdSalkafka.disconnect', async (alias?: string) => {
      await manager.disconnect(typeof alias === 'string' && alias ? alias : manager.defaultAlias);
    }),
  );
  return manager;
}
