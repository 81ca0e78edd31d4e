import { strict as assert } from 'assert';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import { changedServices, displayCommand, planAddCsc, planApply, planLifecycle, planRemoveCsc, planRollback } from '../../../src/core/ops/plan';
import { sha256Hex } from '../../../src/core/remote/remoteFiles';
import { COMPOSE, COMPOSE_PATH, ctx, HOSTILE, V2 } from './fixtures';

const DIR = '/deploy-lsst/docker-compose-ops/kafka_writers';

describe('plans', () => {
  it('add CSC: file change, exact commands (argv and display), backup path, rollback', () => {
    const p = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    assert.equal(p.action, 'add-csc');
    assert.equal(p.summary, 'Add MTDome to salkafka-m2 on azar2-test');
    assert.deepEqual(p.cscListBefore, ['MTRotator', 'MTHexapod', 'MTM2']);
    assert.deepEqual(p.cscListAfter, ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    assert.equal(p.files[0]?.expectedSha256, sha256Hex(COMPOSE));
    assert.equal(p.basedOnSha256, sha256Hex(COMPOSE));
    assert.equal(p.files[0]?.newSha256, sha256Hex(p.files[0].newText));
    assert.equal(p.files[0]?.backupPath, `${DIR}/docker-compose.yaml.2026-11-24T23-40-34-123Z.bak`);
    assert.deepEqual(p.commands.map((c) => c.role), ['change']);
    const up = p.commands[0];
    assert.deepEqual(up.argv, ['docker-compose', '-f', COMPOSE_PATH, '--ansi', 'never', 'up', '-d', '--no-deps', '-t', '30', 'salkafka-m2']);
    assert.equal(up.display, `docker-compose -f ${COMPOSE_PATH} --ansi never up -d --no-deps -t 30 salkafka-m2`);
    assert.equal(up.cwd, DIR);
    assert.equal(p.production.production, false);
    assert.match(p.rollback.join('\n'), /docker-compose\.yaml\.2026-11-24T23-40-34-123Z\.bak/);
    assert.match(p.rollback.join('\n'), /cp -p .*\.bak .*docker-compose\.yaml && .*up -d --no-deps -t 30 salkafka-m2/);
    assert.deepEqual(p.verify, { state: 'running', restarted: 'yes', cscs: ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome'], fileProducer: false });
  });

  it('docker compose v2 command line', () => {
    const p = planRemoveCsc(ctx({ flavor: V2 }), 'salkafka-m2', 'MTM2');
    assert.equal(p.commands[0].display, `docker compose -f ${COMPOSE_PATH} --ansi never up -d --no-deps -t 30 salkafka-m2`);
    assert.deepEqual(p.verify.cscs, ['MTRotator', 'MTHexapod']);
  });

  it('production: domain unset or 0, listed host, listed partition; dev domain otherwise', () => {
    assert.equal(planApply(ctx(), 'salkafka-m2').production.production, false);
    // An unset domain variable refuses anything that creates the container (env sourcing tests);
    // a restart keeps the container's env, and its verdict still says production.
    assert.throws(() => planApply(ctx({ variables: { LSST_DDS_PARTITION_PREFIX: 'summit', CYCLE: 'c0039.000' } }), 'salkafka-m2'), (e: OpsRefusedError) => e.code === 'env-unset');
    const m2unset = planLifecycle(ctx({ variables: { LSST_DDS_PARTITION_PREFIX: 'summit' } }), 'restart', 'salkafka-m2').production;
    assert.equal(m2unset.production, true);
    assert.match(m2unset.reasons.join(), /unset/);
    const at = planApply(ctx(), 'salkafka-at').production;
    assert.equal(at.production, true);
    assert.match(at.reasons.join(), /is 0/);
    const host = planApply(ctx({ host: { alias: 'azar2' } }), 'salkafka-m2').production;
    assert.deepEqual([host.production, host.reasons.length], [true, 1]);
    assert.match(host.reasons[0], /production\.hosts/);
    const byName = planApply(ctx({ host: { alias: 'prod', hostName: 'AZAR2.cp.lsst.org' } }), 'salkafka-m2').production;
    assert.equal(byName.production, true);
    const part = planApply(ctx({ production: { hosts: [], partitions: ['summit'] } }), 'salkafka-m2').production;
    assert.equal(part.production, true);
    assert.match(part.reasons[0], /summit/);
  });

  it('warns that up -d starts a stopped producer', () => {
    const p = planAddCsc(ctx(), 'salkafka-eas', 'ESS:3');
    assert.match(p.warnings.join('\n'), /salkafka-eas is exited now: docker-compose up -d will START it/);
  });

  it('lifecycle: restart/stop/start commands, refusals, and start of a never-created service', () => {
    assert.deepEqual(planLifecycle(ctx(), 'restart', 'salkafka-m2').commands[0].argv.slice(-4), ['restart', '-t', '30', 'salkafka-m2']);
    const stop = planLifecycle(ctx(), 'stop', 'salkafka-m2');
    assert.deepEqual(stop.commands[0].argv.slice(-4), ['stop', '-t', '30', 'salkafka-m2']);
    assert.equal(stop.verify.state, 'stopped');
    assert.match(stop.warnings.join(), /NO data for MTRotator MTHexapod MTM2/);
    assert.deepEqual(planLifecycle(ctx(), 'start', 'salkafka-eas').commands[0].argv.slice(-2), ['start', 'salkafka-eas']);
    const create = planLifecycle(ctx(), 'start', 'salkafka-m1m3');
    assert.deepEqual(create.commands[0].argv.slice(-4), ['up', '-d', '--no-deps', 'salkafka-m1m3']);
    assert.equal(create.verify.fileProducer, true);
    assert.throws(() => planLifecycle(ctx(), 'stop', 'salkafka-eas'), OpsRefusedError);
    assert.throws(() => planLifecycle(ctx(), 'start', 'salkafka-m2'), OpsRefusedError);
    assert.throws(() => planLifecycle(ctx(), 'restart', 'salkafka-m1m3'), OpsRefusedError);
  });

  it('rejects hostile service names before building any command', () => {
    for (const h of HOSTILE) {
      for (const fn of [() => planApply(ctx(), h), () => planLifecycle(ctx(), 'restart', h), () => planAddCsc(ctx(), h, 'MTDome')]) {
        assert.throws(fn, (e: unknown) => e instanceof OpsRefusedError && e.code === 'invalid-name');
      }
    }
  });

  it('rollback: exact backup bytes, only changed and running producers are recreated', () => {
    const current = Buffer.from(planAddCsc(ctx(), 'salkafka-m2', 'MTDome').files[0].newText);
    // A backup with a byte that is not valid UTF-8 in a comment must come back exactly.
    const backupBytes = Buffer.concat([Buffer.from(COMPOSE), Buffer.from([0x23, 0xff, 0x0a])]);
    const p = planRollback(ctx({ composeContent: current }), { path: `${DIR}/x.bak`, content: backupBytes, takenAt: new Date('2026-11-24T22:00:00Z') });
    assert.ok(p.files[0].newContent.equals(backupBytes));
    assert.equal(p.files[0].newSha256, sha256Hex(backupBytes));
    assert.equal(p.service, 'salkafka-m2');
    assert.deepEqual(p.commands[0].argv.slice(-1), ['salkafka-m2']);
    assert.deepEqual(p.cscListAfter, ['MTRotator', 'MTHexapod', 'MTM2']);
    const eas = Buffer.from(planAddCsc(ctx(), 'salkafka-eas', 'ESS:3').files[0].newText);
    const q = planRollback(ctx({ composeContent: eas }), { path: `${DIR}/y.bak`, content: Buffer.from(COMPOSE), takenAt: new Date() });
    assert.equal(q.commands.filter((c) => c.role === 'change').length, 0);
    assert.match(q.warnings.join(), /salkafka-eas changes too but its container is exited/);
    assert.equal(q.verify.state, 'skip');
    assert.throws(() => planRollback(ctx(), { path: 'z', content: Buffer.from(COMPOSE), takenAt: new Date() }), /nothing to roll back/);
  });

  it('changedServices ignores comments outside services', () => {
    const r = changedServices(COMPOSE, COMPOSE.replace('# kafka_writers', '# KAFKA'));
    assert.deepEqual(r, { changed: [], removed: [] });
  });

  it('display quotes only what needs quoting', () => {
    assert.equal(displayCommand(['docker', 'exec', 'c', 'sh', '-c', 'echo $1', 'x y']), `docker exec c sh -c 'echo $1' 'x y'`);
    assert.equal(displayCommand(['ls'], '/a b'), `cd '/a b' && ls`);
  });
});
