// A log pane follows the PRODUCER, not one container: on the real test host, a follower (through
// the LogHub, with Docker's container events forwarded as the producers view does) keeps
// following salkafka-m2 across `docker-compose restart` and a re-create (`up -d
// --force-recreate`, what Apply does on drift). Each new run gets exactly one start marker, right
// before its "Creating producers"; no line is lost or duplicated (seq numbers of the simulator).
// That start marker is the only marker: no "interrupted"/"resumed" gap marker (GapMarkers, as the
// pane decides them) and never Docker's raw 404 for the removed container in any state it shows.
import { strict as assert } from 'assert';
import type { Readable } from 'node:stream';
import { LogHub } from '../../src/core/logs/logHub';
import { GapMarkers } from '../../src/core/logs/gapMarkers';
import { markerIndex } from '../../src/core/logs/logIngest';
import type { ParsedLine } from '../../src/core/logs/logTypes';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { Connections, hostOrSkip, type TestHost } from './support';
import { containerLogs, hostExec, resetTestHost, shellQuote } from './testHost';

const SERVICE = 'salkafka-m2';

async function until(what: string, cond: () => boolean, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('A log pane follows the producer across restart and re-creation (real test host)', function () {
  this.timeout(240_000);
  let h: TestHost;
  const connections = new Connections();
  let conn: HostConnection;
  let hub: LogHub | undefined;
  let events: Readable | undefined;

  before(async function () {
    h = await hostOrSkip(this, 'logs across runs');
    await resetTestHost();
    conn = await connections.connect(h);
  });
  after(async () => {
    events?.destroy();
    hub?.dispose();
    connections.closeAll();
    if (h) await resetTestHost();
  });

  /** A hub following SERVICE with Docker's container events forwarded, and what a pane would show. */
  async function openPane(docker: ReturnType<HostConnection['docker']>) {
    events?.destroy();
    hub?.dispose();
    hub = new LogHub({ backgroundLines: 50_000, paneLines: 50_000, initialTail: 50_000 });
    const pane: ParsedLine[] = [];
    const f = hub.ensure(SERVICE);
    hub.addViewer(SERVICE);
    // As the pane does: a start marker goes where its run begins, even when delivered late.
    f.ingest.subscribe((batch) => {
      for (const l of batch) {
        if (l.startMarker) pane.splice(markerIndex(pane.length, (i) => pane[i], l), 0, l);
        else pane.push(l);
      }
    });
    // Container events, as ProducerWatcher forwards them to the hub.
    events = (await docker.getEvents({ filters: { type: ['container'] } })) as unknown as Readable;
    let buf = '';
    events.on('data', (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const ev = JSON.parse(buf.slice(0, nl)) as { Action: string; Actor: { Attributes: { name: string } } };
        buf = buf.slice(nl + 1);
        hub!.containerEvent(ev.Actor.Attributes.name, ev.Action);
      }
    });
    // What a pane shows on each state change: its status text and any gap marker.
    const gaps = new GapMarkers();
    const shown: string[] = [];
    f.onDidChangeState((state) => {
      const marker = gaps.next({ state, interruption: f.interruption, lastTimestamp: f.ingest.cursor.lastTimestamp });
      shown.push(`${state}${f.lastError ? ` — ${f.lastError}` : ''}${marker ? ` ${marker}` : ''}`);
    });
    hub.attach(docker);
    const running = () => pane.filter((l) => l.lifecycle === 'running').length;
    return { f, pane, shown, running };
  }

  it('restart, then re-create: lines before and after, one start marker each, no duplicates', async () => {
    const compose = (args: string) => hostExec(`docker-compose -f ${shellQuote(h.composeFile)} --ansi never ${args}`, { timeoutMs: 120_000 });
    const docker = conn.docker();
    const { f, pane, shown, running } = await openPane(docker);
    await until('the history and the live stream', () => f.state === 'following' && running() >= 1);
    // The history may hold earlier runs; count new runs from here.
    const base = running();
    const idBefore = ((await docker.getContainer(SERVICE).inspect()) as { Id: string }).Id;

    const r1 = await compose(`restart -t 30 ${SERVICE}`);
    assert.equal(r1.code, 0, r1.stderr);
    await until('Running after the restart', () => running() >= base + 1);
    const r2 = await compose(`up -d --no-deps --force-recreate -t 30 ${SERVICE}`);
    assert.equal(r2.code, 0, r2.stderr);
    await until('Running after the re-create', () => running() >= base + 2);
    const idAfter = ((await docker.getContainer(SERVICE).inspect()) as { Id: string }).Id;
    assert.notEqual(idAfter, idBefore, 'the container was re-created');
    // A few more lines of the new run.
    const n = pane.length;
    await until('lines after the re-create', () => pane.length > n + 2);

    const markers = pane.map((l, i) => [l, i] as const).filter(([l]) => l.startMarker);
    assert.equal(markers.length, 2, pane.filter((l) => l.startMarker).map((l) => l.raw).join('\n'));
    assert.equal(markers[0][0].startMarker!.recreated, false);
    assert.equal(markers[0][0].startMarker!.containerId, idBefore.slice(0, 12));
    assert.equal(markers[1][0].startMarker!.recreated, true);
    assert.equal(markers[1][0].startMarker!.containerId, idAfter.slice(0, 12));
    for (const [, i] of markers) {
      assert.match(pane[i + 1].raw, /seq=1 INFO:salkafka:Creating producers$/, `the marker is right before the new run:\n${pane.slice(i - 2, i + 3).map((l) => l.raw).join('\n')}`);
      assert.match(pane[i - 1].raw, /INFO:salkafka:Done$/, 'and right after the old run shut down');
    }
    // Lines before and after each start, seq contiguous within each run: nothing lost or doubled.
    const runs: number[][] = [[]];
    for (const l of pane) {
      if (l.startMarker) runs.push([]);
      else if (l.seq !== undefined) runs[runs.length - 1].push(l.seq);
    }
    assert.equal(runs.length, 3);
    for (const [k, seqs] of runs.entries()) {
      assert.ok(seqs.length >= 3, `run ${k} has lines`);
      for (let i = 1; i < seqs.length; i++) {
        if (k === 0 && seqs[i] === 1) continue; // the history read first may span earlier runs
        assert.equal(seqs[i], seqs[i - 1] + 1, `run ${k}: seq ${seqs[i - 1]} then ${seqs[i]}`);
      }
    }
    // The new container's own log agrees line for line with what the pane got of it.
    const truth = (await containerLogs(SERVICE)).split('\n').filter((l) => l).map((l) => Number(/^seq=(\d+) /.exec(l)?.[1]));
    assert.deepEqual(runs[2], truth.slice(0, runs[2].length));
    assert.equal(f.ingest.startMarkers, 2);
    // The start markers were the only markers, and nothing showed Docker's 404.
    assert.ok(!shown.some((t) => t.includes('──')), `no gap marker for a restart or a re-create:\n${shown.join('\n')}`);
    assert.ok(!shown.some((t) => /404|no such container/i.test(t)), `no raw Docker error text:\n${shown.join('\n')}`);
    assert.ok(!pane.some((l) => /404|no such container/i.test(l.raw)));
    console.log(`      follower states: ${shown.join(' → ')}`);
  });

  it('the container removed, then up -d (a re-create that leaves a gap): "missing" with no Docker 404 text, then one marker', async () => {
    const compose = (args: string) => hostExec(`docker-compose -f ${shellQuote(h.composeFile)} --ansi never ${args}`, { timeoutMs: 120_000 });
    const docker = conn.docker();
    const { f, pane, shown, running } = await openPane(docker);
    await until('the history and the live stream', () => f.state === 'following' && running() >= 1);
    const base = running();
    const markersBefore = f.ingest.startMarkers;
    // Stop and remove, then look: the follower meets Docker's 404 for the name.
    const r1 = await compose(`rm --stop --force ${SERVICE}`);
    assert.equal(r1.code, 0, r1.stderr);
    await until('the follower to see the container gone', () => f.state === 'missing');
    const r2 = await compose(`up -d --no-deps ${SERVICE}`);
    assert.equal(r2.code, 0, r2.stderr);
    await until('Running in the new container', () => running() >= base + 1);
    const n = pane.length;
    await until('lines after the re-create', () => pane.length > n + 2);

    const markers = pane.filter((l) => l.startMarker);
    assert.equal(f.ingest.startMarkers - markersBefore, 1);
    assert.equal(markers.length, 1, markers.map((l) => l.raw).join('\n'));
    assert.equal(markers[0].startMarker!.recreated, true);
    assert.match(markers[0].raw, new RegExp(`── ${SERVICE} re-created, now container [0-9a-f]{12}, started `));
    assert.ok(shown.some((t) => t === 'missing'), `the follower went through "missing":\n${shown.join('\n')}`);
    assert.ok(!shown.some((t) => t.includes('──')), `no gap marker besides the start marker:\n${shown.join('\n')}`);
    assert.ok(!shown.some((t) => /404|no such container/i.test(t)), `no raw Docker error text:\n${shown.join('\n')}`);
    assert.equal(f.lastError, undefined);
    console.log(`      follower states: ${shown.join(' → ')}`);
  });
});
