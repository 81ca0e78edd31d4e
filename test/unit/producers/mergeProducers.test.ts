import * as assert from 'node:assert/strict';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { servicesFromCompose } from '../../../src/core/producers/loadProducers';
import { imageTagOf, mergeProducers, splitCscList } from '../../../src/core/producers/mergeProducers';
import type { ContainerDetails, ContainerSummary, ProducerService } from '../../../src/core/producers/producerTypes';

const svc = (name: string, csc: string, extra: Partial<ProducerService> = {}): ProducerService => ({
  name, containerName: name, image: 'ts-dockerhub.lsst.org/salkafka:c0035',
  cscTokens: splitCscList(csc).cscs.map((c) => ({ ...c, kind: 'csc' as const })), ...extra,
});
const ctr = (name: string, state: string, extra: Partial<ContainerSummary> = {}): ContainerSummary => ({
  Id: `${name}-id`.padEnd(64, '0'), Names: [`/${name}`], Image: 'ts-dockerhub.lsst.org/salkafka:c0034', State: state,
  Status: state === 'running' ? 'Up 2 hours' : 'Exited (1) 3 minutes ago', Labels: {}, ...extra,
});

describe('mergeProducers', () => {
  const services = [svc('salkafka-m2', 'MTRotator MTHexapod:1 MTM2'), svc('salkafka-at', 'ATDome'), svc('salkafka-eas', 'ESS:1'), svc('salkafka-calib', 'CBP'), svc('salkafka-rst', 'Test')];
  const containers = [
    ctr('salkafka-m2', 'running'), ctr('salkafka-at', 'running'), ctr('salkafka-eas', 'exited'),
    ctr('salkafka-orphan', 'running'), ctr('salkafka-rst', 'restarting'), ctr('unrelated', 'running'),
  ];
  const details = new Map<string, ContainerDetails>([
    [containers[0].Id, { Id: containers[0].Id, RestartCount: 2, State: { StartedAt: '2024-05-01T10:00:00.5Z', FinishedAt: '0001-01-01T00:00:00Z', ExitCode: 0 }, Config: { Image: 'ts-dockerhub.lsst.org/salkafka:c0034' } }],
    [containers[2].Id, { Id: containers[2].Id, State: { StartedAt: '2024-05-01T09:00:00Z', FinishedAt: '2024-05-01T09:05:00Z', ExitCode: 1 } }],
    [containers[3].Id, { Id: containers[3].Id, Config: { Env: ['PATH=/bin', 'CSC_LIST=ATHexapod ATPtg --file x.yaml'] } }],
  ]);
  const byName = new Map(mergeProducers(services, containers, details).map((p) => [p.name, p]));

  it('lists the union, sorted, without unrelated containers', () => {
    assert.deepEqual([...byName.keys()], ['salkafka-at', 'salkafka-calib', 'salkafka-eas', 'salkafka-m2', 'salkafka-orphan', 'salkafka-rst']);
  });

  it('gives each its state', () => {
    const states = Object.fromEntries([...byName].map(([n, p]) => [n, `${p.state}${p.orphan ? ' orphan' : ''}`]));
    assert.deepEqual(states, {
      'salkafka-at': 'running', 'salkafka-calib': 'not-created', 'salkafka-eas': 'exited',
      'salkafka-m2': 'running', 'salkafka-orphan': 'running orphan', 'salkafka-rst': 'restarting',
    });
  });

  it('takes uptime, restart count, image tag and CSCs from the right source', () => {
    const m2 = byName.get('salkafka-m2')!;
    assert.equal(m2.startedAt, Date.parse('2024-05-01T10:00:00.5Z'));
    assert.equal(m2.finishedAt, undefined, 'Docker zero time means never');
    assert.equal(m2.restartCount, 2);
    assert.equal(m2.imageTag, 'c0034', 'the running container image wins over compose');
    assert.equal(m2.composeImage, 'ts-dockerhub.lsst.org/salkafka:c0035');
    assert.equal(m2.containerId, containers[0].Id);
    assert.deepEqual(m2.cscs.map((c) => c.text), ['MTRotator', 'MTHexapod:1', 'MTM2']);
    assert.equal(m2.cscs[1].index, '1');
    assert.equal(m2.cscSource, 'compose');

    const eas = byName.get('salkafka-eas')!;
    assert.equal(eas.exitCode, 1);
    assert.equal(eas.statusText, 'Exited (1) 3 minutes ago');

    const calib = byName.get('salkafka-calib')!;
    assert.equal(calib.containerId, undefined);
    assert.equal(calib.imageTag, 'c0035');
    assert.deepEqual(calib.cscs.map((c) => c.name), ['CBP']);

    const orphan = byName.get('salkafka-orphan')!;
    assert.equal(orphan.serviceName, undefined);
    assert.equal(orphan.cscSource, 'container');
    assert.deepEqual(orphan.cscs.map((c) => c.name), ['ATHexapod', 'ATPtg']);
    assert.deepEqual(orphan.cscOptions, ['--file', 'x.yaml']);
  });

  it('matches compose-named containers by the service label', () => {
    const [p] = mergeProducers([svc('salkafka-x', 'ATDome', { containerName: undefined })],
      [ctr('kafka_writers_salkafka-x_1', 'running', { Labels: { 'com.docker.compose.service': 'salkafka-x' } })]);
    assert.equal(p.name, 'salkafka-x');
    assert.equal(p.containerName, 'kafka_writers_salkafka-x_1');
    assert.equal(p.state, 'running');
  });

  it('does not call containers orphans when the compose file is unknown', () => {
    const [p] = mergeProducers([], [ctr('salkafka-m2', 'running')], new Map(), false);
    assert.equal(p.orphan, false);
    assert.equal(p.cscSource, 'none');
  });

  it('reads producers from a real compose text', () => {
    const text = [
      'services:',
      '  salkafka-m2:',
      '    image: ts-dockerhub.lsst.org/salkafka:${CYCLE}',
      '    container_name: salkafka-m2',
      '    environment:',
      '      - CSC_LIST=MTRotator MTHexapod:1 --file m2.yaml',
      '  kafka-ui:',
      '    image: ui:1',
      '',
    ].join('\n');
    const services = servicesFromCompose(parseCompose(text, { variables: { CYCLE: 'c0036' } }));
    assert.equal(services.length, 1);
    const [p] = mergeProducers(services, []);
    assert.equal(p.imageTag, 'c0036');
    assert.deepEqual(p.cscs.map((c) => c.text), ['MTRotator', 'MTHexapod:1']);
    assert.deepEqual(p.cscOptions, ['--file', 'm2.yaml']);
  });
});

describe('imageTagOf', () => {
  it('handles registries with ports, digests and missing tags', () => {
    assert.equal(imageTagOf('registry:5000/salkafka:c0035'), 'c0035');
    assert.equal(imageTagOf('registry:5000/salkafka'), 'latest');
    assert.equal(imageTagOf('salkafka-sim:test'), 'test');
    assert.equal(imageTagOf('sha256:0123456789abcdef0123'), '0123456789ab');
    assert.equal(imageTagOf(undefined), undefined);
  });
});
