import * as assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { LogHub } from '../../../src/core/logs/logHub';

function fakeDocker(logsCalls: string[]) {
  return {
    getContainer: (name: string) => ({
      inspect: async () => ({ Config: { Tty: true }, State: { Running: true } }),
      logs: async () => {
        logsCalls.push(name);
        return new PassThrough();
      },
    }),
  } as unknown as Dockerode;
}

describe('LogHub', () => {
  it('shares one follower per container, keeps maxLines only while a pane views it, and follows on attach', async () => {
    const hub = new LogHub({ backgroundLines: 10, paneLines: 1000, initialTail: 100 });
    const calls: string[] = [];
    try {
      const a = hub.ensure('salkafka-m2');
      assert.equal(hub.ensure('salkafka-m2'), a);
      assert.equal(a.ingest.lines.capacity, 10);
      const v1 = hub.addViewer('salkafka-m2');
      const v2 = hub.addViewer('salkafka-m2');
      assert.equal(a.ingest.lines.capacity, 1000);
      v1.dispose();
      assert.equal(a.ingest.lines.capacity, 1000, 'still one pane open');
      v2.dispose();
      v2.dispose();
      assert.equal(a.ingest.lines.capacity, 10);

      hub.attach(fakeDocker(calls));
      hub.retain(['salkafka-m2', 'salkafka-at']);
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(calls.sort(), ['salkafka-at', 'salkafka-m2']);
      hub.retain(['salkafka-at']);
      assert.equal(hub.get('salkafka-m2'), undefined, 'producers that vanished are dropped');
      hub.detach();
      assert.equal(hub.get('salkafka-at')!.state, 'idle');
    } finally {
      hub.dispose();
    }
  });
});
