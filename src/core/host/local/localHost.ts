// The local transport of a Host: the extension runs on the Docker host itself (Remote-SSH on
// azar2), so the Docker socket, the compose file and the commands are on this machine. There is
// no link to lose: "connecting" only checks that the Docker socket answers at all (a precise
// diagnosis of Docker access follows, as for SSH, from checkDockerAccess).
import * as os from 'node:os';
import type { Duplex } from 'node:stream';
import type { SFTPWrapper } from 'ssh2';
import type Dockerode from 'dockerode';
import { RemoteFiles } from '../../remote/remoteFiles';
import { Emitter } from '../events';
import type { Disposable } from '../events';
import { NotConnectedError } from '../host';
import type { ConnectionState, ExecOptions, ExecResult, Host, HostTarget, StateChange } from '../host';
import { createLocalDocker } from './localDocker';
import { localExec } from './localExec';
import { localSftp } from './localSftp';

export interface LocalHostOptions {
  dockerSocketPath?: string;
  log?(line: string): void;
}

function localUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

export class LocalHost implements Host {
  readonly transport = 'local' as const;
  readonly target: HostTarget;
  readonly files: RemoteFiles;
  private _state: ConnectionState = 'disconnected';
  private _lastError: Error | undefined;
  private readonly stateEmitter = new Emitter<StateChange>();
  private readonly sftpSession = localSftp();
  private dockerClient: Dockerode | undefined;
  /** Open Docker connections (log follows, event streams): closed with the host. */
  private readonly sockets = new Set<Duplex>();
  readonly socketPath: string;

  constructor(
    readonly alias: string,
    private readonly options: LocalHostOptions = {},
  ) {
    this.socketPath = options.dockerSocketPath ?? '/var/run/docker.sock';
    this.target = { user: localUser(), hostName: os.hostname(), port: 0, proxyJump: [] };
    this.files = new RemoteFiles(() => this.sftp());
  }

  get state(): ConnectionState {
    return this._state;
  }
  get lastError(): Error | undefined {
    return this._lastError;
  }
  get dockerTransport(): string {
    return `local socket ${this.socketPath}`;
  }

  onDidChangeState(listener: (change: StateChange) => void): Disposable {
    return this.stateEmitter.event(listener);
  }

  private setState(state: ConnectionState, error?: Error): void {
    const previous = this._state;
    this._state = state;
    this._lastError = state === 'connected' ? undefined : (error ?? this._lastError);
    this.stateEmitter.fire({ state, previous, ...(error ? { error } : {}) });
  }

  async connect(): Promise<void> {
    if (this._state === 'connected') return;
    this.setState('connecting');
    this.options.log?.(`[${this.alias}] local transport: this machine (${this.target.user}@${this.target.hostName}), Docker at ${this.socketPath}`);
    this.setState('connected');
  }

  private requireConnected(): void {
    if (this._state !== 'connected') throw new NotConnectedError(`Not connected to ${this.alias} (state is ${this._state}).`);
  }

  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    try {
      this.requireConnected();
    } catch (err) {
      return Promise.reject(err);
    }
    // The docker CLI (docker-compose) must talk to the same engine as our API requests.
    return localExec(this.alias, argv, opts, { ...process.env, DOCKER_HOST: `unix://${this.socketPath}` });
  }

  sftp(): Promise<SFTPWrapper> {
    try {
      this.requireConnected();
    } catch (err) {
      return Promise.reject(err);
    }
    return Promise.resolve(this.sftpSession);
  }

  docker(): Dockerode {
    this.dockerClient ??= createLocalDocker(this.alias, this.socketPath, (s) => {
      if (this._state !== 'connected') {
        s.destroy();
        return;
      }
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
    return this.dockerClient;
  }

  async close(): Promise<void> {
    // Docker streams end here, as SSH channels end with their connection; commands already
    // running are left to finish (an interrupted `docker-compose up` is worse than a late one).
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (this._state !== 'disconnected') this.setState('disconnected');
  }

  dispose(): void {
    void this.close();
    this.stateEmitter.dispose();
  }
}
