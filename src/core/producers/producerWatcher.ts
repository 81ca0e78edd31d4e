// Keeps a ProducerSnapshot current without polling: reloads when the host (re)connects, when
// Docker reports a container event for a producer (debounced), and on demand (refresh).
import type { Readable } from 'node:stream';
import { Emitter, type Disposable } from '../host/events';
import { LineSplitter } from '../logs/lineSplitter';
import { loadProducers } from './loadProducers';
import type { ProducerHost, Unsubscribe } from './producerHost';
import type { ProducerSnapshot } from './producerTypes';

export interface ContainerEvent {
  /** Container name without "/". */
  name: string;
  id: string;
  /** Docker action: start, die, stop, restart, create, destroy, rename, … */
  action: string;
}

export type WatcherStatus =
  /** Not connected; `snapshot` is the last known state (shown as such while reconnecting). */
  | { kind: 'disconnected'; snapshot?: ProducerSnapshot }
  | { kind: 'loading' }
  | { kind: 'ready'; snapshot: ProducerSnapshot }
  | { kind: 'error'; message: string; snapshot?: ProducerSnapshot };

// Actions that change what the tree shows. exec_*, health_status, attach… are ignored.
const RELEVANT_ACTIONS = new Set([
  'create', 'start', 'restart', 'stop', 'die', 'kill', 'pause', 'unpause', 'destroy', 'rename', 'oom', 'update',
]);

export interface ProducerWatcherOptions {
  debounceMs?: number;
  /** Max delay before re-opening a broken events stream. */
  maxRetryMs?: number;
  log?: (line: string) => void;
}

export class ProducerWatcher implements Disposable {
  private readonly statusEmitter = new Emitter<WatcherStatus>();
  private readonly containerEmitter = new Emitter<ContainerEvent>();
  private _status: WatcherStatus = { kind: 'disconnected' };
  private readonly hostSub: Unsubscribe;
  private events: Readable | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private retry: NodeJS.Timeout | undefined;
  private retryMs = 500;
  private loadSeq = 0;
  private disposed = false;
  private readonly debounceMs: number;
  private readonly maxRetryMs: number;

  /** Fires after each (re)load and on connection changes. */
  readonly onDidChange = this.statusEmitter.event;
  /** Every container event of a producer container (not debounced): log followers use it. */
  readonly onContainerEvent = this.containerEmitter.event;

  constructor(private readonly host: ProducerHost, options: ProducerWatcherOptions = {}) {
    this.debounceMs = options.debounceMs ?? 300;
    this.maxRetryMs = options.maxRetryMs ?? 30_000;
    this.log = options.log ?? (() => undefined);
    this.hostSub = host.onDidChangeState(({ state }) => this.onHostState(state));
    if (host.state === 'connected') this.onHostState('connected');
  }

  private readonly log: (line: string) => void;

  get status(): WatcherStatus {
    return this._status;
  }

  get snapshot(): ProducerSnapshot | undefined {
    return this._status.kind === 'loading' ? undefined : this._status.snapshot;
  }

  /** Reload now (refresh command); resolves when the new snapshot is published. */
  async refresh(): Promise<void> {
    if (this.host.state !== 'connected') return;
    if (!this.events) this.openEvents();
    await this.reload();
  }

  private onHostState(state: string): void {
    if (this.disposed) return;
    if (state === 'connected') {
      this.retryMs = 500;
      this.openEvents();
      void this.reload();
    } else {
      this.closeEvents();
      this.loadSeq++; // a load in flight belongs to the old connection
      if (this._status.kind !== 'disconnected') {
        const last = this.snapshot;
        this.setStatus(last ? { kind: 'disconnected', snapshot: last } : { kind: 'disconnected' });
      }
    }
  }

  private async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    const previous = this.snapshot;
    if (!previous) this.setStatus({ kind: 'loading' });
    try {
      const snapshot = await loadProducers(this.host);
      if (seq === this.loadSeq && !this.disposed) this.setStatus({ kind: 'ready', snapshot });
    } catch (err) {
      if (seq !== this.loadSeq || this.disposed) return;
      const message = err instanceof Error ? err.message : String(err);
      this.log(`loading producers failed: ${message}`);
      this.setStatus(previous ? { kind: 'error', message, snapshot: previous } : { kind: 'error', message });
    }
  }

  private scheduleReload(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.reload();
    }, this.debounceMs);
  }

  private openEvents(): void {
    this.closeEvents();
    const docker = this.host.docker();
    const splitter = new LineSplitter();
    docker.getEvents({ filters: { type: ['container'] } }).then(
      (stream) => {
        const s = stream as Readable;
        if (this.disposed || this.host.state !== 'connected') {
          s.destroy();
          return;
        }
        this.events = s;
        s.on('data', (chunk: Buffer) => {
          for (const line of splitter.push(chunk)) this.onEventLine(line);
        });
        const ended = (): void => {
          if (this.events !== s) return;
          this.events = undefined;
          this.scheduleEventsRetry();
        };
        s.on('end', ended);
        s.on('close', ended);
        s.on('error', ended);
      },
      (err: unknown) => {
        this.log(`docker events failed: ${err instanceof Error ? err.message : String(err)}`);
        this.scheduleEventsRetry();
      },
    );
  }

  private scheduleEventsRetry(): void {
    if (this.disposed || this.host.state !== 'connected' || this.retry) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.maxRetryMs);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (this.host.state !== 'connected') return;
      this.openEvents();
      // Events may have been missed while the stream was down.
      this.scheduleReload();
    }, delay);
  }

  private onEventLine(line: string): void {
    if (!line.trim()) return;
    let ev: { Type?: string; Action?: string; status?: string; id?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      ev = JSON.parse(line);
    } catch {
      return;
    }
    this.retryMs = 500;
    const action = (ev.Action ?? ev.status ?? '').split(':')[0];
    const attrs = ev.Actor?.Attributes ?? {};
    const name = attrs.name ?? '';
    const known = this.snapshot?.producers.some((p) => p.containerName === name || (attrs['com.docker.compose.service'] !== undefined && p.serviceName === attrs['com.docker.compose.service']));
    if (!name.startsWith('salkafka-') && !known) return;
    const id = ev.Actor?.ID ?? ev.id ?? '';
    this.containerEmitter.fire({ name, id, action });
    if (RELEVANT_ACTIONS.has(action)) this.scheduleReload();
  }

  private closeEvents(): void {
    if (this.retry) clearTimeout(this.retry);
    this.retry = undefined;
    const s = this.events;
    this.events = undefined;
    s?.destroy();
  }

  private setStatus(status: WatcherStatus): void {
    this._status = status;
    this.statusEmitter.fire(status);
  }

  dispose(): void {
    this.disposed = true;
    if (this.debounce) clearTimeout(this.debounce);
    this.closeEvents();
    this.hostSub.dispose();
    this.statusEmitter.dispose();
    this.containerEmitter.dispose();
  }
}
