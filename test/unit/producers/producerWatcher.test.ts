import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { Emitter } from '../../../src/core/host/events';
import type { HostState, ProducerHost } from '../../../src/core/producers/producerHost';
import { ProducerWatcher, type ContainerEvent, type WatcherStatus } from '../../../src/core/producers/producerWatcher';

// A Docker double that answers listContainers from a mutable array and hands out one events stream.
function fakeHost() {
  const containers = [{ Id: 'a'.repeat(64), Names: ['/salkafka-m2'], Image: 'sim:test', State: 'running', Status: 'Up', Labels: {} }];
  let listCalls = 0;
  const events: PassThrough[] = [];
  const docker = {
    listContainers: async () => { listCalls++; return containers.map((c) => ({ ...c })); },
    getContainer: (id: string) => ({ inspect: async () => ({ Id: id, RestartCount: 0, State: { StartedAt: '2024-05-01T10:00:00Z' } }) }),
    getEvents: async () => { const s = new PassThrough(); events.push(s); return s; },
  } as unknown as Dockerode;
  const emitter = new Emitter<{ state: HostState }>();
  const host = {
    alias: 'azar2-test', state: 'connected' as HostState,
    onDidChangeState: emitter.event, docker: () => docker,
    readCompose: async () => ({ path: '/x.yaml', text: 'services:\n  salkafka-m2:\n    environment:\n      - CSC_LIST=MTM2\n', variables: {} }),
  };
  const setState = (state: HostState) => { host.state = state; emitter.fire({ state }); };
  return { host: host as ProducerHost, containers, events, setState, listCalls: () => listCalls };
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('ProducerWatcher', () => {
  it('loads on connect, reloads once per burst of container events, and forwards each event', async () => {
    const f = fakeHost();
    const w = new ProducerWatcher(f.host, { debounceMs: 30 });
    const seen: ContainerEvent[] = [];
    w.onContainerEvent((e) => seen.push(e));
    try {
      await until(() => w.status.kind === 'ready' && f.events.length === 1);
      assert.equal(w.snapshot!.producers[0].state, 'running');
      const before = f.listCalls();
      f.containers[0].State = 'exited';
      const ev = (action: string) => JSON.stringify({ Type: 'container', Action: action, Actor: { ID: f.containers[0].Id, Attributes: { name: 'salkafka-m2' } } }) + '\n';
      const wire = ev('kill') + ev('die') + ev('stop');
      f.events[0].write(wire.slice(0, 50));
      f.events[0].write(wire.slice(50));
      f.events[0].write(JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'b', Attributes: { name: 'postgres' } } }) + '\n');
      await until(() => w.snapshot!.producers[0].state === 'exited');
      await new Promise((r) => setTimeout(r, 80));
      assert.equal(f.listCalls() - before, 1, 'three events, one debounced reload');
      assert.deepEqual(seen.map((e) => e.action), ['kill', 'die', 'stop'], 'unrelated containers are ignored');
    } finally {
      w.dispose();
    }
  });

  it('goes disconnected with the host, and reloads and re-subscribes on reconnect', async () => {
    const f = fakeHost();
    const w = new ProducerWatcher(f.host, { debounceMs: 10 });
    const kinds: WatcherStatus['kind'][] = [];
    w.onDidChange((s) => kinds.push(s.kind));
    try {
      await until(() => w.status.kind === 'ready');
      f.setState('reconnecting');
      assert.equal(w.status.kind, 'disconnected');
      assert.equal(w.snapshot?.producers[0].name, 'salkafka-m2', 'last known state kept while reconnecting');
      assert.ok(f.events[0].destroyed, 'the old events stream is closed');
      f.setState('connected');
      await until(() => w.status.kind === 'ready' && f.events.length === 2);
      assert.deepEqual(kinds.filter((k, i) => kinds[i - 1] !== k), ['ready', 'disconnected', 'ready'], 'no empty "loading" flash on reconnect');
    } finally {
      w.dispose();
    }
  });
});
