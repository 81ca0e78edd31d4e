// The producers model behind the tree, over the real test host: compose file read by SFTP,
// containers by Docker's API on one SSH connection, kept current by Docker events (no polling).
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import { producerHostFromConnection } from '../../src/core/producers/connectionHost';
import { producerDescription, producerHealthClass } from '../../src/core/producers/describe';
import type { Producer } from '../../src/core/producers/producerTypes';
import { ProducerWatcher } from '../../src/core/producers/producerWatcher';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { Connections, hostOrSkip, type TestHost } from './support';
import { hostExec, shellQuote } from './testHost';

async function until(what: string, cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Producers tree model on the real test host', function () {
  this.timeout(120_000);
  let h: TestHost;
  const connections = new Connections();
  let conn: HostConnection;
  let watcher: ProducerWatcher | undefined;
  const extra = `salkafka-it-tree-${randomBytes(3).toString('hex')}`;

  before(async function () {
    h = await hostOrSkip(this, 'producers tree integration tests');
    conn = await connections.connect(h);
  });
  after(async () => {
    watcher?.dispose();
    connections.closeAll();
    await hostExec(`docker rm -f ${shellQuote(extra)} >/dev/null 2>&1 || true`);
  });

  const byName = (): Map<string, Producer> => new Map((watcher?.snapshot?.producers ?? []).map((p) => [p.name, p]));

  it('lists every producer with its state: running, exited, defined-not-created and the orphan', async () => {
    const host = producerHostFromConnection(conn, () => ({ composeFile: h.composeFile, envFiles: ['setup.env'] }));
    watcher = new ProducerWatcher(host, { debounceMs: 200 });
    const w = watcher;
    await until('first snapshot', () => w.status.kind === 'ready');
    const snap = w.snapshot!;
    assert.equal(snap.composeError, undefined, 'compose file read over SFTP and parsed');
    const p = byName();
    const m2 = p.get('salkafka-m2')!;
    assert.equal(m2.state, 'running');
    assert.equal(m2.orphan, false);
    assert.deepEqual(m2.cscs.map((c) => c.text), ['MTRotator', 'MTHexapod', 'MTM2'], 'CSCs from the compose CSC_LIST');
    assert.equal(m2.imageTag, 'test', 'image tag of salkafka-sim:test (interpolated ${IMAGE})');
    assert.ok(m2.startedAt !== undefined && m2.startedAt <= Date.now(), 'uptime known');
    assert.equal(typeof m2.restartCount, 'number');
    assert.match(m2.containerId ?? '', /^[0-9a-f]{64}$/);
    assert.match(producerDescription(m2, Date.now()), /^running · up \d/);

    assert.equal(p.get('salkafka-at')?.state, 'running');
    const eas = p.get('salkafka-eas')!;
    assert.equal(eas.state, 'exited');
    assert.equal(producerHealthClass(eas, undefined), eas.exitCode ? 'error' : 'off');

    const calib = p.get('salkafka-calib')!;
    assert.equal(calib.state, 'not-created', 'defined in compose, no container');
    assert.equal(calib.containerId, undefined);
    assert.ok(calib.cscs.length > 0, 'CSCs still known from compose');
    assert.match(producerDescription(calib, Date.now()), /^defined, not created/);

    const orphan = p.get('salkafka-orphan')!;
    assert.equal(orphan.orphan, true, 'container without a compose service');
    assert.equal(orphan.serviceName, undefined);
    assert.equal(orphan.cscSource, 'container');
    assert.deepEqual(orphan.cscs.map((c) => c.name), ['MTMount'], "CSCs from the orphan container's own CSC_LIST");
  });

  it('follows Docker events without a refresh: a new container appears, its removal disappears', async () => {
    const w = watcher!;
    const run = await hostExec(`docker run -d --name ${shellQuote(extra)} --network none -e CSC_LIST='ATDome ATPtg:1' ${shellQuote(h.image)} sleep 600`);
    assert.equal(run.code, 0, run.stderr);
    await until(`${extra} in the snapshot`, () => byName().get(extra)?.state === 'running');
    const p = byName().get(extra)!;
    assert.equal(p.orphan, true);
    assert.deepEqual(p.cscs.map((c) => c.text), ['ATDome', 'ATPtg:1']);
    const rm = await hostExec(`docker rm -f ${shellQuote(extra)}`);
    assert.equal(rm.code, 0, rm.stderr);
    await until(`${extra} gone`, () => !byName().has(extra));
  });
});
