// Running one command on an SSH connection. argv is data: every element is single-quoted by
// shellCommand (the SSH protocol only carries a command string for the login shell), so hostile
// strings arrive as literal arguments; NUL bytes are refused before anything is sent.
import type { Client, ClientChannel } from 'ssh2';
import { CommandAbortedError, ConnectionLostError } from '../host/host';
import type { ExecOptions, ExecResult } from '../host/host';
import { shellCommand } from '../remote/shellQuote';

/**
 * Send a "signal" channel request. ssh2's Channel.signal() is silent once our side of the channel
 * is ended, and we always end stdin (so nothing can wait for input), hence the protocol call.
 */
function sendSignal(stream: ClientChannel, name: string): void {
  const ch = stream as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
  };
  try {
    if ((ch.outgoing?.state === 'open' || ch.outgoing?.state === 'eof') && typeof ch.outgoing.id === 'number') ch._client?._protocol?.signal?.(ch.outgoing.id, name);
  } catch {
    /* the channel is closing anyway */
  }
}

/** Run argv on the host behind `getClient` (which throws NotConnectedError when there is none). */
export function sshExec(getClient: () => Client, alias: string, argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  let command: string;
  try {
    command = shellCommand(argv, opts.cwd);
  } catch (err) {
    return Promise.reject(err);
  }
  if (opts.signal?.aborted) return Promise.reject(new CommandAbortedError(`cancelled before running ${argv[0]}`));
  let client: Client;
  try {
    client = getClient();
  } catch (err) {
    return Promise.reject(err);
  }
  const shown = argv.join(' ').slice(0, 120);
  return new Promise<ExecResult>((resolve, reject) => {
    client.exec(command, (err, stream: ClientChannel) => {
      if (err) return reject(new Error(`could not start \`${shown}\` on ${alias}: ${err.message}`));
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let exit: { code: number | null; signal: string | null } | undefined;
      let aborted = false;
      const onAbort = (): void => {
        aborted = true;
        // Ask sshd to SIGTERM the process (OpenSSH ≥ 7.9 honours "signal" requests), close the
        // channel, and settle now: sshd only confirms the close once the process has exited.
        sendSignal(stream, 'TERM');
        stream.close();
        reject(new CommandAbortedError(`\`${shown}\` was cancelled on ${alias}`));
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (d: Buffer) => {
        out.push(d);
        opts.onStdout?.(d);
      });
      stream.stderr.on('data', (d: Buffer) => {
        errOut.push(d);
        opts.onStderr?.(d);
      });
      stream.on('exit', (code: number | null, signal?: string) => {
        exit = { code: typeof code === 'number' ? code : null, signal: signal ?? null };
      });
      stream.on('close', () => {
        opts.signal?.removeEventListener('abort', onAbort);
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = Buffer.concat(errOut).toString('utf8');
        if (aborted) return reject(new CommandAbortedError(`\`${shown}\` was cancelled on ${alias}`));
        if (!exit) {
          return reject(
            new ConnectionLostError(`The connection to ${alias} was lost while running \`${shown}\`; it may or may not have completed on the host.`),
          );
        }
        resolve({ code: exit.code, signal: exit.signal, stdout, stderr });
      });
      if (opts.stdin !== undefined) stream.end(opts.stdin);
      else stream.end();
    });
  });
}
