// Binds one configured host (SSH or local) to one ProducerWatcher (containers + compose) and one
// LogHub (a log stream per producer container). There is one session per host in
// efdSalkafka.producerHosts (see producersSessions.ts). Tree, log panes and the queue chart all
// read from here, so data flows one way: host → watcher/hub → views.
import * as vscode from 'vscode';
import { LogHub, type LogHubOptions } from '../../core/logs/logHub';
import { producerHostFromConnection } from '../../core/producers/connectionHost';
import { hasContainer } from '../../core/producers/mergeProducers';
import type { ProducerHost } from '../../core/producers/producerHost';
import { ProducerWatcher, type WatcherStatus } from '../../core/producers/producerWatcher';
import type { Host } from '../../core/host/host';
import type { ConnectionManager } from '../connection';
import { HostLockWatcher } from './hostLockWatcher';

function logSettings(): LogHubOptions & { timestamps: boolean; tail: number } {
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

export { logSettings };

export class ProducersSession implements vscode.Disposable {
  readonly hub: LogHub;
  private connection: Host | undefined;
  private host: ProducerHost | undefined;
  private watcher: ProducerWatcher | undefined;
  private lockWatcher: HostLockWatcher | undefined;
  private bound: { dispose(): void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changeEmitter = new vscode.EventEmitter<void>();
  /** Producers, connection or compose changed (not fired for log lines: see hub.onDidReceiveLines). */
  readonly onDidChange = this.changeEmitter.event;

  constructor(
    private readonly manager: ConnectionManager,
    readonly log: vscode.LogOutputChannel,
    /** The host this session shows. */
    readonly alias: string,
  ) {
    this.hub = new LogHub(logSettings());
    this.disposables.push(
      manager.onDidChangeState((e) => {
        if (e.alias === alias) this.bind(e.connection);
      }),
      manager.onDidConnect((conn) => {
        if (conn.alias === alias) this.bind(conn);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('efdSalkafka.logs')) this.hub.setOptions(logSettings());
        if (['composeFile', 'composeFiles', 'envFiles', 'producerHosts'].some((k) => e.affectsConfiguration(`efdSalkafka.${k}`))) void this.refresh();
      }),
    );
    const existing = manager.get(alias);
    if (existing) this.bind(existing);
  }

  /** ssh or local, once the host exists. */
  get transport(): 'ssh' | 'local' | undefined {
    return this.connection?.transport;
  }

  get hostState(): string {
    return this.connection?.state ?? 'disconnected';
  }

  /** The host lock beside the compose file (a change in progress, ours or a colleague's). */
  get lock(): HostLockWatcher['state'] {
    return this.lockWatcher?.state ?? { state: 'free' };
  }

  /** Re-read the host lock now (after we took or released it). */
  pollLock(): Promise<void> {
    return this.lockWatcher?.poll() ?? Promise.resolve();
  }

  get status(): WatcherStatus {
    return this.watcher?.status ?? { kind: 'disconnected' };
  }

  /** Docker on the host while connected (for reads such as an image's catalogue). */
  docker(): ReturnType<ProducerHost['docker']> | undefined {
    return this.host?.state === 'connected' ? this.host.docker() : undefined;
  }

  async refresh(): Promise<void> {
    await this.watcher?.refresh();
  }

  private bind(conn: Host): void {
    if (conn === this.connection) return;
    this.unbind();
    this.connection = conn;
    const host = producerHostFromConnection(conn, () => ({
      composeFile: this.manager.entry(this.alias).composeFile,
      envFiles: vscode.workspace.getConfiguration('efdSalkafka').get<string[]>('envFiles', ['setup.env']),
      composeFiles: vscode.workspace.getConfiguration('efdSalkafka').get<string[]>('composeFiles', []),
    }));
    this.host = host;
    const watcher = new ProducerWatcher(host, { log: (l) => this.log.warn(l) });
    this.watcher = watcher;
    const lockWatcher = new HostLockWatcher(conn, () => this.manager.entry(this.alias).composeFile, () => this.changeEmitter.fire());
    this.lockWatcher = lockWatcher;
    const onState = (state: string): void => {
      if (state === 'connected') this.hub.attach(host.docker());
      else this.hub.detach();
      this.changeEmitter.fire();
    };
    this.bound = [
      watcher,
      lockWatcher,
      host.onDidChangeState(({ state }) => onState(state)),
      watcher.onDidChange((status) => {
        if (status.kind === 'ready') {
          this.hub.retain(status.snapshot.producers.filter(hasContainer).map((p) => p.containerName));
        }
        this.changeEmitter.fire();
      }),
      watcher.onContainerEvent((e) => this.hub.containerEvent(e.name, e.action)),
    ];
    if (host.state === 'connected') onState('connected');
    this.changeEmitter.fire();
  }

  private unbind(): void {
    for (const b of this.bound) b.dispose();
    this.bound = [];
    this.hub.detach();
    this.watcher = undefined;
    this.lockWatcher = undefined;
    this.host = undefined;
    this.connection = undefined;
  }

  dispose(): void {
    this.unbind();
    this.hub.dispose();
    for (const d of this.disposables) d.dispose();
    this.changeEmitter.dispose();
  }
}
