import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { splitProducers } from '../../../src/core/devProducers/watch';
import { servicesFromCompose } from '../../../src/core/producers/loadProducers';

// The 2021 summit tree as the producers view reads it: both compose files of kafka_writers, with
// the variables of setup.env and setup_kp.env (lsst-it/docker-compose-ops 2877853, verbatim).
const SUMMIT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'real-shapes', 'summit-2021', 'summit');
const VARS: Record<string, string> = {};
for (const f of ['setup.env', 'setup_kp.env']) for (const m of readFileSync(join(SUMMIT, f), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) VARS[m[1]] = m[2].replace(/\$\{(\w+)\}/g, (_, v: string) => VARS[v] ?? '');
const read = (name: string, main: boolean) => {
  const path = `/deploy-lsstts/docker-compose-ops/summit/kafka_writers/${name}`;
  return servicesFromCompose(parseCompose(readFileSync(join(SUMMIT, 'kafka_writers', name), 'utf8'), { variables: VARS }), { path, main, variables: VARS });
};

describe('the 2021 summit layout in the producers view', () => {
  const services = [...read('docker-compose.yaml', true), ...read('docker-compose-eas.yaml', false)];

  it('reads both files as one compose project, each producer knowing its file and DDS domain', () => {
    assert.equal(new Set(services.map((s) => s.composeProject)).size, 1, 'one compose project for both files');
    const eas = services.filter((s) => s.name === 'salkafka-eas');
    assert.deepEqual(eas.map((s) => [s.composeFile!.split('/').pop(), s.facts!.domainId, s.facts!.sharedMemory.ipcHost, s.image]), [
      ['docker-compose.yaml', 7, false, 'ts-dockerhub.lsst.org/salkafka:c0021'],
      ['docker-compose-eas.yaml', 7, true, 'ts-dockerhub.lsst.org/salkafka:c0021'],
    ]);
    assert.equal(services.find((s) => s.name === 'salkafka-m2')!.facts!.domainId, 11);
  });

  it('no 2021 producer carries development labels (they predate them): none is shown as development', () => {
    const { production, development } = splitProducers(services);
    assert.equal(development.length, 0);
    assert.equal(production.length, services.length);
  });
});
