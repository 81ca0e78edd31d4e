// The change pipeline sources the env files a compose file's header names, on the REAL test host:
// a private kafka_writers directory (/deploy-lsst-J, created and removed here, owned by the test
// user; not the shared compose file) whose image tag and LSST_DDS_DOMAIN_ID come only from
// ../setup.env, as on the summit. Start and Add CSC run through plan → executePlan; the recreated
// container must carry the sourced domain id and the right image. With setup.env gone the plan
// is refused and nothing on the host changes.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import { hostOrSkip, Connections } from './support';
import type { TestHost } from './support';
import { hostExec } from './testHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { defaultCatalogue } from '../../src/core/catalogue/defaultCatalogue';
import { loadPlanContext } from '../../src/core/ops/context';
import type { OpsSettings } from '../../src/core/ops/context';
import { planAddCsc, planLifecycle } from '../../src/core/ops/plan';
import type { Plan } from '../../src/core/ops/plan';
import { executePlan } from '../../src/core/ops/pipeline';
import type { PipelineOutcome } from '../../src/core/ops/pipeline';
import { OpsRefusedError } from '../../src/core/ops/errors';
import { sha256Hex } from '../../src/core/remote/remoteFiles';

const ROOT = '/deploy-lsst-J';
const DIR = `${ROOT}/kafka_writers`;
const COMPOSE = `${DIR}/docker-compose.yaml`;
const SERVICE = 'salkafka-jenv';

// The Rubin header shape; the variables below are NOT in .env (only the project name is).
const composeText = (image: string) => `# Using this file requires the following environment files
# - ../setup.env
version: "3.7"

services:
  ${SERVICE}:
    image: ${image}
    container_name: ${SERVICE}
    restart: unless-stopped
    network_mode: none
    environment:
      - LSST_DDS_PARTITION_PREFIX=jtest
      - LSST_DDS_DOMAIN_ID=\${DOMAINID_JENV}
      - BROKER_IP=127.0.0.1
      - BROKER_PORT=9094
      - REGISTRY_ADDR=http://127.0.0.1:8081
      - PARTITIONS=1
      - REPLICATION=3
      - LOG_LEVEL=20
      - WAIT_ACK=1
      - SIM_PERIOD=1
      - CSC_LIST=MTRotator
    volumes:
      - ./sim/${SERVICE}:/sim:ro
    command: sh -c "run_salkafka_producer.py --broker $$BROKER_IP:$$BROKER_PORT --registry $$REGISTRY_ADDR --partitions $$PARTITIONS --loglevel $$LOG_LEVEL --replication-factor $$REPLICATION --wait-ack $$WAIT_ACK $$CSC_LIST"
`;

interface Inspect {
  Id: string;
  Config: { Env: string[]; Image: string };
}

