// Several compose files per host on the REAL test host, over both transports (SSH/SFTP and the
// local one): a sibling docker-compose-*.yaml is read with its producers, a ts_salkafka topic
// file is not taken for a compose file, a broken sibling gives its error and hides nothing else.
import { strict as assert } from 'assert';
import * as posix from 'node:path/posix';
import type { Host } from '../../src/core/host/host';
import { LocalHost } from '../../src/core/host/local/localHost';
import { producerHostFromConnection } from '../../src/core/producers/connectionHost';
import { loadProducers } from '../../src/core/producers/loadProducers';
import { Connections, hostOrSkip } from './support';
import type { TestHost } from './support';

describe('compose files of kafka_writers on the test host', function () {
  this.timeout(120_000);
  let h: TestHost;
  const ssh = new Connections();
  let local: LocalHost;
  let viaSsh: Host;
  const made: string[] = [];

  before(async function () {
    h = await hostOrSkip(this, 'compose files integration tests');
    viaSsh = await ssh.connect(h);
    local = new LocalHost('azar2-test', { dockerSocketPath: h.dockerSocket });
    await local.connect();
    const dir = posix.dirname(h.composeFile);
    const put = async (name: string, text: string) => {
      const p = posix.join(dir, name);
      await viaSsh.files.writeFileAtomic(p, text);
      made.push(p);
    };
    await put('docker-compose-cftest.yaml', 'services:\n  salkafka-cftest:\n    image: ${IMAGE}\n    labels:\n      org.lsst.efd.salkafka.owner: alice\n    environment:\n      - LSST_DDS_DOMAIN_ID=7\n      - CSC_LIST=Test\n');
    await put('cftest-topics.yaml', 'MTM1M3:\n  events: [detailedState]\n');
    await put('docker-compose-cfbroken.yaml', 'services:\n  salkafka-cfbroken:\n    environment: [\n');
  });

  after(async () => {
    for (const p of made) await viaSsh?.files.unlink(p).catch(() => undefined);
    local?.dispose();
    ssh.closeAll();
  });

  for (const transport of ['ssh', 'local'] as const) {
    it(`${transport}: producers of every compose file, each with its file; the topic file is left out; the broken one reported`, async () => {
      const conn = transport === 'ssh' ? viaSsh : local;
      const host = producerHostFromConnection(conn, () => ({ composeFile: h.composeFile }));
      const files = await host.readComposeFiles!();
      const names = files.map((f) => posix.basename(f.path));
      assert.equal(names[0], posix.basename(h.composeFile));
      assert.ok(names.includes('docker-compose-cftest.yaml'), names.join());
      assert.ok(!names.includes('cftest-topics.yaml'), 'a topic file is not a compose file');
      const snap = await loadProducers(host);
      const dev = snap.producers.find((p) => p.name === 'salkafka-cftest');
      assert.ok(dev, snap.producers.map((p) => p.name).join());
      assert.equal(dev.composeFileMain, false);
      assert.equal(dev.facts?.domainId, 7);
      assert.equal(dev.facts?.dev.owner, 'alice');
      assert.ok(dev.facts?.imageTag, 'the image comes from the .env beside the files');
      assert.equal(snap.producers.find((p) => p.name === 'salkafka-m2')?.composeFileMain, true);
      assert.match(snap.composeError ?? '', /docker-compose-cfbroken\.yaml/);
    });
  }
});
