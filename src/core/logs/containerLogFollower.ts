// Follows one container's log over Docker's API and keeps following across container restarts
// and lost connections, resuming from the last timestamp seen (see ResumeCursor).
import type { Readable } from 'node:stream';
import type Dockerode from 'dockerode';
import { Emitter } from '../host/events';
import { LogIngest, type LogIngestOptions } from './logIngest';
import { containerRef } from '../docker/containerRef';
import { InvalidNameError } from '../remote/names';

export type FollowState =
  | 'idle'        // nothing requested yet / detached (no connection)
  | 'starting'    // inspect + logs request in flight
  | 'following'   // stream open
  | 'stopped'     // container not running: history read, waiting for a start event
  | 'missing'     // no such container
  | 'retrying';   // stream broke while the container runs; retry scheduled

export interface ContainerLogFollowerOptions extends LogIngestOptions {
  /** Lines requested on the first request (health history). Later requests resume with `since`. */
  initialTail: number;
  /** First retry delay after a broken stream (doubles up to maxRetryMs). */
  minRetryMs?: number;
  maxRetryMs?: number;
  log?: (line: string) => void;
}

export class ContainerLogFollower {
  readonly ingest: LogIngest;
  private _state: FollowState = 'idle';
  private docker: Dockerode | undefined;
  private stream: Readable | undefined;
  private generation = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs: number;
  private readonly stateEmitter = new Emitter<FollowState>();
  readonly onDidChangeState = this.stateEmitter.event;
  /** Error text of the last failed request, for the UI. A 404 (no such container) is the state
   *  'missing', never an error text: Docker's raw message would add nothing but alarm. */
  lastError: string | undefined;
  private _interruption: string | undefined;
  /** Requests made (first follow + resumes); visible for tests and diagnostics. */
  requests = 0;
  /** Docker reported the container removed before the follower had judged the end of its run. */
  private removedMeanwhile = false;

  constructor(readonly containerName: string, private readonly options: ContainerLogFollowerOptions) {
    this.ingest = new LogIngest(options);
    this.retryMs = this.minRetry;
  }

  private get minRetry(): number {
    return this.options.minRetryMs ?? 1000;
  }

  get state(): FollowState {
    return this._state;
  }

  /**
   * Why the log stopped arriving when lines may be missing until the follower resumes: a broken
   * stream, a failed request, a lost connection. Undefined while following, and also when a run
   * simply ended (the container stopped, restarted or was removed by a re-create): that is the
   * producer's own doing, and the next run's start marker (LogIngest.announceRun) is the one
   * thing a pane should show for it. Set before the state change that it explains.
   */
  get interruption(): string | undefined {
    return this._interruption;
  }

  /** Connection (re)established: start or resume following. */
  attach(docker: Dockerode): void {
    this.docker = docker;
    this.retryMs = this.minRetry;
    this.restart();
  }

  /** Connection lost: drop the stream; the cursor stays for the resume. */
  detach(): void {
    this.docker = undefined;
    if (this._state !== 'idle' && this._state !== 'stopped' && this._state !== 'missing') this._interruption ??= 'not connected';
    this.generation++;
    this.clearRetry();
    this.closeStream();
    this.setState('idle');
  }

  /** Docker reported start/restart: follow the new run (resumes after what was seen). */
  containerStarted(): void {
    if (!this.docker) return;
    this.removedMeanwhile = false;
    if (this._state === 'following') return; // already streaming; a restart keeps the stream or ends it
    this.retryMs = this.minRetry;
    this.restart();
  }

  /** Docker reported the container removed (`docker rm`, `compose rm`): nothing more to read from
   *  it; the follower waits, as for a name never created, for a container of this name to start. */
  containerRemoved(): void {
    if (this._state === 'stopped') this.containerGone();
    // Still streaming or looking: the event can come before the stream's end, and the inspect
    // after it may still find the exited container. Remembered until the run's end is judged.
    else if (this._state !== 'missing') this.removedMeanwhile = true;
  }

  dispose(): void {
    this.detach();
    this.stateEmitter.dispose();
  }

  private restart(): void {
    this.generation++;
    this.clearRetry();
    this.closeStream();
    void this.follow(this.generation);
  }

