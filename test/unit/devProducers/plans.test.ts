import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { planProvisionDev, planTakeDownDev } from '../../../src/core/devProducers/plans';
import type { DevRequest, ParsedComposeFile } from '../../../src/core/devProducers/provision';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import type { PlanContext } from '../../../src/core/ops/plan';
import { planStages } from '../../../src/core/ops/plan';
import { V1 } from '../ops/fixtures';

const SUMMIT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'real-shapes', 'summit-2021', 'summit');
const VARS: Record<string, string> = {};
for (const f of ['setup.env', 'setup_kp.env']) for (const m of readFileSync(join(SUMMIT, f), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) VARS[m[1]] = m[2].replace(/\$\{(\w+)\}/g, (_, v: string) => VARS[v] ?? '');
const DIR = '/deploy-lsstts/docker-compose-ops/summit/kafka_writers';
const MAIN = `${DIR}/docker-compose.yaml`;
const mainText = readFileSync(join(SUMMIT, 'kafka_writers', 'docker-compose.yaml'), 'utf8');
const files = (): ParsedComposeFile[] => [{ path: MAIN, text: mainText, model: parseCompose(mainText, { variables: VARS }) }];
const ctx = (over: Partial<PlanContext> = {}): PlanContext => ({
  host: { alias: 'azar2', hostName: 'azar2.cp.lsst.org' },
  composePath: MAIN,
  composeContent: Buffer.from(mainText),
  variables: VARS,
  sourcedEnvFiles: [{ path: '/deploy-lsstts/docker-compose-ops/summit/setup.env', name: 'setup.env' }, { path: '/deploy-lsstts/docker-compose-ops/summit/setup_kp.env', name: 'setup_kp.env' }],
  flavor: V1,
  production: { hosts: [], partitions: [] },
  containers: {},
  now: new Date('2021-11-18T16:00:00Z'),
  ...over,
});
const request: DevRequest = { domainId: 7, cscs: ['MTM2'], purpose: 'mtm2', owner: 'mreuter', expires: '2021-11-30', imageTag: 'c0021', target: 'own-file', opensplice: 'shared-memory' };

describe('development producers: plans through the pipeline\'s files and stages', () => {
  it('provision-dev: creates the file, starts the daemon then the producer (each with the env files sourced), verifies samples', () => {
    const { plan } = planProvisionDev(ctx(), files(), request);
    assert.equal(plan.action, 'provision-dev');
    assert.deepEqual(plan.files.map((f) => [f.kind, f.path, f.backupPath]), [['create', `${DIR}/docker-compose-mtm2.yaml`, '']]);
    const stages = planStages(plan);
    assert.deepEqual(stages.map((s) => [s.services, s.verify.container, s.verify.expect.state, s.verify.expect.samples === true]), [
      [['ospl-daemon-domain-007'], 'ospl-daemon-domain-007', 'skip', false],
      [['salkafka-mtm2'], 'salkafka-mtm2', 'running', true],
    ]);
    const sourced = ' (with setup.env, setup_kp.env sourced from /deploy-lsstts/docker-compose-ops/summit/)';
    assert.deepEqual(plan.commands.map((c) => c.display), [
      `docker-compose -f ${DIR}/docker-compose-mtm2.yaml --ansi never up -d --no-deps ospl-daemon-domain-007${sourced}`,
      `docker-compose -f ${DIR}/docker-compose-mtm2.yaml --ansi never up -d --no-deps salkafka-mtm2${sourced}`,
    ]);
    assert.equal(plan.production.production, false);
    assert.ok(plan.warnings.some((w) => /^Prerequisite: MTM2 is also in production producer salkafka-m2/.test(w)), plan.warnings.join('\n'));
  });

  it('a production host asks for the typed confirmation like every change there', () => {
    const { plan } = planProvisionDev(ctx({ production: { hosts: ['azar2'], partitions: [] } }), files(), request);
    assert.equal(plan.production.production, true);
  });

  it('domain 0 is refused as a plan refusal, not an exception of another kind', () => {
    assert.throws(() => planProvisionDev(ctx(), files(), { ...request, domainId: 0 }), (e: Error) => e instanceof OpsRefusedError && /0 is production/.test(e.message));
  });

  it('take-down-dev: deletes its own file and stops both containers with the grace period, then removes them', () => {
    const { provision } = planProvisionDev(ctx(), files(), request);
    const created: ParsedComposeFile = { path: provision.file.path, text: provision.file.after!, model: parseCompose(provision.file.after!, { variables: VARS }) };
    const running = { 'salkafka-mtm2': { state: 'running', name: 'salkafka-mtm2' }, 'ospl-daemon-domain-007': { state: 'running', name: 'ospl-daemon-domain-007' } };
    const { plan } = planTakeDownDev(ctx({ containers: running }), [...files(), created], created.path, 'salkafka-mtm2');
    assert.equal(plan.action, 'take-down-dev');
    assert.deepEqual(plan.files.map((f) => [f.kind, f.path]), [['delete', created.path]]);
    assert.ok(plan.files[0].backupPath, 'the deleted file is backed up');
    assert.deepEqual(plan.commands.map((c) => c.argv), [
      ['docker', 'stop', '-t', '30', 'salkafka-mtm2', 'ospl-daemon-domain-007'],
      ['docker', 'rm', 'salkafka-mtm2', 'ospl-daemon-domain-007'],
    ]);
  });
});
