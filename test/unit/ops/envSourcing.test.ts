// The pipeline's compose commands run with the env files operators source: argv/display of the
// plans, the refusals, and the fixed wrapper script run by the real /bin/sh (through the same
// quoting the Host's exec uses).
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ENV_SOURCE_FAILED, ENV_WRAPPER_SCRIPT, sourcedArgv } from '../../../src/core/ops/envSourcing';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import { planAddCsc, planApply, planLifecycle, planRollback } from '../../../src/core/ops/plan';
import { shellCommand } from '../../../src/core/remote/shellQuote';
import { COMPOSE, COMPOSE_PATH, ctx, VARIABLES } from './fixtures';

const DIR = '/deploy-lsst/docker-compose-ops/kafka_writers';
const SOURCED = [
  { path: '/deploy-lsst/docker-compose-ops/setup.env', name: 'setup.env' },
  { path: '/deploy-lsst/docker-compose-ops/setup_kp.env', name: 'setup_kp.env' },
];
const refused = (code: string) => (e: unknown) => e instanceof OpsRefusedError && e.code === code;

describe('compose commands source the env files', () => {
  it('add CSC: argv sources each file (fixed script, paths as arguments), display and by-hand line say so', () => {
    const p = planAddCsc(ctx({ sourcedEnvFiles: SOURCED }), 'salkafka-m2', 'MTDome');
    const up = p.commands[0];
    assert.deepEqual(up.argv, [
      'sh', '-c', ENV_WRAPPER_SCRIPT, 'salkafka-env', SOURCED[0].path, SOURCED[1].path, '--',
      'docker-compose', '-f', COMPOSE_PATH, '--ansi', 'never', 'up', '-d', '--no-deps', '-t', '30', 'salkafka-m2',
    ]);
    assert.equal(up.cwd, DIR);
    assert.equal(up.display, `docker-compose -f ${COMPOSE_PATH} --ansi never up -d --no-deps -t 30 salkafka-m2 (with setup.env, setup_kp.env sourced from /deploy-lsst/docker-compose-ops/)`);
    assert.match(p.rollback.join('\n'), /&& set -a && \. \/deploy-lsst\/docker-compose-ops\/setup\.env && \. \/deploy-lsst\/docker-compose-ops\/setup_kp\.env && set \+a && cd \/deploy-lsst\/docker-compose-ops\/kafka_writers && docker-compose .* up -d --no-deps -t 30 salkafka-m2$/);
  });

  it('stop / start / restart / rollback source them too; no files: the plain argv as before', () => {
    const c = ctx({ sourcedEnvFiles: SOURCED });
    for (const p of [planLifecycle(c, 'stop', 'salkafka-m2'), planLifecycle(c, 'restart', 'salkafka-m2'), planLifecycle(c, 'start', 'salkafka-eas')]) {
      assert.deepEqual(p.commands[0].argv.slice(0, 7), ['sh', '-c', ENV_WRAPPER_SCRIPT, 'salkafka-env', SOURCED[0].path, SOURCED[1].path, '--']);
      assert.match(p.commands[0].display, /sourced from \/deploy-lsst\/docker-compose-ops\/\)$/);
    }
    assert.match(planLifecycle(c, 'stop', 'salkafka-m2').rollback[0], /^Start it again: set -a && \. \/deploy-lsst\/.*setup_kp\.env && set \+a && cd .* start salkafka-m2$/);
    const edited = Buffer.from(COMPOSE.replace('MTRotator MTHexapod MTM2', 'MTRotator MTM2'));
    const rb = planRollback(c, { path: `${DIR}/x.bak`, content: edited, takenAt: new Date() });
    assert.equal(rb.commands[0].argv[0], 'sh');
    assert.deepEqual(rb.commands[0].argv.slice(-1), ['salkafka-m2']);
    assert.equal(planApply(ctx(), 'salkafka-m2').commands[0].argv[0], 'docker-compose');
  });

  it('refuses a plan that creates a container when a file the header names is missing on the host', () => {
    const missing = [{ name: 'setup_kp.env', searched: [DIR, '/deploy-lsst/docker-compose-ops'] }];
    const c = ctx({ sourcedEnvFiles: SOURCED.slice(0, 1), missingEnvFiles: missing });
    assert.throws(() => planAddCsc(c, 'salkafka-m2', 'MTDome'), (e: unknown) => refused('env-file-missing')(e) && /needs setup_kp\.env, which is not on the host .*Nothing was changed/.test((e as Error).message));
    assert.throws(() => planApply(c, 'salkafka-m2'), refused('env-file-missing'));
    assert.throws(() => planLifecycle(c, 'start', 'salkafka-m1m3'), refused('env-file-missing'), 'start of a container not created runs up');
    // Stopping stays possible (the container's env is not re-read), with a warning.
    assert.match(planLifecycle(c, 'stop', 'salkafka-m2').warnings.join('\n'), /setup_kp\.env .* not on the host/);
  });

  it('refuses blanks: an image tag that comes out empty, an unset LSST_DDS_DOMAIN_ID reference', () => {
    assert.throws(
      () => planAddCsc(ctx({ variables: { ...VARIABLES, CYCLE: '' } }), 'salkafka-m2', 'MTDome'),
      (e: unknown) => refused('env-unset')(e) && /empty tag/.test((e as Error).message),
    );
    const { LSST_DDS_DOMAIN_ID: _unused, ...noDomain } = VARIABLES;
    assert.throws(
      () => planApply(ctx({ variables: noDomain }), 'salkafka-m2'),
      (e: unknown) => refused('env-unset')(e) && /LSST_DDS_DOMAIN_ID=\$\{LSST_DDS_DOMAIN_ID\} uses \$\{LSST_DDS_DOMAIN_ID\}, which is unset/.test((e as Error).message),
    );
    // Other producers' blanks do not block this one.
    assert.doesNotThrow(() => planAddCsc(ctx({ variables: { ...VARIABLES, VAR_LIST: undefined as unknown as string } }), 'salkafka-m2', 'MTDome'));
  });
});

