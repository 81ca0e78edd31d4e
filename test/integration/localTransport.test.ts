// The local transport against the REAL Docker engine and compose file of the test host, which
// runs on this machine: the same questions asked through SSH and through the local transport
// must get the same answers (the extension running on azar2 under Remote-SSH sees what a laptop
// sees over SSH).
import { strict as assert } from 'assert';
import { checkDockerAccess } from '../../src/core/docker/dockerAccess';
import { ComposeRunner } from '../../src/core/docker/composeRunner';
import type { Host } from '../../src/core/host/host';
import { LocalHost } from '../../src/core/host/local/localHost';
import { producerHostFromConnection } from '../../src/core/producers/connectionHost';
import { Connections, hostOrSkip, TestHost } from './support';

describe('local transport on the test host (real dockerd, real compose file)', function () {
  this.timeout(120_000);
  let h: TestHost;
  const ssh = new Connections();
  let local: LocalHost;
  let viaSsh: Host;

  before(async function () {
    h = await hostOrSkip(this, 'local transport tests');
    local = new LocalHost('azar2-test', { dockerSocketPath: h.dockerSocket });
    await local.connect();
    viaSsh = await ssh.connect(h);
  });
  after(() => {
    local?.dispose();
    ssh.closeAll();
  });

  it('Docker access is OK over the local socket and the containers are those SSH sees', async () => {
    const access = await checkDockerAccess(local, h.dockerSocket);
    assert.equal(access.ok, true, access.ok ? '' : access.message);
    const names = async (x: Host) => (await x.docker().listContainers({ all: true })).map((c) => `${c.Names[0]} ${c.State}`).sort();
    const here = await names(local);
    assert.ok(here.includes('/salkafka-m2 running'), here.join(', '));
    assert.deepEqual(here, await names(viaSsh));
  });

  it('the compose file and its .env read the same bytes locally and over SFTP', async () => {
    const a = await local.files.readFile(h.composeFile);
    const b = await viaSsh.files.readFile(h.composeFile);
    assert.equal(a.sha256, b.sha256);
    const src = await producerHostFromConnection(local, () => ({ composeFile: h.composeFile })).readCompose();
    assert.match(src.text, /salkafka-m2/);
    assert.deepEqual(src, await producerHostFromConnection(viaSsh, () => ({ composeFile: h.composeFile })).readCompose());
  });

  it('docker-compose runs from argv with no shell, in the compose directory, and a hostile service name never runs', async () => {
    const runner = new ComposeRunner(local, { composeFile: h.composeFile });
    const ps = await runner.run('ps', { services: ['salkafka-m2'] });
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /salkafka-m2/);
    await assert.rejects(runner.run('ps', { services: ['salkafka-m2; touch /tmp/pwned'] }));
  });

  it('a log stream of a producer works over the local socket', async () => {
    const info = await local.docker().getContainer('salkafka-m2').inspect();
    const since = Math.floor(new Date(info.State.StartedAt).getTime() / 1000);
    const logs = (await local.docker().getContainer('salkafka-m2').logs({ stdout: true, stderr: true, since })) as unknown as Buffer;
    assert.match(logs.toString('latin1'), /INFO:salkafka:Running/);
  });

  it('closing ends an open follow stream, as a dropped SSH connection does', async () => {
    const other = new LocalHost('azar2-test', { dockerSocketPath: h.dockerSocket });
    await other.connect();
    const stream = (await other.docker().getContainer('salkafka-m2').logs({ stdout: true, stderr: true, follow: true, tail: 1 })) as NodeJS.ReadableStream;
    const ended = new Promise<void>((resolve) => {
      stream.once('close', () => resolve());
      stream.once('end', () => resolve());
      stream.once('error', () => resolve());
    });
    await other.close();
    await ended;
    other.dispose();
  });
});
