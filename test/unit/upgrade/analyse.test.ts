import { strict as assert } from 'assert';
import { existsSync, readFileSync, statSync } from 'fs';
import { join } from 'path';
import { defaultHistory } from '../../../src/core/catalogue/defaultCatalogue';
import { discoverEnvSync, type SyncEnvReader } from '../../../src/core/compose/envDiscovery';
import { parseEnvFile } from '../../../src/core/compose/envFile';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { analyseUpgrade, type UpgradeComposeInput } from '../../../src/core/upgrade/analyse';
import { envAssignment, tagSpan } from '../../../src/core/upgrade/location';
import { cycleChoices, resolveTarget } from '../../../src/core/upgrade/target';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SUMMIT = join(ROOT, 'test', 'fixtures', 'real-shapes', 'summit-layout', 'summit', 'kafka_writers');
const fsReader: SyncEnvReader = {
  readText: (p) => (existsSync(p) && statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined),
  exists: (p) => existsSync(p),
};

function summit(): { composes: UpgradeComposeInput[]; envTexts: Record<string, string> } {
  const composes = ['docker-compose.yaml', 'docker-compose-eas.yaml'].map((f) => {
    const path = join(SUMMIT, f);
    const text = readFileSync(path, 'utf8');
    return { path, text, discovery: discoverEnvSync(path, text, fsReader) };
  });
  const envTexts: Record<string, string> = {};
  for (const c of composes) for (const f of c.discovery.files) envTexts[f.path] = readFileSync(f.path, 'utf8');
  return { composes, envTexts };
}

/** A compose file written as docker-compose-ops writes the test stands': the tag literal in the file. */
const LITERAL = `# TTS producers
services:
  salkafka-mtalignment:
    image: "lsstts/salkafka:c0028"   # bumped every cycle
    environment:
      - CSC_LIST=MTAlignment  MTM2   # alignment first
      - LSST_DDS_DOMAIN_ID=0
  salkafka-hexapod:
    image: lsstts/salkafka:c0028
    environment:
      - CSC_LIST=MTHexapod:1 MTHexapod:2
  salkafka-other:
    image: lsstts/salkafka:c0027
    environment:
      - CSC_LIST=ATDome
`;

