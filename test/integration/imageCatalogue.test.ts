// The catalogue in force read from the producer image itself (its own SALSubsystems.xml),
// through the Docker API of the real test host, over the persistent SSH connection.
import { strict as assert } from 'assert';
import { defaultCatalogue, defaultHistory } from '../../src/core/catalogue/defaultCatalogue';
import { ImageCatalogues } from '../../src/core/catalogue/imageCatalogues';
import { lintCompose } from '../../src/core/lint/lint';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import { hostOrSkip, testTarget, TestHost } from './support';

const PROBE = 'org.lsst.efd-salkafka.catalogue-probe';

describe("catalogue read from the producer image (real dockerd behind the test sshd)", function () {
  this.timeout(120_000);
  let h: TestHost;
  let conn: HostConnection;

  before(async function () {
    h = await hostOrSkip(this, 'image catalogue tests');
    conn = new HostConnection(testTarget(h));
    await conn.connect();
  });
  after(async () => {
    await conn?.close();
  });

  const probes = async () => (await conn.docker().listContainers({ all: true, filters: { label: [PROBE] } })).length;

  it('a read cut short (here: the search timed out) is not kept: the next read asks the image again', async () => {
    const options = { timeoutMs: 1 };
    const cache = new ImageCatalogues(defaultHistory(), options);
    const cut = await cache.read(conn.docker(), h.image);
    assert.ok(!cut.ok && cut.transient, cut.ok ? 'read succeeded within 1 ms' : cut.error);
    options.timeoutMs = 60_000;
    const again = await cache.read(conn.docker(), h.image);
    assert.ok(again.ok, again.ok ? '' : again.error);
    assert.equal(await probes(), 0, 'no probe container left behind');
  });

  it("reads the simulator image's SALSubsystems.xml and version.py, once per image ID, leaving no container behind", async () => {
    const cache = new ImageCatalogues(defaultHistory());
    const r = await cache.read(conn.docker(), h.image);
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.equal(r.path, '/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/xml/data/sal_interfaces/SALSubsystems.xml');
    assert.equal(r.version, defaultHistory().newest);
    assert.equal(r.label, `ts_xml ${defaultHistory().newest}`);
    const names = (c: typeof r.catalogue) => [...c.components].map((x) => x.name).sort();
    assert.deepEqual(names(r.catalogue), names(defaultCatalogue()));
    assert.deepEqual(r.catalogue.get('MTHexapod')?.index, defaultCatalogue().get('MTHexapod')?.index);
    assert.equal(await probes(), 0, 'the probe container is removed');
    // Same image ID: the same result, no second container.
    const created: string[] = [];
    const docker = conn.docker();
    const create = docker.createContainer.bind(docker);
    docker.createContainer = ((opts: Parameters<typeof create>[0]) => {
      created.push(String(opts.Image));
      return create(opts);
    }) as typeof docker.createContainer;
    const again = await cache.read(docker, h.image);
    assert.equal(again, r);
    assert.deepEqual(created, []);
    // Looked up synchronously by the reference the compose file interpolates to.
    assert.equal(cache.lookup(h.image)?.label, r.label);
  });

  it('the checker uses it: a producer on the simulator image is checked against the image, not its tag', async () => {
    const cache = new ImageCatalogues(defaultHistory());
    await cache.read(conn.docker(), h.image);
    const text = `services:\n  salkafka-m2:\n    image: \${IMAGE}\n    environment:\n      - BROKER_IP=127.0.0.1\n      - BROKER_PORT=9094\n      - REGISTRY_ADDR=http://127.0.0.1:8081\n      - CSC_LIST=MTRotator Rotator\n`;
    const without = lintCompose(text, { catalogue: defaultCatalogue(), variables: { IMAGE: h.image } }).diagnostics.map((d) => [d.code, d.severity]);
    assert.deepEqual(without, [['image-xml-unknown', 'info'], ['csc-retired', 'info'], ['csc-era-conflict', 'error']], 'the tag "test" says nothing: both sides of the rename cannot be read by one release');
    const withImage = lintCompose(text, { catalogue: defaultCatalogue(), variables: { IMAGE: h.image }, imageCatalogue: (ref) => cache.lookup(ref) });
    assert.deepEqual(withImage.diagnostics.map((d) => [d.code, d.severity]), [['csc-not-in-image', 'error']]);
    assert.match(withImage.diagnostics[0].message, new RegExp(`^Rotator is not in ts_xml ${defaultHistory().newest.replace(/\./g, '\\.')} \\(read from image salkafka-sim:test\\); it was last in 6\\.2\\.1`));
  });

  it('an image that is not on the host: a clear reason, nothing created', async () => {
    const cache = new ImageCatalogues(defaultHistory());
    const r = await cache.read(conn.docker(), 'salkafka-sim:no-such-tag');
    assert.ok(!r.ok);
    assert.match(r.error, /image salkafka-sim:no-such-tag is not on the host/);
    assert.equal(await probes(), 0);
  });
});
