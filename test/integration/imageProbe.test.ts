// How the catalogue probe container is confined, which leftovers it cleans, and what a retagged
// image does: on the real dockerd of the test host, through its Docker API over SSH. The probe's
// configuration is read back from the engine (container inspect at creation), not from our code.
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import type Dockerode from 'dockerode';
import { defaultHistory } from '../../src/core/catalogue/defaultCatalogue';
import { ImageCatalogues, PROBE_LABEL } from '../../src/core/catalogue/imageCatalogues';
import { LocalHost } from '../../src/core/host/local/localHost';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import { hostOrSkip, testTarget, TestHost } from './support';

const VERSION_PY = '/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/xml/version.py';
const FIND = ['/', '-xdev', '-name', 'SALSubsystems.xml', '-type', 'f'];

/** The engine's own view of every container the code under test creates, taken right after creation. */
function recordCreated(docker: Dockerode): Dockerode.ContainerInspectInfo[] {
  const seen: Dockerode.ContainerInspectInfo[] = [];
  const create = docker.createContainer.bind(docker);
  docker.createContainer = (async (opts: Dockerode.ContainerCreateOptions) => {
    const c = await create(opts);
    seen.push(await c.inspect());
    return c;
  }) as typeof docker.createContainer;
  return seen;
}

const exists = (p: Promise<unknown>) => p.then(() => true, () => false);

