import * as assert from 'node:assert/strict';
import { DockerStreamDemuxer, encodeDockerFrame, type DockerStreamType } from '../../../src/core/logs/dockerDemux';
import { LineSplitter } from '../../../src/core/logs/lineSplitter';

describe('LineSplitter', () => {
  it('joins partial lines across chunks and strips CRLF', () => {
    const s = new LineSplitter();
    assert.deepEqual(s.push('seq=1 INFO:salkafka:Creat'), []);
    assert.deepEqual(s.push('ing producers\r\nseq=2 INFO:salk'), ['seq=1 INFO:salkafka:Creating producers']);
    assert.deepEqual(s.push(Buffer.from('afka:Running\n\n')), ['seq=2 INFO:salkafka:Running', '']);
    assert.deepEqual(s.flush(), []);
  });

  it('does not break a multi-byte UTF-8 character split between chunks', () => {
    const s = new LineSplitter();
    const bytes = Buffer.from('température ok\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside "é"
    assert.deepEqual(s.push(bytes.subarray(0, cut)), []);
    assert.deepEqual(s.push(bytes.subarray(cut)), ['température ok']);
  });

  it('returns the unterminated last line on flush and bounds a runaway line', () => {
    const s = new LineSplitter(10);
    assert.deepEqual(s.push('abc'), []);
    assert.deepEqual(s.flush(), ['abc']);
    assert.deepEqual(s.push('x'.repeat(25)), []);
    assert.equal(s.pendingLength, 10, 'only the head of a runaway line is kept');
    assert.deepEqual(s.push('yy\nnext\n'), [`${'x'.repeat(10)}… [17 bytes cut]`, 'next']);
    assert.equal(s.pendingLength, 0);
  });
});

describe('DockerStreamDemuxer', () => {
  it('separates stdout and stderr frames even when headers are split byte by byte', () => {
    const got: [DockerStreamType, string][] = [];
    const d = new DockerStreamDemuxer((stream, p) => got.push([stream, p.toString()]));
    const wire = Buffer.concat([
      encodeDockerFrame('stdout', 'seq=1 INFO:salkafka:Creating producers\n'),
      encodeDockerFrame('stderr', 'seq=2 WARNING:salkafka.MTM2:x DDS read queue is filling: 10 of 100 elements\n'),
      encodeDockerFrame('stdout', ''),
    ]);
    for (let i = 0; i < wire.length; i++) d.push(wire.subarray(i, i + 1));
    const joined = { stdout: '', stderr: '' } as Record<string, string>;
    for (const [s, t] of got) joined[s] += t;
    assert.equal(joined.stdout, 'seq=1 INFO:salkafka:Creating producers\n');
    assert.equal(joined.stderr, 'seq=2 WARNING:salkafka.MTM2:x DDS read queue is filling: 10 of 100 elements\n');
  });

  it('rejects a raw (TTY) stream instead of producing garbage', () => {
    const d = new DockerStreamDemuxer(() => undefined);
    assert.throws(() => d.push(Buffer.from('2024-05-01T12:00:00Z hello\n')), /Not a multiplexed Docker stream/);
  });
});