describe('ops pipeline sources the env files on the test host', function () {
  this.timeout(180_000);
  let h: TestHost;
  let conn: HostConnection;
  const conns = new Connections();
  let settings: OpsSettings;

  const cleanup = async () => {
    await hostExec(`docker rm -f ${SERVICE} >/dev/null 2>&1; rm -rf ${ROOT}`);
  };

  before(async function () {
    h = await hostOrSkip(this, 'env sourcing integration tests');
    await cleanup();
    const [repo, tag] = h.image.split(':');
    fs.mkdirSync(`${DIR}/sim/${SERVICE}`, { recursive: true });
    fs.writeFileSync(`${DIR}/sim/${SERVICE}/load`, '* * 2\n');
    fs.writeFileSync(`${DIR}/.env`, 'COMPOSE_PROJECT_NAME=salkafkaj\n');
    // As on the summit: exported by the operator's shell, one variable built from another.
    fs.writeFileSync(`${ROOT}/setup.env`, `export IMAGE_REPO_JENV=${repo}\nCYCLE_JENV=${tag}\nDOMAIN_BASE_JENV=23\nDOMAINID_JENV=$DOMAIN_BASE_JENV\n`);
    fs.writeFileSync(COMPOSE, composeText('${IMAGE_REPO_JENV}:${CYCLE_JENV}'));
    const own = await hostExec(`chown -R ${h.user}:${h.user} ${ROOT} && chmod 755 ${ROOT}`);
    assert.equal(own.code, 0, own.stderr);
    conn = await conns.connect(h);
    settings = {
      composePath: COMPOSE,
      envFiles: ['setup.env'],
      production: { hosts: [], partitions: [] },
      verifyTimeoutSeconds: 40,
      dryRun: false,
      enableHotAdd: false,
    };
  });

  after(async function () {
    conns.closeAll();
    if (h) await cleanup();
  });

  const ctx = () => loadPlanContext(conn, settings, defaultCatalogue());
  const inspect = async (): Promise<Inspect> => (await conn.docker().getContainer(SERVICE).inspect()) as unknown as Inspect;
  const envOf = (i: Inspect, key: string) => i.Config.Env.find((e) => e.startsWith(`${key}=`));
  const run = (plan: Plan): Promise<PipelineOutcome> =>
    executePlan(plan, conn, {
      dryRun: false,
      auditPath: `${DIR}/salkafka-audit.jsonl`,
      who: { localUser: os.userInfo().username, remoteUser: h.user },
      verifyTimeoutSeconds: settings.verifyTimeoutSeconds,
    });
  const explain = (o: PipelineOutcome) => `${o.result.status}: ${o.result.hostState} ${o.result.error ?? ''}\n${o.result.steps.map((s) => s.outputTail).join('\n')}`;

  it('plan context: the header-named ../setup.env is found and its variables drive the plan', async () => {
    const c = await ctx();
    assert.deepEqual(c.sourcedEnvFiles, [{ path: `${ROOT}/setup.env`, name: '../setup.env' }]);
    assert.deepEqual(c.missingEnvFiles, []);
    assert.equal(c.variables?.DOMAINID_JENV, '23');
    const plan = planLifecycle(c, 'start', SERVICE);
    assert.equal(plan.production.domainId, '23', 'the production verdict reads the sourced domain');
    assert.match(plan.commands[0].display, /up -d --no-deps salkafka-jenv \(with setup\.env sourced from \/deploy-lsst-J\/\)$/);
  });

  it('start and Add CSC: the container gets the sourced domain id and image', async () => {
    const started = await run(planLifecycle(await ctx(), 'start', SERVICE));
    assert.ok(started.ok, explain(started));
    const first = await inspect();
    assert.equal(envOf(first, 'LSST_DDS_DOMAIN_ID'), 'LSST_DDS_DOMAIN_ID=23');
    assert.equal(first.Config.Image, h.image);

    const plan = planAddCsc(await ctx(), SERVICE, 'MTHexapod');
    const out = await run(plan);
    assert.ok(out.ok, explain(out));
    const after = await inspect();
    assert.notEqual(after.Id, first.Id, 'container recreated');
    assert.equal(envOf(after, 'CSC_LIST'), 'CSC_LIST=MTRotator MTHexapod');
    assert.equal(envOf(after, 'LSST_DDS_DOMAIN_ID'), 'LSST_DDS_DOMAIN_ID=23');
    assert.equal(after.Config.Image, h.image);
    assert.equal(out.result.steps.at(-1)?.argv[0], 'sh');
    assert.match(out.audit.record.commands.at(-1)?.display ?? '', /sourced from \/deploy-lsst-J\//);
  });

  it('setup.env missing: Add CSC is refused, the file and the container are unchanged', async () => {
    const mv = await hostExec(`mv ${ROOT}/setup.env ${ROOT}/setup.env.away`);
    assert.equal(mv.code, 0, mv.stderr);
    try {
      const shaBefore = sha256Hex(fs.readFileSync(COMPOSE));
      const idBefore = (await inspect()).Id;
      const c = await ctx();
      assert.deepEqual(c.missingEnvFiles?.map((m) => m.name), ['../setup.env']);
      assert.throws(
        () => planAddCsc(c, SERVICE, 'MTM2'),
        (e: unknown) => e instanceof OpsRefusedError && e.code === 'env-file-missing' && /needs \.\.\/setup\.env, which is not on the host/.test(e.message),
      );
      assert.equal(sha256Hex(fs.readFileSync(COMPOSE)), shaBefore);
      assert.equal((await inspect()).Id, idBefore);
    } finally {
      await hostExec(`mv ${ROOT}/setup.env.away ${ROOT}/setup.env`);
    }
  });

  it('a variable unset after sourcing (empty image tag) is refused too', async () => {
    await hostExec(`sed -i 's/^CYCLE_JENV=.*/CYCLE_JENV=/' ${ROOT}/setup.env`);
    const idBefore = (await inspect()).Id;
    const c = await ctx();
    assert.equal(c.variables?.CYCLE_JENV, '');
    assert.throws(
      () => planAddCsc(c, SERVICE, 'MTM2'),
      (e: unknown) => e instanceof OpsRefusedError && e.code === 'env-unset' && /empty tag/.test(e.message),
    );
    assert.equal((await inspect()).Id, idBefore);
  });
});
