// The SSH transport of a Host (see ../host/host.ts): one persistent SSH connection to a Docker
// host (azar2), shared by everything the extension does there. This file owns the connection's
// lifecycle (handshake through jump hosts, drop detection, reconnect with backoff); what rides
// on it lives beside it by concern: commands in sshExec.ts, SFTP in sshSftp.ts, Docker API
// channels in sshDocker.ts. Reconnects by itself after an unexpected drop, but never after a
// host-key or authentication failure: those need a human.
import type { Duplex } from 'node:stream';
import { Client } from 'ssh2';
import type { ConnectConfig, SFTPWrapper } from 'ssh2';
import type Dockerode from 'dockerode';
import { RemoteFiles } from '../remote/remoteFiles';
import { createDockerOverChannels } from '../docker/dockerTransport';
import type { ConnectionState, ExecOptions, ExecResult, Host, StateChange } from '../host/host';
import { SshDockerStreams } from './sshDocker';
import { sshExec } from './sshExec';
import { SftpSession } from './sshSftp';
import { makeAuthHandler } from './auth';
import type { AuthCallbacks, KeyCache } from './auth';
import { backoffDelay } from './backoff';
import { Emitter } from '../host/events';
import type { Disposable } from '../host/events';
import { NotConnectedError } from '../host/host';
import { AuthenticationFailedError, FatalConnectionError, isFatalConnectionError } from './errors';
import { serverHostKeyAlgorithms, verifyHostKey } from './hostVerifier';
import type { UnknownHostDecision, UnknownHostInfo } from './hostVerifier';
import type { JumpHost, ResolvedHost } from './resolveHost';


export interface HostConnectionOptions extends AuthCallbacks {
  onUnknownHost?(info: UnknownHostInfo): Promise<UnknownHostDecision>;
  /** SSH keepalive; a dead link is detected after interval × countMax. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  readyTimeoutMs?: number;
  reconnect?: { enabled?: boolean; initialDelayMs?: number; maxDelayMs?: number; maxAttempts?: number };
  dockerSocketPath?: string;
  /** 'auto' (default): stream-local forwarding, switching to dial-stdio when sshd forbids it. */
  dockerTransport?: 'auto' | 'dial-stdio';
}

function networkMessage(hop: JumpHost, err: Error & { code?: string; level?: string }): string {
  const where = `${hop.hostName}:${hop.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return `connection to ${where} refused (is sshd running there?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host name ${hop.hostName} could not be resolved (DNS; are you on the summit network or VPN?)`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable (${err.code})`;
    case 'ECONNRESET':
      return `connection to ${where} was reset`;
  }
  if (/timed out while waiting for handshake/i.test(err.message)) return `no SSH handshake from ${where} (timed out)`;
  return `SSH connection to ${where} failed: ${err.message}`;
}

function sleep(ms: number, cancel: { cancelled: boolean; wake?: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    cancel.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });
}

export class HostConnection implements Host {
  readonly transport = 'ssh' as const;
  private readonly stateEmitter = new Emitter<StateChange>();
  private _state: ConnectionState = 'disconnected';
  private _lastError: Error | undefined;
  private clients: Client[] = [];
  private pendingConnect: Promise<void> | undefined;
  private readonly sftpSession: SftpSession;
  private readonly dockerStreams: SshDockerStreams;
  private dockerClient: Dockerode | undefined;
  private closedByUser = false;
  private reconnectCancel: { cancelled: boolean; wake?: () => void } | undefined;
  private readonly keyCache: KeyCache = new Map();
  private readonly acceptedOnce = new Map<string, Buffer>();
  /** Remote files over this connection's SFTP session. */
  readonly files: RemoteFiles;

  constructor(
    readonly target: ResolvedHost,
    private readonly options: HostConnectionOptions = {},
  ) {
    const getClient = (): Client => this.requireClient();
    this.sftpSession = new SftpSession(getClient, target.alias);
    this.files = new RemoteFiles(() => this.sftp());
    this.dockerStreams = new SshDockerStreams(
      {
        alias: target.alias,
        socketPath: options.dockerSocketPath ?? '/var/run/docker.sock',
        getClient,
        exec: (argv) => this.exec(argv),
        log: (l) => this.log(l),
      },
      options.dockerTransport === 'dial-stdio' ? 'dial-stdio' : 'stream-local',
    );
  }

