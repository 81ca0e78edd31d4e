// One ProducersSession per configured host (efdSalkafka.producerHosts, else efdSalkafka.host),
// kept in the order of the settings and re-synced when they change: a host removed from the
// list has its session (watcher, log followers) disposed; a new one gets a fresh session.
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection';
import type { LogSettingsSource } from '../logs/logSettings';
import { ProducersSession } from './producersSession';

export class ProducersSessions implements vscode.Disposable {
  private readonly sessions = new Map<string, ProducersSession>();
  private readonly subs = new Map<string, vscode.Disposable>();
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Any session changed, or the set of hosts did. */
  readonly onDidChange = this.changeEmitter.event;
  private readonly configSub: vscode.Disposable;

  constructor(
    private readonly manager: ConnectionManager,
    private readonly log: vscode.LogOutputChannel,
    /** efdSalkafka.logs.*, for every session's log followers (and the panes). */
    readonly logSettings: LogSettingsSource,
  ) {
    this.sync();
    this.configSub = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('efdSalkafka.producerHosts') || e.affectsConfiguration('efdSalkafka.host')) this.sync();
    });
  }

  private sync(): void {
    const wanted = this.manager.entries().map((e) => e.alias);
    for (const [alias, s] of [...this.sessions]) {
      if (!wanted.includes(alias)) {
        this.subs.get(alias)?.dispose();
        this.subs.delete(alias);
        s.dispose();
        this.sessions.delete(alias);
      }
    }
    const next = new Map<string, ProducersSession>();
    for (const alias of wanted) {
      let s = this.sessions.get(alias);
      if (!s) {
        s = new ProducersSession(this.manager, this.log, alias, this.logSettings);
        this.subs.set(alias, s.onDidChange(() => this.changeEmitter.fire()));
      }
      next.set(alias, s);
    }
    this.sessions.clear();
    for (const [a, s] of next) this.sessions.set(a, s);
    this.changeEmitter.fire();
  }

  /** Every session, in the order of the settings. */
  all(): ProducersSession[] {
    return [...this.sessions.values()];
  }

  get(alias: string): ProducersSession | undefined {
    return this.sessions.get(alias);
  }

  /** The first configured host's session (the only one unless a list is configured). */
  get primary(): ProducersSession {
    return this.all()[0];
  }

  dispose(): void {
    this.configSub.dispose();
    for (const d of this.subs.values()) d.dispose();
    for (const s of this.sessions.values()) s.dispose();
    this.sessions.clear();
    this.changeEmitter.dispose();
  }
}
