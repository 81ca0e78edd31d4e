import { strict as assert } from 'assert';
import { defaultHistory } from '../../../src/core/catalogue/defaultCatalogue';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import type { PlanContext } from '../../../src/core/ops/plan';
import { analyseUpgrade } from '../../../src/core/upgrade/analyse';
import { cycleStandings, planUpgradeCycle, PULL_STAGE_LABEL } from '../../../src/core/upgrade/planUpgrade';
import { applyPlan } from '../../../src/core/ops/apply';
import { FakeHost } from '../ops/fakeOpsHost';

const DIR = '/deploy-lsst/docker-compose-ops/kafka_writers';
const COMPOSE_PATH = `${DIR}/docker-compose.yaml`;
const ENV_PATH = `${DIR}/setup_kp.env`;
const COMPOSE = `# Using this file requires the following environment files
# - setup_kp.env
services:
  salkafka-a:
    image: 127.0.0.1:5000/salkafka:\${CYCLE_UPGRADE}
    environment:
      - LSST_DDS_DOMAIN_ID=\${DOMAIN}
      - CSC_LIST=MTAlignment MTDome
  salkafka-b:
    image: 127.0.0.1:5000/salkafka:\${CYCLE_UPGRADE}
    environment:
      - LSST_DDS_DOMAIN_ID=\${DOMAIN}
      - CSC_LIST=ATDome
`;
const ENV = 'export CYCLE_UPGRADE=c0028\nexport DOMAIN=12\n';

function inputs(envPath = ENV_PATH, domain = '12') {
  const variables = { CYCLE_UPGRADE: 'c0028', DOMAIN: domain };
  return {
    composes: [{ path: COMPOSE_PATH, text: COMPOSE, discovery: { origin: { CYCLE_UPGRADE: envPath, DOMAIN: envPath }, variables, files: [{ path: envPath, kind: 'header' as const, name: 'setup_kp.env', variables }] } }],
    envTexts: { [envPath]: ENV },
    history: defaultHistory(),
  };
}

function context(domain = '12'): PlanContext {
  return {
    host: { alias: 'azar2-test' },
    composePath: COMPOSE_PATH,
    composeContent: Buffer.from(COMPOSE),
    variables: { CYCLE_UPGRADE: 'c0028', DOMAIN: domain },
    sourcedEnvFiles: [{ path: ENV_PATH, name: 'setup_kp.env' }],
    missingEnvFiles: [],
    flavor: { kind: 'v1', version: '1.29.2', command: ['docker-compose'] },
    production: { hosts: [], partitions: [] },
    containers: { 'salkafka-a': { state: 'running', name: 'salkafka-a' }, 'salkafka-b': { state: 'running', name: 'salkafka-b' } },
    now: new Date('2026-12-03T12:00:00Z'),
  };
}

