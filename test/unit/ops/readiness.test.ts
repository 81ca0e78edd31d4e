import { strict as assert } from 'assert';
import { LogStreamParser } from '../../../src/core/logs/logStreamParser';
import type { VerifyExpectation } from '../../../src/core/ops/plan';
import { READINESS_BASE, readinessPath } from '../../../src/core/ops/readiness';
import { diagnose } from '../../../src/core/ops/troubleshoot';
import { evaluateVerification, summarize } from '../../../src/core/ops/verify';
import type { InspectLike, VerifyInput } from '../../../src/core/ops/verify';

const parse = (raw: string[]) => {
  const p = new LogStreamParser();
  return raw.map((l) => p.parse(l));
};
const STARTED = '2026-11-24T23:50:01.123456789Z';
const inspect: InspectLike = { Id: 'n', RestartCount: 0, State: { Status: 'running', Running: true, StartedAt: STARTED }, Config: { Env: ['CSC_LIST=MTM2'] } };
const RUN = [
  '2026-11-24T23:50:01.200000000Z seq=1 INFO:salkafka:Creating producers',
  '2026-11-24T23:50:01.210000000Z seq=2 INFO:salkafka.MTM2:Created producer for MTM2: 4 topics',
  '2026-11-24T23:50:01.250000000Z seq=3 INFO:salkafka:Waiting for producers to start',
  '2026-11-24T23:50:01.260000000Z seq=4 INFO:salkafka:Running',
];
const expect: VerifyExpectation = { state: 'running', restarted: 'either', cscs: ['MTM2'], fileProducer: false };
const input: VerifyInput = { container: 'salkafka-m2', expect };
const later = Date.parse('2026-11-24T23:50:10Z');

describe('readiness file (ts_salkafka SALKAFKA_PRODUCER_RUNNING)', () => {
  it('is named as ts_salkafka names it, suffix upper-cased; odd suffixes are refused, not executed', () => {
    assert.deepEqual(readinessPath(undefined), { path: READINESS_BASE });
    assert.deepEqual(readinessPath(['SALKAFKA_SEMAPHORE_SUFFIX=']), { path: '/tmp/SALKAFKA_PRODUCER_RUNNING' });
    assert.deepEqual(readinessPath(['A=1', 'SALKAFKA_SEMAPHORE_SUFFIX=m1m3']), { path: '/tmp/SALKAFKA_PRODUCER_RUNNING_M1M3' });
    const bad = readinessPath(['SALKAFKA_SEMAPHORE_SUFFIX=../../etc/x; rm']);
    assert.ok('error' in bad && /not a plain file-name suffix/.test(bad.error));
  });

  it('verification reports it: pass when present, fail at the timeout when absent after "Running"', () => {
    const lines = parse(RUN);
    const ok = evaluateVerification(inspect, lines, input, { final: false, nowMs: later, readiness: { path: READINESS_BASE, present: true } });
    const c = ok.find((x) => x.name === 'readiness file');
    assert.equal(c?.status, 'pass');
    assert.match(c!.detail, /SALKAFKA_PRODUCER_RUNNING present/);
    assert.ok(summarize('salkafka-m2', ok).ok);
    const waiting = evaluateVerification(inspect, lines, input, { final: false, nowMs: later, readiness: { path: READINESS_BASE, present: false } });
    assert.equal(waiting.find((x) => x.name === 'readiness file')?.status, 'pending');
    const absent = evaluateVerification(inspect, lines, input, { final: true, nowMs: later, timeoutSeconds: 20, readiness: { path: READINESS_BASE, present: false } });
    const s = summarize('salkafka-m2', absent);
    assert.equal(s.ok, false);
    assert.match(s.summary, /readiness file — \/tmp\/SALKAFKA_PRODUCER_RUNNING absent although "Running" was logged within 20 s/);
    const cannot = evaluateVerification(inspect, lines, input, { final: false, nowMs: later, readiness: { error: 'could not look inside' } });
    assert.equal(cannot.find((x) => x.name === 'readiness file')?.status, 'skipped');
  });

  it('a --file producer counts "Partial producers are all running" as Running', () => {
    const lines = parse([
      '2026-11-24T23:50:01.200000000Z seq=1 INFO:salkafka:Creating producers',
      '2026-11-24T23:50:01.210000000Z seq=3 Waiting for partial producers to start',
      '2026-11-24T23:50:01.220000000Z seq=6 INFO:salkafka:Partial producer 0 running',
      '2026-11-24T23:50:01.230000000Z seq=7 Partial producers are all running',
    ]);
    const checks = evaluateVerification(inspect, lines, { ...input, expect: { ...expect, cscs: [], fileProducer: true } }, { final: true, nowMs: later, readiness: { path: READINESS_BASE, present: true } });
    assert.equal(checks.find((c) => c.name === '"Running" logged')?.status, 'pass');
    assert.ok(summarize('c', checks).ok, JSON.stringify(checks));
  });
});

