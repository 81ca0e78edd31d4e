// The one abstraction the rest of the extension talks to for a producers host: run a command
// given as argv data, read and write files, reach the Docker API, and watch the connection
// state. Two transports implement it: SSH (src/core/ssh/hostConnection.ts, the operator's laptop
// talking to azar2) and local (src/core/host/local/localHost.ts, the extension running on azar2
// itself under Remote-SSH). Callers never learn which, so tree, logs, editing and every change
// command behave the same through both.
import type { SFTPWrapper } from 'ssh2';
import type Dockerode from 'dockerode';
import type { Disposable } from './events';
import type { RemoteFiles } from '../remote/remoteFiles';

export type ConnectionState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export type TransportKind = 'ssh' | 'local';

export interface StateChange {
  state: ConnectionState;
  previous: ConnectionState;
  /** Why we are reconnecting / failed. */
  error?: Error;
  /** Reconnect attempt number (1-based) and the delay before it. */
  attempt?: number;
  retryInMs?: number;
}

export interface ExecOptions {
  /** Working directory on the host (nothing runs if it is missing). */
  cwd?: string;
  stdin?: string | Buffer;
  onStdout?(chunk: Buffer): void;
  onStderr?(chunk: Buffer): void;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** Exit status; null when the process died from a signal. */
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Who and where, for the status bar, messages and the audit record. */
export interface HostTarget {
  user: string;
  hostName: string;
  /** SSH port; 0 for the local transport. */
  port: number;
  proxyJump: { user: string; hostName: string; port: number }[];
}

export interface Host {
  /** Name the user knows the host by (`azar2`). */
  readonly alias: string;
  readonly transport: TransportKind;
  readonly target: HostTarget;
  readonly state: ConnectionState;
  readonly lastError: Error | undefined;
  /** How Docker requests travel, for the status bar (`stream-local`, `dial-stdio`, `local socket`). */
  readonly dockerTransport: string;
  onDidChangeState(listener: (change: StateChange) => void): Disposable;
  connect(): Promise<void>;
  /** Close everything; no reconnect follows. Safe to call more than once. */
  close(): Promise<void>;
  dispose(): void;
  /** Run argv on the host: each element arrives as one literal argument, never through a shell unquoted. */
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Files on the host: atomic, optimistic writes (see remote/remoteFiles.ts). */
  readonly files: RemoteFiles;
  /** The SFTP-shaped file session RemoteFiles and the audit log use (real SFTP, or the local file system). */
  sftp(): Promise<SFTPWrapper>;
  /** Dockerode whose requests reach this host's Docker daemon. */
  docker(): Dockerode;
}

/** The connection dropped while a command was running: its outcome is unknown. */
export class ConnectionLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectionLostError';
  }
}

/** Raised for operations attempted while the connection is not up. */
export class NotConnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConnectedError';
  }
}

export class CommandAbortedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandAbortedError';
  }
}

/** The Docker socket could not be reached; `reason` is the SSH channel-open reason when over SSH. */
export class DockerSocketError extends Error {
  constructor(message: string, readonly reason?: number) {
    super(message);
    this.name = 'DockerSocketError';
  }
}
