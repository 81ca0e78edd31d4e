// A FAKE Docker daemon for the parity oracle, and only for it: an HTTP server on a private unix
// socket that answers every request with 404 and one recognisable message. docker-compose
// `config --hash=*` asks the daemon whether each service's default network and its volumes
// exist while it loads the project; "no" lets it load every service (running every check of
// `up`) until it looks up an image to hash, where it stops with this message. No real daemon
// can stand in: one would answer about its own networks, volumes and images.
import { createServer, Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const FAKE_DAEMON_MESSAGE = 'salkafka parity fake daemon: no such object';

let started: Promise<string> | undefined;

/** The socket path of the fake, started on first use and left to die with the test process. */
export function fakeDaemonSocket(): Promise<string> {
  started ??= new Promise((resolve, reject) => {
    const path = join(mkdtempSync(join(tmpdir(), 'salkafka-parity-')), 'docker.sock');
    const server: Server = createServer((req, res) => {
      req.resume();
      const body = JSON.stringify({ message: FAKE_DAEMON_MESSAGE });
      res.writeHead(404, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
    });
    server.on('error', reject);
    server.listen(path, () => {
      server.unref();
      resolve(path);
    });
  });
  return started;
}
