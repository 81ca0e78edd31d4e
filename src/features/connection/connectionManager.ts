// One Host per host alias for the whole window, over SSH or local (see core/host). Other
// features (tree, logs, operations) subscribe to onDidConnect / onDidChangeState and use
// conn.docker(), conn.exec, conn.files and composeRunner(conn), whatever the transport.
import * as vscode from 'vscode';
import { chooseTransport, type TransportChoice } from '../../core/host/chooseTransport';
import type { Host, StateChange } from '../../core/host/host';
import { dockerSocketAnswers, fileExists, isThisMachine } from '../../core/host/hostFacts';
import { readHostEntries, type HostEntry } from '../../core/host/hostEntries';
import { LocalHost } from '../../core/host/local/localHost';
import { HostConnection } from '../../core/ssh/hostConnection';
import { resolveHost } from '../../core/ssh/resolveHost';
import type { HostOverride } from '../../core/ssh/resolveHost';
import { HostKeyChangedError } from '../../core/ssh/errors';
import { checkDockerAccess } from '../../core/docker/dockerAccess';
import type { DockerAccessResult } from '../../core/docker/dockerAccess';
import { ComposeRunner } from '../../core/docker/composeRunner';
import { askKeyboardInteractive, askUnknownHost, makePassphrasePrompt } from './prompts';

export interface ConnectionStateEvent {
  alias: string;
  connection: Host;
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
    dockerSocket: c.get<string>('dockerSocket') || '/var/run/docker.sock',
  };
}

/** The hosts the view shows (efdSalkafka.producerHosts, else efdSalkafka.host); problems are logged. */
export function hostEntries(): { entries: HostEntry[]; problems: string[] } {
  const c = vscode.workspace.getConfiguration('efdSalkafka');
  return readHostEntries({ list: c.get('producerHosts'), host: c.get<string>('host') || 'azar2', composeFile: c.get<string>('composeFile') || '', transport: c.get('transport') });
}

export class ConnectionManager implements vscode.Disposable {
  private readonly connections = new Map<string, Host>();
  private readonly subscriptions = new Map<string, { dispose(): void }>();
  private readonly docker = new Map<string, DockerAccessResult>();
  private readonly connectEmitter = new vscode.EventEmitter<Host>();
  private readonly stateEmitter = new vscode.EventEmitter<ConnectionStateEvent>();

  /** Fires each time a connection becomes usable: first connect and every reconnect. */
  readonly onDidConnect = this.connectEmitter.event;
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {}

  private readonly transports = new Map<string, TransportChoice>();

  /** The first configured host (efdSalkafka.host, azar2 by default, when no list is set). */
  get defaultAlias(): string {
    return hostEntries().entries[0].alias;
  }

  /** What is wrong with efdSalkafka.producerHosts, one sentence each (logged). */
  problems(): string[] {
    return hostEntries().problems;
  }

  /** Every configured host, in the order of the settings. */
  entries(): HostEntry[] {
    return hostEntries().entries;
  }

  /** The configured entry of alias (the default host's settings for an alias not listed). */
  entry(alias: string): HostEntry {
    const { entries } = hostEntries();
    return entries.find((e) => e.alias === alias) ?? { ...entries[0], alias };
  }

  /** Why the host uses the transport it uses (after its first connect). */
  transportChoice(alias = this.defaultAlias): TransportChoice | undefined {
    return this.transports.get(alias);
  }

  /** The connection for alias (default host) if one was created, whatever its state. */
  get(alias = this.defaultAlias): Host | undefined {
    return this.connections.get(alias);
  }

  /** A connected host, or undefined. */
  connected(alias = this.defaultAlias): Host | undefined {
    const c = this.connections.get(alias);
    return c?.state === 'connected' ? c : undefined;
  }

  dockerAccess(alias = this.defaultAlias): DockerAccessResult | undefined {
    return this.docker.get(alias);
  }

  /** Compose runner for the configured kafka_writers file on this connection. */
  composeRunner(conn: Host): ComposeRunner {
    return new ComposeRunner(conn, { composeFile: this.entry(conn.alias).composeFile });
  }

  /** Connect (creating the host on first use). Errors are shown to the user and rethrown. */
  async connect(alias = this.defaultAlias): Promise<Host> {
    let conn = this.connections.get(alias);
    try {
      if (!conn || conn.state === 'failed' || conn.state === 'disconnected') {
        conn?.dispose();
        conn = await this.create(alias);
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

  /** SSH or local, as efdSalkafka.transport says (auto: see core/host/chooseTransport). */
  private async chooseTransport(alias: string, entry: HostEntry, target: { hostName: string; proxyJump: unknown[] }): Promise<TransportChoice> {
    if (entry.transport !== 'auto') return chooseTransport({ setting: entry.transport, composeFileExists: false, dockerSocketAnswers: false, hostIsThisMachine: false });
    const [composeFileExists, socket] = await Promise.all([fileExists(entry.composeFile), dockerSocketAnswers(entry.dockerSocket ?? settings().dockerSocket)]);
    // A name lookup only when the local checks pass: off the VPN it can take seconds to fail.
    const here = composeFileExists && socket && (await isThisMachine(target.hostName, target.proxyJump.length));
    return chooseTransport({ setting: 'auto', remoteName: vscode.env.remoteName, composeFileExists, dockerSocketAnswers: socket, hostIsThisMachine: here });
  }

  private async create(alias: string): Promise<Host> {
    const s = settings();
    const entry = this.entry(alias);
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
    const dockerSocket = entry.dockerSocket ?? s.dockerSocket;
    const choice = await this.chooseTransport(alias, entry, target);
    this.transports.set(alias, choice);
    this.log.info(`${alias}: transport ${choice.kind} (${choice.reason})`);
    const conn: Host =
      choice.kind === 'local'
        ? new LocalHost(alias, { dockerSocketPath: dockerSocket, log: (line) => this.log.info(line) })
        : new HostConnection(target, {
            onUnknownHost: askUnknownHost,
            askPassphrase: makePassphrasePrompt(this.context.secrets, () => settings().rememberPassphrase),
            askKeyboardInteractive,
            log: (line) => this.log.info(line),
            dockerSocketPath: dockerSocket,
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

  private async afterConnect(alias: string, conn: Host, change: StateChange): Promise<void> {
    const access = await checkDockerAccess(conn, this.entry(alias).dockerSocket ?? settings().dockerSocket).catch(
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
