// Connection feature: commands efdSalkafka.connect / efdSalkafka.disconnect, the status bar item,
// and the ConnectionManager other features consume.
import * as vscode from 'vscode';
import { parseCommandArg } from '../commands/commandArg';
import { registerCommands } from '../commands/register';
import { ConnectionManager } from './connectionManager';
import { ConnectionStatusBar } from './statusBar';

export { ConnectionManager } from './connectionManager';
export type { ConnectionStateEvent } from './connectionManager';

const ALL_HOSTS = 'All hosts';

const statusBars = new WeakMap<ConnectionManager, ConnectionStatusBar>();

/** The status bar text of this window's connection feature (views API, tests). */
export function statusBarText(manager: ConnectionManager): string {
  return statusBars.get(manager)?.text ?? '';
}


export function activateConnection(context: vscode.ExtensionContext): ConnectionManager {
  const log = vscode.window.createOutputChannel('EFD SAL Kafka: Connection', { log: true });
  const manager = new ConnectionManager(context, log);
  const statusBar = new ConnectionStatusBar();
  statusBars.set(manager, statusBar);

  const refresh = (e?: Parameters<Parameters<typeof manager.onDidChangeState>[0]>[0]) => {
    const entries = manager.entries();
    if (entries.length > 1) {
      statusBar.showSummary(entries.map((x) => ({ alias: x.alias, conn: manager.get(x.alias), access: manager.dockerAccess(x.alias) })));
      return;
    }
    const alias = manager.defaultAlias;
    const access = manager.dockerAccess(alias);
    statusBar.show(alias, manager.get(alias), e?.alias === alias ? e.change : undefined, access && !access.ok ? access.message : undefined);
  };
  refresh();
  for (const p of manager.problems()) log.warn(p);

  const connectOne = async (target: string): Promise<void> => {
    const existing = manager.get(target);
    if (existing?.state === 'connected') {
      const where = existing.transport === 'local' ? 'this machine, local transport' : `${existing.target.user}@${existing.target.hostName}`;
      const pick = await vscode.window.showInformationMessage(`Connected to ${target} (${where}).`, 'Disconnect', 'Reconnect');
      if (pick === 'Disconnect') await manager.disconnect(target);
      if (pick !== 'Reconnect') return;
      await manager.disconnect(target);
    }
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Connecting to ${target}…` }, () => manager.connect(target));
    } catch {
      // Already reported to the user by the manager.
    }
  };

  context.subscriptions.push(
    log,
    manager,
    statusBar,
    manager.onDidChangeState((e) => refresh(e)),
    manager.onDidConnect(() => refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('efdSalkafka.host') || e.affectsConfiguration('efdSalkafka.producerHosts')) {
        refresh();
        for (const p of manager.problems()) log.warn(p);
      }
    }),
    ...registerCommands('connection', {
      'efdSalkafka.connect': async (arg?: unknown) => {
        const entries = manager.entries();
        let target = parseCommandArg(arg).host;
        if (!target && entries.length > 1) {
          // Several hosts and no tree item: connect the ones not connected yet, or the one picked.
          const items = [{ label: ALL_HOSTS, description: 'every host not connected yet' }, ...entries.map((x) => ({ label: x.alias, description: manager.get(x.alias)?.state ?? 'disconnected' }))];
          const pick = await vscode.window.showQuickPick(items, { title: 'Connect to which producers host?' });
          if (!pick) return;
          if (pick.label === ALL_HOSTS) {
            await Promise.all(entries.filter((x) => manager.get(x.alias)?.state !== 'connected').map((x) => manager.connect(x.alias).catch(() => undefined)));
            return;
          }
          target = pick.label;
        }
        await connectOne(target ?? manager.defaultAlias);
      },
      'efdSalkafka.disconnect': async (arg?: unknown) => {
        const alias = parseCommandArg(arg).host;
        if (alias) return manager.disconnect(alias);
        // No host named: disconnect every host (one host: the same as before).
        await Promise.all(manager.entries().map((x) => manager.disconnect(x.alias)));
      },
    }),
  );
  return manager;
}
