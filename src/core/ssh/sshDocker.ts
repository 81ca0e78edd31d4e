// Raw duplex streams to the Docker daemon over an SSH connection: a stream-local forward to the
// socket (one round trip, no process on the host), or, where sshd forbids stream-local
// forwarding, `docker system dial-stdio` run over exec. dockerTransport.ts turns them into a
// Dockerode.
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { DockerSocketError } from '../host/host';
import type { ExecResult } from '../host/host';
import { shellCommand } from '../remote/shellQuote';

export type SshDockerMode = 'stream-local' | 'dial-stdio';

export interface SshDockerDeps {
  alias: string;
  socketPath: string;
  getClient(): Client;
  exec(argv: readonly string[]): Promise<ExecResult>;
  log(line: string): void;
}

export class SshDockerStreams {
  constructor(
    private readonly deps: SshDockerDeps,
    private modeNow: SshDockerMode = 'stream-local',
  ) {}

  get mode(): SshDockerMode {
    return this.modeNow;
  }

  /** One raw duplex to the Docker daemon: stream-local forward, or dial-stdio fallback. */
  async open(): Promise<Duplex> {
    const { socketPath, alias } = this.deps;
    if (this.modeNow === 'stream-local') {
      const client = this.deps.getClient();
      try {
        return await new Promise<Duplex>((resolve, reject) => {
          client.openssh_forwardOutStreamLocal(socketPath, (err, stream) => (err ? reject(err) : resolve(stream)));
        });
      } catch (err) {
        // OpenSSH answers "open failed" (CONNECT_FAILED) both when AllowStreamLocalForwarding
        // forbids the forward and when the socket is missing or not ours, so the reason code
        // cannot tell them apart. Ask the host's docker CLI: if it reaches the daemon, the forward
        // is what is blocked and dial-stdio is the way from now on.
        const forwardError = (err as Error).message;
        const probe = await this.deps.exec(['docker', 'version', '--format', '{{.Server.Version}}']).catch(
          (e: Error) => ({ code: -1, stdout: '', stderr: e.message }),
        );
        if (probe.code !== 0) {
          const why = probe.stderr.trim().split('\n').pop() || `exit ${probe.code}`;
          throw new DockerSocketError(
            `cannot open ${socketPath} on ${alias} through SSH (${forwardError}); the docker CLI there fails too: ${why}`,
            (err as { reason?: number }).reason,
          );
        }
        this.deps.log(`stream-local forwarding to ${socketPath} refused (${forwardError}) but the docker CLI works: using \`docker system dial-stdio\` for Docker requests`);
        this.modeNow = 'dial-stdio';
      }
    }
    return this.openDialStdio();
  }

  private openDialStdio(): Promise<Duplex> {
    const client = this.deps.getClient();
    const alias = this.deps.alias;
    return new Promise<Duplex>((resolve, reject) => {
      client.exec(shellCommand(['docker', 'system', 'dial-stdio']), (err, stream) => {
        if (err) return reject(new DockerSocketError(`cannot run docker system dial-stdio on ${alias}: ${err.message}`));
        const stderr: Buffer[] = [];
        stream.stderr.on('data', (d: Buffer) => stderr.push(d));
        stream.on('exit', (code: number | null) => {
          if (code) {
            const msg = Buffer.concat(stderr).toString('utf8').trim();
            (stream as unknown as Duplex).destroy(new DockerSocketError(`docker system dial-stdio on ${alias} exited with ${code}: ${msg}`));
          }
        });
        resolve(stream);
      });
    });
  }
}
