import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { ContainerLogFollower } from '../../../src/core/logs/containerLogFollower';
import { encodeDockerFrame } from '../../../src/core/logs/dockerDemux';
import { GapMarkers } from '../../../src/core/logs/gapMarkers';

// A Docker double: one container whose log grows; `logs` honours tail and an inclusive `since`
// truncated to whole seconds (the coarsest a daemon could do), so resumes always overlap.
function fakeDocker() {
  const log: { sec: number; text: string }[] = [];
  const open: PassThrough[] = [];
  let running = true;
  // Removed (between the stop of a re-create and its new container): Docker answers 404, as dockerode reports it.
  let removed = false;
  const noSuchContainer = () => Object.assign(new Error('(HTTP code 404) no such container - No such container: salkafka-m2 '), { statusCode: 404 });
  const queries: Record<string, unknown>[] = [];
  const frame = (l: { sec: number; text: string }, i: number) =>
    encodeDockerFrame('stderr', `2024-05-01T12:${String(Math.floor(l.sec / 60)).padStart(2, '0')}:${String(l.sec % 60).padStart(2, '0')}.${String(i).padStart(9, '0')}Z ${l.text}\n`);
  const docker = {
    getContainer: () => ({
      inspect: async () => {
        if (removed) throw noSuchContainer();
        return { Config: { Tty: false }, State: { Running: running } };
      },
      logs: async (q: Record<string, unknown>) => {
        if (removed) throw noSuchContainer();
        queries.push(q);
        const s = new PassThrough();
        let from = 0;
        if (q.since !== undefined) {
          const sinceSec = Math.floor(Number(q.since)) - Date.UTC(2024, 4, 1, 12) / 1000;
          from = log.findIndex((l) => l.sec >= sinceSec);
          if (from < 0) from = log.length;
        } else if (typeof q.tail === 'number') from = Math.max(0, log.length - q.tail);
        for (let i = from; i < log.length; i++) s.write(frame(log[i], i));
        if (running) open.push(s);
        else s.end();
        return s;
      },
    }),
  } as unknown as Dockerode;
  const write = (text: string, sec: number) => {
    log.push({ sec, text });
    for (const s of open) if (!s.destroyed) s.write(frame(log[log.length - 1], log.length - 1));
  };
  return { docker, write, open, queries, setRunning: (r: boolean) => (running = r), setRemoved: (r: boolean) => (removed = r) };
}

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ContainerLogFollower', () => {
  it('resumes after a dropped stream (even mid-frame) with no lost or duplicated lines', async () => {
    const d = fakeDocker();
    let seq = 0;
    for (; seq < 5; seq++) d.write(`seq=${seq} INFO:salkafka.MTM2:line`, Math.floor(seq / 2));
    const f = new ContainerLogFollower('salkafka-m2', { maxLines: 1000, initialTail: 3, minRetryMs: 10 });
    const seqs: number[] = [];
    f.ingest.subscribe((lines) => seqs.push(...lines.map((l) => l.seq!)));
    f.attach(d.docker);
    try {
      await until(() => f.state === 'following' && seqs.length === 3);
      assert.deepEqual(seqs, [2, 3, 4], 'initial request honours the tail');
      for (; seq < 10; seq++) d.write(`seq=${seq} INFO:salkafka.MTM2:line`, 2 + Math.floor(seq / 3));
      await until(() => seqs.length === 8);
      // Break the connection in the middle of a frame.
      const s = d.open[0];
      s.write(encodeDockerFrame('stderr', '2024-05-01T12:00:09.000000010Z seq=10 INFO:salkafka.MTM2:li').subarray(0, 40));
      s.destroy(new Error('connection lost'));
      for (; seq < 14; seq++) d.write(`seq=${seq} INFO:salkafka.MTM2:line`, 6);
      await until(() => seqs.length === 12);
      assert.deepEqual(seqs, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
      assert.ok(f.ingest.duplicateLines > 0, 'the resumed request overlapped and was deduplicated');
      assert.ok(d.queries[1].since !== undefined && d.queries[1].tail === undefined, 'resume uses since, not tail');
    } finally {
      f.dispose();
    }
  });

  it('resumes after detach/attach (reconnect) and stops cleanly with the container', async () => {
    const d = fakeDocker();
    const f = new ContainerLogFollower('salkafka-m2', { maxLines: 1000, initialTail: 100, minRetryMs: 10 });
    const seqs: number[] = [];
    f.ingest.subscribe((lines) => seqs.push(...lines.map((l) => l.seq!)));
    d.write('seq=0 INFO:salkafka:Running', 0);
    f.attach(d.docker);
    try {
      await until(() => seqs.length === 1 && f.state === 'following');
      f.detach();
      d.write('seq=1 INFO:salkafka:x', 0);
      d.write('seq=2 INFO:salkafka:x', 1);
      f.attach(d.docker);
      await until(() => seqs.length === 3);
      d.setRunning(false);
      d.open[d.open.length - 1].end();
      await until(() => f.state === 'stopped');
      assert.deepEqual(seqs, [0, 1, 2]);
      assert.equal(f.ingest.health.lifecycle, 'running');
    } finally {
      f.dispose();
    }
  });

  it('a re-create (stream ends, then 404 until the new container starts) is no gap: no marker, no 404 text', async () => {
    const d = fakeDocker();
    const f = new ContainerLogFollower('salkafka-m2', { maxLines: 1000, initialTail: 100, minRetryMs: 10 });
    const gaps = new GapMarkers();
    const seen: string[] = [];
    f.onDidChangeState((state) => {
      const marker = gaps.next({ state, interruption: f.interruption, lastTimestamp: f.ingest.cursor.lastTimestamp });
      seen.push(`${state}|${f.lastError ?? ''}|${f.interruption ?? ''}|${marker ?? ''}`);
    });
    d.write('seq=0 INFO:salkafka:Running', 0);
    f.attach(d.docker);
    try {
      await until(() => f.state === 'following');
      // The old container stops (its stream ends cleanly) and is removed before the follower looks.
      d.setRunning(false);
      d.setRemoved(true);
      d.open[d.open.length - 1].end();
      await until(() => f.state === 'missing');
      assert.equal(f.lastError, undefined, 'no raw Docker text for the expected 404');
      assert.equal(f.interruption, undefined);
      // The new container starts; the start event brings the follower back.
      d.setRemoved(false);
      d.setRunning(true);
      d.write('seq=1 INFO:salkafka:Creating producers', 2);
      f.containerStarted();
      await until(() => f.state === 'following');
      assert.ok(seen.some((s) => s.startsWith('missing|')), seen.join('\n'));
      assert.ok(!seen.some((s) => /404|no such container/i.test(s)), `no state change carries Docker's 404:\n${seen.join('\n')}`);
      assert.ok(seen.every((s) => s.endsWith('|')), `no gap marker for a run that ended:\n${seen.join('\n')}`);
    } finally {
      f.dispose();
    }
  });

  it('a removal reported while the stream is still open is not lost: the follower ends "missing", not "stopped"', async () => {
    // docker rm --stop: Docker's destroy event can arrive before the follower has seen the stream
    // end, and its inspect may still find the exited container; seen on the real host under load.
    const d = fakeDocker();
    const f = new ContainerLogFollower('salkafka-m2', { maxLines: 1000, initialTail: 100, minRetryMs: 10 });
    d.write('seq=0 INFO:salkafka:Running', 0);
    f.attach(d.docker);
    try {
      await until(() => f.state === 'following');
      d.setRunning(false);
      f.containerRemoved(); // the event, while the stream is still open
      d.open[d.open.length - 1].end(); // the inspect after the end still finds the exited container
      await until(() => f.state === 'missing' || f.state === 'stopped');
      await new Promise((r) => setTimeout(r, 20));
      assert.equal(f.state, 'missing');
      assert.equal(f.lastError, undefined);
      // A container of the same name starts again: followed as usual.
      d.setRunning(true);
      d.write('seq=1 INFO:salkafka:Creating producers', 2);
      f.containerStarted();
      await until(() => f.state === 'following');
    } finally {
      f.dispose();
    }
  });

  it('a restart whose new run is already up when the stream ends follows it at once, with no retry state', async () => {
    const d = fakeDocker();
    const f = new ContainerLogFollower('salkafka-m2', { maxLines: 1000, initialTail: 100, minRetryMs: 10 });
    const states: string[] = [];
    f.onDidChangeState((s) => states.push(s));
    d.write('seq=0 INFO:salkafka:Running', 0);
    f.attach(d.docker);
    try {
      await until(() => f.state === 'following');
      d.open[d.open.length - 1].end(); // the run ended; inspect already sees the next one running
      await until(() => d.queries.length === 2 && f.state === 'following');
      assert.ok(!states.includes('retrying'), states.join(' → '));
      assert.equal(f.interruption, undefined);
    } finally {
      f.dispose();
    }
  });

  it('a broken stream is a gap: one interrupted marker naming the error, one resumed marker', async () => {
    const d = fakeDocker();
    const f = new ContainerLogFollower('salkafka-m2', { maxLines: 1000, initialTail: 100, minRetryMs: 10 });
    const gaps = new GapMarkers();
    const markers: string[] = [];
    f.onDidChangeState((state) => {
      const m = gaps.next({ state, interruption: f.interruption, lastTimestamp: f.ingest.cursor.lastTimestamp });
      if (m) markers.push(m);
    });
    d.write('seq=0 INFO:salkafka:Running', 0);
    f.attach(d.docker);
    try {
      await until(() => f.state === 'following');
      d.open[d.open.length - 1].destroy(new Error('channel closed'));
      await until(() => markers.length === 2);
      assert.match(markers[0], /^── log stream interrupted \(channel closed\); will resume after the last line seen ──$/);
      assert.match(markers[1], /^── resumed after 2024-05-01T12:00:00\.0+Z ──$/);
      assert.equal(f.interruption, undefined);
    } finally {
      f.dispose();
    }
  });
});
