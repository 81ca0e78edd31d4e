import { strict as assert } from 'assert';
import { LogStreamParser } from '../../../src/core/logs/logStreamParser';
import type { VerifyExpectation } from '../../../src/core/ops/plan';
import { diagnose } from '../../../src/core/ops/troubleshoot';
import { evaluateVerification, summarize, type InspectLike, type VerifyInput } from '../../../src/core/ops/verify';

// Lines as the test host's simulator writes them for a development producer on domain 7.
const STARTED = '2026-12-03T11:50:01.000000000Z';
const ACTION = new Date('2026-12-03T11:50:00.500Z');
const env = (domain: string) => ({ Tty: false, Env: [`LSST_DDS_DOMAIN_ID=${domain}`, 'CSC_LIST=MTM2'] });
const running = (domain: string): InspectLike => ({ Id: 'c1', RestartCount: 0, State: { Status: 'running', Running: true, Restarting: false, StartedAt: STARTED }, Config: env(domain) });
const exited = (domain: string): InspectLike => ({ Id: 'c1', RestartCount: 0, State: { Status: 'exited', Running: false, Restarting: false, StartedAt: STARTED, FinishedAt: '2026-12-03T11:50:01.300000000Z', ExitCode: 1 }, Config: env(domain) });
const start = [
  '2026-12-03T11:50:01.010000000Z seq=1 INFO:salkafka:Creating producers',
  '2026-12-03T11:50:01.020000000Z seq=2 INFO:salkafka.MTM2:Created producer for MTM2: 4 topics',
  '2026-12-03T11:50:01.030000000Z seq=3 INFO:salkafka:Waiting for producers to start',
  '2026-12-03T11:50:01.040000000Z seq=4 INFO:salkafka:Running',
];
const parse = (raw: string[]) => {
  const p = new LogStreamParser();
  return raw.map((l) => p.parse(l));
};
const dev: VerifyExpectation = { state: 'running', restarted: 'yes', cscs: ['MTM2'], fileProducer: false, samples: true };
const input: VerifyInput = { container: 'salkafka-mtm2-dev', expect: dev, actionStart: ACTION, before: {} };
const at = (t: string) => Date.parse(t);

describe('verification of a development producer (DDS domain)', () => {
  it('passes once MTM2 samples are counted on the producer\'s domain', () => {
    const lines = parse([...start, '2026-12-03T11:50:11.000000000Z seq=5 INFO:salkafka.MTM2:wrote 40 messages']);
    const checks = evaluateVerification(running('7'), lines, input, { final: false, nowMs: at('2026-12-03T11:50:12Z') });
    const s = summarize(input.container, checks);
    assert.ok(s.ok, JSON.stringify(checks, null, 1));
    assert.equal(checks.find((c) => c.name === 'MTM2 samples')?.detail, 'wrote 40 messages');
  });

  it('waits for the first count; a count of 0 (MTM2 runs on another domain) fails for good, naming the domain', () => {
    const pending = evaluateVerification(running('8'), parse(start), input, { final: false, nowMs: at('2026-12-03T11:50:06Z') });
    assert.equal(pending.find((c) => c.name === 'MTM2 samples')?.status, 'pending');
    const none = evaluateVerification(running('8'), parse([...start, '2026-12-03T11:50:11.000000000Z seq=5 INFO:salkafka.MTM2:wrote 0 messages']), input, { final: false, nowMs: at('2026-12-03T11:50:12Z') });
    const s = summarize(input.container, none);
    assert.equal(s.ok, false);
    assert.match(s.summary, /^FAIL salkafka-mtm2-dev: MTM2 samples — no samples of MTM2 \(wrote 0 messages\): MTM2 is not running on DDS domain 8, where this producer runs/);
    assert.equal(none.find((c) => c.name === 'MTM2 samples')?.definitive, true);
  });

  it('a producer that logs no counts (a real one) is not failed for it: skipped with what to check', () => {
    const checks = evaluateVerification(running('7'), parse(start), input, { final: true, nowMs: at('2026-12-03T11:51:00Z'), timeoutSeconds: 60 });
    const c = checks.find((x) => x.name === 'MTM2 samples')!;
    assert.equal(c.status, 'skipped');
    assert.match(c.detail, /lsst\.sal\.MTM2\.\*/);
    assert.ok(summarize(input.container, checks).ok);
  });

  it('no daemon for a shared-memory producer: the exit is explained with the domain and the daemon it needs', () => {
    const lines = parse([
      '2026-12-03T11:50:01.010000000Z seq=1 Traceback (most recent call last):',
      '2026-12-03T11:50:01.011000000Z seq=2   File "/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/salobj/domain.py", line 153, in __init__',
      '2026-12-03T11:50:01.012000000Z seq=3     self.participant = dds.DomainParticipant(qos=participant_qos)',
      '2026-12-03T11:50:01.013000000Z seq=4 dds._errors.DDSException: Occurred upon initialisation of a dds.DomainParticipant',
    ]);
    const s = summarize(input.container, evaluateVerification(exited('7'), lines, input, { final: false, nowMs: at('2026-12-03T11:50:03Z') }));
    assert.equal(s.ok, false);
    assert.match(s.summary, /^FAIL salkafka-mtm2-dev: running — exited with exit code 1: the producer could not create its DDS participant on domain 7: with shared memory \(ipc: host\) it needs the OpenSplice daemon of domain 7 \(e\.g\. ospl-daemon-domain-007\)/);
  });

  it('Troubleshoot names the missing daemon of the domain first', () => {
    const lines = parse(['2026-12-03T11:50:01.013000000Z seq=4 dds._errors.DDSException: Occurred upon initialisation of a dds.DomainParticipant']);
    const r = diagnose({ container: 'salkafka-mtm2-dev', inspect: exited('7'), lines, tcp: [] });
    assert.equal(r.findings[0].id, 'dds-daemon-missing');
    assert.match(r.headline, /No OpenSplice daemon for DDS domain 7/);
    assert.match(r.findings[0].action, /ospl-daemon-domain-007 with LSST_DDS_DOMAIN_ID=7/);
  });

  it('without the samples expectation nothing changes for production producers', () => {
    const checks = evaluateVerification(running('12'), parse(start), { ...input, expect: { ...dev, samples: false } }, { final: false, nowMs: at('2026-12-03T11:50:12Z') });
    assert.ok(!checks.some((c) => c.name.endsWith('samples')));
  });
});
