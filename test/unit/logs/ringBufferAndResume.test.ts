import * as assert from 'node:assert/strict';
import { encodeDockerFrame } from '../../../src/core/logs/dockerDemux';
import { LogIngest } from '../../../src/core/logs/logIngest';
import { parseLine } from '../../../src/core/logs/parseLine';
import { ResumeCursor } from '../../../src/core/logs/resumeCursor';
import { RingBuffer } from '../../../src/core/logs/ringBuffer';

describe('RingBuffer', () => {
  it('never holds more than its capacity and keeps the newest items in order', () => {
    const r = new RingBuffer<number>(4);
    for (let i = 0; i < 10; i++) r.push(i);
    assert.equal(r.size, 4);
    assert.equal(r.dropped, 6);
    assert.deepEqual(r.toArray(), [6, 7, 8, 9]);
    assert.deepEqual(r.toArray(2), [8, 9]);
    assert.equal(r.at(0), 6);
    assert.equal(r.last(), 9);
    r.resize(2);
    assert.deepEqual(r.toArray(), [8, 9]);
    r.resize(5);
    r.push(10);
    assert.deepEqual(r.toArray(), [8, 9, 10]);
    assert.throws(() => new RingBuffer(0), RangeError);
  });
});

const ts = (s: number, n: number) => `2024-05-01T12:00:${String(s).padStart(2, '0')}.${String(n).padStart(9, '0')}Z`;

describe('ResumeCursor', () => {
  it('drops everything already seen when the stream is re-requested from the same second', () => {
    const c = new ResumeCursor();
    const first = [`${ts(1, 5)} seq=1 a`, `${ts(2, 1)} seq=2 b`, `${ts(2, 7)} seq=3 c`, `${ts(2, 7)} seq=4 d`];
    for (const l of first) assert.ok(c.accept(parseLine(l)));
    assert.equal(c.lastTimestamp, ts(2, 7));
    assert.equal(c.since(true), String(Date.UTC(2024, 4, 1, 12, 0, 2) / 1000));
    assert.equal(c.since(), `${Date.UTC(2024, 4, 1, 12, 0, 2) / 1000}.000000007`);
    c.beginResume();
    // Docker replays from the start of second 2, then continues with new lines.
    const replay = [`${ts(2, 1)} seq=2 b`, `${ts(2, 7)} seq=3 c`, `${ts(2, 7)} seq=4 d`, `${ts(2, 7)} seq=5 e`, `${ts(3, 0)} seq=6 f`];
    const accepted = replay.filter((l) => c.accept(parseLine(l)));
    assert.deepEqual(accepted, [`${ts(2, 7)} seq=5 e`, `${ts(3, 0)} seq=6 f`]);
  });

  it('keeps identical lines logged in the same nanosecond as distinct lines', () => {
    const c = new ResumeCursor();
    const same = `${ts(4, 4)} INFO:salkafka:tick`;
    assert.ok(c.accept(parseLine(same)));
    assert.ok(c.accept(parseLine(same)), 'a second identical line at the same instant is new');
    c.beginResume();
    assert.equal(c.accept(parseLine(same)), false);
    assert.equal(c.accept(parseLine(same)), false);
    assert.equal(c.accept(parseLine(same)), true, 'a third occurrence was never seen');
  });

  it('accepts lines without timestamps', () => {
    const c = new ResumeCursor();
    assert.ok(c.accept(parseLine('no timestamp')));
    assert.ok(c.accept(parseLine('no timestamp')));
    assert.equal(c.since(), undefined);
  });
});

describe('LogIngest', () => {
  it('demuxes, dedups a resumed stream and keeps memory bounded by maxLines', () => {
    const ingest = new LogIngest({ maxLines: 5 });
    const delivered: number[] = [];
    ingest.subscribe((lines) => delivered.push(...lines.map((l) => l.seq!)));
    const frame = (seq: number, sec: number) => encodeDockerFrame('stderr', `${ts(sec, 0)} seq=${seq} INFO:salkafka.MTM2:line ${seq}\n`);
    ingest.beginStream(true);
    const wire = Buffer.concat([1, 2, 3, 4].map((s) => frame(s, s)));
    ingest.pushChunk(wire.subarray(0, 30));
    ingest.pushChunk(wire.subarray(30));
    // Connection dropped; re-requested since second 3: seq 3 and 4 come again.
    ingest.beginStream(true);
    ingest.pushChunk(Buffer.concat([3, 4, 5, 6, 7, 8].map((s) => frame(s, s))));
    assert.deepEqual(delivered, [1, 2, 3, 4, 5, 6, 7, 8]);
    assert.equal(ingest.duplicateLines, 2);
    assert.equal(ingest.lines.size, 5);
    assert.deepEqual(ingest.lines.toArray().map((l) => l.seq), [4, 5, 6, 7, 8]);
  });

  it('reads raw TTY streams and completes the last line at end of stream', () => {
    const ingest = new LogIngest({ maxLines: 10 });
    ingest.beginStream(false);
    ingest.pushChunk(Buffer.from('INFO:salkafka:Creating producers\nINFO:salkafka:Running'));
    assert.equal(ingest.lines.size, 1);
    ingest.endStream();
    assert.equal(ingest.lines.size, 2);
    assert.equal(ingest.health.lifecycle, 'running');
  });
});
