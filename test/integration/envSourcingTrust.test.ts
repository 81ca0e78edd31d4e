// Issue 13, reproducer 1, on the real test host through BOTH transports (the shared sshd as the
// SSH user, and the local transport as this process's user): the change pipeline sources only what
// operators source. A header that lists an env_file: (`SASL_PASSWORD=s3cr3t;touch X`), an absolute
// path, a path out of the tree and a URL; a setup.env in a world-writable directory above a
// deployment without .git. And the reads the pipeline makes of the host (compose file, audit log)
// are bounded: a FIFO or /dev/zero there is refused at once. Private directories only.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultCatalogue } from '../../src/core/catalogue/defaultCatalogue';
import { AUDIT_LOG_MAX_BYTES, BoundedReadError } from '../../src/core/files/boundedRead';
import type { Host } from '../../src/core/host/host';
import { LocalHost } from '../../src/core/host/local/localHost';
import { loadPlanContext } from '../../src/core/ops/context';
import type { OpsSettings } from '../../src/core/ops/context';
import { executePlan } from '../../src/core/ops/pipeline';
import { planLifecycle } from '../../src/core/ops/plan';
import { userIds } from './privateDirs';
import { Connections, hostOrSkip } from './support';
import type { TestHost } from './support';

const SERVICE = 'salkafka-trust13';

const composeText = (header: string, image: string) => `# Using this file requires the following environment files
${header}
#
# Do NOT source producer.env: it is the env_file of ${SERVICE} (see ../../../tmp/other.env too).
version: "3.7"

services:
  ${SERVICE}:
    image: ${image}
    container_name: ${SERVICE}
    network_mode: none
    env_file:
      - producer.env
    environment:
      - LSST_DDS_DOMAIN_ID=\${DOMAIN_TRUST}
      - CSC_LIST=MTRotator
      - BROKER_IP=127.0.0.1
      - BROKER_PORT=9094
      - REGISTRY_ADDR=http://127.0.0.1:8081
      - PARTITIONS=1
      - REPLICATION=3
      - LOG_LEVEL=20
      - WAIT_ACK=1
      - SIM_PERIOD=1
    command: sh -c "sleep 600"
`;