describe('troubleshooting ts_salkafka failures', () => {
  it('names a missing readiness file (error after "Running", warning while starting)', () => {
    const after = diagnose({ container: 'c', inspect, lines: parse(RUN), tcp: [], readiness: { path: READINESS_BASE, present: false } });
    const f = after.findings.find((x) => x.id === 'not-ready');
    assert.equal(f?.severity, 'error');
    assert.match(f!.title, /No readiness file \/tmp\/SALKAFKA_PRODUCER_RUNNING/);
    const starting = diagnose({ container: 'c', inspect, lines: parse(RUN.slice(0, 3)), tcp: [], readiness: { path: READINESS_BASE, present: false } });
    assert.equal(starting.findings.find((x) => x.id === 'not-ready')?.severity, 'warning');
    const fine = diagnose({ container: 'c', inspect, lines: parse(RUN), tcp: [], readiness: { path: READINESS_BASE, present: true } });
    assert.equal(fine.findings[0].id, 'healthy');
  });

  it('recognises "Failed to create topic" and "Callback … failed" lines', () => {
    const lines = parse([
      '2026-11-24T23:50:01.200000000Z seq=1 INFO:salkafka:Creating producers',
      '2026-11-24T23:50:01.300000000Z seq=3 ERROR:salkafka:Failed to create topic lsst.sal.MTM2.position',
      '2026-11-24T23:50:01.300000000Z seq=4 Traceback (most recent call last):',
      '2026-11-24T23:50:01.300000000Z seq=5   File "kafka_producer_factory.py", line 179, in make_kafka_topics',
      '2026-11-24T23:50:01.300000000Z seq=6 cimpl.KafkaException: KafkaError{code=TOPIC_AUTHORIZATION_FAILED,val=29,str="Authorization failed."}',
      '2026-11-24T23:50:02.000000000Z seq=9 ERROR:salkafka.MTM2.imsData:Callback <lsst.ts.salkafka.topic_producer.TopicProducer object at 0x7f> failed with data=MTM2.imsData(private_seqNum=8)',
    ]);
    const r = diagnose({ container: 'c', inspect, lines, tcp: [] });
    const create = r.findings.find((x) => x.id === 'topic-create-failed');
    assert.match(create!.title, /Kafka refused to create topic lsst\.sal\.MTM2\.position/);
    assert.ok(create!.evidence.some((e) => /TOPIC_AUTHORIZATION_FAILED/.test(e)));
    assert.match(create!.action, /TS_SALKAFKA_PASSWORD/);
    const cb = r.findings.find((x) => x.id === 'callback-failed');
    assert.match(cb!.title, /1 sample\(s\) not written: "Callback … failed" for salkafka\.MTM2\.imsData/);
    assert.equal(r.findings[0].id, 'topic-create-failed');
  });
});