  private async follow(gen: number): Promise<void> {
    const docker = this.docker;
    if (!docker) return;
    this.setState('starting');
    try {
      const container = containerRef(docker, this.containerName);
      const info = await container.inspect();
      if (gen !== this.generation) return;
      // The follower is keyed by name, so after a re-create (Apply, up -d) this is the new
      // container of the same service; the ingest marks each new run once.
      this.ingest.announceRun(this.containerName, info.Id, info.State.StartedAt, info.State.Running, info.State.FinishedAt);
      const since = this.ingest.cursor.since();
      // since is inclusive and sub-second ("sec.nanos"); the cursor drops the overlap.
      const query = {
        follow: true as const, stdout: true, stderr: true, timestamps: true,
        ...(since !== undefined ? { since: since as unknown as number } : { tail: this.options.initialTail }),
      };
      this.requests++;
      const stream = (await container.logs(query)) as unknown as Readable;
      if (gen !== this.generation) {
        stream.destroy();
        return;
      }
      this.ingest.beginStream(!info.Config.Tty);
      this.stream = stream;
      this.lastError = undefined;
      if (info.State.Running) this._interruption = undefined;
      let ended = false;
      let gotData = false;
      stream.on('data', (chunk: Buffer) => {
        if (gen !== this.generation) return;
        if (!gotData) {
          gotData = true;
          this.retryMs = this.minRetry;
        }
        try {
          this.ingest.pushChunk(chunk);
        } catch (err) {
          // A demux error means we misjudged TTY mode; do not loop on garbage.
          this.lastError = (err as Error).message;
          stream.destroy();
        }
      });
      const finish = (clean: boolean): void => {
        if (ended || gen !== this.generation) return;
        ended = true;
        // Only a clean end completes a trailing partial line; after a broken connection the
        // partial line is dropped here and comes back whole in the resumed request.
        if (clean) this.ingest.endStream();
        this.stream = undefined;
        // Docker ends a follow stream cleanly when the container's run ends; anything else broke it.
        void this.afterEnd(gen, info.State.Running && !clean ? (this.lastError ?? 'the log stream closed') : undefined);
      };
      stream.on('end', () => finish(true));
      stream.on('error', (err: Error) => {
        this.lastError = err.message;
        finish(false);
      });
      stream.on('close', () => finish(false));
      this.setState(info.State.Running ? 'following' : 'starting');
    } catch (err) {
      if (gen !== this.generation) return;
      // An invalid container name never reached Docker and never will: no retry loop.
      if (err instanceof InvalidNameError) {
        this.lastError = err.message;
        this.setState('missing');
        return;
      }
      if (isNoSuchContainer(err)) {
        this.containerGone();
        return;
      }
      this.lastError = (err as Error).message;
      this._interruption = this.lastError;
      this.scheduleRetry(gen);
    }
  }

  /**
   * The stream ended. Cleanly: the run ended (stopped, restarting, or removed by a re-create, whose
   * new container a start event brings). Broken (`broken` says how) while the container runs: retry.
   */
  private async afterEnd(gen: number, broken: string | undefined): Promise<void> {
    const docker = this.docker;
    if (!docker || gen !== this.generation) return;
    try {
      const info = await containerRef(docker, this.containerName).inspect();
      if (gen !== this.generation) return;
      // A running container here is a new run (or the same one): any removal reported was the old one's.
      if (info.State.Running) this.removedMeanwhile = false;
      if (info.State.Running && broken !== undefined) {
        this._interruption = broken;
        this.scheduleRetry(gen);
      } else if (info.State.Running) {
        // A new run already (restart): follow it at once, no gap to report.
        this.scheduleRetry(gen, 0, 'starting');
      } else if (this.removedMeanwhile) {
        this.removedMeanwhile = false;
        this.containerGone();
      } else {
        this.lastError = undefined;
        this._interruption = undefined;
        this.setState('stopped');
      }
    } catch (err) {
      if (gen !== this.generation) return;
      if (isNoSuchContainer(err)) {
        // Removed: by a re-create (compose renames the old container, then makes the new one)
        // or for good. Either way nothing more can be read from the old one.
        this.containerGone();
        return;
      }
      this.lastError = (err as Error).message;
      this._interruption = this.lastError;
      this.scheduleRetry(gen);
    }
  }

  /** No container of this name (yet): wait for a start event, with no error text to show. */
  private containerGone(): void {
    this.lastError = undefined;
    this._interruption = undefined;
    this.setState('missing');
  }

  private scheduleRetry(gen: number, delay?: number, state: FollowState = 'retrying'): void {
    if (!this.docker || gen !== this.generation) return;
    const wait = delay ?? this.retryMs;
    if (delay === undefined) this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 30_000);
    this.setState(state);
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (gen === this.generation) this.restart();
    }, wait);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private closeStream(): void {
    const s = this.stream;
    this.stream = undefined;
    s?.destroy();
  }

  private setState(s: FollowState): void {
    if (s === this._state) return;
    this._state = s;
    this.stateEmitter.fire(s);
  }
}

/** Docker's 404 for a container name it does not know (dockerode sets statusCode). */
function isNoSuchContainer(err: unknown): boolean {
  return (err as { statusCode?: number } | undefined)?.statusCode === 404;
}
