import { strict as assert } from 'assert';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { planApply, planLifecycle } from '../../../src/core/ops/plan';
import { DEFAULT_GRACE_SECONDS, parseComposeDuration, stopGraceFor } from '../../../src/core/ops/stopGrace';
import { COMPOSE, ctx } from './fixtures';

const svc = (block: string) =>
  parseCompose(`services:\n  salkafka-x:\n    image: i\n${block}    environment:\n      - CSC_LIST=MTM2\n`).services[0];

describe('stop grace (ts_salkafka SIGTERM shutdown)', () => {
  it('reads compose durations the way docker-compose writes them', () => {
    assert.equal(parseComposeDuration('1m30s'), 90);
    assert.equal(parseComposeDuration('45s'), 45);
    assert.equal(parseComposeDuration('1.5s'), 1.5);
    assert.equal(parseComposeDuration('500ms'), 0.5);
    assert.equal(parseComposeDuration('2h'), 7200);
    assert.equal(parseComposeDuration('20'), 20);
    assert.equal(parseComposeDuration(12), 12);
    assert.equal(parseComposeDuration('ten seconds'), undefined);
    assert.equal(parseComposeDuration('10x'), undefined);
    assert.equal(parseComposeDuration(''), undefined);
  });

  it('is the default unless stop_grace_period is longer; unreadable values are reported', () => {
    assert.deepEqual(stopGraceFor(svc('')), { seconds: DEFAULT_GRACE_SECONDS, source: 'default' });
    assert.deepEqual(stopGraceFor(svc('    stop_grace_period: 5s\n')), { seconds: DEFAULT_GRACE_SECONDS, source: 'default' });
    assert.deepEqual(stopGraceFor(svc('    stop_grace_period: 1m30s\n')), { seconds: 90, source: 'stop_grace_period' });
    assert.deepEqual(stopGraceFor(svc('    stop_grace_period: 40.2s\n')), { seconds: 41, source: 'stop_grace_period' });
    assert.deepEqual(stopGraceFor(svc('    stop_grace_period: soon\n')), { seconds: DEFAULT_GRACE_SECONDS, source: 'default', unreadable: 'soon' });
    assert.equal(stopGraceFor(svc('    stop_grace_period: 9999h\n')).seconds, 86_400);
  });

  it('Stop, Restart and Apply pass -t with the grace and say why in the plan; Start does not', () => {
    const stop = planLifecycle(ctx(), 'stop', 'salkafka-m2');
    assert.deepEqual(stop.commands[0].argv.slice(-4), ['stop', '-t', String(DEFAULT_GRACE_SECONDS), 'salkafka-m2']);
    assert.match(stop.commands[0].purpose, /30 s grace for its SIGTERM shutdown/);
    assert.match(stop.warnings.join('\n'), /salkafka-m2 gets 30 s .*"Shutting down".*"Done"/);
    const restart = planLifecycle(ctx(), 'restart', 'salkafka-m2');
    assert.deepEqual(restart.commands[0].argv.slice(-4), ['restart', '-t', '30', 'salkafka-m2']);
    const apply = planApply(ctx(), 'salkafka-m2');
    assert.deepEqual(apply.commands[0].argv.slice(-6), ['up', '-d', '--no-deps', '-t', '30', 'salkafka-m2']);
    assert.match(apply.warnings.join('\n'), /gets 30 s/);
    const start = planLifecycle(ctx(), 'start', 'salkafka-eas');
    assert.doesNotMatch(start.warnings.join('\n'), /SIGTERM/);
  });

  it("a service's longer stop_grace_period wins, since docker-compose's -t would replace it", () => {
    const text = COMPOSE.replace('    container_name: salkafka-m2\n', '    container_name: salkafka-m2\n    stop_grace_period: 2m\n');
    assert.notEqual(text, COMPOSE, 'fixture has a salkafka-m2 block');
    const c = ctx({ composeContent: Buffer.from(text) });
    const stop = planLifecycle(c, 'stop', 'salkafka-m2');
    assert.deepEqual(stop.commands[0].argv.slice(-4), ['stop', '-t', '120', 'salkafka-m2']);
    assert.match(stop.warnings.join('\n'), /120 s \(the service's stop_grace_period\)/);
    assert.deepEqual(planApply(c, 'salkafka-m2').commands[0].argv.slice(-3), ['-t', '120', 'salkafka-m2']);
  });
});
