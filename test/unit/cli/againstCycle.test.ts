import { strict as assert } from 'assert';
import { join } from 'path';
import { run } from '../../../src/cli/run';

const ROOT = join(__dirname, '..', '..', '..', '..');
const FIX = join(ROOT, 'test', 'fixtures', 'upgrade', 'argocd');

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('salkafka-lint --against-cycle (the upgrade pre-check)', () => {
  it('BTS before "Update to Cycle 37": Authorize in values-base-teststand.yaml is an error at its word, exit 1', () => {
    const dir = join(FIX, 'authorize-c0037-bts', 'kafka-producers');
    const r = cli(['--against-cycle', '37', '--format', 'json', join(dir, 'values-base-teststand.yaml')]);
    assert.equal(r.code, 1, r.err);
    const found = JSON.parse(r.out) as { line: number; column: number; severity: string; code: string; message: string }[];
    const auth = found.find((d) => d.code === 'cycle-missing');
    assert.ok(auth, r.out);
    assert.equal(auth.severity, 'error');
    assert.match(auth.message, /^authorize: Authorize is not in ts_xml 21\.0\.0 \(last in 20\.3\.0\); remove it\.$/);
    assert.match(r.err, /from c0036 \(ts_xml 20\.3\.0\) to cycle c0037 \(ts_xml 21\.0\.0\)/);
  });

  it('the same file against the cycle it ran (c0036) breaks nothing: exit 0', () => {
    const dir = join(FIX, 'authorize-c0037-bts', 'kafka-producers');
    const r = cli(['--against-cycle', 'c0036', join(dir, 'values-base-teststand.yaml')]);
    assert.equal(r.code, 0, r.out + r.err);
    assert.equal(r.out, '');
  });

  it('text output names the successor (TTS, MTAlignment → LaserTracker on c0029)', () => {
    const dir = join(FIX, 'mtalignment-c0029-tts', 'kafka-producers');
    const r = cli(['--against-cycle', 'c0029', join(dir, 'values-tucson-teststand.yaml')]);
    assert.equal(r.code, 1);
    assert.match(r.out, /values-tucson-teststand\.yaml:\d+:\d+ error cycle-missing mtalignment: MTAlignment is not in ts_xml 15\.0\.0 \(last in 14\.0\.0\); renamed LaserTracker in 15\.0\.0: write LaserTracker\./);
  });

  it('a compose file is pre-checked per producer image; an unknown cycle is bad usage (exit 2)', () => {
    const compose = join(ROOT, 'test', 'fixtures', 'real-shapes', 'summit-layout', 'summit', 'kafka_writers', 'docker-compose.yaml');
    const r = cli(['--against-cycle', 'c0037', compose]);
    assert.ok(r.code === 0 || r.code === 1);
    assert.match(r.err, /3 producers from c0017 \(ts_xml 7\.1\.0\), c0021 \(ts_xml 9\.1\.1\) to cycle c0037 \(ts_xml 21\.0\.0\)/);
    const bad = cli(['--against-cycle', 'c0999', compose]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /c0999 is not in ts_cycle_build's history/);
    assert.equal(cli(['--against-cycle', '', compose]).code, 2);
  });
});
