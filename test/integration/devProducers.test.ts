// Development producers on the REAL local test host (test/host/up.sh): the plan of
// core/devProducers written over SFTP, started with docker-compose over SSH, verified with the
// producer's own logs; the simulator honours LSST_DDS_DOMAIN_ID (MTM2 runs on domain 7 there,
// shared-memory producers need their domain's daemon). Taken down again to the byte.
import { strict as assert } from 'assert';
import * as posix from 'node:path/posix';
import { hostOrSkip, Connections } from './support';
import type { TestHost } from './support';
import { resetTestHost } from './testHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { parseCompose } from '../../src/core/compose/parseCompose';
import { buildComposeArgv, detectCompose } from '../../src/core/docker/composeRunner';
import { planDevProducer, type DevRequest, type ParsedComposeFile } from '../../src/core/devProducers/provision';
import { planTakeDown } from '../../src/core/devProducers/takeDown';
import { verifyProducer } from '../../src/core/ops/verify';

describe('development producers on the test host (DDS domains)', function () {
  this.timeout(240_000);
  let h: TestHost;
  let conn: HostConnection;
  const conns = new Connections();
  let vars: Record<string, string>;
  const dir = () => posix.dirname(h.composeFile);

  before(async function () {
    h = await hostOrSkip(this, 'development producer integration tests');
    await resetTestHost();
    conn = await conns.connect(h);
    const env = (await conn.files.readFile(posix.join(dir(), '.env'))).content.toString('utf8');
    vars = Object.fromEntries([...env.matchAll(/^(\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  });

  after(async function () {
    conns.closeAll();
    if (h) await resetTestHost();
  });

  const readFiles = async (): Promise<{ files: ParsedComposeFile[]; bytes: Map<string, string> }> => {
    const names = (await conn.exec(['ls', '-1', dir()])).stdout.split('\n').filter((n) => /^docker-compose.*\.ya?ml$/.test(n));
    const files: ParsedComposeFile[] = [];
    for (const n of names) {
      const path = posix.join(dir(), n);
      const text = (await conn.files.readFile(path)).content.toString('utf8');
      files.push({ path, text, model: parseCompose(text, { variables: vars }) });
    }
    return { files, bytes: new Map(files.map((f) => [f.path, f.text])) };
  };
  const compose = async (file: string, sub: 'up' | 'rm', services: string[], flags: string[] = []) => {
    const argv = buildComposeArgv(await detectCompose(conn), file, sub, { services, flags });
    const r = await conn.exec(['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', dir(), ...argv]);
    assert.equal(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
  };
  const request = (over: Partial<DevRequest>): DevRequest => ({ domainId: 7, cscs: ['MTM2'], purpose: 'mtm2', owner: 'tester', expires: '2099-12-31', target: 'own-file', opensplice: 'shared-memory', ...over });

  /** Plan, write, up, verify; then take down and check the files are as before and no container is left. */
  async function roundTrip(req: DevRequest, opts: { skipDaemon?: boolean } = {}) {
    const before = await readFiles();
    const plan = planDevProducer(req, before.files, h.composeFile);
    let text = plan.file.after!;
    if (opts.skipDaemon) {
      // The daemon the plan asks for is left out, as a hand-written file would.
      const parsed = parseCompose(text, { variables: vars });
      const { removeServices } = await import('../../src/core/devProducers/takeDown');
      text = removeServices(text, parsed.services.filter((s) => s.name.startsWith('ospl-daemon'))).replace(/\n {4}depends_on:\n {6}- ospl-daemon-domain-\d+/, '');
    }
    await conn.files.writeFileAtomic(plan.file.path, text);
    const start = new Date(Date.now() - 1000);
    await compose(plan.file.path, 'up', [plan.service], ['-d']);
    const report = await verifyProducer(conn.docker(), { container: plan.container, expect: { state: 'running', restarted: 'yes', cscs: req.cscs, fileProducer: false, samples: true }, actionStart: start, before: {} }, { timeoutSeconds: 40 });
    // Take down: stop with grace, remove containers, then the file.
    const now = await readFiles();
    const down = planTakeDown(now.files, plan.file.path, plan.service, 10);
    for (const c of down.commands) {
      const r = await conn.exec(c.split(' '));
      assert.equal(r.code, 0, `${c}: ${r.stderr}`);
    }
    if (down.file.kind === 'delete') await conn.files.unlink(down.file.path);
    else await conn.files.writeFileAtomic(down.file.path, down.file.after!);
    const after = await readFiles();
    assert.deepEqual(after.bytes, before.bytes, 'compose files byte-identical after the take-down');
    const left = (await conn.exec(['docker', 'ps', '-a', '--format', '{{.Names}}'])).stdout.split('\n');
    for (const c of down.containers) assert.ok(!left.includes(c), `${c} left behind`);
    return { plan, report };
  }

  it('MTM2 on domain 7 in its own file, with its planned daemon: verifies PASS (samples counted), taken down to the byte', async () => {
    const { plan, report } = await roundTrip(request({}));
    assert.equal(plan.daemon?.state, 'planned');
    assert.equal(plan.daemon?.image, 'ospl-daemon-sim:test');
    assert.ok(report.ok, `${report.summary}\n${JSON.stringify(report.checks, null, 1)}`);
    assert.ok(report.checks.some((c) => c.name === 'MTM2 samples' && c.status === 'pass'));
  });

  it('on domain 8 (MTM2 runs on 7): fails, naming the domain', async () => {
    const { report } = await roundTrip(request({ domainId: 8, purpose: 'wrongdomain' }));
    assert.equal(report.ok, false);
    assert.match(report.summary, /MTM2 samples — no samples of MTM2 \(wrote 0 messages\): MTM2 is not running on DDS domain 8/);
  });

  it('without the domain\'s daemon: fails, naming the daemon it needs', async () => {
    const { report } = await roundTrip(request({ purpose: 'nodaemon' }), { skipDaemon: true });
    assert.equal(report.ok, false);
    assert.match(report.summary, /could not create its DDS participant on domain 7: .*ospl-daemon-domain-007/);
  });
});
