import * as assert from 'node:assert/strict';
import { parseLine } from '../../../src/core/logs/parseLine';
import { toWireLine } from '../../../src/features/logs/logLineView';

describe('log pane wire lines', () => {
  it('splits the timestamp off and classes lines for highlighting', () => {
    const ts = '2024-05-01T12:00:00.000000001Z';
    assert.deepEqual(toWireLine(parseLine(`${ts} seq=3 WARNING:salkafka.MTM2:position DDS read queue is filling: 95 of 100 elements`)),
      [ts, 'seq=3 WARNING:salkafka.MTM2:position DDS read queue is filling: 95 of 100 elements', 'q critical']);
    assert.deepEqual(toWireLine(parseLine('ERROR:salkafka:x python read queue is full (100 elements); data may be lost'))[2], 'q dataLoss');
    assert.equal(toWireLine(parseLine('WARNING:salkafka:slow'))[2], 'w');
    assert.equal(toWireLine(parseLine('ERROR:salkafka:boom'))[2], 'e');
    assert.equal(toWireLine(parseLine('INFO:salkafka:Running'))[2], 'l');
    assert.deepEqual(toWireLine(parseLine('plain')), ['', 'plain', '']);
  });
});
