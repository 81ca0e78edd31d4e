// The efdSalkafka.logs.* settings, read in one place and watched by one configuration listener.
// The log followers (ProducersSession's LogHub) and every open pane, single or merged, take
// their values and their changes from here.
import * as vscode from 'vscode';
import type { LogHubOptions } from '../../core/logs/logHub';

export interface LogSettings extends LogHubOptions {
  /** Lines of history a pane shows when it opens (efdSalkafka.logs.tail). */
  tail: number;
  /** Docker timestamps shown by default (efdSalkafka.logs.timestamps). */
  timestamps: boolean;
}

export function readLogSettings(): LogSettings {
  const c = vscode.workspace.getConfiguration('efdSalkafka');
  const tail = Math.max(1, Math.floor(c.get<number>('logs.tail', 500)));
  const maxLines = Math.max(tail, Math.floor(c.get<number>('logs.maxLines', 20000)));
  return {
    tail,
    timestamps: c.get<boolean>('logs.timestamps', true),
    // Background followers keep what a new pane shows first; panes raise it to maxLines.
    backgroundLines: tail,
    paneLines: maxLines,
    // Queue health is built from this much history when a container is first followed.
    initialTail: Math.max(tail, 5000),
  };
}

/** The current log settings and their changes (one configuration listener for all readers). */
export class LogSettingsSource implements vscode.Disposable {
  private value = readLogSettings();
  private readonly emitter = new vscode.EventEmitter<LogSettings>();
  readonly onDidChange = this.emitter.event;
  private readonly sub = vscode.workspace.onDidChangeConfiguration((e) => {
    if (!e.affectsConfiguration('efdSalkafka.logs')) return;
    this.value = readLogSettings();
    this.emitter.fire(this.value);
  });

  get current(): LogSettings {
    return this.value;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
