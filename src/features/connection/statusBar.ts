// Status bar item: `$(plug) azar2: connected` and friends; click connects.
import * as vscode from 'vscode';
import type { ConnectionState, HostConnection, StateChange } from '../../core/ssh/hostConnection';

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

  show(alias: string, conn: HostConnection | undefined, change?: StateChange, dockerProblem?: string): void {
    const state: ConnectionState = conn?.state ?? 'disconnected';
    const extra = state === 'reconnecting' && change?.attempt ? ` (${change.attempt})` : '';
    this.item.text = `${ICONS[state]} ${alias}: ${state}${extra}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    if (conn) {
      const t = conn.target;
      md.appendText(`${t.user}@${t.hostName}:${t.port}`);
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

  dispose(): void {
    this.item.dispose();
  }
}
