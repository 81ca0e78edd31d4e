import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { lintCompose } from '../../../src/core/lint/lint';
import { completeValues, cscsWordAt, hoverValues, valuesSymbols } from '../../../src/core/values/language';
import { lintValues } from '../../../src/core/values/lintValues';
import { parseValues } from '../../../src/core/values/parseValues';
import { detectFileKind } from '../../../src/core/values/recognise';
import { prng } from '../prng';

const catalogue = defaultCatalogue();
const DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'values');
const read = (p: string) => readFileSync(join(DIR, p), 'utf8');
const BASE = read('kafka-producers/values.yaml');
const SUMMIT = read('kafka-producers/values-summit.yaml');
const summit = () => lintValues({ text: SUMMIT, base: { text: BASE, path: 'values.yaml' } }, { catalogue });
const at = (text: string, d: { range: { start: number; end: number } }) => text.slice(d.range.start, d.range.end);

describe('values files: recognition', () => {
  it('by path: apps/kafka-producers/values*.yaml, even without producers', () => {
    assert.equal(detectFileKind('/r/apps/kafka-producers/values.yaml', 'producers: {}\n'), 'helmValues');
    assert.equal(detectFileKind('apps/kafka-producers/values-summit.yml', ''), 'helmValues');
  });

  it('by content: producers with cscs, at the root or under the sub-chart key', () => {
    assert.equal(detectFileKind('/tmp/site.yaml', SUMMIT), 'helmValues');
    assert.equal(detectFileKind('/tmp/site.yaml', read('subchart/kafka-producers/values.yaml')), 'helmValues');
    assert.equal(detectFileKind('/tmp/x.yaml', 'kafka-producers:\n  producers: [auxtel]\n  cscs:\n    auxtel: ATDome\n'), 'helmValues');
  });

  it('a compose file stays a compose file, also in a directory called kafka-producers', () => {
    const compose = 'services:\n  salkafka-m2:\n    environment:\n      - CSC_LIST=MTM2\n';
    assert.equal(detectFileKind('/r/kafka_writers/docker-compose.yaml', compose), 'compose');
    assert.equal(detectFileKind('/r/kafka-producers/docker-compose.yaml', compose), 'compose');
    assert.equal(detectFileKind('/tmp/x.yaml', 'producers:\n  a: 1\n'), 'compose');
  });
});

describe('values files: model', () => {
  it('maps every word of folded, literal, plain and quoted cscs to its exact source text', () => {
    const { producers, model } = parseValues({ text: SUMMIT });
    const words = (name: string) => producers.find((p) => p.name === name)!.service.cscList!.tokens.map((t) => (t.exact ? model.text.slice(t.range.start, t.range.end) : `~${t.text}`));
    assert.deepEqual(words('auxtel'), ['ATAOS', 'ATDome', 'ATDomeTrajectory', 'ATPtg', 'ATDome']);
    assert.deepEqual(words('maintel'), ['MTAOS', 'MTPtg', 'ATPtg']);
    assert.deepEqual(words('m2'), ['MTHexapod:1', 'MTHexapod:3', 'MTM2:3']);
    // Each repeated word maps to its own occurrence, not the first one.
    const auxtel = producers.find((p) => p.name === 'auxtel')!.service.cscList!.tokens;
    assert.notEqual(auxtel[1].range.start, auxtel[4].range.start);
  });

  it('marks words inexact where escapes make the mapping unsafe', () => {
    const { producers } = parseValues({ text: 'producers:\n  a:\n    cscs: "ATDome\\tATMCS"\n' });
    const tokens = producers[0].service.cscList!.tokens;
    assert.deepEqual(tokens.map((t) => [t.text, t.exact]), [['ATDome', false], ['ATMCS', false]]);
  });

  it('merges values.yaml under values-<env>.yaml as Helm does: override, keep, delete with null', () => {
    const { producers } = parseValues({ text: SUMMIT, base: { text: BASE } });
    const byName = new Map(producers.map((p) => [p.name, p]));
    assert.deepEqual([...byName.keys()].sort(), ['auxtel', 'eas', 'm1m3', 'm2', 'maintel']);
    assert.equal(byName.has('test'), false, 'test: null removes the base producer');
    const m1m3 = byName.get('m1m3')!;
    assert.equal(m1m3.cscsOrigin, 'base');
    assert.deepEqual(m1m3.service.cscList!.tokens.map((t) => t.kind), ['option', 'optionValue']);
    assert.equal(m1m3.service.env.get('PARTITIONS')!.value!.value, '3', 'producer env overrides the chart env');
    const auxtel = byName.get('auxtel')!.service;
    assert.equal(auxtel.env.get('PARTITIONS')!.value!.value, '1');
    assert.equal(auxtel.env.get('LSST_DDS_PARTITION_PREFIX')!.value!.value, 'summit');
    assert.equal(auxtel.env.get('BROKER_IP')!.value!.value, 'kafka-brokers.sasquatch', 'kept from values.yaml');
    assert.equal(auxtel.env.get('OSPL_INFOFILE')!.value!.value, '/tmp/ospl-info.log', 'extras maps merge');
    assert.equal(auxtel.env.get('LSST_DDS_RESPONSIVENESS_TIMEOUT')!.value!.value, '15s');
    assert.equal(auxtel.image!.value, 'ts-dockerhub.lsst.org/salkafka:c0039');
    assert.equal(SUMMIT.slice(auxtel.image!.range.start, auxtel.image!.range.end), 'c0039', 'image range is the tag in this file');
  });

  it('reads the 2020-2021 sub-chart shape with per-producer image and env overrides', () => {
    const text = read('subchart/kafka-producers/values-tucson-teststand.yaml');
    const { producers } = parseValues({ text, base: { text: read('subchart/kafka-producers/values.yaml') } });
    assert.deepEqual(producers.map((p) => p.name).sort(), ['eas', 'test']);
    const eas = producers.find((p) => p.name === 'eas')!.service;
    assert.equal(eas.image!.value, 'ts-dockerhub.lsst.org/salkafka:c0021');
    assert.equal(eas.env.get('LSST_DDS_PARTITION_PREFIX')!.value!.value, 'tts');
    assert.deepEqual(eas.cscList!.tokens.map((t) => t.text), ['DSM']);
    const test = producers.find((p) => p.name === 'test')!.service;
    assert.equal(test.image!.value, 'ts-dockerhub.lsst.org/salkafka:c0020', 'chart-wide tag from the site file');
    assert.equal(test.env.get('OSPL_INFOFILE')!.value!.value, '/tmp/ospl-info-kafka-producers.log');
  });
});

