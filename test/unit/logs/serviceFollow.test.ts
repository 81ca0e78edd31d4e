import { strict as assert } from 'assert';
import { LogIngest } from '../../../src/core/logs/logIngest';
import { LiveMerger, formatForSave, mergeByTimestamp } from '../../../src/core/logs/mergedLog';
import { parseLine } from '../../../src/core/logs/parseLine';

const run = (t0: string, n: number, first = 1) =>
  Array.from({ length: n }, (_, i) => `${t0.replace('Z', '')}${String(i).padStart(3, '0')}000000Z seq=${first + i} INFO:salkafka:line ${first + i}`);

describe('start markers (a pane follows the producer across restarts and re-creation)', () => {
  it('marks each new run once, before its first line, and never the run found at first follow', () => {
    const ing = new LogIngest({ maxLines: 1000 });
    ing.announceRun('salkafka-m2', 'aaaaaaaaaaaaaaaa', '2026-11-24T10:00:00.000000000Z', true);
    ing.pushLines(run('2026-11-24T10:00:05.Z', 3));
    assert.equal(ing.startMarkers, 0, 'history of the run found first carries no marker');
    // Restart of the same container: same id, new StartedAt. Announced twice (event + resume).
    ing.announceRun('salkafka-m2', 'aaaaaaaaaaaaaaaa', '2026-11-24T10:01:00.500000000Z', true);
    ing.announceRun('salkafka-m2', 'aaaaaaaaaaaaaaaa', '2026-11-24T10:01:00.500000000Z', true);
    ing.pushLines(['2026-11-24T10:01:00.100000000Z seq=4 INFO:salkafka:Done']); // the old run's last line
    ing.pushLines(run('2026-11-24T10:01:01.Z', 2));
    // Re-created: another container id.
    ing.announceRun('salkafka-m2', 'bbbbbbbbbbbbbbbb', '2026-11-24T10:02:00.000000000Z', true);
    ing.pushLines(run('2026-11-24T10:02:01.Z', 2));
    const rows = ing.lines.toArray().map((l) => (l.startMarker ? `MARK ${l.startMarker.recreated ? 'recreated' : 'restarted'} ${l.startMarker.containerId}` : l.message));
    assert.deepEqual(rows, [
      'line 1', 'line 2', 'line 3', 'Done',
      'MARK restarted aaaaaaaaaaaa', 'line 1', 'line 2',
      'MARK recreated bbbbbbbbbbbb', 'line 1', 'line 2',
    ]);
    assert.equal(ing.startMarkers, 2);
    // Re-created: placed a margin before StartedAt (the new container's first lines can predate it).
    assert.equal(ing.lines.toArray()[7].raw, '2026-11-24T10:01:59.950000000Z ── salkafka-m2 re-created, now container bbbbbbbbbbbb, started 2026-11-24T10:02:00.000000000Z ──');
  });

  it('a run announced after its first lines arrived (stream opened on the old run) is marked before them', () => {
    const ing = new LogIngest({ maxLines: 1000 });
    const got: string[] = [];
    ing.subscribe((b) => got.push(...b.map((l) => (l.startMarker ? 'MARK' : l.message))));
    ing.announceRun('c', 'a', '2026-11-24T10:00:00Z', true);
    ing.pushLines(['2026-11-24T10:00:30.000000000Z seq=7 INFO:salkafka:Done']);
    ing.pushLines(run('2026-11-24T10:01:00.Z', 3)); // new run's lines first
    ing.announceRun('c', 'a', '2026-11-24T10:00:59.900000000Z', true);
    ing.pushLines(run('2026-11-24T10:01:05.Z', 1, 4));
    assert.deepEqual(ing.lines.toArray().map((l) => (l.startMarker ? 'MARK' : l.message)), ['Done', 'MARK', 'line 1', 'line 2', 'line 3', 'line 4']);
    assert.deepEqual(got, ['Done', 'line 1', 'line 2', 'line 3', 'MARK', 'line 4'], 'delivered late; consumers place it by time');
    assert.equal(ing.startMarkers, 1);
  });

  it("a restart's marker goes right after the previous run's end (FinishedAt), even when the first line predates StartedAt", () => {
    const ing = new LogIngest({ maxLines: 100 });
    ing.announceRun('c', 'a', '2026-11-24T10:00:00Z', true);
    ing.pushLines(['2026-11-24T10:00:09.990000000Z seq=8 INFO:salkafka:Done']);
    ing.announceRun('c', 'a', '2026-11-24T10:00:10.050000000Z', true, '2026-11-24T10:00:10.000000000Z');
    ing.pushLines(['2026-11-24T10:00:10.030000000Z seq=1 INFO:salkafka:Creating producers']); // before StartedAt
    const rows = ing.lines.toArray().map((l) => (l.startMarker ? 'MARK' : l.message));
    assert.deepEqual(rows, ['Done', 'MARK', 'Creating producers']);
    assert.match(ing.lines.toArray()[1].raw, /^2026-11-24T10:00:10\.000000001Z ── c restarted \(container a\), started 2026-11-24T10:00:10\.050000000Z ──$/);
  });

  it('a stopped container is not a run; its start is', () => {
    const ing = new LogIngest({ maxLines: 100 });
    ing.announceRun('c', 'a', '2026-11-24T10:00:00Z', true);
    ing.announceRun('c', 'a', '2026-11-24T10:00:00Z', false);
    ing.announceRun('c', 'a', '2026-11-24T10:05:00Z', true);
    ing.pushLines(run('2026-11-24T10:05:01.Z', 1));
    assert.equal(ing.startMarkers, 1);
  });
});

