import { strict as assert } from 'assert';
import { encodeDockerFrame } from '../../../src/core/logs/dockerDemux';
import type { VerifyExpectation } from '../../../src/core/ops/plan';
import { evaluateVerification, lineShowsCsc, logWindowStart, parseDockerLogs, rfc3339Nanos, summarize } from '../../../src/core/ops/verify';
import type { InspectLike, VerifyInput } from '../../../src/core/ops/verify';
import { parseLine } from '../../../src/core/logs/parseLine';
import { LogStreamParser } from '../../../src/core/logs/logStreamParser';

// Recorded from the test host: salkafka-m2 recreated by `up -d` after adding MTDome.
const STARTED = '2026-11-24T23:50:01.123456789Z';
const ACTION = new Date('2026-11-24T23:50:00.500Z');
const inspectOk: InspectLike = { Id: 'new1', RestartCount: 0, State: { Status: 'running', Running: true, Restarting: false, StartedAt: STARTED }, Config: { Tty: false } };
const LOG = [
  '2026-11-24T23:50:01.200000000Z seq=1 INFO:salkafka:Creating producers',
  '2026-11-24T23:50:01.210000000Z seq=2 INFO:salkafka.MTRotator:Created producer for MTRotator: 3 topics',
  '2026-11-24T23:50:01.220000000Z seq=3 INFO:salkafka.MTHexapod:Created producer for MTHexapod: 3 topics',
  '2026-11-24T23:50:01.230000000Z seq=4 INFO:salkafka.MTM2:Created producer for MTM2: 4 topics',
  '2026-11-24T23:50:01.240000000Z seq=5 INFO:salkafka.MTDome:Created producer for MTDome: 3 topics',
  '2026-11-24T23:50:01.250000000Z seq=6 INFO:salkafka:Waiting for producers to start',
  '2026-11-24T23:50:01.260000000Z seq=7 INFO:salkafka:Running',
];
const expect4: VerifyExpectation = { state: 'running', restarted: 'yes', cscs: ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome'], fileProducer: false };
const input: VerifyInput = { container: 'salkafka-m2', expect: expect4, actionStart: ACTION, before: { id: 'old1', startedAt: '2026-11-24T20:00:00Z', restartCount: 0 } };
const later = Date.parse('2026-11-24T23:50:10Z');
const lines = (raw: string[]) => {
  const p = new LogStreamParser();
  return raw.map((l) => p.parse(l));
};

describe('verification logic', () => {
  it('passes a recreated, running producer that logged Running and every CSC', () => {
    const checks = evaluateVerification(inspectOk, lines(LOG), input, { final: false, nowMs: later });
    const s = summarize('salkafka-m2', checks);
    assert.ok(s.ok, JSON.stringify(checks, null, 1));
    assert.deepEqual(
      checks.map((c) => c.name),
      ['container exists', 'running', 'started after the change', 'no restart loop', '"Running" logged', 'MTRotator seen', 'MTHexapod seen', 'MTM2 seen', 'MTDome seen', 'no queue overflow', 'no Traceback'],
    );
  });

  it('a first "Running" stamped a few ms before StartedAt still counts (Docker records StartedAt late); the previous run does not', () => {
    // Recorded on the second test host: the container was created by `up -d` and never stopped.
    const fresh: InspectLike = { ...inspectOk, State: { ...inspectOk.State, StartedAt: '2026-11-26T02:08:08.639988012Z', FinishedAt: '0001-01-01T00:00:00Z' } };
    const early = lines([
      '2026-11-26T02:08:08.637204849Z seq=1 INFO:salkafka:Creating producers',
      '2026-11-26T02:08:08.637235454Z seq=2 INFO:salkafka.MTMount:Created producer for MTMount: 3 topics',
      '2026-11-26T02:08:08.637241323Z seq=3 INFO:salkafka:Running',
    ]);
    const inp: VerifyInput = { container: 'salkafka-tma', expect: { state: 'running', restarted: 'either', cscs: ['MTMount'], fileProducer: false } };
    assert.equal(logWindowStart(fresh, inp), undefined, 'never stopped: every line is this run\'s');
    const checks = evaluateVerification(fresh, early, inp, { final: true, nowMs: Date.parse('2026-11-26T02:08:20Z'), timeoutSeconds: 30 });
    assert.equal(checks.find((c) => c.name === '"Running" logged')?.status, 'pass', JSON.stringify(checks, null, 1));
    // Restarted: the window starts right after the previous run ended, so its "Running" is not this run's.
    const restarted: InspectLike = { ...inspectOk, State: { ...inspectOk.State, StartedAt: '2026-11-26T02:09:00.000000500Z', FinishedAt: '2026-11-26T02:08:59.000000000Z' } };
    assert.equal(logWindowStart(restarted, inp), rfc3339Nanos('2026-11-26T02:08:59.000000001Z'));
    const old = evaluateVerification(restarted, early, inp, { final: true, nowMs: Date.parse('2026-11-26T02:09:20Z'), timeoutSeconds: 30 });
    assert.equal(old.find((c) => c.name === '"Running" logged')?.status, 'fail');
  });

  it('waits (pending) while a CSC is not seen, then fails at the timeout naming it', () => {
    const partial = lines(LOG.filter((l) => !l.includes('MTDome')));
    const pending = evaluateVerification(inspectOk, partial, input, { final: false, nowMs: later });
    assert.equal(pending.find((c) => c.name === 'MTDome seen')?.status, 'pending');
    const final = evaluateVerification(inspectOk, partial, input, { final: true, nowMs: later, timeoutSeconds: 60 });
    const s = summarize('salkafka-m2', final);
    assert.equal(s.ok, false);
    assert.match(s.summary, /MTDome seen — no log line for MTDome since start within 60 s/);
  });

  it('a restart loop (unknown CSC) fails definitively', () => {
    const looping: InspectLike = { ...inspectOk, RestartCount: 3, State: { Status: 'restarting', Running: true, Restarting: true, StartedAt: STARTED, ExitCode: 1 } };
    const log = lines([
      '2026-11-24T23:50:01.200000000Z seq=1 INFO:salkafka:Creating producers',
      '2026-11-24T23:50:01.210000000Z seq=2 ERROR:salkafka.MTDomeX:Unknown SAL component MTDomeX: not in the SAL catalogue of this image',
    ]);
    const checks = evaluateVerification(looping, log, { ...input, expect: { ...expect4, cscs: ['MTRotator', 'MTDomeX'] } }, { final: false, nowMs: later });
    const loop = checks.find((c) => c.name === 'no restart loop');
    assert.equal(loop?.status, 'fail');
    assert.ok(loop?.definitive);
    assert.match(loop!.detail, /RestartCount went 0 → 3/);
    assert.equal(checks.find((c) => c.name === 'running')?.status, 'fail');
    // The CSC name appears in the error line, but Running never did.
    assert.equal(checks.find((c) => c.name === '"Running" logged')?.status, 'pending');
  });

  it('a container that was not restarted by the change fails "started after the change"', () => {
    const old: InspectLike = { ...inspectOk, Id: 'old1', State: { ...inspectOk.State, StartedAt: '2026-11-24T20:00:00Z' } };
    const checks = evaluateVerification(old, lines(LOG), { ...input, before: { id: 'old1', startedAt: '2026-11-24T20:00:00Z', restartCount: 0 } }, { final: true, nowMs: later });
    assert.equal(checks.find((c) => c.name === 'started after the change')?.status, 'fail');
  });

  it('ignores lines from before the start; flags queue overflow and Traceback after it', () => {
    const withOld = ['2026-11-24T23:49:59.000000000Z seq=9 ERROR:salkafka.MTM2:position DDS read queue is full (100 elements); data may be lost', ...LOG];
    assert.ok(summarize('c', evaluateVerification(inspectOk, lines(withOld), input, { final: false, nowMs: later })).ok);
    const bad = [...LOG, '2026-11-24T23:50:02.000000000Z seq=8 ERROR:salkafka.MTM2:position DDS read queue is full (100 elements); data may be lost'];
    const c1 = evaluateVerification(inspectOk, lines(bad), input, { final: false, nowMs: later });
    assert.equal(c1.find((c) => c.name === 'no queue overflow')?.status, 'fail');
    const tb = [...LOG, '2026-11-24T23:50:02.000000000Z Traceback (most recent call last):', '2026-11-24T23:50:02.000000001Z   File "x.py", line 1', '2026-11-24T23:50:02.000000002Z ValueError: boom'];
    const c2 = evaluateVerification(inspectOk, lines(tb), input, { final: false, nowMs: later });
    assert.equal(c2.find((c) => c.name === 'no Traceback')?.status, 'fail');
  });

  it('"Running" logged a moment before Docker\'s StartedAt still counts; a previous run\'s lines do not', () => {
    // As on the test host: the first lines precede StartedAt by ~0.1 ms.
    const early = LOG.map((l) => l.replace('2026-11-24T23:50:01.2', '2026-11-24T23:50:01.1').replace(/01\.1(\d)0000000Z/, '01.12345$1000Z'));
    const fast: InspectLike = { ...inspectOk, State: { ...inspectOk.State, StartedAt: '2026-11-24T23:50:01.123459000Z' } };
    const c = evaluateVerification(fast, lines(early), input, { final: false, nowMs: later });
    assert.equal(c.find((x) => x.name === '"Running" logged')?.status, 'pass', JSON.stringify(early));
    // A restart 0.3 s after the previous run ended: that run's "Running" and overflow are excluded.
    const restartedFast: InspectLike = { ...inspectOk, State: { ...inspectOk.State, StartedAt: '2026-11-24T23:50:01.500000000Z', FinishedAt: '2026-11-24T23:50:01.200000000Z' } };
    const prev = ['2026-11-24T23:50:01.100000000Z seq=7 INFO:salkafka:Running', '2026-11-24T23:50:01.150000000Z seq=8 ERROR:salkafka.MTM2:position DDS read queue is full (100 elements); data may be lost'];
    const c2 = evaluateVerification(restartedFast, lines(prev), input, { final: false, nowMs: later });
    assert.equal(c2.find((x) => x.name === '"Running" logged')?.status, 'pending');
    assert.equal(c2.find((x) => x.name === 'no queue overflow')?.status, 'pass');
  });

  it('--file producers skip the per-CSC check with a note; stopped expectation', () => {
    const c = evaluateVerification(inspectOk, lines(LOG), { ...input, expect: { ...expect4, cscs: [], fileProducer: true } }, { final: false, nowMs: later });
    assert.match(c.find((x) => x.name === 'CSCs seen')!.detail, /--file/);
    assert.equal(c.find((x) => x.name === 'CSCs seen')!.status, 'skipped');
    const stopped: InspectLike = { Id: 'x', State: { Status: 'exited', Running: false, ExitCode: 0 } };
    const s = evaluateVerification(stopped, [], { container: 'c', expect: { ...expect4, state: 'stopped' } }, { final: false, nowMs: later });
    assert.ok(summarize('c', s).ok);
  });

  it('hot add: the container must NOT have restarted, lines counted from the action', () => {
    const hot: VerifyInput = { container: 'salkafka-m2', expect: { state: 'running', restarted: 'no', cscs: ['MTDome'], fileProducer: false }, actionStart: ACTION, before: { id: 'new1', startedAt: STARTED, restartCount: 0 } };
    assert.ok(summarize('c', evaluateVerification(inspectOk, lines(LOG), hot, { final: false, nowMs: later })).ok);
    const restarted: InspectLike = { ...inspectOk, State: { ...inspectOk.State, StartedAt: '2026-11-24T23:55:00Z' } };
    const c = evaluateVerification(restarted, lines(LOG), hot, { final: false, nowMs: later });
    assert.equal(c.find((x) => x.name === 'not restarted')?.status, 'fail');
  });

  it('waits for the settle time before passing', () => {
    const soon = Date.parse(STARTED) + 500;
    const c = evaluateVerification(inspectOk, lines(LOG), input, { final: false, nowMs: soon });
    assert.equal(c[c.length - 1].name, 'settled');
    assert.equal(summarize('c', c).ok, false);
  });

  it('matches CSC words with index by logger, and in messages with word boundaries', () => {
    assert.ok(lineShowsCsc(parseLine('INFO:salkafka.ESS:1:wrote 5 messages'), 'ESS:1'));
    assert.ok(!lineShowsCsc(parseLine('INFO:salkafka.ESS:1:wrote 5 messages'), 'ESS:2'));
    assert.ok(lineShowsCsc(parseLine('INFO:producer:started MTDome'), 'MTDome'));
    assert.ok(!lineShowsCsc(parseLine('INFO:producer:started MTDomeTrajectory'), 'MTDome'));
  });

  it('parses multiplexed Docker logs and RFC 3339 nanos', () => {
    const buf = Buffer.concat([encodeDockerFrame('stderr', `${LOG[0]}\n${LOG[1].slice(0, 20)}`), encodeDockerFrame('stderr', `${LOG[1].slice(20)}\n`)]);
    const parsed = parseDockerLogs(buf, false);
    assert.equal(parsed.length, 2);
    assert.equal(parsed[1].csc, 'MTRotator');
    assert.equal(rfc3339Nanos('2026-11-24T23:50:01.123456789Z')! % 1_000_000_000n, 123456789n);
    assert.equal(rfc3339Nanos('0001-01-01T00:00:00Z'), undefined);
  });
});