// The same code paths serve both transports: over SSH (a Docker API channel per request) and
// locally (the Docker socket of the machine VS Code runs on, under Remote-SSH on azar2).
for (const transport of ['ssh', 'local'] as const) describe(`the catalogue probe container, ${transport} transport (real dockerd of the test host)`, function () {
  this.timeout(120_000);
  let h: TestHost;
  let conn: { docker(): Dockerode; close(): Promise<void> | void };
  const images: string[] = [];
  const containers: string[] = [];

  before(async function () {
    h = await hostOrSkip(this, 'image probe tests');
    if (transport === 'ssh') {
      const c = new HostConnection(testTarget(h));
      await c.connect();
      conn = c;
    } else {
      const local = new LocalHost('azar2-test', { dockerSocketPath: h.dockerSocket });
      await local.connect();
      conn = { docker: () => local.docker(), close: () => local.dispose() };
    }
  });
  after(async () => {
    const docker = conn?.docker();
    for (const id of containers) await docker?.getContainer(id).remove({ force: true, v: true }).catch(() => undefined);
    for (const ref of images) await docker?.getImage(ref).remove().catch(() => undefined);
    await conn?.close();
  });

  /** A derived image: `changes` are Dockerfile lines (VOLUME …), `script` runs in it first. */
  async function derivedImage(tag: string, changes: string[], script = 'true'): Promise<string> {
    const docker = conn.docker();
    const c = await docker.createContainer({ Image: h.image, Entrypoint: ['sh', '-c', script], Labels: { 'org.lsst.efd-salkafka.test': 'image-probe' } });
    containers.push(c.id);
    await c.start();
    assert.equal((await c.wait()).StatusCode, 0);
    await c.commit({ repo: 'salkafka-sim', tag, changes });
    await c.remove({ force: true });
    images.push(`salkafka-sim:${tag}`);
    return `salkafka-sim:${tag}`;
  }

  it('runs as nobody, with no capability, no-new-privileges, pids/memory/CPU limits, no network, a read-only root', async () => {
    const docker = conn.docker();
    const created = recordCreated(docker);
    const r = await new ImageCatalogues(defaultHistory()).read(docker, h.image);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(created.length, 1);
    const [probe] = created;
    assert.equal(probe.Config.User, '65534:65534');
    assert.deepEqual(probe.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual(probe.HostConfig.CapAdd ?? null, null);
    assert.deepEqual(probe.HostConfig.SecurityOpt, ['no-new-privileges']);
    assert.equal(probe.HostConfig.Privileged, false);
    assert.equal(probe.HostConfig.ReadonlyRootfs, true);
    assert.equal(probe.HostConfig.NetworkMode, 'none');
    const hc = probe.HostConfig as { PidsLimit?: number; Memory?: number; MemorySwap?: number; NanoCpus?: number };
    assert.ok(hc.PidsLimit! > 0 && hc.PidsLimit! <= 64, `PidsLimit ${hc.PidsLimit}`);
    assert.ok(hc.Memory! > 0 && hc.Memory! <= 256 << 20, `Memory ${hc.Memory}`);
    assert.equal(hc.MemorySwap, hc.Memory, 'no swap beyond the memory limit');
    assert.ok(hc.NanoCpus! > 0 && hc.NanoCpus! <= 1e9, `NanoCpus ${hc.NanoCpus}`);
    assert.deepEqual(probe.HostConfig.Binds ?? [], []);
    assert.equal(await exists(docker.getContainer(probe.Id).inspect()), false, 'the probe is removed');
  });

  it("an image with VOLUME lines: the probe's anonymous volumes are removed with it", async () => {
    const docker = conn.docker();
    const image = await derivedImage(`probe-volume-${randomBytes(3).toString('hex')}`, ['VOLUME /probe-data', 'VOLUME /probe-more']);
    const created = recordCreated(docker);
    const r = await new ImageCatalogues(defaultHistory()).read(docker, image);
    assert.ok(r.ok, r.ok ? '' : r.error);
    const volumes = created[0].Mounts.filter((m) => m.Type === 'volume').map((m) => m.Name!);
    assert.equal(volumes.length, 2, 'the engine gave the probe two anonymous volumes');
    for (const v of volumes) assert.equal(await exists(docker.getVolume(v).inspect()), false, `volume ${v} left behind`);
  });

  it("leftover cleanup removes only this install's own stale probes, not any container with the probe label", async () => {
    const docker = conn.docker();
    const me = randomBytes(16).toString('hex');
    const other = randomBytes(16).toString('hex');
    const make = async (label: string) => {
      const c = await docker.createContainer({ Image: h.image, Entrypoint: ['find'], Cmd: FIND, Labels: { [PROBE_LABEL]: label } });
      containers.push(c.id);
      return c.id;
    };
    const anyones = await make('1'); // what any user of the host can set (and what older versions set)
    const colleagues = await make(other); // another install's probe, maybe reading an image right now
    const mine = await make(me); // ours, left by a dropped connection
    const r = await new ImageCatalogues(defaultHistory(), { owner: me, leftoverAgeS: 0 }).read(docker, h.image);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(await exists(docker.getContainer(mine).inspect()), false, 'our leftover is removed');
    assert.equal(await exists(docker.getContainer(anyones).inspect()), true, 'a container anyone labelled is left alone');
    assert.equal(await exists(docker.getContainer(colleagues).inspect()), true, "a colleague's probe is left alone");
  });

  it('a retagged image: refresh sees the new image ID behind the tag and reads its catalogue', async () => {
    const docker = conn.docker();
    const suffix = randomBytes(3).toString('hex');
    const older = await derivedImage(`probe-xml71-${suffix}`, [], `sed -i 's/^__version__ = .*/__version__ = "7.1.0"/' ${VERSION_PY}`);
    const ref = `salkafka-sim:probe-retag-${suffix}`;
    images.push(ref);
    await docker.getImage(h.image).tag({ repo: 'salkafka-sim', tag: `probe-retag-${suffix}` });
    const cache = new ImageCatalogues(defaultHistory());
    assert.deepEqual(await cache.refresh(docker, [ref]), [ref], 'first seen');
    assert.equal(cache.lookup(ref)?.version, defaultHistory().newest);
    assert.deepEqual(await cache.refresh(docker, [ref]), [], 'same ID: nothing to re-read');
    // `docker tag` moves the tag to the other image, as a pull of a rebuilt tag does.
    await docker.getImage(older).tag({ repo: 'salkafka-sim', tag: `probe-retag-${suffix}` });
    assert.deepEqual(await cache.refresh(docker, [ref]), [ref], 'the image ID behind the tag changed');
    assert.equal(cache.lookup(ref)?.version, '7.1.0');
    assert.equal(cache.lookup(ref)?.label, 'ts_xml 7.1.0');
  });
});
