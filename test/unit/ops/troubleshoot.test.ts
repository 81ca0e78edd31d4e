import { strict as assert } from 'assert';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { LogStreamParser } from '../../../src/core/logs/logStreamParser';
import { diagnose, endpoints, envOf, tcpCheckArgv } from '../../../src/core/ops/troubleshoot';
import type { InspectLike } from '../../../src/core/ops/verify';
import { execFileSync } from 'child_process';

const parse = (raw: string[]) => {
  const p = new LogStreamParser();
  return raw.map((l) => p.parse(l));
};
const ENV = ['LSST_DDS_DOMAIN_ID=12', 'LSST_DDS_PARTITION_PREFIX=summit', 'BROKER_IP=127.0.0.1', 'BROKER_PORT=9094', 'REGISTRY_ADDR=http://127.0.0.1:8081', 'CSC_LIST=MTRotator MTDomeX'];
const running: InspectLike = { Id: 'a', RestartCount: 0, State: { Status: 'running', Running: true, StartedAt: '2026-11-24T23:50:01Z' }, Config: { Env: ENV } };

describe('troubleshoot', () => {
  it('restart loop caused by an unknown CSC: names the CSC, cross-checked with the catalogue', () => {
    const inspect: InspectLike = { ...running, RestartCount: 4, State: { Status: 'restarting', Running: true, Restarting: true, ExitCode: 1 } };
    const lines = parse(['2026-11-24T23:50:01.2Z seq=2 ERROR:salkafka.MTDomeX:Unknown SAL component MTDomeX: not in the SAL catalogue of this image']);
    const r = diagnose({ container: 'salkafka-m2', inspect, lines, cscList: ['MTRotator', 'MTDomeX'], catalogue: defaultCatalogue(), tcp: [] });
    assert.equal(r.findings[0].id, 'unknown-csc');
    assert.match(r.headline, /Unknown CSC: MTDomeX/);
    assert.match(r.findings[0].action, /did you mean MTDome/);
    assert.ok(r.findings.some((f) => f.id === 'restart-loop' && /4 time/.test(f.title)));
  });

  it('domain mismatch, and a producer on domain 0 on a dev host', () => {
    const r = diagnose({ container: 'c', inspect: running, lines: [], cscList: ['MTRotator'], expectedDomainId: '0', tcp: [] });
    assert.equal(r.findings[0].id, 'domain-mismatch');
    assert.match(r.findings[0].title, /LSST_DDS_DOMAIN_ID 12, you expect 0/);
    const zero: InspectLike = { ...running, Config: { Env: ['LSST_DDS_DOMAIN_ID=0'] } };
    const r2 = diagnose({ container: 'c', inspect: zero, lines: [], cscList: ['MTRotator'], productionExpected: false, tcp: [] });
    assert.equal(r2.findings[0].id, 'production-domain');
  });

  it('broker unreachable from the host, connection errors in the log, queue full, traceback', () => {
    const lines = parse([
      '2026-11-24T23:50:02Z ERROR:salkafka:KafkaError{code=_TRANSPORT,val=-195,str="Connection refused"}',
      '2026-11-24T23:50:03Z ERROR:salkafka.MTM2:position DDS read queue is full (100 elements); data may be lost',
      '2026-11-24T23:50:04Z Traceback (most recent call last):',
      '2026-11-24T23:50:04Z   File "x.py", line 3, in <module>',
      '2026-11-24T23:50:04Z ConnectionRefusedError: [Errno 111] Connection refused',
    ]);
    const r = diagnose({
      container: 'c',
      inspect: running,
      lines,
      cscList: ['MTRotator'],
      tcp: [{ what: 'broker', host: '127.0.0.1', port: 9094, ok: false, detail: 'Connection refused' }],
    });
    const ids = r.findings.map((f) => f.id);
    for (const id of ['broker-unreachable', 'connection-errors', 'queue-full', 'traceback']) assert.ok(ids.includes(id as never), `${id} in ${ids}`);
    assert.match(r.findings.find((f) => f.id === 'queue-full')!.title, /MTM2\.position/);
  });

  it('healthy producer, missing container', () => {
    assert.equal(diagnose({ container: 'c', inspect: running, lines: [], cscList: ['MTRotator'], catalogue: defaultCatalogue(), tcp: [] }).findings[0].id, 'healthy');
    assert.equal(diagnose({ container: 'c', lines: [], cscList: ['X'], tcp: [] }).findings[0].id, 'not-found');
  });

  it('endpoints come from the container env, junk is ignored; the TCP check passes host/port as arguments', () => {
    assert.deepEqual(endpoints(envOf(running)), [
      { what: 'broker', host: '127.0.0.1', port: 9094 },
      { what: 'registry', host: '127.0.0.1', port: 8081 },
    ]);
    assert.deepEqual(endpoints(new Map([['BROKER_IP', '$(id)'], ['BROKER_PORT', '1']])), []);
    const argv = tcpCheckArgv('127.0.0.1', 1);
    // Run the exact check locally against a closed port: bounded and failing, no output on stdout.
    let code = 0;
    try {
      execFileSync(argv[0], argv.slice(1), { stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    assert.notEqual(code, 0);
  });
});
