import * as assert from 'node:assert/strict';
import { parseLine } from '../../../src/core/logs/parseLine';
import { QueueHealthModel, levelForQueueEvent, worseOf } from '../../../src/core/logs/queueHealth';

const q = (fill: number, full = false, dataLoss = false) => ({ fill, capacity: 100, full, dataLoss });

describe('queue health levels', () => {
  it('uses ok < 50, warning ≥ 50, critical ≥ 90, dataLoss when full', () => {
    assert.equal(levelForQueueEvent(q(10)), 'ok');
    assert.equal(levelForQueueEvent(q(49)), 'ok');
    assert.equal(levelForQueueEvent(q(50)), 'warning');
    assert.equal(levelForQueueEvent(q(89)), 'warning');
    assert.equal(levelForQueueEvent(q(90)), 'critical');
    assert.equal(levelForQueueEvent(q(100, true, true)), 'dataLoss');
    assert.equal(levelForQueueEvent({ fill: 25, capacity: 50, full: false, dataLoss: false }), 'warning', 'thresholds scale with capacity');
  });

  it('orders levels', () => {
    assert.equal(worseOf('ok', 'warning'), 'warning');
    assert.equal(worseOf('dataLoss', 'critical'), 'dataLoss');
    assert.equal(worseOf('unknown', 'ok'), 'ok');
  });
});

describe('QueueHealthModel', () => {
  it('tracks latest fill and worst level per CSC and topic', () => {
    const m = new QueueHealthModel(3);
    assert.equal(m.worstLevel, 'unknown');
    const feed = (s: string) => m.apply(parseLine(s));
    feed('seq=1 INFO:salkafka:Running');
    assert.equal(m.worstLevel, 'ok');
    feed('seq=2 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 10 of 100 elements');
    feed('seq=3 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 90 of 100 elements');
    feed('seq=4 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 10 of 100 elements');
    feed('seq=5 WARNING:salkafka.MTHexapod:1:application python read queue is filling: 50 of 100 elements');
    feed('seq=6 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 50 of 100 elements');
    const rot = m.cscs.get('MTRotator')!.topics.get('rotation DDS')!;
    assert.equal(rot.latestFill, 50);
    assert.equal(rot.latestLevel, 'warning');
    assert.equal(rot.worstLevel, 'critical');
    assert.equal(rot.worstFill, 90);
    assert.deepEqual(rot.history.toArray().map((s) => s.fill), [90, 10, 50], 'history is bounded to 3 samples');
    assert.equal(m.cscs.get('MTHexapod:1')!.worstLevel, 'warning');
    assert.equal(m.worstLevel, 'critical');
    assert.equal(m.lifecycle, 'running');

    feed('seq=7 ERROR:salkafka.MTHexapod:1:application python read queue is full (100 elements); data may be lost');
    assert.equal(m.worstLevel, 'dataLoss');
    assert.equal(m.cscs.get('MTHexapod:1')!.topics.get('application python')!.fullCount, 1);

    const snap = m.snapshot();
    assert.deepEqual(snap.cscs.map((c) => c.key), ['MTHexapod:1', 'MTRotator']);
    assert.equal(snap.worstLevel, 'dataLoss');
  });

  it('keeps DDS and python queues of one topic apart and files unnamed loggers under (unknown)', () => {
    const m = new QueueHealthModel();
    m.apply(parseLine('rotation DDS read queue is filling: 50 of 100 elements'));
    m.apply(parseLine('rotation python read queue is filling: 10 of 100 elements'));
    const c = m.cscs.get('(unknown)')!;
    assert.equal(c.topics.size, 2);
    assert.equal(c.worstLevel, 'warning');
  });

  it('uses the Docker timestamp for chart samples', () => {
    const m = new QueueHealthModel();
    m.apply(parseLine('2024-05-01T12:00:03.250000000Z WARNING:salkafka.ATDome:position DDS read queue is filling: 10 of 100 elements'), 0);
    assert.equal(m.cscs.get('ATDome')!.topics.get('position DDS')!.history.at(0)!.t, Date.UTC(2024, 4, 1, 12, 0, 3, 250));
  });

  it('counts error records and tracebacks', () => {
    const m = new QueueHealthModel();
    m.apply(parseLine('ERROR:salkafka:Kafka broker unreachable'));
    m.apply({ ...parseLine('Traceback (most recent call last):'), traceback: 'start' });
    assert.equal(m.errorCount, 1);
    assert.equal(m.tracebackCount, 1);
  });
});
