// Docker API and docker-compose through ONE persistent SSH connection to the real test host.
import { strict as assert } from 'assert';
import { hostOrSkip, testTarget, TestHost } from './support';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import type { HostConnectionOptions } from '../../src/core/ssh/hostConnection';
import type { ResolvedHost } from '../../src/core/ssh/resolveHost';
import { checkDockerAccess } from '../../src/core/docker/dockerAccess';
import { ComposeRunner } from '../../src/core/docker/composeRunner';
import { InvalidNameError } from '../../src/core/remote/names';

const target = (h: TestHost, user = h.user, identityFile = h.identityFile): ResolvedHost =>
  testTarget(h, { user, identityFiles: [identityFile] });

describe('Docker integration (real dockerd behind the test sshd)', function () {
  this.timeout(120_000);
  let h: TestHost;
  const open: HostConnection[] = [];
  const connect = async (t: ResolvedHost, opts: HostConnectionOptions = {}): Promise<HostConnection> => {
    const c = new HostConnection(t, opts);
    open.push(c);
    await c.connect();
    return c;
  };

  before(async function () {
    h = await hostOrSkip(this, 'Docker integration tests');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()));
  });

  it('listContainers(all) over the persistent connection shows the salkafka producers in their baseline states', async () => {
    const c = await connect(target(h));
    let channels = 0;
    const openStream = c.openDockerStream.bind(c);
    c.openDockerStream = () => {
      channels++;
      return openStream();
    };
    const list = await c.docker().listContainers({ all: true });
    const byName = new Map(list.map((x) => [x.Names[0].replace(/^\//, ''), x.State]));
    assert.equal(byName.get('salkafka-m2'), 'running');
    assert.equal(byName.get('salkafka-at'), 'running');
    assert.equal(byName.get('salkafka-eas'), 'exited');
    assert.ok(byName.has('salkafka-orphan'));
    assert.equal(byName.has('salkafka-calib'), false, 'calib is declared but never created');
    assert.equal(channels, 1, 'the request rode a channel of our connection');
    assert.equal(c.dockerTransport, 'stream-local');
    // Ten more requests: still one SSH connection, one channel each.
    for (let i = 0; i < 10; i++) await c.docker().ping();
    assert.equal(channels, 11);
  });

  it('container inspect and a log stream work over the channel transport', async () => {
    const c = await connect(target(h));
    const info = await c.docker().getContainer('salkafka-m2').inspect();
    assert.equal(info.Name, '/salkafka-m2');
    // From the container's start, not a tail: "Running" is logged once, early.
    const since = Math.floor(new Date(info.State.StartedAt).getTime() / 1000);
    const logs = (await c.docker().getContainer('salkafka-m2').logs({ stdout: true, stderr: true, since })) as unknown as Buffer;
    assert.match(logs.toString('latin1'), /INFO:salkafka:Running/);
  });

  it('dial-stdio transport (the fallback when sshd forbids stream-local forwarding) lists the same containers', async () => {
    const c = await connect(target(h), { dockerTransport: 'dial-stdio' });
    const list = await c.docker().listContainers({ all: true });
    assert.equal(c.dockerTransport, 'dial-stdio');
    assert.ok(list.some((x) => x.Names[0] === '/salkafka-m2'));
  });

  it('checkDockerAccess: OK for the docker user, exact message for the user outside group docker', async () => {
    const ok = await checkDockerAccess(await connect(target(h)));
    assert.equal(ok.ok, true);
    const denied = await checkDockerAccess(await connect(target(h, h.noDockerUser, h.noDockerIdentityFile)));
    assert.equal(denied.ok, false);
    if (!denied.ok) {
      assert.equal(denied.problem, 'permission-denied');
      assert.match(denied.message, new RegExp(`^user ${h.noDockerUser} is not in group docker on azar2-test \\(permission denied on /var/run/docker\\.sock\\)`));
    }
  });

  it('compose runner: detects the host compose, runs ps in kafka_writers, refuses a hostile name before running anything', async () => {
    const c = await connect(target(h));
    const runner = new ComposeRunner(c, { composeFile: h.composeFile });
    const flavor = await runner.flavor();
    assert.ok(['v1', 'v2'].includes(flavor.kind));
    const out: string[] = [];
    const ps = await runner.run('ps', { services: ['salkafka-m2'], onOutput: (t) => out.push(t) });
    assert.equal(ps.code, 0, ps.stderr);
    assert.match(ps.stdout, /salkafka-m2/);
    assert.ok(out.join('').includes('salkafka-m2'), 'output streamed to the callback');
    const valid = await runner.validate();
    assert.equal(valid.code, 0, valid.stderr);

    let execs = 0;
    const exec = c.exec.bind(c);
    c.exec = (argv, opts) => {
      execs++;
      return exec(argv, opts);
    };
    await assert.rejects(runner.stop(['salkafka-m2; docker rm -f salkafka-at']), InvalidNameError);
    await assert.rejects(runner.up(['--force-recreate']), InvalidNameError);
    assert.equal(execs, 0, 'no command was sent');
    const still = await c.docker().getContainer('salkafka-at').inspect();
    assert.equal(still.State.Running, true);
  });
});
