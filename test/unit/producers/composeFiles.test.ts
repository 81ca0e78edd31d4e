// Several compose files per host: which files of kafka_writers are compose files (the summit's
// docker-compose-eas.yaml yes, the m1m3.yaml topic file no), and producers from all of them, a
// broken one reported without hiding the others.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type Dockerode from 'dockerode';
import { configuredComposeFiles, hasServicesKey, siblingCandidates } from '../../../src/core/producers/composeFiles';
import { loadProducers } from '../../../src/core/producers/loadProducers';
import type { ComposeFileRead, ProducerHost } from '../../../src/core/producers/producerHost';

const KW = path.join(__dirname, '../../../../test/fixtures/real-shapes/summit-layout/summit/kafka_writers');
const MAIN = '/deploy/kafka_writers/docker-compose.yaml';
const file = (name: string) => ({ name, stat: { isFile: true } });

describe('compose files of a kafka_writers directory', () => {
  it('siblings: docker-compose*.y*ml, other YAML only with services:, never the main file, hidden or non-regular files', () => {
    const names = fs.readdirSync(KW);
    const c = siblingCandidates(MAIN, [...names.map(file), file('.docker-compose.swp.yaml'), { name: 'docker-compose-dir.yaml', stat: { isFile: false } }, file('docker-compose.yaml.2026-11-24T23-40-34-123Z.bak')]);
    assert.deepEqual(c, [
      { path: '/deploy/kafka_writers/docker-compose-eas.yaml', needsServicesKey: false },
      { path: '/deploy/kafka_writers/m1m3.yaml', needsServicesKey: true },
    ]);
    assert.equal(hasServicesKey(fs.readFileSync(path.join(KW, 'm1m3.yaml'), 'utf8')), false, 'a ts_salkafka --file topic file is not a compose file');
    assert.equal(hasServicesKey(fs.readFileSync(path.join(KW, 'docker-compose-eas.yaml'), 'utf8')), true);
  });

  it('the setting: relative to the main file, main first, duplicates dropped; empty = discover', () => {
    assert.deepEqual(configuredComposeFiles(MAIN, ['docker-compose-eas.yaml', '/other/x.yaml', 'docker-compose.yaml']), [MAIN, '/deploy/kafka_writers/docker-compose-eas.yaml', '/other/x.yaml']);
    assert.equal(configuredComposeFiles(MAIN, []), undefined);
    assert.equal(configuredComposeFiles(MAIN, ['', 'a\0b']), undefined);
  });

  it('producers come from every file, each knowing its file; a broken file is reported and hides nothing else', async () => {
    const read = (name: string) => fs.readFileSync(path.join(KW, name), 'utf8');
    const vars = { CYCLE_AUXTEL: 'c0017', CYCLE_LATISS: 'c0017', CYCLE_EAS: 'c0021', DOMAINID_EAS: '7' };
    const files: ComposeFileRead[] = [
      // The 2021 main file defines salkafka-eas too: the main file's wins, the duplicate is reported.
      { path: MAIN, main: true, source: { path: MAIN, text: read('docker-compose.yaml'), variables: vars } },
      { path: '/deploy/kafka_writers/docker-compose-dev.yaml', main: false, source: { path: '/deploy/kafka_writers/docker-compose-dev.yaml', text: 'services:\n  salkafka-dev:\n    environment:\n      - LSST_DDS_DOMAIN_ID=7\n      - CSC_LIST=Test\n', variables: {} } },
      { path: '/deploy/kafka_writers/docker-compose-broken.yaml', main: false, error: 'permission denied' },
      { path: '/deploy/kafka_writers/docker-compose-eas.yaml', main: false, source: { path: '/deploy/kafka_writers/docker-compose-eas.yaml', text: read('docker-compose-eas.yaml'), variables: vars } },
    ];
    // A fake ProducerHost: no Docker here (no containers), the files as read.
    const host: ProducerHost = {
      alias: 'fake',
      state: 'connected',
      onDidChangeState: () => ({ dispose() {} }),
      docker: () => ({ listContainers: async () => [] }) as unknown as Dockerode,
      readCompose: async () => files[0].source!,
      readComposeFiles: async () => files,
    };
    const snap = await loadProducers(host);
    const byName = new Map(snap.producers.map((p) => [p.name, p]));
    assert.deepEqual([...byName.keys()].sort(), ['salkafka-auxtel', 'salkafka-dev', 'salkafka-eas', 'salkafka-latiss']);
    assert.equal(byName.get('salkafka-dev')!.composeFile, '/deploy/kafka_writers/docker-compose-dev.yaml');
    assert.equal(byName.get('salkafka-dev')!.composeFileMain, false);
    assert.equal(byName.get('salkafka-dev')!.facts?.domainId, 7);
    assert.equal(byName.get('salkafka-auxtel')!.composeFileMain, true);
    assert.equal(byName.get('salkafka-eas')!.composeFile, MAIN);
    assert.match(snap.composeError!, /docker-compose-broken\.yaml: permission denied/);
    assert.match(snap.composeError!, /docker-compose-eas\.yaml: service salkafka-eas is also defined in an earlier compose file/);
  });
});
