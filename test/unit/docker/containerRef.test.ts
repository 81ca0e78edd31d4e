// container names from a compose file reach Docker API paths only after validation.
import { strict as assert } from 'assert';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import * as fs from 'fs';
import Dockerode from 'dockerode';
import { checkContainerRef, containerRef } from '../../../src/core/docker/containerRef';
import { InvalidNameError } from '../../../src/core/remote/names';
import { inspectContainer } from '../../../src/core/ops/verify';

const HOSTILE = ['../../images/json', 'a/b', 'salkafka-m2?all=1', 'x#y', '', ' salkafka', 'salkafka m2', 'a\nb', '%2e%2e', '-flag', '.hidden', 'x'.repeat(64)];

describe('containerRef: names checked before any Docker API path', () => {
  it('refuses path-changing and malformed names with InvalidNameError', () => {
    for (const name of HOSTILE) assert.throws(() => checkContainerRef(name), InvalidNameError, JSON.stringify(name));
  });

  it('accepts container names and hexadecimal ids', () => {
    for (const name of ['salkafka-m2', 'salkafka_at.1', 'a', 'abcdef012345', 'a'.repeat(64).replace(/a/g, 'f')]) assert.equal(checkContainerRef(name), name);
  });

  it('a hostile name sends NO request; a valid one asks for /containers/<name>/json (a recording HTTP server on a unix socket)', async () => {
    const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-docker-')), 'docker.sock');
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"No such container"}');
    });
    await new Promise<void>((r) => server.listen(sock, r));
    try {
      const docker = new Dockerode({ socketPath: sock });
      await assert.rejects(inspectContainer(docker, '../../images/json'), InvalidNameError);
      assert.deepEqual(seen, []);
      assert.equal(await inspectContainer(docker, 'salkafka-m2'), undefined);
      assert.equal(seen.length, 1);
      assert.match(seen[0], /^\/containers\/salkafka-m2\/json/);
      assert.equal(containerRef(docker, 'salkafka-m2').id, 'salkafka-m2');
    } finally {
      server.close();
    }
  });
});
