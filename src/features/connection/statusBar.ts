// Status bar item: `$(plug) azar2: connected` and friends; click connects.
import * as vscode from 'vscode';
import type { DockerAccessResult } from '../../core/docker/dockerAccess';
import type { ConnectionState, Host, StateChange } from '../../core/host/host';
import { connectedSummary } from '../../core/host/hostEntries';

const ICONS: Record<ConnectionState, string> = {
  disconnected: '$(debug-disconnect)',
  connecting: '$(sync~spin)',
  connected: '$(plug)',
  reconnecting: '$(sync~spin)',
  failed: '$(error)',
};

export class ConnectionStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('efdSalkafka.connection', vscode.StatusBarAlignment.Left, 50);

  constructor() {
    this.item.name = 'EFD SAL Kafka connection';
    this.item.command = 'efdSalkafka.connect';
  }

  /** What the item says now (for the views API the tests read). */
  get text(): string {
    return this.item.text;
  }

  show(alias: string, conn: Host | undefined, change?: StateChange, dockerProblem?: string): void {
    const state: ConnectionState = conn?.state ?? 'disconnected';
    const extra = state === 'reconnecting' && change?.attempt ? ` (${change.attempt})` : '';
    this.item.text = `${ICONS[state]} ${alias}: ${state}${extra}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    if (conn) {
      const t = conn.target;
      md.appendText(conn.transport === 'local' ? `This machine (${t.user}@${t.hostName}), local transport` : `${t.user}@${t.hostName}:${t.port}`);
      if (t.proxyJump.length) md.appendText(` via ${t.proxyJump.map((j) => `${j.user}@${j.hostName}:${j.port}`).join(' → ')}`);
      md.appendText(`\nState: ${state}${extra}`);
      if (state === 'connected') md.appendText(`\nDocker: ${dockerProblem ?? `OK (${conn.dockerTransport})`}`);
      if (state === 'reconnecting' && change?.retryInMs !== undefined) md.appendText(`\nNext attempt in ${(change.retryInMs / 1000).toFixed(1)} s`);
      const err = conn.lastError;
      if (err && state !== 'connected') md.appendText(`\nLast error: ${err.message.split('\n')[0]}`);
    } else {
      md.appendText(`Not connected to ${alias}.`);
    }
    md.appendText('\n\nClick to connect.');
    this.item.tooltip = md;
    this.item.backgroundColor =
      state === 'failed' || dockerProblem ? new vscode.ThemeColor('statusBarItem.errorBackground') :
      state === 'reconnecting' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  /** Several hosts: `EFD: 2/3 connected`, each host's state in the tooltip. */
  showSummary(hosts: { alias: string; conn: Host | undefined; access: DockerAccessResult | undefined }[]): void {
    const states = hosts.map((h) => ({ alias: h.alias, state: h.conn?.state ?? 'disconnected' }));
    const up = states.filter((s) => s.state === 'connected').length;
    const trouble = hosts.some((h) => h.conn?.state === 'failed' || (h.access && !h.access.ok));
    const busy = states.some((s) => s.state === 'connecting' || s.state === 'reconnecting');
    this.item.text = `${busy ? ICONS.connecting : up === hosts.length ? ICONS.connected : ICONS.disconnected} ${connectedSummary(states)}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    for (const h of hosts) {
      const state = h.conn?.state ?? 'disconnected';
      const docker = state === 'connected' && h.access ? (h.access.ok ? ', Docker OK' : `, Docker: ${h.access.message}`) : '';
      const via = h.conn ? (h.conn.transport === 'local' ? ' (local)' : ` (${h.conn.target.user}@${h.conn.target.hostName})`) : '';
      md.appendText(`${h.alias}${via}: ${state}${docker}\n`);
    }
    md.appendText('\nClick to connect.');
    this.item.tooltip = md;
    this.item.backgroundColor = trouble ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
