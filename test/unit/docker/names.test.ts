import { strict as assert } from 'assert';
import {
  InvalidNameError,
  isCscToken,
  validateContainerName,
  validateCscToken,
  validateServiceName,
} from '../../../src/core/remote/names';

const HOSTILE = [
  '',
  '-rf',
  '--rmi=all',
  '.hidden',
  '_x',
  'a b',
  'a;b',
  'a$(id)',
  'a`id`',
  "a'b",
  'a"b',
  'a\nb',
  'salkafka-m2\n',
  'a\0b',
  'a/b',
  '../etc',
  'ä',
  'x'.repeat(64),
];

describe('names validator', () => {
  it('accepts real service and container names', () => {
    for (const n of ['salkafka-m2', 'salkafka-at', 'salkafka_mtm1m3', 'a', 'A.b-c_d', '0x', 'x'.repeat(63)]) {
      assert.equal(validateServiceName(n), n);
      assert.equal(validateContainerName(n), n);
    }
  });

  it('rejects hostile service/container names with a message that shows the bad value', () => {
    for (const n of HOSTILE) {
      assert.throws(() => validateServiceName(n), (e: unknown) => e instanceof InvalidNameError && e.message.includes(JSON.stringify(n.slice(0, 80))), JSON.stringify(n));
      assert.throws(() => validateContainerName(n), InvalidNameError);
    }
    assert.throws(() => validateServiceName(undefined), /Invalid service name a undefined/);
  });

  it('accepts CSC tokens with optional index and rejects others', () => {
    for (const t of ['ATDome', 'MTM1M3', 'ESS:1', 'Test:42', 'GenericCamera:101']) assert.equal(validateCscToken(t), t);
    for (const t of ['1ATDome', 'AT-Dome', 'ESS:', 'ESS:x', 'ESS:1:2', ':1', '--file', 'ATDome ', 'A;B', 'ATDome\n']) {
      assert.throws(() => validateCscToken(t), InvalidNameError, JSON.stringify(t));
      assert.equal(isCscToken(t), false);
    }
  });
});
