import * as assert from 'node:assert/strict';
import { cscFromLogger, parseDockerTimestamp, parseLine, parseQueueMessage } from '../../../src/core/logs/parseLine';

describe('parseLine', () => {
  it('parses a simulator line with seq, level, CSC logger and a filling queue event', () => {
    const l = parseLine('seq=7 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 50 of 100 elements');
    assert.equal(l.seq, 7);
    assert.equal(l.level, 'WARNING');
    assert.equal(l.logger, 'salkafka.MTRotator');
    assert.equal(l.csc, 'MTRotator');
    assert.equal(l.cscIndex, undefined);
    assert.equal(l.message, 'rotation DDS read queue is filling: 50 of 100 elements');
    assert.deepEqual(l.queue, { topic: 'rotation', queue: 'DDS', fill: 50, capacity: 100, full: false, dataLoss: false });
  });

  it('parses a Docker RFC3339Nano timestamp prefix', () => {
    const l = parseLine('2024-05-01T12:00:03.123456789Z seq=12 INFO:salkafka:Running');
    assert.equal(l.timestamp, '2024-05-01T12:00:03.123456789Z');
    assert.equal(l.tsSec, Date.UTC(2024, 4, 1, 12, 0, 3) / 1000);
    assert.equal(l.tsNanos, 123456789);
    assert.equal(l.seq, 12);
    assert.equal(l.logger, 'salkafka');
    assert.equal(l.csc, undefined, 'top-level logger names no CSC');
    assert.equal(l.lifecycle, 'running');
  });

  it('pads short fractions and accepts numeric zones', () => {
    assert.deepEqual(parseDockerTimestamp('2024-05-01T12:00:03.5Z'), { sec: Date.UTC(2024, 4, 1, 12, 0, 3) / 1000, nanos: 500000000 });
    assert.deepEqual(parseDockerTimestamp('2024-05-01T12:00:03Z'), { sec: Date.UTC(2024, 4, 1, 12, 0, 3) / 1000, nanos: 0 });
    assert.deepEqual(parseDockerTimestamp('2024-05-01T14:00:03+02:00'), { sec: Date.UTC(2024, 4, 1, 12, 0, 3) / 1000, nanos: 0 });
    assert.equal(parseDockerTimestamp('2024-05-01Tab:cd:efZ'), undefined);
    assert.equal(parseDockerTimestamp('not a timestamp at all'), undefined);
  });

  it('parses a real (Python logging) line without seq and a CSC with SAL index', () => {
    const l = parseLine('WARNING:salkafka.MTHexapod:1:tel_application DDS read queue is filling: 90 of 100 elements');
    assert.equal(l.seq, undefined);
    assert.equal(l.logger, 'salkafka.MTHexapod:1');
    assert.equal(l.csc, 'MTHexapod');
    assert.equal(l.cscIndex, '1');
    assert.equal(l.queue?.topic, 'tel_application');
    assert.equal(l.queue?.fill, 90);
  });

  it('recognises a full queue as data loss at ERROR level', () => {
    const l = parseLine('ERROR:salkafka.MTM2:evt_summaryState python read queue is full (100 elements); data may be lost');
    assert.equal(l.level, 'ERROR');
    assert.deepEqual(l.queue, { topic: 'evt_summaryState', queue: 'python', fill: 100, capacity: 100, full: true, dataLoss: true });
  });

  it('finds queue events and infers the level when the line is a bare message', () => {
    const l = parseLine('rotation DDS read queue is filling: 21 of 100 elements');
    assert.equal(l.level, 'WARNING');
    assert.equal(l.logger, undefined);
    assert.equal(l.queue?.fill, 21);
    const full = parseLine('2024-05-01T12:00:03.000000001Z rotation DDS read queue is full (100 elements); data may be lost');
    assert.equal(full.level, 'ERROR');
    assert.equal(full.queue?.dataLoss, true);
  });

  it('recognises the three lifecycle markers', () => {
    assert.equal(parseLine('INFO:salkafka:Creating producers').lifecycle, 'creating');
    assert.equal(parseLine('INFO:salkafka:Waiting for producers to start').lifecycle, 'waiting');
    assert.equal(parseLine('Running').lifecycle, 'running');
    assert.equal(parseLine('INFO:salkafka:Running heartbeat loop').lifecycle, undefined);
  });

  it('recognises the --file (partial producer) and SIGTERM shutdown lines of ts_salkafka', () => {
    // run_distributed_producer print()s these with no logger prefix.
    assert.equal(parseLine('seq=3 Waiting for partial producers to start').lifecycle, 'waiting');
    assert.equal(parseLine('seq=9 Partial producers are all running').lifecycle, 'running');
    assert.equal(parseLine('INFO:salkafka:Partial producer 2 running').lifecycle, undefined);
    assert.equal(parseLine('INFO:salkafka:Shutting down').lifecycle, 'stopping');
    assert.equal(parseLine('seq=14 Shutting down partial producers').lifecycle, 'stopping');
    assert.equal(parseLine('INFO:salkafka:Partial producer 0 shutting down').lifecycle, undefined);
    assert.equal(parseLine('2024-05-01T12:00:03.000000001Z seq=25 Done').lifecycle, 'done');
    assert.equal(parseLine('INFO:salkafka:Done writing').lifecycle, undefined);
  });

  it('handles the asctime and "name - LEVEL - message" formats', () => {
    const l = parseLine('2024-05-01 12:00:00,123 salkafka.ATDome - ERROR - Kafka unreachable');
    assert.equal(l.level, 'ERROR');
    assert.equal(l.csc, 'ATDome');
    assert.equal(l.message, 'Kafka unreachable');
  });

  it('turns junk into a bare message without throwing', () => {
    for (const junk of ['', ' ', '\u0000\u0001', 'seq=', 'seq=abc hello', 'WARNING:', 'ERROR::', '2024-05-01T', '::::', 'é'.repeat(100)]) {
      const l = parseLine(junk);
      assert.equal(l.raw, junk);
      assert.equal(l.queue, undefined);
      assert.equal(typeof l.message, 'string');
    }
    assert.equal(parseLine('seq=abc hello').seq, undefined);
    assert.equal(parseLine('something DDS read queue is filling: x of 100 elements').queue, undefined);
  });

  it('keeps the leading indentation of continuation lines', () => {
    assert.equal(parseLine('2024-05-01T12:00:03.1Z   File "x.py", line 3').message, '  File "x.py", line 3');
  });

  it('maps loggers to CSCs only when they name one', () => {
    assert.deepEqual(cscFromLogger('salkafka.ATDome'), { csc: 'ATDome' });
    assert.deepEqual(cscFromLogger('MTRotator.tel_rotation'), { csc: 'MTRotator' });
    assert.deepEqual(cscFromLogger('salkafka.Test:42'), { csc: 'Test', index: '42' });
    assert.equal(cscFromLogger('salkafka'), undefined);
    assert.equal(cscFromLogger('asyncio'), undefined);
  });

  it('reads newer topic prefixes verbatim', () => {
    assert.equal(parseQueueMessage('cmd_start DDS read queue is filling: 10 of 100 elements')?.topic, 'cmd_start');
  });
});
