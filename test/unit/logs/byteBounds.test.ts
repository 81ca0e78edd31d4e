// Log memory bounded in BYTES: 1 MiB lines, a 100 MiB line, 100k distinct topic names.
import * as assert from 'node:assert/strict';
import { encodeDockerFrame } from '../../../src/core/logs/dockerDemux';
import { LineSplitter } from '../../../src/core/logs/lineSplitter';
import { MAX_LINE_CHARS, capLine } from '../../../src/core/logs/lineCap';
import { LogIngest, lineWeight } from '../../../src/core/logs/logIngest';
import { QueueHealthModel } from '../../../src/core/logs/queueHealth';
import { parseLine } from '../../../src/core/logs/parseLine';
import { RingBuffer } from '../../../src/core/logs/ringBuffer';

const MiB = 1024 * 1024;
const TS = '2024-05-01T00:00:00.000000001Z';

describe('log memory bounded in bytes', () => {
  it('a 1 MiB line keeps its first 16 KiB and says how many bytes were cut', () => {
    const line = 'a'.repeat(MiB);
    const capped = capLine(line);
    assert.equal(capped, `${'a'.repeat(MAX_LINE_CHARS)}… [${MiB - MAX_LINE_CHARS} bytes cut]`);
    const multi = 'é'.repeat(MAX_LINE_CHARS + 10); // 2 bytes each in UTF-8
    assert.match(capLine(multi), /… \[20 bytes cut\]$/);
    const astral = `${'x'.repeat(MAX_LINE_CHARS - 1)}😀tail`; // the cap falls inside a surrogate pair
    assert.equal(capLine(astral), `${'x'.repeat(MAX_LINE_CHARS - 1)}… [8 bytes cut]`);
  });

  it('the splitter never holds more than the cap of a 100 MiB line arriving in 64 KiB chunks', () => {
    const s = new LineSplitter();
    const chunk = Buffer.alloc(64 * 1024, 0x41);
    let maxPending = 0;
    let out: string[] = [];
    for (let i = 0; i < 1600; i++) {
      out = out.concat(s.push(chunk));
      maxPending = Math.max(maxPending, s.pendingLength);
    }
    out = out.concat(s.push(Buffer.from('tail\nnext line\n')));
    assert.ok(maxPending <= MAX_LINE_CHARS, `pending grew to ${maxPending}`);
    assert.equal(out.length, 2);
    assert.equal(out[0], `${'A'.repeat(MAX_LINE_CHARS)}… [${1600 * 64 * 1024 + 4 - MAX_LINE_CHARS} bytes cut]`);
    assert.equal(out[1], 'next line');
  });

  it('a multi-byte character split across chunks and across the cap is counted in bytes', () => {
    const s = new LineSplitter(4);
    const bytes = Buffer.from('abcdéé\n', 'utf8'); // 4 + 2×2 bytes + newline
    const lines = [...s.push(bytes.subarray(0, 5)), ...s.push(bytes.subarray(5))];
    assert.deepEqual(lines, ['abcd… [4 bytes cut]']);
  });

  it('LogIngest: 300 lines of 1 MiB stay within the byte budget; the newest lines are kept', () => {
    const ingest = new LogIngest({ maxLines: 20_000, maxBytes: 2 * MiB });
    ingest.beginStream(true);
    for (let i = 0; i < 300; i++) {
      ingest.pushChunk(encodeDockerFrame('stdout', `${TS} seq=${i} INFO:salkafka:${'z'.repeat(MiB)}\n`));
    }
    ingest.pushChunk(encodeDockerFrame('stdout', `${TS} seq=300 INFO:salkafka:Running\n`));
    assert.equal(ingest.totalLines, 301);
    assert.ok(ingest.lines.weight <= 2 * MiB, `kept ${ingest.lines.weight} bytes`);
    assert.ok(ingest.lines.size >= 2 * MiB / (2 * MAX_LINE_CHARS + 400) - 1, `only ${ingest.lines.size} lines kept`);
    assert.ok(ingest.lines.toArray().every((l) => l.raw.length <= MAX_LINE_CHARS + 40));
    assert.equal(ingest.lines.last()?.message, 'Running');
    assert.match(ingest.lines.at(ingest.lines.size - 2)!.raw, /… \[\d+ bytes cut\]$/);
    assert.equal(ingest.health.lifecycle, 'running');
  });

  it('lines pushed directly are capped too', () => {
    const ingest = new LogIngest({ maxLines: 10 });
    const l = ingest.pushLine(`${TS} INFO:salkafka:${'q'.repeat(MiB)}`)!;
    assert.ok(l.raw.length < MAX_LINE_CHARS + 40);
    assert.ok(lineWeight(l) < 3 * MAX_LINE_CHARS);
  });

  it('RingBuffer with a weight budget drops the oldest but always keeps the newest', () => {
    const r = new RingBuffer<string>(100, { maxWeight: 10, weigh: (s) => s.length });
    for (const s of ['aaaa', 'bbbb', 'cccc']) r.push(s);
    assert.deepEqual(r.toArray(), ['bbbb', 'cccc']);
    assert.equal(r.weight, 8);
    r.push('x'.repeat(50));
    assert.deepEqual(r.toArray(), ['x'.repeat(50)]);
    assert.equal(r.dropped, 3);
    r.clear();
    assert.equal(r.weight, 0);
  });

  it('QueueHealthModel: 100k distinct topic names keep at most maxTopics queues; a dropped data loss still counts', () => {
    const m = new QueueHealthModel(10, 1000);
    m.apply(parseLine(`${TS} ERROR:salkafka.MTM2:lost python read queue is full (100 elements); data may be lost`));
    for (let i = 0; i < 100_000; i++) {
      m.apply(parseLine(`${TS} WARNING:salkafka.CSC${i % 5000}:topic_${i} DDS read queue is filling: 10 of 100 elements`));
    }
    assert.equal(m.topicCount, 1000);
    assert.equal(m.droppedTopics, 100_001 - 1000);
    const kept = [...m.cscs.values()].reduce((n, c) => n + c.topics.size, 0);
    assert.equal(kept, 1000);
    assert.ok(m.cscs.size <= 1000);
    assert.ok(!m.cscs.has('MTM2'), 'the oldest queue (MTM2 lost) was dropped');
    assert.equal(m.worstLevel, 'dataLoss', 'its data loss still shows');
    const snap = m.snapshot();
    assert.equal(snap.droppedTopics, 99_001);
    // The most recently reported queue is kept, with its history.
    assert.ok(m.cscs.get('CSC4999')?.topics.get('topic_99999 DDS'));
  });

  it('a topic reported again moves to the back of the queue (least RECENTLY reported is dropped)', () => {
    const m = new QueueHealthModel(10, 2);
    const q = (t: string) => m.apply(parseLine(`${TS} WARNING:salkafka.MTM2:${t} DDS read queue is filling: 10 of 100 elements`));
    q('a');
    q('b');
    q('a');
    q('c');
    assert.deepEqual([...m.cscs.get('MTM2')!.topics.keys()].sort(), ['a DDS', 'c DDS']);
  });
});