describe('values files: the CSC rules, never compose-*', () => {
  it('finds unknown names, duplicates, bad indices and double writing at the exact words', () => {
    const { diagnostics } = summit();
    const found = diagnostics.map((d) => `${d.code} ${at(SUMMIT, d)}`);
    assert.ok(found.includes('csc-unknown WeatherForcast'), found.join('\n'));
    assert.ok(found.includes('csc-duplicate ATDome'));
    assert.ok(found.includes('csc-index-invalid :3'), 'MTHexapod:3');
    assert.ok(found.includes('csc-index-not-indexed :3'), 'MTM2:3');
    assert.equal(found.filter((f) => f === 'csc-in-multiple-producers ATPtg').length, 2);
    assert.deepEqual(diagnostics.filter((d) => d.code.startsWith('compose-') || d.code.startsWith('env-') || d.code.startsWith('container-')), []);
    const unknown = diagnostics.find((d) => d.code === 'csc-unknown')!;
    assert.match(unknown.message, /WeatherForecast/);
    assert.equal(unknown.fixes?.[0].edits[0].newText, 'WeatherForecast');
    assert.doesNotMatch(diagnostics.map((d) => d.message).join('\n'), /CSC_LIST/, 'messages speak of cscs');
  });

  it('a compose file with the same text would be all compose-unknown-key errors; the values file has none', () => {
    const asCompose = lintCompose(SUMMIT, { catalogue }).diagnostics;
    assert.ok(asCompose.some((d) => d.code === 'compose-unknown-key'), 'the old behaviour this replaces');
  });

  it('the quick fix removes exactly one duplicate word of a folded scalar', () => {
    const dup = summit().diagnostics.find((d) => d.code === 'csc-duplicate')!;
    const edit = dup.fixes![0].edits[0];
    const fixed = SUMMIT.slice(0, edit.range.start) + edit.newText + SUMMIT.slice(edit.range.end);
    const again = lintValues({ text: fixed, base: { text: BASE } }, { catalogue }).diagnostics;
    assert.equal(again.filter((d) => d.code === 'csc-duplicate').length, 0);
    assert.match(fixed, /ATDomeTrajectory\n\s+ATPtg\n\s+eas:|ATPtg\n  eas:/);
  });

  it('a finding the merge creates on a values.yaml line is shown in the site file, once', () => {
    const base = 'producers:\n  auxtel:\n    cscs: >-\n      ATDome\n      ATMCS\n';
    const site = 'producers:\n  extra:\n    cscs: ATMCS\n';
    const { diagnostics } = lintValues({ text: site, base: { text: base, path: 'values.yaml' } }, { catalogue });
    const double = diagnostics.filter((d) => d.code === 'csc-in-multiple-producers');
    assert.equal(double.length, 2);
    assert.ok(double.every((d) => d.range.end <= site.length));
    assert.ok(double.some((d) => /^values\.yaml line 5: ATMCS is also written by extra/.test(d.message)), double.map((d) => d.message).join('\n'));
    // Findings values.yaml has by itself are not repeated in every site file.
    const alone = lintValues({ text: 'producers: {}\n', base: { text: base.replace('ATMCS', 'ATMCS ATMCS') } }, { catalogue }).diagnostics;
    assert.deepEqual(alone, []);
  });

  it('YAML syntax errors are reported, and nothing throws on broken input', () => {
    const broken = 'producers:\n  "m1m3"\n    cscs: >-\n      MTM1M3\n';
    const { diagnostics } = lintValues({ text: broken }, { catalogue });
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax'));
    for (const text of ['', ':', 'producers:', 'producers: [1, {a: b}]\ncscs: 3', 'producers:\n  a:\n    cscs:\n', '- 1\n- 2']) {
      assert.doesNotThrow(() => lintValues({ text, base: { text } }, { catalogue }));
    }
    const empty = lintValues({ text: 'producers:\n  a:\n    cscs:\n' }, { catalogue }).diagnostics;
    assert.deepEqual(empty.map((d) => d.code), ['csc-list-empty']);
  });
});

