// Carries dockerode's HTTP requests over channels of an existing SSH connection. Each request
// gets a fresh channel: either a stream-local forward to /var/run/docker.sock (one round trip,
// no process on the host) or, where sshd forbids stream-local forwarding, `docker system
// dial-stdio` run over exec. No new SSH connection is ever opened per request (which is what
// dockerode's built-in `protocol: 'ssh'` does, ~100× slower).
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import Dockerode from 'dockerode';

export type DockerStreamOpener = () => Promise<Duplex>;

function noop(): void {}

/** http.ClientRequest expects net.Socket methods an SSH channel does not have. */
export function decorateAsSocket(stream: Duplex): Duplex {
  const s = stream as Duplex & Record<string, unknown>;
  for (const m of ['setKeepAlive', 'setNoDelay', 'setTimeout', 'ref', 'unref']) {
    if (typeof s[m] !== 'function') s[m] = noop;
  }
  if (typeof s.destroySoon !== 'function') s.destroySoon = () => stream.destroy();
  return stream;
}

export class SshDockerAgent extends http.Agent {
  constructor(private readonly open: DockerStreamOpener) {
    // keepAlive off: a channel per request costs one round trip, and we never hand a request a
    // channel the daemon is just closing (a classic keep-alive race that would surface as a
    // spurious error in the middle of an operation).
    super({ keepAlive: false });
  }

  override createConnection(
    _options: unknown,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex {
    this.open().then(
      (stream) => callback?.(null, decorateAsSocket(stream)),
      (err: Error) => callback?.(err, undefined as never),
    );
    // Returning nothing tells Node to wait for the callback.
    return undefined as never;
  }
}

/** A Dockerode whose every request rides a channel opened by `open`. */
export function createDockerOverChannels(open: DockerStreamOpener): Dockerode {
  return new Dockerode({
    protocol: 'http',
    // Only the Host header; the agent decides where bytes go. It must be localhost: inside VS Code
    // the proxy support patch of Node's http module (http.proxySupport "override", the default)
    // replaces a custom agent for any other host, and the request would then try DNS for it.
    host: 'localhost',
    port: 80,
    agent: new SshDockerAgent(open),
  } as Dockerode.DockerOptions);
}
