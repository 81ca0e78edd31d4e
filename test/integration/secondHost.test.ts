// The second test host (test/host/up-b.sh: sshd 127.0.0.1:2223 with its own host key, dockerd on
// /var/run/docker-b.sock with its own compose file and producers) is a separate host in every
// respect the extension can see, over SSH and locally, and the first host does not see its
// producers.
import { strict as assert } from 'assert';
import { ComposeRunner } from '../../src/core/docker/composeRunner';
import { LocalHost } from '../../src/core/host/local/localHost';
import { resolveHost } from '../../src/core/ssh/resolveHost';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import { Connections, hostOrSkip, TestHost } from './support';
import { ensureTestHostB, type TestHostBInfo } from './testHostB';

describe('second test host (own sshd, own dockerd, own compose file)', function () {
  this.timeout(300_000);
  let a: TestHost;
  let b: TestHostBInfo;
  const open: { dispose(): void }[] = [];
  const ssh = new Connections();

  before(async function () {
    a = await hostOrSkip(this, 'second host tests');
    b = await ensureTestHostB();
  });
  after(() => {
    for (const c of open) c.dispose();
    ssh.closeAll();
  });

  const names = async (h: { docker(): import('dockerode') }) => (await h.docker().listContainers({ all: true })).map((c) => c.Names[0].slice(1)).sort();

  it('over SSH (its alias from one ssh config that Includes both): its own host key, engine and producers', async () => {
    const target = resolveHost(b.sshAlias, { sshConfigFile: b.sshConfigBoth });
    assert.equal(target.port, b.port);
    const conn = new HostConnection(target, { dockerSocketPath: b.dockerSocket, reconnect: { enabled: false } });
    open.push(conn);
    await conn.connect();
    assert.deepEqual(await names(conn), Object.keys(b.producers).sort());
    assert.equal(conn.dockerTransport, 'stream-local');
    // docker-compose run over SSH reaches host B's engine too (sshd's SetEnv DOCKER_HOST).
    const ps = await new ComposeRunner(conn, { composeFile: b.composeFile }).run('ps');
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /salkafka-tma/);
    const viaA = await ssh.connect(a);
    assert.ok(!(await names(viaA)).includes('salkafka-tma'), 'host A must not see host B\'s producers');
  });

  it('locally, with its socket: the same containers, and the docker CLI follows the socket', async () => {
    const local = new LocalHost(b.sshAlias, { dockerSocketPath: b.dockerSocket });
    open.push(local);
    await local.connect();
    assert.deepEqual(await names(local), Object.keys(b.producers).sort());
    const r = await local.exec(['docker', 'ps', '--format', '{{.Names}}']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').sort(), Object.keys(b.producers).sort());
  });
});