for (const name of ['ssh', 'local'] as const) {
  describe(`what the change pipeline sources, and bounded host reads (issue 13) — ${name} transport`, function () {
    this.timeout(120_000);
    let h: TestHost;
    const conns = new Connections();
    let host: Host;
    let owner: { uid: number; gid: number };
    let root: string;
    const settings = (composePath: string): OpsSettings => ({
      composePath,
      envFiles: ['setup.env', '/etc/profile', '../../../../tmp/x.env'],
      production: { hosts: [], partitions: [] },
      verifyTimeoutSeconds: 20,
      dryRun: false,
      enableHotAdd: false,
    });

    before(async function () {
      h = await hostOrSkip(this, 'env sourcing trust tests');
      host = name === 'ssh' ? await conns.connect(h) : new LocalHost('azar2-test', { dockerSocketPath: h.dockerSocket });
      if (name === 'local') await host.connect();
      owner = name === 'ssh' ? userIds(h.user) : { uid: process.getuid!(), gid: process.getgid!() };
    });
    beforeEach(() => {
      // Like /tmp: anyone may create files here (sticky, world-writable), root's.
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-ww13-'));
      fs.chmodSync(root, 0o1777);
    });
    afterEach(() => {
      try {
        execFileSync('docker', ['rm', '-f', SERVICE], { stdio: 'ignore' });
      } catch {
        /* not created */
      }
      fs.rmSync(root, { recursive: true, force: true });
    });
    after(() => {
      conns.closeAll();
      if (name === 'local') host?.dispose();
    });

    /** root/deploy/{setup.env, kafka_writers/{docker-compose.yaml, producer.env}}, owned by the transport's user; no .git. */
    const layout = (header: string): { compose: string; marker: string } => {
      const deploy = path.join(root, 'deploy');
      const dir = path.join(deploy, 'kafka_writers');
      fs.mkdirSync(dir, { recursive: true });
      const marker = path.join(root, 'deploy', 'TOUCHED');
      fs.writeFileSync(path.join(deploy, 'setup.env'), `IMAGE_TRUST=${h.image}\nDOMAIN_TRUST=31\n`);
      fs.writeFileSync(path.join(dir, 'producer.env'), `SASL_PASSWORD=s3cr3t;touch ${marker}\n`);
      // Its own compose project: never the shared test host's kafka_writers project.
      fs.writeFileSync(path.join(dir, '.env'), 'COMPOSE_PROJECT_NAME=salkafkatrust13\n');
      fs.writeFileSync(path.join(root, 'evil.env'), `DOMAIN_TRUST=0;touch ${marker}\n`);
      const compose = path.join(dir, 'docker-compose.yaml');
      fs.writeFileSync(compose, composeText(header, '${IMAGE_TRUST}'));
      for (const p of [deploy, dir, path.join(deploy, 'setup.env'), path.join(dir, 'producer.env'), path.join(dir, '.env'), compose]) fs.chownSync(p, owner.uid, owner.gid);
      return { compose, marker };
    };

    it('sources the header list and setup.env only: never an env_file:, an absolute path, a path out of the tree or a URL', async () => {
      const { compose, marker } = layout(
        ['# - ../setup.env', '# - producer.env', `# - ${path.join(root, 'evil.env')}`, '# - ../../evil.env', '# - https://github.com/lsst-it/docker-compose-ops/blob/main/summit/setup.env'].join('\n'),
      );
      const ctx = await loadPlanContext(host, settings(compose), defaultCatalogue());
      assert.deepEqual(ctx.sourcedEnvFiles, [{ path: path.join(root, 'deploy', 'setup.env'), name: '../setup.env' }]);
      // A URL is not a file, so it is not "missing": the plan is not refused for it.
      assert.deepEqual(ctx.missingEnvFiles, []);
      assert.equal(ctx.variables?.SASL_PASSWORD, undefined);
      assert.equal(ctx.variables?.DOMAIN_TRUST, '31');
      const plan = planLifecycle(ctx, 'start', SERVICE);
      assert.match(plan.commands[0].display, /\(with setup\.env sourced from .*\/deploy\/\)$/);
      const out = await executePlan(plan, host, {
        dryRun: false,
        auditPath: path.join(path.dirname(compose), 'salkafka-audit.jsonl'),
        who: { localUser: 'test', remoteUser: 'test' },
        verifyTimeoutSeconds: 1,
        settleSeconds: 0,
      });
      assert.equal(out.result.steps.at(-1)?.exitCode, 0, out.result.hostState + out.result.steps.map((s) => s.outputTail).join('\n'));
      assert.equal(fs.existsSync(marker), false, 'a file that is not sourced by operators ran as shell code');
      const env = JSON.parse(execFileSync('docker', ['inspect', '--format', '{{json .Config.Env}}', SERVICE], { encoding: 'utf8' })) as string[];
      assert.ok(env.includes('LSST_DDS_DOMAIN_ID=31'), env.join(' '));
      // docker-compose itself still reads the env_file as data: the value arrives verbatim.
      assert.ok(env.includes(`SASL_PASSWORD=s3cr3t;touch ${marker}`), env.join(' '));
    });

    it('without .git, a setup.env in a world-writable directory above the deployment is never sourced', async () => {
      const { compose } = layout('# - ../setup.env');
      fs.writeFileSync(path.join(root, 'setup.env'), 'PLANTED_TRUST=yes\n');
      fs.rmSync(path.join(root, 'deploy', 'setup.env'));
      const ctx = await loadPlanContext(host, { ...settings(compose), envFiles: ['setup.env'] }, defaultCatalogue());
      assert.equal(ctx.variables?.PLANTED_TRUST, undefined, `${root}/setup.env, which anyone can create, was sourced`);
      assert.deepEqual(ctx.sourcedEnvFiles, []);
    });

    it('a compose file that is a FIFO or a link to /dev/zero: the plan context is refused at once, nothing hangs', async () => {
      const dir = path.join(root, 'deploy');
      fs.mkdirSync(dir);
      const fifo = path.join(dir, 'docker-compose.yaml');
      execFileSync('mkfifo', [fifo]);
      fs.chownSync(fifo, owner.uid, owner.gid);
      let t0 = Date.now();
      await assert.rejects(loadPlanContext(host, settings(fifo), defaultCatalogue()), (e: unknown) => e instanceof BoundedReadError && /FIFO|not a regular file/.test((e as Error).message));
      assert.ok(Date.now() - t0 < 5000);
      const zero = path.join(dir, 'zero.yaml');
      fs.symlinkSync('/dev/zero', zero);
      t0 = Date.now();
      await assert.rejects(loadPlanContext(host, settings(zero), defaultCatalogue()), BoundedReadError);
      assert.ok(Date.now() - t0 < 5000);
      // The audit log as Show Audit Log reads it: bounded the same way.
      await assert.rejects(host.files.readFileBounded(zero, AUDIT_LOG_MAX_BYTES), /not a regular file/);
      const big = path.join(dir, 'salkafka-audit.jsonl');
      fs.writeFileSync(big, '');
      fs.truncateSync(big, AUDIT_LOG_MAX_BYTES + 1);
      await assert.rejects(host.files.readFileBounded(big, AUDIT_LOG_MAX_BYTES), /larger than 16 MiB/);
    });
  });
}