describe('the upgrade-cycle plan: one change over both files, images first, one producer per stage', () => {
  it('pulls the missing image first (docker-compose pull of exactly those services), then re-creates each producer, verified with its new CSCs', () => {
    const analysis = analyseUpgrade({ ...inputs(), target: 'c0029' });
    const plan = planUpgradeCycle(context(), analysis, { images: [{ image: '127.0.0.1:5000/salkafka:c0029', present: false }] });
    assert.equal(plan.action, 'upgrade-cycle');
    assert.equal(plan.summary, 'Upgrade salkafka-a, salkafka-b to cycle c0029 (ts_xml 15.0.0) on azar2-test');
    assert.deepEqual(plan.files.map((f) => [f.path, f.kind, Boolean(f.backupPath)]), [
      [COMPOSE_PATH, 'modify', true],
      [ENV_PATH, 'modify', true],
    ]);
    assert.match(plan.files[1].newText, /^export CYCLE_UPGRADE=c0029$/m);
    assert.deepEqual(plan.stages!.map((s) => s.label), [PULL_STAGE_LABEL, 're-create salkafka-a on c0029', 're-create salkafka-b on c0029']);
    const pull = plan.stages![0].commands[0];
    assert.deepEqual(pull.argv.slice(-3), ['pull', 'salkafka-a', 'salkafka-b']);
    assert.ok(pull.argv.includes(ENV_PATH), 'compose runs with setup_kp.env sourced');
    assert.equal(plan.stages![0].verify.expect.state, 'skip');
    assert.equal(plan.stages![0].verify.container, 'salkafka-a', 'a valid container name even where nothing is verified (the pipeline checks every stage)');
    assert.deepEqual(plan.stages![1].commands[0].argv.slice(-4), ['up', '-d', '--no-deps', 'salkafka-a']);
    assert.deepEqual(plan.stages![1].verify, { container: 'salkafka-a', expect: { state: 'running', restarted: 'yes', cscs: ['LaserTracker', 'MTDome'], fileProducer: false } });
    assert.equal(plan.production.production, false);
    assert.ok(plan.warnings.some((w) => /MTAlignment is not in ts_xml 15\.0\.0 \(last in 14\.0\.0\); renamed LaserTracker/.test(w)), plan.warnings.join('\n'));
    assert.ok(plan.warnings.some((w) => /c0029: not on the host — pulled before anything stops/.test(w)));
  });

  it('no pull stage when the image is on the host; production when a producer is on domain 0', () => {
    const analysis = analyseUpgrade({ ...inputs(ENV_PATH, '0'), target: 'c0029' });
    const plan = planUpgradeCycle(context('0'), analysis, { images: [{ image: '127.0.0.1:5000/salkafka:c0029', present: true, id: 'sha256:42f6195b959e0000', sizeBytes: 2_020_000 }] });
    assert.deepEqual(plan.stages!.map((s) => s.label), ['re-create salkafka-a on c0029', 're-create salkafka-b on c0029']);
    assert.equal(plan.production.production, true);
    assert.ok(plan.warnings.includes('127.0.0.1:5000/salkafka:c0029: already on the host (42f6195b959e, 2.0 MB)'), plan.warnings.join('\n'));
  });

  it('refuses: an image the host cannot pull (naming it), an env file outside the lock\'s directory, an analysis with problems', () => {
    const analysis = analyseUpgrade({ ...inputs(), target: 'c0029' });
    assert.throws(
      () => planUpgradeCycle(context(), analysis, { images: [{ image: '127.0.0.1:5000/salkafka:c0029', present: false }], canPull: false }),
      (e: unknown) => e instanceof OpsRefusedError && /not on azar2-test and the host cannot pull them: 127\.0\.0\.1:5000\/salkafka:c0029/.test(e.message),
    );
    const outside = analyseUpgrade({ ...inputs('/deploy-lsst/docker-compose-ops/setup_kp.env'), target: 'c0029' });
    assert.throws(
      () => planUpgradeCycle(context(), outside, { images: [] }),
      (e: unknown) => e instanceof OpsRefusedError && /outside \/deploy-lsst\/docker-compose-ops\/kafka_writers/.test(e.message) && /CYCLE_UPGRADE: c0028 → c0029/.test(e.message),
    );
    const unknown = analyseUpgrade({ ...inputs(), target: 'c0999' });
    assert.throws(() => planUpgradeCycle(context(), unknown, { images: [] }), OpsRefusedError);
  });

  it('the pipeline accepts the plan: both files written (checked, backed up), then the pull before any up', async () => {
    const host = new FakeHost();
    host.fs.set(COMPOSE_PATH, Buffer.from(COMPOSE));
    host.fs.set(ENV_PATH, Buffer.from(ENV));
    const analysis = analyseUpgrade({ ...inputs(), target: 'c0029' });
    const plan = planUpgradeCycle(context(), analysis, { images: [{ image: '127.0.0.1:5000/salkafka:c0029', present: false }] });
    const verified: string[] = [];
    const out = await applyPlan(plan, host, {
      verifyStage: async (s) => {
        if (s.verify.expect.state === 'skip') return undefined;
        verified.push(s.verify.container);
        return { container: s.verify.container, ok: true, checks: [], summary: `PASS ${s.verify.container}`, logLinesExamined: 0, errorLines: [], elapsedMs: 0 };
      },
    });
    assert.equal(out.status, 'applied', `${out.hostState} ${out.error ?? ''}`);
    assert.deepEqual(verified, ['salkafka-a', 'salkafka-b'], 'each producer verified in turn');
    assert.match(host.fs.get(ENV_PATH)!.toString(), /^export CYCLE_UPGRADE=c0029$/m);
    assert.match(host.fs.get(COMPOSE_PATH)!.toString(), /CSC_LIST=LaserTracker MTDome/);
    const composeRuns = host.ran.filter((a) => a.includes('docker-compose'));
    assert.deepEqual(composeRuns[0].slice(-3), ['pull', 'salkafka-a', 'salkafka-b'], 'images first');
    assert.deepEqual(composeRuns[1].slice(-2), ['--no-deps', 'salkafka-a']);
    assert.deepEqual(out.stages.map((x) => x.label), plan.stages!.map((x) => x.label));
  });

  it('after a stop, says who is on which cycle', () => {
    const analysis = analyseUpgrade({ ...inputs(), target: 'c0029' });
    const s = cycleStandings(analysis, { completed: ['re-create salkafka-a on c0029'], failed: ['re-create salkafka-b on c0029'], notRun: [] });
    assert.deepEqual([s.moved, s.failed, s.unchanged], [['salkafka-a'], ['salkafka-b'], []]);
    assert.equal(s.text, 'on c0029 and verified: salkafka-a; re-created on c0029 but FAILED verification: salkafka-b');
    const early = cycleStandings(analysis, { completed: [PULL_STAGE_LABEL], failed: ['re-create salkafka-a on c0029'], notRun: ['re-create salkafka-b on c0029'] });
    assert.equal(early.text, 're-created on c0029 but FAILED verification: salkafka-a; still running their previous cycle: salkafka-b (c0028)');
  });
});
