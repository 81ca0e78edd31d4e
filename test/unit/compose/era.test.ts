import { strict as assert } from 'assert';
import { Catalogue } from '../../../src/core/catalogue/catalogue';
import { defaultCatalogue, defaultHistory } from '../../../src/core/catalogue/defaultCatalogue';
import { releaseForImageTag } from '../../../src/core/catalogue/producerRelease';
import type { CscToken } from '../../../src/core/compose/model';
import type { Diagnostic } from '../../../src/core/lint/diagnostic';
import { reportMissingName } from '../../../src/core/lint/rules/cscEra';
import { parseEnvFile } from '../../../src/core/compose/envFile';
import { composeFile, fixture, lint, only, producer } from './helpers';

/** Findings that are about CSC names (the era), as [code, severity, token]. */
const era = (l: ReturnType<typeof lint>) =>
  l.spans.filter((s) => /^csc-(unknown|retired|not-in-image|era-conflict)$|^image-xml-unknown$/.test(s.code)).map((s) => [s.code, s.severity, s.text]);

describe('era-aware CSC names: each producer against the ts_xml inside its own image', () => {
  const y2020 = fixture('era/kafka_writers-2020.yaml');

  it('late-2020 file, CYCLE=c0015 (ts_xml 6.2.1): Rotator, Hexapod, Dome, NewMTMount are right; WeatherStation is not there yet', () => {
    const l = lint(y2020, { variables: { CYCLE: 'c0015' } });
    assert.deepEqual(era(l), [['csc-not-in-image', 'error', 'WeatherStation']]);
    assert.equal(only(l, 'csc-not-in-image')[0].message, 'WeatherStation is not in ts_xml 6.2.1 (image salkafka:c0015); it first appears in 7.0.0. The producer cannot start with it.');
    assert.equal(l.diagnostics.find((d) => d.code === 'csc-not-in-image')?.fixes, undefined);
  });

  it('the same file on c0017 (ts_xml 7.1.0): the pre-rename names are errors naming their successors, with the fix', () => {
    const l = lint(y2020, { variables: { CYCLE: 'c0017' } });
    assert.deepEqual(era(l), [
      ['csc-not-in-image', 'error', 'Rotator'],
      ['csc-not-in-image', 'error', 'Hexapod'],
      ['csc-not-in-image', 'error', 'Dome'],
      ['csc-not-in-image', 'error', 'NewMTMount'],
    ]);
    const [rot] = only(l, 'csc-not-in-image');
    assert.equal(rot.message, 'Rotator is not in ts_xml 7.1.0 (image salkafka:c0017); it was last in 6.2.1 and is now MTRotator. The producer cannot start with it.');
    const fix = l.diagnostics.find((d) => d.code === 'csc-not-in-image')!.fixes![0];
    assert.deepEqual([fix.title, fix.edits[0].newText], ['Replace with MTRotator', 'MTRotator']);
    // NewMTMount's successor MTMount is already listed: its message says when it went.
    assert.match(only(l, 'csc-not-in-image')[3].message, /NewMTMount is not in ts_xml 7\.1\.0 .* it was last in 7\.0\.0/);
  });

  it('CYCLE unset: one note for the file, names of some releases are information, both sides of the 7.0 rename under one image are an error', () => {
    const l = lint(y2020, { variables: {} });
    const found = era(l);
    assert.deepEqual(found.filter(([c]) => c === 'image-xml-unknown').length, 1, 'said once per file');
    assert.deepEqual(found, [
      ['image-xml-unknown', 'info', 'ts-dockerhub.lsst.org/salkafka:${CYCLE}'],
      ['csc-retired', 'info', 'Rotator'],
      ['csc-retired', 'info', 'Hexapod'],
      ['csc-retired', 'info', 'Dome'],
      ['csc-retired', 'info', 'NewMTMount'],
      ['csc-retired', 'info', 'WeatherStation'],
      ['csc-era-conflict', 'error', 'WeatherStation'],
    ]);
    assert.match(only(l, 'image-xml-unknown')[0].message, /salkafka-m2 carries \(CYCLE is unset\), nor for 3 other producers/);
    assert.match(only(l, 'csc-retired')[0].message, /^Rotator exists only in ts_xml 3\.8–6\.2\.1; it is now MTRotator\./);
    assert.match(
      only(l, 'csc-era-conflict')[0].message,
      /^No ts_xml release has both Rotator and WeatherStation \(Rotator exists in 3\.8–6\.2\.1, WeatherStation in 7\.0\.0–16\.0\.0\); producers on image ts-dockerhub\.lsst\.org\/salkafka:\$\{CYCLE\} run one release/,
    );
  });

  it('names from both sides of the rename in one producer, version unknown: the conflict is found without a hand list', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2 Rotator MTRotator')), { variables: {} });
    assert.deepEqual(only(l, 'csc-era-conflict').map((s) => s.text), ['MTRotator']);
    // Different images run different releases: no conflict across them.
    const two = composeFile(producer('salkafka-a', 'Rotator'), producer('salkafka-b', 'MTRotator').replace('${CYCLE}', '${CYCLE_B}'));
    assert.deepEqual(only(lint(two, { variables: {} }), 'csc-era-conflict'), []);
  });

  it('2021 summit file: one CYCLE_<GROUP> per producer from setup.env, each checked against its own cycle', () => {
    const l = lint(fixture('era/kafka_writers-2021.yaml'), { variables: parseEnvFile(fixture('era/setup-2021.env')) });
    // c0017 = 7.1.0 for auxtel/latiss/maintel, c0021 = 9.1.1 for eas: all these names exist there.
    assert.deepEqual(era(l), []);
    const later = lint(fixture('era/kafka_writers-2021.yaml'), { variables: { ...parseEnvFile(fixture('era/setup-2021.env')), CYCLE_LATISS: 'c0029', CYCLE_EAS: 'c0031' } });
    assert.deepEqual(era(later), [
      ['csc-not-in-image', 'error', 'WeatherStation'],
    ]);
    assert.match(only(later, 'csc-not-in-image')[0].message, /WeatherStation is not in ts_xml 17\.0\.1 \(image salkafka:c0031\); it was last in 16\.0\.0\./);
    const archiver = lint(fixture('era/kafka_writers-2021.yaml'), { variables: { ...parseEnvFile(fixture('era/setup-2021.env')), CYCLE_LATISS: 'c0030' } });
    assert.match(only(archiver, 'csc-not-in-image')[0].message, /ATArchiver is not in ts_xml 16\.0\.0 \(image salkafka:c0030\); it was last in 15\.0\.0\./);
  });

  it('NCSA 2020 versioned builds: the xml version in the tag, also in the positional salkafka_salobj_idl_sal_xml form', () => {
    const l = lint(fixture('era/ncsa-2020.yaml'), { variables: {} });
    assert.deepEqual(era(l), [['csc-not-in-image', 'error', 'ESS']]);
    assert.match(only(l, 'csc-not-in-image')[0].message, /ESS is not in ts_xml 4\.7\.0 \(image salkafka:v1\.1\.0_salobj_v5\.4\.0_xml_v4\.7\.0\); it first appears in 5\.0\.0\./);
  });

  it('index enumerations follow the release: MTHexapod:2 was m2msHexapod in 7.1.0; an index the release lacks is still an error', () => {
    assert.deepEqual(lint(composeFile(producer('salkafka-m2', 'MTHexapod:1 MTHexapod:2')), { variables: { CYCLE: 'c0017' } }).codes, []);
    assert.deepEqual(lint(composeFile(producer('salkafka-m2', 'MTHexapod:3')), { variables: { CYCLE: 'c0017' } }).codes, ['csc-index-invalid']);
    // ATDome was indexed (fixed, portable) in 3.8.36–3.10.2, not in 4.0.0.
    const v = defaultHistory().catalogueAt(defaultHistory().indexOf('3.9')!).get('ATDome');
    assert.equal(v?.index.kind, 'named');
  });

  it('a never-existing name is an error whatever the version; suggestions come from the image release', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'Rotatr')), { variables: { CYCLE: 'c0015' } });
    assert.deepEqual(era(l), [['csc-unknown', 'error', 'Rotatr']]);
    assert.match(only(l, 'csc-unknown')[0].message, /Did you mean Rotator\? No ts_xml release has it/);
    const unresolved = lint(composeFile(producer('salkafka-m2', 'Zzqxw')), { variables: {} });
    assert.deepEqual(era(unresolved).map(([c, s]) => [c, s]), [['image-xml-unknown', 'info'], ['csc-unknown', 'error']]);
  });

  it('a cycle older than ts_cycle_build and a tag without ts_xml: the reason is in the note', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'Rotator')), { variables: { CYCLE: 'c0009' } });
    assert.match(only(l, 'image-xml-unknown')[0].message, /cycle c0009 is not in ts_cycle_build's history/);
    const dm = lint(composeFile(producer('salkafka-m2', 'Rotator').replace('salkafka:${CYCLE}', 'salkafka:DM-20991')));
    assert.match(only(dm, 'image-xml-unknown')[0].message, /"DM-20991" names neither a cycle nor a ts_xml version/);
  });

  it('a user catalogue file is an explicit override: used as written for every producer, no era findings', () => {
    const catalogue = Catalogue.fromJson({ components: [{ name: 'Rotator' }, { name: 'WeatherStation' }], retired: [] });
    const l = lint(y2020, { variables: { CYCLE: 'c0017' }, catalogue });
    assert.deepEqual(only(l, 'csc-not-in-image'), []);
    assert.deepEqual(only(l, 'image-xml-unknown'), []);
    assert.ok(only(l, 'csc-unknown').some((s) => s.text === 'Hexapod'));
  });

  it('connected: a catalogue read from the image wins over the tag', () => {
    const fromImage = Catalogue.fromJson({ components: [{ name: 'MTM2' }, { name: 'Rotator' }, { name: 'Hexapod' }], retired: [] });
    const l = lint(composeFile(producer('salkafka-m2', 'MTM2 Rotator Hexapod MTRotator')), {
      variables: { CYCLE: 'c0017' },
      imageCatalogue: (image) => (image === 'ts-dockerhub.lsst.org/salkafka:c0017' ? { catalogue: fromImage, label: 'ts_xml 6.2.1', version: '6.2.1' } : undefined),
    });
    assert.deepEqual(era(l), [['csc-not-in-image', 'error', 'MTRotator']]);
    assert.match(only(l, 'csc-not-in-image')[0].message, /MTRotator is not in ts_xml 6\.2\.1 \(read from image salkafka:c0017\); it first appears in 7\.0\.0/);
  });

  it('the API for Helm values files: a bare image.tag and the same messages', () => {
    const h = defaultHistory();
    const newest = defaultCatalogue();
    const token = (name: string): CscToken => ({ text: name, kind: 'csc', name, range: { start: 10, end: 10 + name.length }, exact: true });
    const check = (tag: string | undefined, name: string) => {
      const out: Diagnostic[] = [];
      const { scope, unknown } = releaseForImageTag(tag, h, newest);
      if (!scope.catalogue.get(name) && !reportMissingName(token(name), scope, h, newest, (d) => out.push(d))) out.push({ code: 'csc-unknown', severity: 'error', message: '', range: token(name).range });
      return { unknown, found: out.map((d) => [d.code, d.severity, d.message]) };
    };
    assert.deepEqual(check('c0034', 'MTRotator'), { unknown: undefined, found: [] });
    assert.deepEqual(check('c0034', 'WeatherStation').found, [['csc-not-in-image', 'error', 'WeatherStation is not in ts_xml 20.1.0 (image salkafka:c0034); it was last in 16.0.0. The producer cannot start with it.']]);
    assert.deepEqual(check('v1.1.0_salobj_v5.4.0_xml_v4.7.0', 'Rotator').found, []);
    const unknown = check(undefined, 'Rotator');
    assert.equal(unknown.unknown, 'no image tag');
    assert.deepEqual(unknown.found.map(([c, s]) => [c, s]), [['csc-retired', 'info']]);
    assert.deepEqual(check('c0034', 'Nonesuch').found.map(([c]) => c), ['csc-unknown']);
  });
});
