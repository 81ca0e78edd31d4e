import { strict as assert } from 'assert';
import { defaultHistory } from '../../../src/core/catalogue/defaultCatalogue';
import { catalogueFromSalSubsystems, matchingReleases } from '../../../src/core/catalogue/salSubsystemsXml';

// Both shapes SALSubsystems.xml had over ts_xml's history (written here, not copied).
const NEW_SHAPE = `<?xml version="1.0" encoding="UTF-8"?>
<SALSubsystemSet xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<SALSubsystem>
    <Name>MTHexapod</Name>
    <Description>The CSC for both the Camera &amp; M2 Hexapod</Description>
    <IndexEnumeration>CameraHexapod,M2Hexapod</IndexEnumeration>
    <Generics>yes</Generics>
</SALSubsystem>
<SALSubsystem>
    <Name>ESS</Name>
    <Description>Environmental Sensor System</Description>
    <IndexEnumeration>any</IndexEnumeration>
</SALSubsystem>
<SALSubsystem>
    <Name>DSM</Name>
    <Description></Description>
    <IndexEnumeration>DSM1=1,DSM2=2</IndexEnumeration>
</SALSubsystem>
</SALSubsystemSet>
`;
const OLD_SHAPE = `<?xml version="1.0" encoding="UTF-8"?>
<SALSubsystems>
<Subsystem>
  <Name>Hexapod</Name>
  <Description></Description>
  <Enumeration>cameraHexapod,m2msHexapod</Enumeration>
</Subsystem>
<Subsystem>
  <Name>Rotator</Name>
  <Description></Description>
  <Enumeration></Enumeration>
</Subsystem>
</SALSubsystems>
`;

describe('SALSubsystems.xml → catalogue', () => {
  it('reads the current shape: names, descriptions (entities decoded), index enumerations', () => {
    const c = catalogueFromSalSubsystems(NEW_SHAPE, 'test');
    assert.deepEqual([...c.components].map((x) => x.name), ['MTHexapod', 'ESS', 'DSM']);
    assert.equal(c.get('MTHexapod')?.description, 'The CSC for both the Camera & M2 Hexapod');
    assert.deepEqual(c.get('MTHexapod')?.index, { kind: 'named', values: [{ name: 'CameraHexapod', value: 1 }, { name: 'M2Hexapod', value: 2 }] });
    assert.deepEqual(c.get('ESS')?.index, { kind: 'any' });
    assert.deepEqual(c.get('DSM')?.index, { kind: 'named', values: [{ name: 'DSM1', value: 1 }, { name: 'DSM2', value: 2 }] });
  });

  it('reads the 2018–2019 shape (<Subsystem>, <Enumeration>; empty = not indexed)', () => {
    const c = catalogueFromSalSubsystems(OLD_SHAPE, 'test');
    assert.deepEqual(c.get('Rotator')?.index, { kind: 'none' });
    assert.equal(c.get('Hexapod')?.index.kind, 'named');
  });

  it('refuses a file with no subsystem; hostile text stays linear (no regex backtracking)', () => {
    assert.throws(() => catalogueFromSalSubsystems('<html>not it</html>', 'x'), /not a SALSubsystems\.xml/);
    // 4 MB of openings and no closing tag: one pass (a scan per opening would run for hours
    // and hit the test timeout).
    assert.throws(() => catalogueFromSalSubsystems('<SALSubsystem><Name>'.repeat(200_000), 'x'), /not a SALSubsystems\.xml/);
  });

  it('matches a catalogue to the releases with exactly its names', () => {
    const h = defaultHistory();
    const at = h.catalogueAt(h.indexOf('7.1.0')!);
    const xml = `<SALSubsystemSet>${[...at.components].map((c) => `<SALSubsystem><Name>${c.name}</Name></SALSubsystem>`).join('')}</SALSubsystemSet>`;
    const matches = matchingReleases(catalogueFromSalSubsystems(xml, 'x'), h);
    assert.ok(matches.includes('7.1.0'), matches.join());
    assert.ok(!matches.includes('6.2.1') && !matches.includes('8.0.0'), matches.join());
    assert.deepEqual(matchingReleases(catalogueFromSalSubsystems(NEW_SHAPE, 'x'), h), []);
  });
});