  /** Alias the user knows the host by (`azar2`). */
  get alias(): string {
    return this.target.alias;
  }
  get state(): ConnectionState {
    return this._state;
  }
  get lastError(): Error | undefined {
    return this._lastError;
  }
  /** How Docker requests travel: stream-local forward, or `docker system dial-stdio` fallback. */
  get dockerTransport(): 'stream-local' | 'dial-stdio' {
    return this.dockerStreams.mode;
  }

  onDidChangeState(listener: (change: StateChange) => void): Disposable {
    return this.stateEmitter.event(listener);
  }

  private setState(state: ConnectionState, extra: Omit<StateChange, 'state' | 'previous'> = {}): void {
    const previous = this._state;
    this._state = state;
    if (extra.error) this._lastError = extra.error;
    if (state === 'connected') this._lastError = undefined;
    this.stateEmitter.fire({ state, previous, ...extra });
  }

  private log(line: string): void {
    this.options.log?.(`[${this.alias}] ${line}`);
  }

  /** Connect (or join a connection attempt in progress). Rejects with a user-readable error. */
  connect(): Promise<void> {
    if (this._state === 'connected') return Promise.resolve();
    if (this.pendingConnect) return this.pendingConnect;
    if (this._state === 'reconnecting' && this.reconnectCancel) return this.retryNow();
    this.closedByUser = false;
    this.setState('connecting');
    this.pendingConnect = this.establish().then(
      () => {
        this.pendingConnect = undefined;
        this.setState('connected');
      },
      (err: Error) => {
        this.pendingConnect = undefined;
        this.setState('failed', { error: err });
        throw err;
      },
    );
    return this.pendingConnect;
  }