describe('values files: language features', () => {
  const cursor = (textWithCursor: string) => {
    const offset = textWithCursor.indexOf('|');
    const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
    return { text, offset, values: parseValues({ text }) };
  };

  it('completes CSC names on a new line of a folded cscs block and after cscs:', () => {
    const a = cursor('producers:\n  auxtel:\n    cscs: >-\n      ATDome\n      ATMC|\n  m2:\n    cscs: MTM2\n');
    const items = completeValues(a.values, a.offset, catalogue);
    assert.ok(items.some((i) => i.label === 'ATMCS'));
    assert.ok(!items.some((i) => i.label === 'ATDome'), 'already in this producer');
    assert.equal(a.text.slice(items[0].range.start, items[0].range.end), 'ATMC');
    const b = cursor('producers:\n  auxtel:\n    cscs: ATDome |\n  m2:\n    cscs: MTM2\n');
    const m2 = completeValues(b.values, b.offset, catalogue).find((i) => i.label === 'MTM2')!;
    assert.match(m2.detail!, /already in m2/);
  });

  it('offers nothing outside cscs', () => {
    for (const t of ['producers:\n  auxtel:\n    im|age: {}\n', 'image:\n  tag: c00|39\n', 'producers:\n  auxtel:\n    cscs: >-\n      ATDome\n  m|2:\n']) {
      const a = cursor(t);
      assert.equal(cscsWordAt(a.text, a.offset), undefined, t);
      assert.deepEqual(completeValues(a.values, a.offset, catalogue), []);
    }
  });

  it('hover on a CSC word of a folded block and on a chart env key', () => {
    const { values } = summit();
    const offset = SUMMIT.indexOf('ATDomeTrajectory') + 3;
    const h = hoverValues(values, offset, catalogue)!;
    assert.match(h.markdown, /\*\*ATDomeTrajectory\*\*/);
    assert.equal(SUMMIT.slice(h.range.start, h.range.end), 'ATDomeTrajectory');
    const env = hoverValues(values, SUMMIT.indexOf('lsstDdsPartitionPrefix') + 2, catalogue)!;
    assert.match(env.markdown, /LSST_DDS_PARTITION_PREFIX/);
  });

  it('outline: the producers this file names, with the CSCs of each', () => {
    const symbols = valuesSymbols(summit().values);
    assert.deepEqual(symbols.map((s) => s.name), ['auxtel', 'eas', 'maintel', 'm2', 'm1m3']);
    assert.deepEqual(symbols[0].children.map((c) => c.name), ['ATAOS', 'ATDome', 'ATDomeTrajectory', 'ATPtg', 'ATDome']);
    const m1m3 = symbols.find((s) => s.name === 'm1m3')!;
    assert.match(m1m3.detail, /from values\.yaml/);
    assert.deepEqual(m1m3.children, []);
  });
});

describe('values files: never throws, ranges stay in the file', () => {
  it('on 300 seeded mutations of a real-shaped site file merged over its values.yaml', () => {
    const random = prng(8);
    const pieces = ['\n', ' ', ':', '>-', '|', '"', "'", '- ', 'null', '~', '&a ', '*a', '<<: *a', '{', '[', '#', '\t', 'cscs: ', 'producers:'];
    for (let i = 0; i < 300; i++) {
      let text = SUMMIT;
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        const at = Math.floor(random() * text.length);
        text = random() < 0.3 ? text.slice(0, at) + text.slice(at + Math.floor(random() * 20)) : text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
      }
      const r = lintValues({ text, base: { text: BASE } }, { catalogue });
      for (const d of r.diagnostics) {
        assert.ok(d.range.start >= 0 && d.range.end <= text.length && d.range.start <= d.range.end, `${d.code} ${JSON.stringify(d.range)} outside ${text.length}`);
        for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(e.range.end <= text.length);
      }
    }
  });
});
