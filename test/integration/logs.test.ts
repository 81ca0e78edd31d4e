// Live log following over the real test host: one persistent SSH connection, Docker's logs
// API, the simulated producers. Proves parsing (Running, queue events after setLoad) and that
// a connection dropped mid-follow resumes with no lost and no duplicated seq numbers.
import { strict as assert } from 'assert';
import { ContainerLogFollower } from '../../src/core/logs/containerLogFollower';
import type { ParsedLine } from '../../src/core/logs/logTypes';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { Connections, hostOrSkip, type TestHost } from './support';
import { containerLogs, hostExec, setLoad } from './testHost';

const CONTAINER = 'salkafka-m2';

async function until(what: string, cond: () => boolean, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Drops this process's SSH connections to the test sshd by killing the server-side sshd
 * session processes of exactly those TCP connections (other users of the host are untouched).
 */
async function dropOurSshConnections(): Promise<number> {
  const mine = await hostExec(`ss -tnpH state established '( dport = :2222 )'`);
  const ports = mine.stdout.split('\n').filter((l) => l.includes(`pid=${process.pid},`)).map((l) => /127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:2222/.exec(l)?.[1]).filter((p): p is string => !!p);
  assert.ok(ports.length > 0, `no SSH connection of pid ${process.pid} found:\n${mine.stdout}`);
  const server = await hostExec(`ss -tnpH state established '( sport = :2222 )'`);
  const pids = new Set<string>();
  for (const line of server.stdout.split('\n')) {
    const peer = /127\.0\.0\.1:2222\s+127\.0\.0\.1:(\d+)/.exec(line)?.[1];
    if (peer && ports.includes(peer)) for (const m of line.matchAll(/pid=(\d+)/g)) pids.add(m[1]);
  }
  assert.ok(pids.size > 0, `no sshd session for local ports ${ports.join(', ')}:\n${server.stdout}`);
  const r = await hostExec(`kill -9 ${[...pids].join(' ')}`);
  assert.equal(r.code, 0, r.stderr);
  return ports.length;
}

/** Seq numbers must go up by one, except where the producer restarted (seq=1 again). */
function assertContiguous(seqs: number[], label: string): void {
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] === 1) continue;
    assert.equal(seqs[i], seqs[i - 1] + 1, `${label}: seq ${seqs[i - 1]} followed by ${seqs[i]} (index ${i}; ${seqs[i] <= seqs[i - 1] ? 'duplicate' : 'gap'})`);
  }
}

