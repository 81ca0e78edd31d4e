import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { Catalogue, type CatalogueJson } from '../../../src/core/catalogue/catalogue';
import { defaultCatalogue, defaultHistory } from '../../../src/core/catalogue/defaultCatalogue';
import { imageTagOf, resolveImage, resolveImageTag } from '../../../src/core/catalogue/imageTag';

const ROOT = join(__dirname, '..', '..', '..', '..');

// Facts checked by hand in the public repositories (git show <tag>:…/SALSubsystems.xml,
// git show <cycle tag>:cycle/cycle.env) and expected of the shipped sal-history.json.
describe('versioned SAL catalogue (shipped sal-history.json)', () => {
  const h = defaultHistory();
  const v = (i: number | undefined) => (i === undefined ? undefined : h.versions[i]);

  it('covers the ts_xml releases from 3.7.1 to the newest, in version order, without duplicates', () => {
    assert.equal(h.versions[0], '3.7.1');
    assert.ok(h.versions.includes('6.2.1') && h.versions.includes('7.0.0') && h.versions.includes('10.0.0'));
    assert.ok(!h.versions.includes('10.0'), 'v10.0 and v10.0.0 are one release');
    assert.equal(new Set(h.versions).size, h.versions.length);
    assert.equal(h.indexOf('10.0'), h.indexOf('10.0.0'));
    assert.equal(h.indexOf('v4.7.0'), h.versions.indexOf('4.7.0'));
  });

  it('the ts_xml 7.0 renames: Rotator last in 6.2.1, MTRotator first in 7.0.0; Environment → WeatherStation', () => {
    assert.equal(v(h.lastIndex('Rotator')), '6.2.1');
    assert.equal(v(h.firstIndex('MTRotator')), '7.0.0');
    assert.equal(v(h.lastIndex('Hexapod')), '6.2.1');
    assert.equal(v(h.firstIndex('MTHexapod')), '7.0.0');
    assert.equal(v(h.lastIndex('Dome')), '6.2.1');
    assert.equal(v(h.firstIndex('WeatherStation')), '7.0.0');
    assert.equal(v(h.lastIndex('WeatherStation')), '16.0.0');
    assert.equal(v(h.firstIndex('NewMTMount')), '4.8.0');
    assert.equal(v(h.lastIndex('NewMTMount')), '7.0.0');
    assert.equal(v(h.firstIndex('ESS')), '5.0.0');
    assert.equal(v(h.lastIndex('ATArchiver')), '15.0.0');
    // Derived from the history (same description, or a prefix added), not from a hand list.
    const renames = new Map(h.renames().map((r) => [r.from, r.to]));
    assert.equal(renames.get('Rotator'), 'MTRotator');
    assert.equal(renames.get('Hexapod'), 'MTHexapod');
    assert.equal(renames.get('Dome'), 'MTDome');
    assert.equal(renames.get('Environment'), 'WeatherStation');
    assert.equal(h.successor('rotator'), 'MTRotator', 'the shipped replacements win over a one-step rename');
    // A rename only the release notes tell (15.0.0: "Renamed MTAlignment to LaserTracker", new description).
    assert.equal(renames.get('MTAlignment'), 'LaserTracker');
    assert.equal(h.successor('MTAlignment'), 'LaserTracker');
    assert.equal(h.successor('AdamSensors'), undefined, 'dropped in 12.0.0 with no successor');
  });

  it('the catalogue of one release has its own names and index enumerations (MTHexapod m2msHexapod → M2Hexapod in 10.1.0)', () => {
    const at621 = h.catalogueAt(h.indexOf('6.2.1')!);
    assert.ok(at621.get('Rotator') && at621.get('Environment') && !at621.get('WeatherStation') && !at621.get('MTRotator'));
    assert.equal(at621.retired('ATScheduler'), undefined, 'a name no release had is not "retired" in a release');
    const at710 = h.catalogueAt(h.indexOf('7.1.0')!);
    assert.deepEqual(at710.retired('Rotator'), { name: 'Rotator', replacement: 'MTRotator' });
    assert.deepEqual(at710.get('MTHexapod')?.index, { kind: 'named', values: [{ name: 'CameraHexapod', value: 1 }, { name: 'm2msHexapod', value: 2 }] });
    const at101 = h.catalogueAt(h.indexOf('10.1.0')!);
    assert.deepEqual(at101.get('MTHexapod')?.index, { kind: 'named', values: [{ name: 'CameraHexapod', value: 1 }, { name: 'M2Hexapod', value: 2 }] });
  });

  it("today's catalogue (sal-components.json) is exactly the newest release of the history, which the extension ships", () => {
    const current = Catalogue.fromJson(JSON.parse(readFileSync(join(ROOT, 'src', 'core', 'catalogue', 'sal-components.json'), 'utf8')) as CatalogueJson);
    const shipped = defaultCatalogue();
    const names = (it: Iterable<{ name: string }>) => [...it].map((c) => c.name).sort();
    assert.deepEqual(names(shipped.components), names(current.components));
    for (const c of current.components) {
      assert.deepEqual(shipped.get(c.name)?.index, c.index, c.name);
      assert.equal(shipped.get(c.name)?.description, c.description, c.name);
    }
    // Every curated retired name, with its replacement.
    for (const r of JSON.parse(readFileSync(join(ROOT, 'src', 'core', 'catalogue', 'sal-components.json'), 'utf8')).retired as { name: string; replacement: string | null }[]) {
      assert.equal(shipped.retired(r.name)?.replacement, r.replacement ?? undefined, r.name);
    }
    assert.equal(shipped.retired('AdamSensors')?.name, 'AdamSensors', 'a name only older releases had is retired too');
  });

  it('cycles map to the ts_xml of their cycle.env, per revision where it changed', () => {
    assert.deepEqual(h.cycleVersion('c0015'), { version: '6.2.1' });
    assert.deepEqual(h.cycleVersion('c0017'), { version: '7.1.0' });
    assert.deepEqual(h.cycleVersion('c0034'), { version: '20.1.0' });
    assert.deepEqual(h.cycleVersion('c0041', '000'), { version: '23.1.0' });
    assert.deepEqual(h.cycleVersion('c0041', '012'), { version: '23.3.1' });
    assert.equal(h.cycleVersion('c0041')?.version, '23.3.2');
    assert.equal(h.cycleVersion('c0009'), undefined, 'older than ts_cycle_build history');
  });

  it('stays compact: names with version ranges, not one list per release', () => {
    const bytes = readFileSync(join(ROOT, 'src', 'core', 'catalogue', 'sal-history.json')).length;
    assert.ok(bytes < 20_000, `${bytes} bytes`);
  });
});

