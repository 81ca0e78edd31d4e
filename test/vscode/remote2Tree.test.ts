// 2. The producers view lists what runs on the test host: the union of the compose file's
//    producer services and the salkafka-* containers, each with its state and CSC_LIST.
//    Rows are read from the view's own provider (getChildren + getTreeItem, via activate().views()).
import * as assert from 'assert';
import type { ExtensionApi } from '../../src/extension';
import type { ProducerRow, ProducersViewRows } from '../../src/features/tree/viewsApi';
import { pollUntil } from './helpers';
import { connected, describeRows, extensionApi, hostAtBaseline, producersListed, type TestHostInfo } from './remoteHelpers';

const BASELINE = ['salkafka-m2', 'salkafka-at', 'salkafka-eas', 'salkafka-calib', 'salkafka-orphan'];

suite('Remote 2: producers view on the test host', () => {
  let info: TestHostInfo;
  let api: ExtensionApi;
  let rows: ProducersViewRows;

  suiteSetup(async function () {
    this.timeout(180_000);
    info = await hostAtBaseline();
    api = await extensionApi();
    await connected(api);
    rows = await producersListed(api, BASELINE);
  });

  function row(name: string): ProducerRow {
    const r = rows.producers.find((p) => p.label === name);
    assert.ok(r, `no row ${name} in the producers view:\n${describeRows(rows)}`);
    return r;
  }

  test('exactly the five baseline producers, under a host row saying 3 of 5 running', () => {
    assert.deepStrictEqual(rows.producers.map((p) => p.label).sort(), [...BASELINE].sort(), describeRows(rows));
    assert.strictEqual(rows.host?.label, info.sshAlias);
    assert.strictEqual(rows.host?.description, 'connected · 3/5 running', describeRows(rows));
    assert.deepStrictEqual(rows.messages, [], `unexpected message rows (compose unreadable? errors?):\n${describeRows(rows)}`);
  });

  test('salkafka-m2 and salkafka-at are running with their CSC_LIST', () => {
    for (const [name, cscs] of [['salkafka-m2', ['MTRotator', 'MTHexapod', 'MTM2']], ['salkafka-at', ['ATDome', 'ATAOS', 'ATMCS']]] as const) {
      const r = row(name);
      assert.strictEqual(r.state, 'running', `${name}: ${describeRows(rows)}`);
      assert.strictEqual(r.contextValue, 'producer.running', `${name} should offer the running-producer menu`);
      assert.match(r.description, /^running · up \d/, `${name} description`);
      assert.deepStrictEqual(r.cscs, cscs, `${name} CSCs`);
      assert.strictEqual(r.orphan, false);
    }
  });

  test('salkafka-eas is exited (stopped by compose, exit code 0)', () => {
    const r = row('salkafka-eas');
    assert.strictEqual(r.state, 'exited', describeRows(rows));
    assert.match(r.description, /^exited \(0\)/);
    assert.strictEqual(r.contextValue, 'producer', 'an exited producer offers Start, not Stop/Restart');
    assert.deepStrictEqual(r.cscs, ['ESS:1', 'ESS:2', 'WeatherForecast']);
  });

  test('salkafka-calib is defined in the compose file but not created', () => {
    const r = row('salkafka-calib');
    assert.strictEqual(r.state, 'not-created', describeRows(rows));
    assert.match(r.description, /^defined, not created/);
    assert.deepStrictEqual(r.cscs, ['Electrometer:1', 'TunableLaser']);
  });

  test('salkafka-orphan (container without a compose service) is flagged as an orphan', () => {
    const r = row('salkafka-orphan');
    assert.strictEqual(r.orphan, true, describeRows(rows));
    assert.strictEqual(r.icon, 'question', 'an orphan gets the question-mark icon');
    assert.match(r.description, /^orphan, running/);
    assert.deepStrictEqual(r.cscs, ['MTMount'], 'an orphan\'s CSCs come from its container environment');
  });

  test('each producer on the simulator image shows the catalogue read from the image itself', async function () {
    this.timeout(30_000);
    const views = await api.views();
    // Read once per image ID in the background (a throw-away container runs find), then shown.
    const now = await pollUntil(() => views.producersView(), (r) => r.producers.filter((p) => / · ts_xml [\d.]+ from image$/.test(p.description)).length >= 4, 20_000, 200);
    for (const name of ['salkafka-m2', 'salkafka-at', 'salkafka-eas', 'salkafka-calib']) {
      const r = now.producers.find((p) => p.label === name);
      assert.match(r?.description ?? '', / · ts_xml \d+\.\d+\.\d+ from image$/, `${name}:\n${describeRows(now)}`);
    }
  });
});
