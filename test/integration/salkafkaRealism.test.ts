// ts_salkafka as operators rely on it, on the REAL test host: the readiness file seen through the
// Docker client, the SIGTERM shutdown that takes time and must end with "Done" (the plan's grace
// lets it; a shorter one would SIGKILL it, shown beside for contrast), --file partial producers
// and the script name of ts_salkafka >= 1.10.
import { strict as assert } from 'assert';
import * as os from 'os';
import { hostOrSkip, Connections } from './support';
import type { TestHost } from './support';
import { containerLogs, hostExec, resetTestHost, setLoad, shellQuote, waitForLogLine } from './testHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { defaultCatalogue } from '../../src/core/catalogue/defaultCatalogue';
import { loadPlanContext } from '../../src/core/ops/context';
import type { OpsSettings } from '../../src/core/ops/context';
import { planLifecycle } from '../../src/core/ops/plan';
import { executePlan } from '../../src/core/ops/pipeline';
import { auditLogPath } from '../../src/core/ops/audit';
import { probeReadiness } from '../../src/core/ops/readiness';
import { verifyProducer } from '../../src/core/ops/verify';

const SHUTDOWN_S = 12; // longer than Docker's default 10 s stop timeout

describe('ts_salkafka behaviour on the test host (readiness file, SIGTERM grace, --file)', function () {
  this.timeout(240_000);
  let h: TestHost;
  let conn: HostConnection;
  const conns = new Connections();
  let settings: OpsSettings;

  before(async function () {
    h = await hostOrSkip(this, 'ts_salkafka realism tests');
    await resetTestHost();
    conn = await conns.connect(h);
    settings = { composePath: h.composeFile, production: { hosts: [], partitions: [] }, verifyTimeoutSeconds: 40, dryRun: false, enableHotAdd: false };
  });

  after(async function () {
    conns.closeAll();
    await hostExec('docker rm -f salkafka-filetest >/dev/null 2>&1 || true');
    if (h) await resetTestHost();
  });

  const state = async (name: string) =>
    ((await conn.docker().getContainer(name).inspect()) as unknown as { State: { Running: boolean; ExitCode: number; StartedAt: string } }).State;
  const run = (plan: Parameters<typeof executePlan>[0]) =>
    executePlan(plan, conn, { dryRun: false, auditPath: auditLogPath(h.composeFile), who: { localUser: os.userInfo().username, remoteUser: h.user }, verifyTimeoutSeconds: 40 });
  /** The log lines after the last "Shutting down" (the shutdown's own lines). */
  const afterLastShutdown = (log: string) => {
    const lines = log.split('\n');
    const i = lines.map((l) => / INFO:salkafka:Shutting down$/.test(l)).lastIndexOf(true);
    assert.ok(i >= 0, `no "Shutting down" in the log:\n${lines.slice(-5).join('\n')}`);
    return lines.slice(i + 1);
  };

  it('verification reports the readiness file the producer wrote, looked up inside the container', async () => {
    const ls = await hostExec('docker exec salkafka-m2 ls /tmp');
    assert.match(ls.stdout, /^SALKAFKA_PRODUCER_RUNNING$/m);
    const report = await verifyProducer(conn.docker(), { container: 'salkafka-m2', expect: { state: 'running', restarted: 'either', cscs: ['MTRotator'], fileProducer: false }, settleSeconds: 0 }, { timeoutSeconds: 20 });
    const rd = report.checks.find((c) => c.name === 'readiness file');
    assert.equal(rd?.status, 'pass', JSON.stringify(report.checks));
    assert.match(rd!.detail, /\/tmp\/SALKAFKA_PRODUCER_RUNNING present/);
    // A suffix the producer was not started with names a file that is not there.
    assert.deepEqual(await probeReadiness(conn.docker(), 'salkafka-at', ['SALKAFKA_SEMAPHORE_SUFFIX=nope']), { path: '/tmp/SALKAFKA_PRODUCER_RUNNING_NOPE', present: false });
  });

  it(`Stop gives the producer its grace: a ${SHUTDOWN_S} s shutdown ends with "Done", exit code 0, never SIGKILLed`, async () => {
    await setLoad('salkafka-m2', [`shutdown ${SHUTDOWN_S}`]);
    const plan = planLifecycle(await loadPlanContext(conn, settings, defaultCatalogue()), 'stop', 'salkafka-m2');
    assert.match(plan.commands[0].display, / stop -t 30 salkafka-m2$/);
    const t0 = Date.now();
    const out = await run(plan);
    assert.ok(out.ok, `${out.result.status} ${out.result.error ?? ''}`);
    assert.ok(Date.now() - t0 >= SHUTDOWN_S * 1000, 'the stop waited for the shutdown');
    const st = await state('salkafka-m2');
    assert.equal(st.Running, false);
    assert.equal(st.ExitCode, 0, 'exit 0 from the producer itself, not 137 (SIGKILL)');
    const tail = afterLastShutdown(await containerLogs('salkafka-m2'));
    assert.match(tail.join('\n'), /^seq=\d+ INFO:salkafka:Done$/m);
  });

  it('Restart does the same: the old run logs "Done" before the new run starts', async () => {
    await hostExec('docker start salkafka-m2');
    await waitForLogLine('salkafka-m2', /INFO:salkafka:Running$/, 30_000);
    await setLoad('salkafka-m2', [`shutdown ${SHUTDOWN_S}`]);
    const out = await run(planLifecycle(await loadPlanContext(conn, settings, defaultCatalogue()), 'restart', 'salkafka-m2'));
    assert.ok(out.ok, `${out.result.status} ${out.result.error ?? ''} ${out.verify?.summary ?? ''}`);
    assert.equal(out.verify?.checks.find((c) => c.name === 'readiness file')?.status, 'pass');
    const log = (await containerLogs('salkafka-m2')).split('\n');
    const done = log.map((l) => / INFO:salkafka:Done$/.test(l)).lastIndexOf(true);
    const start = log.map((l) => /^seq=1 INFO:salkafka:Creating producers$/.test(l)).lastIndexOf(true);
    assert.ok(done >= 0 && start > done, `"Done" (line ${done}) must precede the new run (line ${start})`);
  });

  it('contrast: a stop timeout shorter than the shutdown SIGKILLs the producer before "Done" (what the grace prevents)', async () => {
    await setLoad('salkafka-m2', [`shutdown ${SHUTDOWN_S}`]);
    await waitForLogLine('salkafka-m2', /INFO:salkafka:Running$/, 30_000);
    const r = await hostExec('docker stop -t 2 salkafka-m2');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await state('salkafka-m2')).ExitCode, 137);
    assert.doesNotMatch(afterLastShutdown(await containerLogs('salkafka-m2')).join('\n'), /INFO:salkafka:Done/);
    await setLoad('salkafka-m2', []);
  });

  it('a --file producer (script run_salkafka_producer, as since 1.10) runs partial producers and writes the suffixed readiness file', async () => {
    const yaml = 'component: MTM1M3\nqueue_len: 1000\ntopic_sets:\n- events:\n    - logMessage\n- telemetry:\n    - forceActuatorData\n- telemetry:\n    - imsData\n';
    const script = `printf '%s' "$TOPICS" >/tmp/m1m3.yaml && exec run_salkafka_producer --broker k:9094 --registry http://r:8081 --username ts-salkafka --password "$TS_SALKAFKA_PASSWORD" --file /tmp/m1m3.yaml`;
    const r = await hostExec(
      `docker run -d --name salkafka-filetest --network none -e SALKAFKA_SEMAPHORE_SUFFIX=m1m3 -e TS_SALKAFKA_PASSWORD=secret ` +
        `-e ${shellQuote(`TOPICS=${yaml}`)} ${h.image} sh -c ${shellQuote(script)}`,
    );
    assert.equal(r.code, 0, r.stderr);
    await waitForLogLine('salkafka-filetest', /Partial producers are all running$/, 30_000);
    const log = await containerLogs('salkafka-filetest');
    for (const i of [0, 1, 2]) assert.match(log, new RegExp(`INFO:salkafka:Partial producer ${i} running$`, 'm'));
    const probe = await probeReadiness(conn.docker(), 'salkafka-filetest', ['SALKAFKA_SEMAPHORE_SUFFIX=m1m3']);
    assert.deepEqual(probe, { path: '/tmp/SALKAFKA_PRODUCER_RUNNING_M1M3', present: true });
    const stop = await hostExec('docker stop -t 30 salkafka-filetest');
    assert.equal(stop.code, 0);
    const after = await containerLogs('salkafka-filetest');
    assert.match(after, /Shutting down partial producers\n(.*\n)*seq=\d+ INFO:salkafka:Partial producer 2 done\nseq=\d+ Done\n$/);
  });
});