describe('image tag → ts_xml', () => {
  const h = defaultHistory();
  const version = (tag: string) => {
    const r = resolveImageTag(tag, h);
    return r.ok ? r.version : `! ${r.reason}`;
  };

  it('resolves every real tag shape', () => {
    assert.equal(version('c0017'), '7.1.0');
    assert.equal(version('c0034'), '20.1.0');
    assert.equal(version('c0026.000'), '12.0.0');
    assert.equal(version('c0041.005'), '23.2.0');
    assert.equal(version('cycle-0010'), '6.1.0');
    assert.equal(version('k0001'), '21.0.0');
    assert.equal(version('v1.1.0_salobj_v5.4.0_xml_v4.7.0'), '4.7.0');
    assert.equal(version('v1.1.0_salobj_v5.7.0_xml_4.8.0'), '4.8.0');
    assert.equal(version('v1.0.0_xmlv4.4.0'), '4.4.0');
    assert.equal(version('v1.1.0_xml_v4.6.0'), '4.6.0');
    assert.equal(version('v1.2.0_xml_v5.1.0_salobj_v5.x'), '5.1.0');
    assert.equal(version('v1.0b1_xmlv4.3.0_RC1'), '4.3.0');
    assert.equal(version('v1.1.3_5.15.0_1.2.2_4.1.1_6.0.0'), '6.0.0');
    assert.equal(version('sal3.10_xml3.10'), '3.10.0');
  });

  it('says why when it cannot tell', () => {
    assert.match(version('c0009'), /cycle c0009 is not in ts_cycle_build's history \(it knows c0010–c0044\)/);
    assert.match(version('cycle-0009'), /cycle c0009/);
    assert.match(version('latest'), /latest/);
    assert.match(version('DM-20991'), /names neither a cycle nor a ts_xml version/);
    assert.match(version('v1.1.0_b22'), /names neither/);
    assert.match(version('v9_xml_v99.0.0'), /ts_xml 99\.0\.0 .* is not a release/);
    assert.match(version(''), /no tag/);
  });

  it('whole image references: registry ports, no tag, digests', () => {
    assert.equal(imageTagOf('ts-dockerhub.lsst.org/salkafka:c0017'), 'c0017');
    assert.equal(imageTagOf('localhost:5000/salkafka'), undefined);
    assert.equal(imageTagOf('localhost:5000/salkafka:c0015'), 'c0015');
    const r = resolveImage('localhost:5000/salkafka:c0015', h);
    assert.ok(r.ok && r.version === '6.2.1' && r.via === 'cycle c0015');
    const bare = resolveImage('lsstts/salkafka', h);
    assert.ok(!bare.ok && /no tag/.test(bare.reason));
    const digest = resolveImage('lsstts/salkafka@sha256:abc', h);
    assert.ok(!digest.ok && /digest/.test(digest.reason));
    const span = resolveImage('salkafka:c0041', h);
    assert.ok(span.ok && span.version === '23.3.2' && /23\.1\.0–23\.3\.2/.test(span.note ?? ''));
  });
});

describe('the shipped catalogue carries its history across bundles', () => {
  it('a second copy of history.ts (another bundle) still finds the history of a catalogue the first made', () => {
    const modulePath = require.resolve('../../../src/core/catalogue/history');
    const original = require.cache[modulePath];
    const first = require(modulePath) as typeof import('../../../src/core/catalogue/history');
    const shipped = defaultCatalogue();
    assert.ok(first.historyOf(shipped), 'the shipped catalogue has its history');
    delete require.cache[modulePath];
    try {
      const second = require(modulePath) as typeof import('../../../src/core/catalogue/history');
      assert.notStrictEqual(second, first, 'a separate module instance, as in another bundle');
      assert.strictEqual(second.historyOf(shipped), first.historyOf(shipped));
    } finally {
      if (original) require.cache[modulePath] = original;
    }
  });
});
