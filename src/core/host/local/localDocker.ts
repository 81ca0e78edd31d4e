// The Docker API of this machine for the local transport: each request gets its own connection
// to the daemon's unix socket. It goes through the same agent as the SSH transport
// (dockerTransport.ts) rather than dockerode's socketPath option, because inside VS Code the
// proxy support patch of Node's http module may replace a request's agent or socket; our agent
// with the `localhost` Host header is the path already proven there.
import * as net from 'node:net';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { createDockerOverChannels } from '../../docker/dockerTransport';
import { DockerSocketError } from '../host';

export function connectDockerSocket(alias: string, socketPath: string): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    sock.once('connect', () => {
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      const why =
        err.code === 'ENOENT' ? 'it does not exist (is the Docker daemon running?)' :
        err.code === 'EACCES' ? 'permission denied (is this user in the docker group?)' :
        err.code === 'ECONNREFUSED' ? 'nothing is listening (the Docker daemon is not running)' : err.message;
      reject(new DockerSocketError(`cannot open ${socketPath} on ${alias}: ${why}`));
    });
  });
}

/** A Dockerode on the local socket; `track` sees each connection so close() can end followers. */
export function createLocalDocker(alias: string, socketPath: string, track: (s: Duplex) => void): Dockerode {
  return createDockerOverChannels(async () => {
    const s = await connectDockerSocket(alias, socketPath);
    track(s);
    return s;
  });
}