describe('merged pane and save to file', () => {
  const a = run('2026-11-24T10:00:00.Z', 3).map(parseLine); // .000 .001 .002
  const b = ['2026-11-24T10:00:00.000500000Z seq=1 INFO:salkafka:b1', '2026-11-24T10:00:00.001000000Z seq=2 INFO:salkafka:b2', 'Traceback (most recent call last):'].map(parseLine);

  it('interleaves by timestamp, keeps each source in order, ties to the first source, colours by position', () => {
    const m = mergeByTimestamp([{ producer: 'salkafka-at', lines: a }, { producer: 'salkafka-m2', lines: b }]);
    assert.deepEqual(m.map((t) => `${t.producer}:${t.line.message}:${t.colour}`), [
      'salkafka-at:line 1:0', 'salkafka-m2:b1:1', 'salkafka-at:line 2:0', 'salkafka-m2:b2:1',
      // the untimed traceback line belongs after b2 (its source's previous time)
      'salkafka-m2:Traceback (most recent call last)::1', 'salkafka-at:line 3:0',
    ]);
  });

  it('live merging reorders what arrives within the hold window and counts what comes later', () => {
    const lm = new LiveMerger(['salkafka-at', 'salkafka-m2'], 500);
    lm.push('salkafka-m2', [b[1]], 1000); // .001 arrives first
    lm.push('salkafka-at', [a[0]], 1200); // .000 arrives 200 ms later
    assert.deepEqual(lm.release(1400), [], 'still held');
    assert.deepEqual(lm.release(1800).map((t) => t.line.message), ['line 1', 'b2']);
    lm.push('salkafka-at', [parseLine('2026-11-24T09:59:59.000000000Z seq=0 INFO:salkafka:very late')], 1900);
    assert.deepEqual(lm.release(2500).map((t) => t.line.message), ['very late']);
    assert.equal(lm.late, 1);
    assert.equal(lm.pending, 0);
  });

  it('save writes a header and the lines as Docker gave them, tagged by producer when merged', () => {
    const m = mergeByTimestamp([{ producer: 'salkafka-at', lines: a.slice(0, 1) }, { producer: 'salkafka-m2', lines: b.slice(0, 1) }]);
    const text = formatForSave(m, { producers: ['salkafka-at', 'salkafka-m2'], host: 'azar2', savedAt: new Date('2026-11-25T00:00:00Z'), filter: 'line' });
    assert.equal(text, [
      '# Merged log of salkafka-at, salkafka-m2 on azar2, saved 2026-11-25T00:00:00.000Z',
      '# 2 line(s), filter "line"; Docker timestamps (UTC) first',
      'salkafka-at | 2026-11-24T10:00:00.000000000Z seq=1 INFO:salkafka:line 1',
      'salkafka-m2 | 2026-11-24T10:00:00.000500000Z seq=1 INFO:salkafka:b1',
      '',
    ].join('\n'));
    const single = formatForSave(a.slice(0, 1), { producers: ['salkafka-at'], host: 'azar2', savedAt: new Date(0) });
    assert.equal(single.split('\n')[2], a[0].raw);
  });
});
