// One HostConnection per host alias for the whole window. Other features (tree, logs,
// operations) subscribe to onDidConnect / onDidChangeState and use conn.docker(), conn.exec,
// conn.files and createComposeRunner(conn).
import * as vscode from 'vscode';
import { HostConnection } from '../../core/ssh/hostConnection';
import type { StateChange } from '../../core/ssh/hostConnection';
import { resolveHost } from '../../core/ssh/resolveHost';
import type { HostOverride } from '../../core/ssh/resolveHost';
import { HostKeyChangedError } from '../../core/ssh/errors';
import { checkDockerAccess } from '../../core/docker/dockerAccess';
import type { DockerAccessResult } from '../../core/docker/dockerAccess';
import { ComposeRunner } from '../../core/docker/composeRunner';
import { askKeyboardInteractive, askUnknownHost, makePassphrasePrompt } from './prompts';

export interface ConnectionStateEvent {
  alias: string;
  connection: HostConnection;
  change: StateChange;
}

const DEFAULT_SSH_CONFIG = '~/.ssh/config';

function settings() {
  const c = vscode.workspace.getConfiguration('efdSalkafka');
  return {
    host: c.get<string>('host') || 'azar2',
    hosts: c.get<Record<string, HostOverride>>('hosts') ?? {},
    sshConfigFile: c.get<string>('sshConfigFile') || DEFAULT_SSH_CONFIG,
    knownHostsFile: c.get<string>('knownHostsFile') || '',
    rememberPassphrase: c.get<boolean>('rememberPassphrase') === true,
    composeFile: c.get<string>('composeFile') || '/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml',
  };
}

export class ConnectionManager implements vscode.Disposable {
  private readonly connections = new Map<string, HostConnection>();
  private readonly subscriptions = new Map<string, { dispose(): void }>();
  private readonly docker = new Map<string, DockerAccessResult>();
  private readonly connectEmitter = new vscode.EventEmitter<HostConnection>();
  private readonly stateEmitter = new vscode.EventEmitter<ConnectionStateEvent>();

  /** Fires each time a connection becomes usable: first connect and every reconnect. */
  readonly onDidConnect = this.connectEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  /** The alias from efdSalkafka.host (azar2 by default). */
  get defaultAlias(): string {
    return settings().host;
  }

  /** The connection for alias (default host) if one was created, whatever its state. */
  get(alias = this.defaultAlias): HostConnection | undefined {
    return this.connections.get(alias);
  }

  /** A connected HostConnection, or undefined. */
  connected(alias = this.defaultAlias): HostConnection | undefined {
    const c = this.connections.get(alias);
    return c?.state === 'connected' ? c : undefined;
  }

  dockerAccess(alias = this.defaultAlias): DockerAccessResult | undefined {
    return this.docker.get(alias);
  }

  /** Compose runner for the configured kafka_writers file on this connection. */
  composeRunner(conn: HostConnection): ComposeRunner {
    return new ComposeRunner(conn, { composeFile: settings().composeFile });
  }

  /** Connect (creating the HostConnection on first use). Errors are shown to the user and rethrown. */
  async connect(alias = this.defaultAlias): Promise<HostConnection> {
    let conn = this.connections.get(alias);
    try {
      if (!conn || conn.state === 'failed' || conn.state === 'disconnected') {
        conn?.dispose();
        conn = this.create(alias);
      }
      await conn.connect();
    } catch (err) {
      this.report(alias, err as Error);
      throw err;
    }
    return conn;
  }

  async disconnect(alias = this.defaultAlias): Promise<void> {
    const conn = this.connections.get(alias);
    if (!conn) return;
    await conn.close();
  }

  private create(alias: string): HostConnection {
    const s = settings();
    const target = resolveHost(alias, {
      sshConfigFile: s.sshConfigFile,
      overrides: s.hosts,
      knownHostsFile: s.knownHostsFile,
      // Like ssh without -F: /etc/ssh/ssh_config after ~/.ssh/config (StrictHostKeyChecking,
      // GlobalKnownHostsFile, HashKnownHosts may be set there); another file is like ssh -F.
      systemConfigFile: s.sshConfigFile === DEFAULT_SSH_CONFIG ? '/etc/ssh/ssh_config' : undefined,
    });
    this.log.info(
      `${alias} → ${target.user}@${target.hostName}:${target.port} (${target.source})` +
        (target.proxyJump.length ? ` via ${target.proxyJump.map((j) => `${j.user}@${j.hostName}:${j.port}`).join(', ')}` : ''),
    );
    const conn = new HostConnection(target, {
      onUnknownHost: askUnknownHost,
      askPassphrase: makePassphrasePrompt(this.context.secrets, () => settings().rememberPassphrase),
      askKeyboardInteractive,
      log: (line) => this.log.info(line),
    });
    this.subscriptions.get(alias)?.dispose();
    this.subscriptions.set(
      alias,
      conn.onDidChangeState((change) => {
        this.log.info(`${alias}: ${change.previous} → ${change.state}${change.error ? ` (${change.error.message.split('\n')[0]})` : ''}`);
        if (change.state !== 'connected') this.docker.delete(alias);
        this.stateEmitter.fire({ alias, connection: conn, change });
        if (change.state === 'connected') void this.afterConnect(alias, conn, change);
        if (change.state === 'failed' && change.previous === 'reconnecting' && change.error) this.report(alias, change.error);
      }),
    );
    this.connections.set(alias, conn);
    return conn;
  }

  private async afterConnect(alias: string, conn: HostConnection, change: StateChange): Promise<void> {
    const access = await checkDockerAccess(conn).catch(
      (err: Error): DockerAccessResult => ({ ok: false, problem: 'unknown', message: err.message }),
    );
    this.docker.set(alias, access);
    if (!access.ok) {
      this.log.warn(access.message);
      void vscode.window.showErrorMessage(`EFD SAL Kafka: ${access.message}`);
    } else {
      this.log.info(`${alias}: Docker ${access.serverVersion} (API ${access.apiVersion}) over ${conn.dockerTransport}`);
    }
    void change;
    // Consumers start after the Docker verdict so they can read dockerAccess() right away.
    if (conn.state === 'connected') this.connectEmitter.fire(conn);
  }

  private report(alias: string, err: Error): void {
    this.log.error(`${alias}: ${err.message}`);
    if (err instanceof HostKeyChangedError) {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: host identification of ${alias} has CHANGED — refused to connect.`, { modal: true, detail: err.message });
    } else {
      void vscode.window.showErrorMessage(`EFD SAL Kafka: cannot connect to ${alias}: ${err.message}`);
    }
  }

  dispose(): void {
    for (const s of this.subscriptions.values()) s.dispose();
    for (const c of this.connections.values()) c.dispose();
    this.connections.clear();
    this.connectEmitter.dispose();
    this.stateEmitter.dispose();
  }
}