  /** While reconnecting: skip the backoff wait and report the outcome of that next attempt. */
  private retryNow(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const d = this.onDidChangeState((ch) => {
        if (ch.state === 'connected') {
          d.dispose();
          resolve();
        } else if (ch.state === 'failed' || ch.state === 'reconnecting' || ch.state === 'disconnected') {
          d.dispose();
          reject(ch.error ?? new NotConnectedError(`Not connected to ${this.alias} (${ch.state}).`));
        }
      });
      this.reconnectCancel?.wake?.();
    });
  }

  /** Build the whole chain (jump hosts, then the target) and install drop detection. */
  private async establish(): Promise<void> {
    const hops: JumpHost[] = [...this.target.proxyJump, this.target];
    const clients: Client[] = [];
    try {
      let sock: Duplex | undefined;
      for (let i = 0; i < hops.length; i++) {
        const client = await this.openClient(hops[i], sock);
        clients.push(client);
        if (i + 1 < hops.length) sock = await this.forwardTo(client, hops[i], hops[i + 1]);
      }
    } catch (err) {
      for (const c of clients.reverse()) c.end();
      throw err;
    }
    this.clients = clients;
    this.sftpSession.reset();
    for (const c of clients) {
      c.once('close', () => this.onClientClosed(clients));
    }
  }

  private forwardTo(client: Client, from: JumpHost, to: JumpHost): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, to.hostName, to.port, (err, stream) => {
        if (err) {
          reject(new Error(`jump host ${from.hostName} could not reach ${to.hostName}:${to.port}: ${err.message}`));
        } else resolve(stream);
      });
    });
  }

  private openClient(hop: JumpHost, sock: Duplex | undefined): Promise<Client> {
    const client = new Client();
    let hostKeyError: Error | undefined;
    // Our own handshake timeout instead of ssh2's readyTimeout: it stops while a prompt (host key,
    // passphrase, keyboard-interactive) waits for the user, who may take longer than 20 s to
    // compare a fingerprint. sshd's LoginGraceTime still bounds the whole handshake server-side.
    const limitMs = this.options.readyTimeoutMs ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        client.end();
      }, limitMs);
    };
    const whilePrompting = <A extends unknown[], R>(fn: ((...a: A) => Promise<R>) | undefined) =>
      fn &&
      (async (...a: A): Promise<R> => {
        clearTimeout(timer);
        try {
          return await fn(...a);
        } finally {
          arm();
        }
      });
    const auth = makeAuthHandler(
      {
        host: hop.hostName,
        user: hop.user,
        identityFiles: hop.identityFiles,
        identitiesOnly: hop.identitiesOnly,
        agentSocket: hop.agentDisabled ? undefined : hop.identityAgent,
      },
      {
        askPassphrase: whilePrompting(this.options.askPassphrase?.bind(this.options)),
        askKeyboardInteractive: whilePrompting(this.options.askKeyboardInteractive?.bind(this.options)),
        log: (l) => this.log(l),
      },
      this.keyCache,
    );
    const config: ConnectConfig = {
      host: hop.hostName,
      port: hop.port,
      username: hop.user,
      sock: sock as ConnectConfig['sock'],
      readyTimeout: 0, // see arm() above
      keepaliveInterval: this.options.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: this.options.keepaliveCountMax ?? 3,
      authHandler: auth.handler,
      // OpenSSH's order: key types known_hosts holds for this host first (see hostVerifier).
      algorithms: { serverHostKey: serverHostKeyAlgorithms(hop) as NonNullable<ConnectConfig['algorithms']>['serverHostKey'] },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(
          {
            host: hop.hostName,
            port: hop.port,
            knownHostsFiles: hop.knownHostsFiles,
            globalKnownHostsFiles: hop.globalKnownHostsFiles,
            strictHostKeyChecking: hop.strictHostKeyChecking,
            hashKnownHosts: hop.hashKnownHosts,
            onUnknownHost: whilePrompting(this.options.onUnknownHost?.bind(this.options)),
            acceptedOnce: this.acceptedOnce,
            log: (l) => this.log(l),
          },
          key,
        ).then(
          (err) => {
            hostKeyError = err;
            verify(err === undefined);
          },
          (err: Error) => {
            hostKeyError = new FatalConnectionError(`host key check for ${hop.hostName} failed: ${err.message}`);
            verify(false);
          },
        );
      },
    };
    return new Promise<Client>((resolve, reject) => {
      let settled = false;
      const fail = (err: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.end();
        reject(err);
      };
      client.once('ready', () => {
        settled = true;
        clearTimeout(timer);
        client.removeAllListeners('error');
        // Errors after ready surface as 'close' (handled by the reconnect logic); keep a listener
        // so an 'error' event never becomes an uncaught exception in the extension host.
        client.on('error', (e) => this.log(`connection error: ${e.message}`));
        resolve(client);
      });
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        if (hostKeyError) return fail(hostKeyError);
        if (err.level === 'client-authentication') {
          return fail(
            new AuthenticationFailedError(
              `Permission denied for ${hop.user}@${hop.hostName}:${hop.port}; tried ${auth.tried.length ? auth.tried.join(', ') : 'no usable method (no agent, no readable identity file)'}.`,
              hop.hostName,
              hop.user,
            ),
          );
        }
        fail(Object.assign(new Error(networkMessage(hop, err)), { code: err.code, cause: err }));
      });
      client.once('close', () => {
        if (hostKeyError) return fail(hostKeyError);
        if (timedOut) return fail(new Error(`no SSH handshake from ${hop.hostName}:${hop.port} within ${limitMs / 1000} s`));
        fail(new Error(`connection to ${hop.hostName}:${hop.port} closed during the SSH handshake (sshd's LoginGraceTime may have expired while a prompt was open)`));
      });
      try {
        arm();
        client.connect(config);
        // ssh2 leaves Nagle on; small request/response exchanges (a Docker API call, an SFTP
        // read) then wait ~40 ms for delayed ACKs. OpenSSH sets TCP_NODELAY too.
        client.setNoDelay(true);
      } catch (err) {
        fail(err as Error);
      }
    });
  }

  private onClientClosed(chain: Client[]): void {
    if (this.clients !== chain) return; // a stale chain from before a reconnect
    for (const c of chain) c.end();
    this.clients = [];
    this.sftpSession.reset();
    if (this.closedByUser) return;
    const error = new Error(`connection to ${this.target.hostName} was lost`);
    this.log(error.message);
    if (this.options.reconnect?.enabled === false) {
      this.setState('failed', { error });
      return;
    }
    void this.reconnectLoop(error);
  }

  private async reconnectLoop(firstError: Error): Promise<void> {
    const cancel = { cancelled: false } as { cancelled: boolean; wake?: () => void };
    this.reconnectCancel = cancel;
    const max = this.options.reconnect?.maxAttempts ?? Infinity;
    let lastError = firstError;
    for (let attempt = 0; ; attempt++) {
      if (cancel.cancelled) return;
      if (attempt >= max) {
        this.setState('failed', { error: new Error(`gave up reconnecting to ${this.target.hostName} after ${max} attempts: ${lastError.message}`) });
        return;
      }
      const delay = backoffDelay(attempt, {
        initialDelayMs: this.options.reconnect?.initialDelayMs ?? 1000,
        maxDelayMs: this.options.reconnect?.maxDelayMs ?? 30_000,
      });
      this.setState('reconnecting', { error: lastError, attempt: attempt + 1, retryInMs: delay });
      await sleep(delay, cancel);
      if (cancel.cancelled) return;
      try {
        this.pendingConnect = this.establish();
        await this.pendingConnect;
        this.pendingConnect = undefined;
        if (cancel.cancelled) {
          for (const c of this.clients) c.end();
          return;
        }
        this.reconnectCancel = undefined;
        this.setState('connected');
        return;
      } catch (err) {
        this.pendingConnect = undefined;
        lastError = err as Error;
        this.log(`reconnect attempt ${attempt + 1} failed: ${lastError.message}`);
        if (isFatalConnectionError(err)) {
          this.reconnectCancel = undefined;
          this.setState('failed', { error: lastError });
          return;
        }
      }
    }
  }

  private requireClient(): Client {
    const client = this.clients[this.clients.length - 1];
    if (this._state !== 'connected' || !client) {
      const why = this._state === 'reconnecting' ? 'the connection dropped and is being re-established' : `state is ${this._state}`;
      throw new NotConnectedError(`Not connected to ${this.alias} (${why}).`);
    }
    return client;
  }

  /**
   * Run argv on the host. Every element is single-quoted (see shellQuote), so hostile strings
   * arrive as literal arguments; NUL bytes are refused before anything is sent.
   */
  exec(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    return sshExec(() => this.requireClient(), this.alias, argv, opts);
  }

  /** The SFTP session of this connection (opened once, reopened after a reconnect). */
  sftp(): Promise<SFTPWrapper> {
    return this.sftpSession.get();
  }

  /** Dockerode whose requests ride channels of this connection (see dockerTransport). */
  docker(): Dockerode {
    this.dockerClient ??= createDockerOverChannels(() => this.openDockerStream());
    return this.dockerClient;
  }

  /** One raw duplex to the Docker daemon: stream-local forward, or dial-stdio fallback. */
  openDockerStream(): Promise<Duplex> {
    return this.dockerStreams.open();
  }

  /** Close everything; no reconnect follows. Safe to call more than once. */
  async close(): Promise<void> {
    this.closedByUser = true;
    if (this.reconnectCancel) {
      this.reconnectCancel.cancelled = true;
      this.reconnectCancel.wake?.();
      this.reconnectCancel = undefined;
    }
    const chain = this.clients;
    this.clients = [];
    this.sftpSession.reset();
    await Promise.all(
      chain.reverse().map(
        (c) =>
          new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 2000);
            c.once('close', () => {
              clearTimeout(t);
              resolve();
            });
            c.end();
          }),
      ),
    );
    if (this._state !== 'disconnected') this.setState('disconnected');
  }

  dispose(): void {
    void this.close();
    this.stateEmitter.dispose();
  }
}
