import * as assert from 'node:assert/strict';
import { formatDuration, producerDescription, producerHealthClass } from '../../../src/core/producers/describe';
import type { Producer } from '../../../src/core/producers/producerTypes';

const base: Producer = { name: 'salkafka-m2', containerName: 'salkafka-m2', state: 'running', orphan: false, cscs: [], cscOptions: [], cscSource: 'none' };

describe('producer descriptions', () => {
  it('formats durations coarsely', () => {
    assert.equal(formatDuration(42_000), '42 s');
    assert.equal(formatDuration(7 * 60_000 + 5000), '7 m');
    assert.equal(formatDuration(5 * 3600_000 + 12 * 60_000), '5 h 12 m');
    assert.equal(formatDuration(3 * 86400_000 + 4 * 3600_000), '3 d 4 h');
    assert.equal(formatDuration(-5), '0 s');
  });

  it('describes state, uptime, tag and restarts', () => {
    const now = Date.UTC(2024, 4, 1, 12);
    assert.equal(producerDescription({ ...base, startedAt: now - 3 * 3600_000, imageTag: 'c0035', restartCount: 2 }, now), 'running · up 3 h 0 m · c0035 · 2 restarts');
    assert.equal(producerDescription({ ...base, state: 'exited', exitCode: 1, finishedAt: now - 120_000 }, now), 'exited (1) · 2 m ago');
    assert.equal(producerDescription({ ...base, state: 'not-created', imageTag: 'c0035' }, now), 'defined, not created · c0035');
    assert.equal(producerDescription({ ...base, orphan: true }, now), 'orphan, running');
  });

  it('colours by queue health while running, by exit status otherwise', () => {
    assert.equal(producerHealthClass(base, 'ok'), 'ok');
    assert.equal(producerHealthClass(base, undefined), 'ok');
    assert.equal(producerHealthClass(base, 'warning'), 'warning');
    assert.equal(producerHealthClass(base, 'critical'), 'error');
    assert.equal(producerHealthClass(base, 'dataLoss'), 'error');
    assert.equal(producerHealthClass({ ...base, state: 'exited', exitCode: 1 }, 'ok'), 'error');
    assert.equal(producerHealthClass({ ...base, state: 'exited', exitCode: 0 }, 'dataLoss'), 'off');
    assert.equal(producerHealthClass({ ...base, state: 'not-created' }, undefined), 'off');
    assert.equal(producerHealthClass({ ...base, state: 'restarting' }, 'ok'), 'warning');
  });
});