describe('the env wrapper script under the real /bin/sh', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-env-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // Exactly what the Host's exec sends: shellCommand(argv, cwd), run by a login shell.
  const run = (argv: string[]) => spawnSync('sh', ['-c', shellCommand(argv, dir)], { encoding: 'utf8' });

  it('exports what the files set (later wins), values never become script text, then execs the command', () => {
    const hostile = path.join(dir, `set'up $(touch pwned) ;.env`);
    fs.writeFileSync(hostile, 'CYCLE_AUXTEL=c0039.000\nexport DOMAINID_AUXTEL=21\nTRICKY="a;b $(echo no)"\n');
    fs.writeFileSync(path.join(dir, 'kp.env'), 'DOMAINID_AUXTEL=22\nLSST_DDS_DOMAIN_ID=$DOMAINID_AUXTEL\n');
    const r = run(sourcedArgv([{ path: hostile, name: 'a' }, { path: path.join(dir, 'kp.env'), name: 'b' }], ['env']));
    assert.equal(r.status, 0, r.stderr);
    const env = new Map(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(env.get('CYCLE_AUXTEL'), 'c0039.000');
    assert.equal(env.get('DOMAINID_AUXTEL'), '22');
    assert.equal(env.get('LSST_DDS_DOMAIN_ID'), '22');
    assert.equal(env.get('TRICKY'), 'a;b no', 'the file is sourced as sh would (operators do the same)');
    assert.equal(fs.existsSync(path.join(dir, 'pwned')), false, 'the path is an argument, never script text');
  });

  it('a missing, relative or broken file stops with the wrapper exit code before the command runs', () => {
    fs.writeFileSync(path.join(dir, 'broken.env'), 'A=1\nif then fi (\n');
    fs.writeFileSync(path.join(dir, 'false.env'), 'A=1\nfalse\n');
    const marker = path.join(dir, 'ran');
    for (const [file, message] of [
      [path.join(dir, 'nope.env'), /cannot read env file/],
      [path.join(dir, 'broken.env'), /is not valid sh/],
      [path.join(dir, 'false.env'), /sourcing .* failed/],
    ] as const) {
      const r = run(sourcedArgv([{ path: file, name: 'x' }], ['touch', marker]));
      assert.equal(r.status, ENV_SOURCE_FAILED, `${file}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(fs.existsSync(marker), false);
    }
    const rel = spawnSync('sh', ['-c', ENV_WRAPPER_SCRIPT, 'salkafka-env', 'setup.env', '--', 'touch', marker], { cwd: dir, encoding: 'utf8' });
    assert.equal(rel.status, ENV_SOURCE_FAILED);
    assert.match(rel.stderr, /not an absolute path/);
    assert.throws(() => sourcedArgv([{ path: 'setup.env', name: 'setup.env' }], ['true']), /absolute/);
    assert.equal(fs.existsSync(marker), false);
    // The exit status of the command itself comes through.
    assert.equal(execFileSync('sh', ['-c', `${shellCommand(sourcedArgv([{ path: path.join(dir, 'kp.env'), name: 'kp' }], ['sh', '-c', 'exit 0']))}; echo $?`], { encoding: 'utf8' }).trim(), '0');
  });
});
