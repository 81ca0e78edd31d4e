import * as assert from 'node:assert/strict';
import { LogStreamParser } from '../../../src/core/logs/logStreamParser';
import type { ErrorBlock } from '../../../src/core/logs/logTypes';

describe('LogStreamParser tracebacks', () => {
  it('groups a traceback and its exception line into one error block', () => {
    const blocks: ErrorBlock[] = [];
    const p = new LogStreamParser((b) => blocks.push(b));
    const ts = '2024-05-01T12:00:00.000000001Z ';
    const parts = [
      p.parse(`${ts}seq=1 ERROR:salkafka.MTM2:Producer failed`),
      p.parse(`${ts}Traceback (most recent call last):`),
      p.parse(`${ts}  File "/opt/salkafka/producer.py", line 12, in run`),
      p.parse(`${ts}    await self.send()`),
      p.parse(`${ts}ValueError: bad topic`),
      p.parse(`${ts}seq=2 INFO:salkafka:Running`),
    ].map((l) => l.traceback);
    assert.deepEqual(parts, [undefined, 'start', 'body', 'body', 'end', undefined]);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].exception, 'ValueError: bad topic');
    assert.equal(blocks[0].lines.length, 4);
    assert.equal(blocks[0].timestamp, '2024-05-01T12:00:00.000000001Z');
  });

  it('keeps chained tracebacks in one block', () => {
    const blocks: ErrorBlock[] = [];
    const p = new LogStreamParser((b) => blocks.push(b));
    for (const l of [
      'Traceback (most recent call last):', '  File "a.py", line 1', 'KeyError: 1', // ends first block
      'Traceback (most recent call last):', '  File "b.py", line 2', '',
      'During handling of the above exception, another exception occurred:', '',
      'Traceback (most recent call last):', '  File "c.py", line 3', 'RuntimeError: boom',
    ]) p.parse(l);
    assert.equal(blocks.length, 2);
    assert.equal(blocks[1].exception, 'RuntimeError: boom');
    assert.ok(blocks[1].lines.some((x) => x.startsWith('During handling')));
  });

  it('ends a cut-off traceback at the next log record without an exception line', () => {
    const blocks: ErrorBlock[] = [];
    const p = new LogStreamParser((b) => blocks.push(b));
    p.parse('Traceback (most recent call last):');
    p.parse('  File "a.py", line 1');
    const next = p.parse('WARNING:salkafka.MTM2:x DDS read queue is filling: 50 of 100 elements');
    assert.equal(next.traceback, undefined);
    assert.equal(next.queue?.fill, 50);
    assert.equal(blocks.length, 1);
    assert.equal(blocks[0].exception, '');
    assert.equal(p.flush(), undefined);
  });
});