describe('upgrade analysis: where the cycle lives, what each producer loses, the exact edits', () => {
  const h = defaultHistory();

  it('targets: a cycle of the shipped history by name or number, a tag resolved like any image tag, unknown ones refused', () => {
    assert.deepEqual(pick(resolveTarget('29', h)), { tag: 'c0029', version: '15.0.0' });
    assert.deepEqual(pick(resolveTarget('Cycle 37', h)), { tag: 'c0037', version: '21.0.0' });
    assert.deepEqual(pick(resolveTarget('v1.1.0_salobj_v5.7.0_xml_4.8.0', h)), { tag: 'v1.1.0_salobj_v5.7.0_xml_4.8.0', version: '4.8.0' });
    const unknown = resolveTarget('c0999', h);
    assert.equal(unknown.ok, false);
    assert.match(!unknown.ok ? unknown.reason : '', /not in ts_cycle_build's history/);
    assert.equal(resolveTarget('latest', h).ok, false);
    assert.equal(resolveTarget('c0029; rm -rf /', h).ok, false, 'a hostile "tag" is refused before it reaches a file');
    const choices = cycleChoices(h);
    assert.equal(choices[0].cycle, 'c0044');
    assert.ok(choices.some((c) => c.cycle === 'k0001' && c.version === '21.0.0'));
  });

  it('finds the tag after the last colon outside ${…}, and the last assignment of a variable in an env file', () => {
    assert.deepEqual(tagSpan('host:5000/salkafka:${CYCLE:-c0020}'), { start: 19, end: 34 });
    assert.equal(tagSpan('host:5000/salkafka'), undefined);
    assert.equal(tagSpan('salkafka@sha256:abc'), undefined);
    const env = '# cycles\nexport CYCLE=c0020\nexport CYCLE="c0021"  # the one in force\nCYCLE_X=c1\n';
    const a = envAssignment(env, 'CYCLE')!;
    assert.equal(a.value, 'c0021');
    assert.equal(a.line, 3);
    assert.equal(env.slice(a.range.start, a.range.end), 'c0021');
  });

  it('a variable in setup_kp.env (the summit layout): edits exactly that line, says which producers share it, moves them along', () => {
    const { composes, envTexts } = summit();
    const a = analyseUpgrade({ composes, envTexts, target: 'c0026', select: [{ composePath: composes[0].path, service: 'salkafka-eas' }], history: h });
    assert.deepEqual(a.problems, []);
    const eas = a.producers.find((p) => p.service === 'salkafka-eas' && p.reason === 'selected')!;
    assert.equal(eas.location.kind, 'variable');
    assert.equal(eas.location.kind === 'variable' && eas.location.variable, 'CYCLE_EAS');
    assert.ok(eas.location.kind === 'variable' && eas.location.file.endsWith('summit/setup_kp.env'), 'the nearer env file that sets it, not the repository root one');
    assert.equal(eas.xmlBefore, '9.1.1');
    assert.equal(eas.xmlAfter, '12.0.0');
    assert.deepEqual(eas.sharedWith, ['docker-compose-eas.yaml: salkafka-eas']);
    assert.ok(a.producers.some((p) => p.reason === 'shares-cycle' && p.composePath.endsWith('docker-compose-eas.yaml')));
    assert.match(a.notes.join('\n'), /Also moved.*CYCLE_EAS in setup_kp.env line 4/);
    // One file changes, one line of it; auxtel and latiss (CYCLE_AUXTEL, CYCLE_LATISS) stay.
    assert.equal(a.edits.length, 1);
    const e = a.edits[0];
    assert.equal(e.role, 'env');
    const oldLines = e.oldText.split('\n');
    const newLines = e.newText.split('\n');
    assert.deepEqual(newLines.map((l, i) => (l === oldLines[i] ? '' : l)).filter(Boolean), ['export CYCLE_EAS=c0026']);
    assert.equal(parseEnvFile(e.newText).CYCLE_AUXTEL, 'c0017');
    assert.ok(!a.producers.some((p) => p.service === 'salkafka-auxtel'));
  });

  it('a tag literal in the compose file: the tag and a CSC the target lacks change in the same edit, comments and quoting kept', () => {
    const path = '/deploy/kafka_writers/docker-compose.yaml';
    const a = analyseUpgrade({
      composes: [{ path, text: LITERAL, discovery: { origin: {}, variables: {}, files: [] } }],
      envTexts: {},
      target: 'c0029',
      select: [
        { composePath: path, service: 'salkafka-mtalignment' },
        { composePath: path, service: 'salkafka-hexapod' },
      ],
      history: h,
    });
    assert.deepEqual(a.problems, []);
    const mta = a.producers.find((p) => p.service === 'salkafka-mtalignment')!;
    assert.equal(mta.xmlBefore, '14.0.0');
    assert.equal(mta.changes.length, 1);
    assert.equal(mta.changes[0].successor, 'LaserTracker');
    assert.deepEqual(mta.cscsAfter, ['LaserTracker', 'MTM2']);
    assert.equal(mta.location.kind, 'literal');
    assert.equal(a.edits.length, 1);
    const text = a.edits[0].newText;
    assert.equal(
      text,
      LITERAL.replace('"lsstts/salkafka:c0028"', '"lsstts/salkafka:c0029"')
        .replace('lsstts/salkafka:c0028\n', 'lsstts/salkafka:c0029\n')
        .replace('CSC_LIST=MTAlignment  MTM2', 'CSC_LIST=LaserTracker  MTM2'),
    );
    assert.deepEqual(a.edits[0].what.sort(), ['image tag of salkafka-hexapod: c0028 → c0029', 'image tag of salkafka-mtalignment: c0028 → c0029', 'salkafka-mtalignment: CSC MTAlignment → LaserTracker'].sort());
    // The producer on its own literal tag is not touched.
    assert.ok(!a.producers.some((p) => p.service === 'salkafka-other'));
    assert.match(text, /lsstts\/salkafka:c0027/);
    const after = parseCompose(text).services.find((s) => s.name === 'salkafka-mtalignment')!;
    assert.equal(after.image?.interpolated, 'lsstts/salkafka:c0029');
  });

  it('a CSC with no successor is removed (AdamSensors on c0026); a producer left with none is refused, not emptied', () => {
    const text = 'services:\n  salkafka-eas:\n    image: lsstts/salkafka:c0025\n    environment:\n      - CSC_LIST=AdamSensors DIMM\n  salkafka-adam:\n    image: lsstts/salkafka:c0025\n    environment:\n      - CSC_LIST=AdamSensors\n';
    const path = '/d/docker-compose.yaml';
    const base = { composes: [{ path, text, discovery: { origin: {}, variables: {}, files: [] } }], envTexts: {}, target: 'c0026', history: h };
    const one = analyseUpgrade({ ...base, select: [{ composePath: path, service: 'salkafka-eas' }] });
    assert.deepEqual(one.problems, []);
    assert.match(one.edits[0].newText, /CSC_LIST=DIMM\n/);
    assert.match(one.producers[0].changes[0].detail, /AdamSensors is not in ts_xml 12.0.0 \(last in 11.1.1\); remove it/);
    const both = analyseUpgrade(base);
    assert.equal(both.edits.length, 0);
    assert.match(both.problems.join('\n'), /salkafka-adam: none of its CSCs \(AdamSensors\) is in ts_xml 12.0.0/);
  });

  it('refuses what it cannot edit exactly: an unknown target, a tag built from parts, a variable only the shell sets; a ${VAR:-default} edits the default', () => {
    const path = '/d/docker-compose.yaml';
    const compose = (image: string, variables: Record<string, string> = {}, origin: Record<string, string> = {}) => ({
      composes: [{ path, text: `services:\n  salkafka-a:\n    image: ${image}\n    environment:\n      - CSC_LIST=ATDome\n`, discovery: { origin, variables, files: [] } }],
      envTexts: {},
      history: h,
    });
    assert.match(analyseUpgrade({ ...compose('lsstts/salkafka:c0028'), target: 'c0999' }).problems[0], /Unknown target "c0999"/);
    assert.match(analyseUpgrade({ ...compose('lsstts/salkafka:${CYCLE}${REV}', { CYCLE: 'c0028', REV: '' }), target: 'c0029' }).problems[0], /built from several parts/);
    assert.match(analyseUpgrade({ ...compose('lsstts/salkafka:${CYCLE}', { CYCLE: 'c0028' }, { CYCLE: 'shell' }), target: 'c0029' }).problems[0], /login shell/);
    const d = analyseUpgrade({ ...compose('lsstts/salkafka:${CYCLE:-c0028}'), target: 'c0029' });
    assert.deepEqual(d.problems, []);
    assert.match(d.edits[0].newText, /image: lsstts\/salkafka:\$\{CYCLE:-c0029\}/);
  });

  it('an index enumeration that changed meaning is a note, not an edit (MTHexapod m2msHexapod → M2Hexapod in 10.1.0); a refused index is an edit', () => {
    const path = '/d/docker-compose.yaml';
    const text = 'services:\n  salkafka-hexapod:\n    image: lsstts/salkafka:c0017\n    environment:\n      - CSC_LIST=MTHexapod:2 ATDome\n';
    const a = analyseUpgrade({ composes: [{ path, text, discovery: { origin: {}, variables: {}, files: [] } }], envTexts: {}, target: 'c0023', history: h });
    assert.deepEqual(a.problems, []);
    assert.equal(a.producers[0].changes[0].kind, 'index-changed');
    assert.equal(a.producers[0].changes[0].breaking, false);
    assert.match(a.notes.join('\n'), /MTHexapod: index enumeration changed from ts_xml 7.1.0 to 10.1.0 \(1=CameraHexapod, 2=m2msHexapod → 1=CameraHexapod, 2=M2Hexapod\)/);
    assert.deepEqual(a.edits[0].what, ['image tag of salkafka-hexapod: c0017 → c0023']);
    const bad = analyseUpgrade({ composes: [{ path, text: text.replace('MTHexapod:2', 'MTHexapod:3'), discovery: { origin: {}, variables: {}, files: [] } }], envTexts: {}, target: 'c0023', history: h });
    assert.equal(bad.producers[0].changes[0].kind, 'index-invalid');
    assert.match(bad.edits[0].newText, /CSC_LIST=MTHexapod ATDome/);
  });

  it('a chained variable (CYCLE_EAS=${CYCLE}) is edited where CYCLE is set', () => {
    const path = '/d/kw/docker-compose.yaml';
    const env = '/d/setup.env';
    const envText = 'export CYCLE=c0028\nexport CYCLE_EAS=${CYCLE}\n';
    const a = analyseUpgrade({
      composes: [{ path, text: 'services:\n  salkafka-eas:\n    image: lsstts/salkafka:${CYCLE_EAS}\n    environment:\n      - CSC_LIST=DIMM\n', discovery: { origin: { CYCLE: env, CYCLE_EAS: env }, variables: { CYCLE: 'c0028', CYCLE_EAS: 'c0028' }, files: [{ path: env, kind: 'header', name: 'setup.env', variables: { CYCLE: 'c0028', CYCLE_EAS: 'c0028' } }] } }],
      envTexts: { [env]: envText },
      target: 'c0029',
      history: h,
    });
    assert.deepEqual(a.problems, []);
    assert.equal(a.edits[0].newText, 'export CYCLE=c0029\nexport CYCLE_EAS=${CYCLE}\n');
  });
});

function pick(t: ReturnType<typeof resolveTarget>) {
  return t.ok ? { tag: t.tag, version: t.version } : { reason: t.reason };
}
