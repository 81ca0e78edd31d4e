// Producer facts from real 2021 summit compose files (test/fixtures/real-shapes/summit-layout):
// DDS domain from the sourced env files, shared-memory OpenSplice, image tag, development labels,
// and the compose project name docker-compose gives a file.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { DEV_LABELS, parseDevLabels, parseExpiry } from '../../../src/core/producers/devLabels';
import { composeProjectName, producerFacts, topLevelName } from '../../../src/core/producers/producerFacts';
import { servicesFromCompose } from '../../../src/core/producers/loadProducers';

const SUMMIT = path.join(__dirname, '../../../../test/fixtures/real-shapes/summit-layout/summit');
const read = (p: string) => fs.readFileSync(path.join(SUMMIT, p), 'utf8');
/** The variables `source setup.env setup_kp.env` gives (plain KEY=VALUE lines of the fixtures). */
function vars(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ['setup.env', 'setup_kp.env']) {
    for (const m of read(f).matchAll(/^export (\w+)=(.*)$/gm)) out[m[1]] = m[2].replace(/\$\{(\w+)\}/g, (_s, n: string) => out[n] ?? '');
  }
  return out;
}

describe('producer facts', () => {
  it('summit 2021: domain from the env files, shared-memory config mount, cycle tag', () => {
    const model = parseCompose(read('kafka_writers/docker-compose.yaml'), { variables: vars() });
    const at = (n: string) => producerFacts(model, model.services.find((s) => s.name === n)!, vars());
    const auxtel = at('salkafka-auxtel');
    assert.equal(auxtel.domainId, 2);
    assert.equal(auxtel.domainIdDefaulted, false);
    assert.equal(auxtel.imageTag, 'c0017');
    assert.equal(auxtel.sharedMemory.uses, true);
    assert.deepEqual(auxtel.sharedMemory.shmemMounts, ['/deploy-lsstts/ts_ddsconfig/config/ospl-shmem.xml:/opt/OpenSpliceDDS/V6.10.4/HDE/x86_64.linux/etc/config/ospl.xml']);
    assert.equal(at('salkafka-latiss').domainId, 1);
    assert.equal(auxtel.dev.marked, false);
  });

  it('the eas file: domain 7 and its domain name; no shared memory', () => {
    const model = parseCompose(read('kafka_writers/docker-compose-eas.yaml'), { variables: vars() });
    const f = producerFacts(model, model.services[0], vars());
    assert.equal(f.domainId, 7);
    assert.equal(f.domainName, 'ospl_sp_ddsi_7');
    assert.equal(f.sharedMemory.uses, false);
    assert.equal(f.imageTag, 'c0021');
  });

  it('ipc/pid host, labels (map or list), unset and bad domains; bad label values are reported, never thrown', () => {
    const text = `name: Dev-Stack
services:
  salkafka-dev:
    image: ts-dockerhub.lsst.org/salkafka:\${CYCLE}
    ipc: host
    pid: host
    labels:
      ${DEV_LABELS.purpose}: "try MTDome on domain 7"
      ${DEV_LABELS.owner}: alice
      ${DEV_LABELS.expires}: "2026-02-31"
    environment:
      - CSC_LIST=MTDome
  salkafka-list:
    labels:
      - ${DEV_LABELS.expires}=2026-12-31
      - ${DEV_LABELS.owner}=
    environment:
      LSST_DDS_DOMAIN_ID: "seven"
      CSC_LIST: ATDome
`;
    const model = parseCompose(text, { variables: { CYCLE: 'c0044' } });
    const dev = producerFacts(model, model.services[0], { CYCLE: 'c0044' });
    assert.deepEqual([dev.sharedMemory.ipcHost, dev.sharedMemory.pidHost, dev.sharedMemory.uses], [true, true, true]);
    assert.equal(dev.domainId, 0);
    assert.equal(dev.domainIdDefaulted, true);
    assert.equal(dev.imageTag, 'c0044');
    assert.equal(dev.dev.marked, true);
    assert.equal(dev.dev.owner, 'alice');
    assert.equal(dev.dev.expires?.at, undefined);
    assert.match(dev.dev.invalid.join(), /expires "2026-02-31" is not an ISO date/);
    const list = producerFacts(model, model.services[1]);
    assert.equal(list.domainIdInvalid, 'seven');
    assert.equal(list.dev.expires?.at?.toISOString(), '2026-12-31T23:59:59.999Z');
    assert.match(list.dev.invalid.join(), /owner is empty/);
    assert.equal(topLevelName(model), 'Dev-Stack');
  });

  it('label parsing never throws on odd values', () => {
    for (const v of [null, 42, {}, [], 'x'.repeat(500), 'a\nb', '2026-13-01', '2026-12-31T25:00']) {
      const m = parseDevLabels({ [DEV_LABELS.expires]: v, [DEV_LABELS.purpose]: v });
      assert.equal(typeof m.marked, 'boolean');
    }
    assert.equal(parseExpiry('2026-12-31T12:00:00Z')?.toISOString(), '2026-12-31T12:00:00.000Z');
    assert.equal(parseExpiry('tomorrow'), undefined);
  });

  it('compose project names as docker-compose gives them', () => {
    const p = '/deploy-lsst/docker-compose-ops/Kafka_Writers.2/docker-compose-dev.yaml';
    assert.equal(composeProjectName(p, { flavor: 'v1' }), 'kafkawriters2');
    assert.equal(composeProjectName(p, { flavor: 'v2' }), 'kafka_writers2');
    assert.equal(composeProjectName(p, { flavor: 'v2', topLevelName: 'dev' }), 'dev');
    assert.equal(composeProjectName(p, { flavor: 'v1', topLevelName: 'dev' }), 'kafkawriters2', 'compose 1.x ignores name:');
    assert.equal(composeProjectName(p, { projectName: 'efd' }), 'efd');
  });

  it('servicesFromCompose carries the file, the project and the facts', () => {
    const model = parseCompose(read('kafka_writers/docker-compose-eas.yaml'), { variables: vars() });
    const [s] = servicesFromCompose(model, { path: '/deploy/kafka_writers/docker-compose-eas.yaml', variables: vars() });
    assert.equal(s.composeFile, '/deploy/kafka_writers/docker-compose-eas.yaml');
    assert.equal(s.composeProject, 'kafkawriters');
    assert.equal(s.facts?.domainId, 7);
  });
});
