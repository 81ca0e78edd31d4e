import { strict as assert } from 'assert';
import { backoffDelay } from '../../../src/core/ssh/backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay with jitter in [half, full]', () => {
    for (let a = 0; a < 5; a++) {
      const full = 1000 * 2 ** a;
      assert.equal(backoffDelay(a, { random: () => 0 }), full / 2);
      assert.equal(backoffDelay(a, { random: () => 1 }), full);
    }
  });
  it('caps at ~30 s however many attempts failed', () => {
    assert.equal(backoffDelay(50, { random: () => 1 }), 30_000);
    assert.equal(backoffDelay(50, { random: () => 0 }), 15_000);
    for (let i = 0; i < 100; i++) assert.ok(backoffDelay(20) <= 30_000);
  });
});