describe('Log following on the real test host', function () {
  this.timeout(180_000);
  let h: TestHost;
  const connections = new Connections();
  let conn: HostConnection;
  let follower: ContainerLogFollower | undefined;

  before(async function () {
    h = await hostOrSkip(this, 'log following integration tests');
    conn = await connections.connect(h);
  });
  afterEach(async () => {
    follower?.dispose();
    follower = undefined;
    await setLoad(CONTAINER, ['* * 0']);
  });
  after(() => connections.closeAll());

  it('streams and parses salkafka-m2: lifecycle Running, CSC loggers, then queue events after setLoad', async () => {
    follower = new ContainerLogFollower(CONTAINER, { maxLines: 50_000, initialTail: 50_000, minRetryMs: 200 });
    const f = follower;
    const lines: ParsedLine[] = [];
    f.ingest.subscribe((batch) => lines.push(...batch));
    f.attach(conn.docker());
    await until('Running', () => f.ingest.health.lifecycle === 'running' || lines.some((l) => l.lifecycle === 'running'));
    assert.equal(f.state, 'following');
    const running = lines.find((l) => l.lifecycle === 'running')!;
    assert.match(running.timestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/, 'Docker timestamps requested');
    assert.equal(running.logger, 'salkafka');
    assert.ok(lines.some((l) => l.lifecycle === 'creating'), 'Creating producers seen');
    assert.ok(lines.some((l) => l.csc === 'MTRotator'), 'CSC loggers recognised');

    const before = lines.length;
    await setLoad(CONTAINER, ['MTRotator rotation 100']);
    await until('rotation queue full', () => lines.slice(before).some((l) => l.queue?.topic === 'rotation' && l.queue.full));
    const events = lines.slice(before).filter((l) => l.queue && l.csc === 'MTRotator' && l.queue.topic === 'rotation');
    assert.deepEqual(events.map((l) => l.queue!.fill), [...events.map((l) => l.queue!.fill)].sort((a, b) => a - b), 'fills rise');
    assert.ok(events.some((l) => !l.queue!.full && l.queue!.fill >= 50 && l.level === 'WARNING'), 'a filling warning was parsed');
    const full = events.find((l) => l.queue!.full)!;
    assert.equal(full.level, 'ERROR');
    assert.equal(full.queue!.dataLoss, true);
    const topic = f.ingest.health.cscs.get('MTRotator')!.topics.get('rotation DDS')!;
    assert.equal(topic.worstLevel, 'dataLoss');
    assert.equal(topic.latestFill, 100);
    assert.ok(topic.history.size >= 2);
    // The parsed text is exactly what `docker logs` shows.
    const truth = await containerLogs(CONTAINER);
    assert.ok(truth.includes(full.message), `docker logs has: ${full.message}`);
  });

  it('resumes after the SSH connection is dropped mid-follow: no seq lost, none duplicated', async () => {
    follower = new ContainerLogFollower(CONTAINER, { maxLines: 50_000, initialTail: 50_000, minRetryMs: 200 });
    const f = follower;
    const seqs: number[] = [];
    f.ingest.subscribe((batch) => {
      for (const l of batch) if (l.seq !== undefined) seqs.push(l.seq);
    });
    const states: string[] = [];
    f.onDidChangeState((s) => states.push(s));
    // The session wiring: follow while connected, detach on loss, attach again on reconnect.
    const sub = conn.onDidChangeState(({ state }) => (state === 'connected' ? f.attach(conn.docker()) : f.detach()));
    try {
      f.attach(conn.docker());
      await until('history read', () => f.state === 'following' && seqs.length > 5);

      // Make the producer log steadily while we cut the connection: rotation up and down.
      let toggling = true;
      const toggler = (async () => {
        let up = true;
        while (toggling) {
          await setLoad(CONTAINER, [up ? 'MTRotator * 100' : '* * 0']);
          up = !up;
          await new Promise((r) => setTimeout(r, 3000));
        }
      })();
      try {
        const beforeDrop = seqs.length;
        await until('new lines before the drop', () => seqs.length > beforeDrop + 2, 30_000);
        const lastBeforeDrop = seqs[seqs.length - 1];
        await dropOurSshConnections();
        await until('connection loss noticed', () => conn.state !== 'connected', 15_000);
        const seenAtDrop = seqs.length;
        await until('reconnected', () => conn.state === 'connected', 60_000);
        await until('following again', () => f.state === 'following', 30_000);
        // Lines logged while we were away must arrive, then new ones after them.
        await until('lines after the resume', () => seqs.length > seenAtDrop + 3, 45_000);
        assert.ok(f.requests >= 2, 'a second logs request resumed the stream');
        assert.ok(f.ingest.duplicateLines >= 1, 'the inclusive since replayed the last line and it was dropped');
        assert.ok(seqs.includes(lastBeforeDrop + 1) || seqs.some((s) => s === 1), 'the line after the drop point arrived');
      } finally {
        toggling = false;
        await toggler;
      }
      console.log(`      dropped mid-follow: ${seqs.length} lines (seq ${seqs[0]}…${seqs[seqs.length - 1]}), ${f.requests} requests, ${f.ingest.duplicateLines} replayed duplicates dropped; follower ${states.join(' → ')}`);
      assertContiguous(seqs, 'followed stream');
      assert.equal(new Set(seqs).size === seqs.length || seqs.includes(1), true, 'no seq twice within one producer run');
      // Ground truth: docker logs has exactly the same seq numbers over the range we followed.
      const truth = (await containerLogs(CONTAINER)).split('\n').map((l) => /^seq=(\d+) /.exec(l)?.[1]).filter((s): s is string => !!s).map(Number);
      const first = truth.lastIndexOf(seqs[0]);
      assert.ok(first >= 0, 'first followed seq is in docker logs');
      assert.deepEqual(seqs, truth.slice(first, first + seqs.length), 'followed lines equal docker logs, line for line');
      assert.ok(states.includes('idle') || states.includes('retrying'), `the follower noticed the loss (${states.join(' → ')})`);
    } finally {
      sub.dispose();
    }
  });
});
