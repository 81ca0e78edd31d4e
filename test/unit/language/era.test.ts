import { strict as assert } from 'assert';
import { Catalogue } from '../../../src/core/catalogue/catalogue';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { complete } from '../../../src/core/language/completion';
import { hover } from '../../../src/core/language/hover';
import { composeFile, producer } from '../compose/helpers';

const catalogue = defaultCatalogue();
function at(textWithCursor: string, variables: Record<string, string>) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { model: parseCompose(text, { variables }), offset, text };
}

describe('hover and completion follow the image release', () => {
  it("completion offers the names of the image's release: c0015 (6.2.1) has Rotator, not WeatherStation; c0017 the reverse", () => {
    const file = composeFile(producer('salkafka-m2', 'MTM2 |'));
    const labels = (cycle: string) => complete(at(file, { CYCLE: cycle }).model, at(file, { CYCLE: cycle }).offset, catalogue).map((i) => i.label);
    const old = labels('c0015');
    assert.ok(old.includes('Rotator') && old.includes('Environment') && old.includes('NewMTMount'));
    assert.ok(!old.includes('MTRotator') && !old.includes('WeatherStation'));
    const newer = labels('c0017');
    assert.ok(newer.includes('MTRotator') && newer.includes('WeatherStation'));
    assert.ok(!newer.includes('Rotator'));
    // Unknown release: today's names.
    assert.deepEqual(labels('').sort(), [...catalogue.components].map((c) => c.name).filter((n) => n !== 'MTM2').sort());
    const doc = complete(at(file, { CYCLE: 'c0017' }).model, at(file, { CYCLE: 'c0017' }).offset, catalogue).find((i) => i.label === 'MTRotator')!.documentation!;
    assert.match(doc, /In ts_xml 7\.1\.0 \(image salkafka:c0017\)\./);
  });

  it('hover shows the releases a CSC exists in and the release checked', () => {
    const l = at(composeFile(producer('salkafka-m2', 'MTRot|ator')), { CYCLE: 'c0017' });
    const md = hover(l.model, l.offset, catalogue)!.markdown;
    assert.match(md, /Exists in ts_xml 7\.0\.0 onwards \(to 28\.0\.1\)\./);
    assert.match(md, /Checked against ts_xml 7\.1\.0 \(image salkafka:c0017\)\./);
    const w = at(composeFile(producer('salkafka-eas', 'DIMM Weather|Station')), { CYCLE: 'c0015' });
    const wmd = hover(w.model, w.offset, catalogue)!.markdown;
    assert.match(wmd, /\*\*WeatherStation\*\*: not in ts_xml 6\.2\.1 \(image salkafka:c0015\); this producer cannot read it\./);
    assert.match(wmd, /Exists in ts_xml 7\.0\.0–16\.0\.0\./);
    const u = at(composeFile(producer('salkafka-m2', 'Rot|ator')), {});
    assert.match(hover(u.model, u.offset, catalogue)!.markdown, /The image's ts_xml is unknown \(CYCLE is unset\): checked against every release\./);
  });

  it('connected: hover and completion use the catalogue read from the image', () => {
    const fromImage = Catalogue.fromJson({ components: [{ name: 'MTM2', description: 'from the image' }, { name: 'Rotator' }], retired: [] });
    const imageCatalogue = (ref: string) => (ref === 'ts-dockerhub.lsst.org/salkafka:c0017' ? { catalogue: fromImage, label: 'ts_xml 6.2.1', version: '6.2.1' } : undefined);
    const l = at(composeFile(producer('salkafka-m2', 'MT|M2 ')), { CYCLE: 'c0017' });
    const md = hover(l.model, l.offset, catalogue, { imageCatalogue })!.markdown;
    assert.match(md, /from the image/);
    assert.match(md, /Checked against ts_xml 6\.2\.1 \(read from image salkafka:c0017\)\./);
    const c = at(composeFile(producer('salkafka-m2', 'MTM2 |')), { CYCLE: 'c0017' });
    assert.deepEqual(complete(c.model, c.offset, catalogue, { imageCatalogue }).map((i) => i.label), ['Rotator']);
  });
});
