// One ContainerLogFollower per producer container, shared by the health view and any open log
// panes, so each container's log crosses the SSH connection once.
import type Dockerode from 'dockerode';
import { Emitter, type Disposable } from '../host/events';
import { ContainerLogFollower, type FollowState } from './containerLogFollower';

export interface LogHubOptions {
  /** Lines kept per container while no pane shows it (enough for a pane's initial tail). */
  backgroundLines: number;
  /** Lines kept per container while a pane shows it (efdSalkafka.logs.maxLines). */
  paneLines: number;
  /** Lines read on the first request, to build queue health (and the pane's history). */
  initialTail: number;
  log?: (line: string) => void;
}

export interface FollowerChange {
  containerName: string;
  follower: ContainerLogFollower;
}

export class LogHub implements Disposable {
  private readonly followers = new Map<string, ContainerLogFollower>();
  private readonly subs = new Map<string, Disposable[]>();
  private readonly viewers = new Map<string, number>();
  private docker: Dockerode | undefined;
  private readonly linesEmitter = new Emitter<FollowerChange>();
  private readonly stateEmitter = new Emitter<FollowerChange & { state: FollowState }>();
  /** New lines arrived for a container (fires per received chunk; consumers throttle). */
  readonly onDidReceiveLines = this.linesEmitter.event;
  readonly onDidChangeFollowState = this.stateEmitter.event;

  constructor(private options: LogHubOptions) {}

  get(containerName: string): ContainerLogFollower | undefined {
    return this.followers.get(containerName);
  }

  all(): ReadonlyMap<string, ContainerLogFollower> {
    return this.followers;
  }

  /** Follower for the container, created (and started when connected) on first use. */
  ensure(containerName: string): ContainerLogFollower {
    let f = this.followers.get(containerName);
    if (f) return f;
    f = new ContainerLogFollower(containerName, {
      maxLines: (this.viewers.get(containerName) ?? 0) > 0 ? this.options.paneLines : this.options.backgroundLines,
      initialTail: this.options.initialTail,
      ...(this.options.log ? { log: this.options.log } : {}),
    });
    const follower = f;
    const unsubLines = f.ingest.subscribe(() => this.linesEmitter.fire({ containerName, follower }));
    this.subs.set(containerName, [
      { dispose: unsubLines },
      f.onDidChangeState((state) => this.stateEmitter.fire({ containerName, follower, state })),
    ]);
    this.followers.set(containerName, f);
    if (this.docker) f.attach(this.docker);
    return f;
  }

  /** Keeps exactly these containers followed; others are dropped with their history. */
  retain(containerNames: Iterable<string>): void {
    const keep = new Set(containerNames);
    for (const name of keep) this.ensure(name);
    for (const name of [...this.followers.keys()]) {
      if (!keep.has(name) && (this.viewers.get(name) ?? 0) === 0) this.drop(name);
    }
  }

  /** A pane opened on the container: keep maxLines for it. Dispose the result when it closes. */
  addViewer(containerName: string): Disposable {
    this.viewers.set(containerName, (this.viewers.get(containerName) ?? 0) + 1);
    this.ensure(containerName).ingest.lines.resize(this.options.paneLines);
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        const n = (this.viewers.get(containerName) ?? 1) - 1;
        if (n > 0) this.viewers.set(containerName, n);
        else {
          this.viewers.delete(containerName);
          this.followers.get(containerName)?.ingest.lines.resize(this.options.backgroundLines);
        }
      },
    };
  }

  setOptions(options: LogHubOptions): void {
    this.options = options;
    for (const [name, f] of this.followers) {
      f.ingest.lines.resize((this.viewers.get(name) ?? 0) > 0 ? options.paneLines : options.backgroundLines);
    }
  }

  /** Connected (or reconnected): every follower resumes. */
  attach(docker: Dockerode): void {
    this.docker = docker;
    for (const f of this.followers.values()) f.attach(docker);
  }

  /** Connection lost. */
  detach(): void {
    this.docker = undefined;
    for (const f of this.followers.values()) f.detach();
  }

  /** Docker container event (from ProducerWatcher.onContainerEvent). */
  containerEvent(name: string, action: string): void {
    const f = this.followers.get(name);
    if (!f) return;
    if (action === 'start' || action === 'restart' || action === 'unpause') f.containerStarted();
    else if (action === 'destroy') f.containerRemoved();
  }

  private drop(name: string): void {
    for (const s of this.subs.get(name) ?? []) s.dispose();
    this.subs.delete(name);
    this.followers.get(name)?.dispose();
    this.followers.delete(name);
  }

  dispose(): void {
    for (const name of [...this.followers.keys()]) this.drop(name);
    this.linesEmitter.dispose();
    this.stateEmitter.dispose();
  }
}
