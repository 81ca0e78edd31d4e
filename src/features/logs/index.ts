// Log panes and queue health charts: commands efdSalkafka.showLogs and efdSalkafka.showQueueHealth.
import * as vscode from 'vscode';
import type { ProducersSessions } from '../tree/producersSessions';
import { stateLabel } from '../../core/producers/describe';
import { registerCommands, type ArgumentPicker } from '../commands/register';
import { LogPanel } from './logPanel';
import { MergedLogPanel } from './mergedLogPanel';
import { pickProducer } from './pickProducer';
import { QueueHealthPanel } from './queueHealthPanel';

export interface LogsFeature {
  /** Open log panes by paneKey(alias, container) (tests and diagnostics). */
  readonly logPanels: ReadonlyMap<string, LogPanel>;
  readonly healthPanels: ReadonlyMap<string, QueueHealthPanel>;
  /** Open merged panes by their containers joined with "+". */
  readonly mergedPanels: ReadonlyMap<string, MergedLogPanel>;
}

/** Two hosts may both run salkafka-m2: panes are keyed by host and container. */
export const paneKey = (alias: string, container: string): string => `${alias}/${container}`;

export function activateLogs(context: vscode.ExtensionContext, sessions: ProducersSessions, pick?: ArgumentPicker): LogsFeature {
  const logPanels = new Map<string, LogPanel>();
  const healthPanels = new Map<string, QueueHealthPanel>();
  const mergedPanels = new Map<string, MergedLogPanel>();

  /** Several producers in one pane: container names as arguments, or picked (two or more). */
  const openMerged = async (...args: unknown[]): Promise<MergedLogPanel | undefined> => {
    // The producers of one host, the first connected one (a merged pane does not span hosts).
    const session = sessions.all().find((s) => s.hostState === 'connected') ?? sessions.primary;
    const status = session.status;
    const producers = (status.kind === 'loading' ? [] : status.snapshot?.producers ?? []).filter((p) => p.state !== 'not-created');
    let names = (Array.isArray(args[0]) ? args[0] : args).filter((a): a is string => typeof a === 'string' && producers.some((p) => p.containerName === a));
    if (names.length < 2) {
      if (producers.length < 2) {
        void vscode.window.showInformationMessage(`A merged log needs two producers with containers on ${session.alias}; found ${producers.length}.`);
        return undefined;
      }
      const chosen = await vscode.window.showQuickPick(
        producers.map((p) => ({ label: p.containerName, description: stateLabel(p), detail: p.cscs.map((c) => c.text).join(' ') })),
        { title: 'Merged log: pick two or more producers', canPickMany: true, matchOnDetail: true },
      );
      names = (chosen ?? []).map((c) => c.label);
      if (names.length < 2) return undefined;
    }
    const key = names.join('+');
    const existing = mergedPanels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(MergedLogPanel.viewType, `Logs: ${names.join(' + ')}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    const pane = new MergedLogPanel(names, session.hub, panel, context.extensionUri, () => mergedPanels.delete(key), () => session.alias);
    mergedPanels.set(key, pane);
    return pane;
  };

  const openLogs = async (arg?: unknown): Promise<LogPanel | undefined> => {
    const picked = await pickProducer(sessions, arg, 'Show logs of producer');
    if (!picked) return undefined;
    const { session, producer: p } = picked;
    const key = paneKey(session.alias, p.containerName);
    const title = sessions.all().length > 1 ? `${session.alias}: ${p.containerName}` : p.containerName;
    if (p.state === 'not-created') {
      void vscode.window.showInformationMessage(`${p.name} is defined in the compose file but has no container yet: no logs.`);
      return undefined;
    }
    const existing = logPanels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(LogPanel.viewType, `Logs: ${title}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: false }, {
      enableScripts: true,
      // Keep the pane's lines while it is in a background tab.
      retainContextWhenHidden: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    const pane = new LogPanel(p.containerName, session.hub, panel, context.extensionUri, () => logPanels.delete(key), () => session.alias);
    logPanels.set(key, pane);
    return pane;
  };

  const openHealth = async (arg?: unknown): Promise<QueueHealthPanel | undefined> => {
    const picked = await pickProducer(sessions, arg, 'Show queue health of producer');
    if (!picked) return undefined;
    const { session, producer: p } = picked;
    const key = paneKey(session.alias, p.containerName);
    const title = sessions.all().length > 1 ? `${session.alias}: ${p.containerName}` : p.containerName;
    if (p.state === 'not-created') {
      void vscode.window.showInformationMessage(`${p.name} has no container yet: no queue reports.`);
      return undefined;
    }
    const existing = healthPanels.get(key);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(QueueHealthPanel.viewType, `Queues: ${title}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(context.extensionUri, 'media')],
    });
    const view = new QueueHealthPanel(p.containerName, session.hub, panel, context.extensionUri, () => healthPanels.delete(key));
    healthPanels.set(key, view);
    return view;
  };

  context.subscriptions.push(
    ...registerCommands('logs', { 'efdSalkafka.showLogs': openLogs, 'efdSalkafka.showQueueHealth': openHealth, 'efdSalkafka.showMergedLogs': openMerged }, pick),
    { dispose: () => { for (const p of [...logPanels.values(), ...healthPanels.values(), ...mergedPanels.values()]) p.dispose(); } },
  );
  return { logPanels, healthPanels, mergedPanels };
}
