import { strict as assert } from 'assert';
import { composeFile, lint, only, producer } from './helpers';

describe('CSC_LIST diagnostics', () => {
  it('accepts current names, valid indices and --file', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTRotator MTHexapod:1 MTHexapod:2 MTM2'), producer('salkafka-m1m3', '--file m1m3.yaml'), producer('salkafka-eas', 'ESS:1 ESS:301 Electrometer:2')));
    assert.deepEqual(l.codes, []);
  });

  it('csc-unknown points at the one misspelt name and suggests the closest', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTRotator MTHexapd MTM2')));
    assert.deepEqual(l.codes, ['csc-unknown']);
    assert.equal(l.spans[0].text, 'MTHexapd');
    assert.match(l.spans[0].message, /Did you mean MTHexapod\?/);
    assert.equal(l.diagnostics[0].fixes?.[0].title, 'Replace with MTHexapod');
  });

  it('csc-unknown suggests across letter case and offers no guess for gibberish', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'mtrotator Zzqxw')));
    const [a, b] = only(l, 'csc-unknown');
    assert.equal(a.text, 'mtrotator');
    assert.match(a.message, /Did you mean MTRotator\?/);
    assert.equal(b.text, 'Zzqxw');
    assert.doesNotMatch(b.message, /Did you mean/);
  });

  it('csc-unknown on an indexed name underlines only the name', () => {
    const l = lint(composeFile(producer('salkafka-eas', 'ESSS:1')));
    assert.equal(only(l, 'csc-unknown')[0].text, 'ESSS');
  });

  it('csc-retired names the replacement and offers it as the fix (an error: the image of c0035 lacks it)', () => {
    const l = lint(composeFile(producer('salkafka-at', 'ATDome ATScheduler')));
    assert.deepEqual(l.codes, ['csc-retired']);
    assert.equal(l.spans[0].severity, 'error');
    assert.match(l.spans[0].message, /not in ts_xml 20\.2\.0 \(image salkafka:c0035\)/);
    assert.equal(l.spans[0].text, 'ATScheduler');
    assert.match(l.spans[0].message, /now Scheduler/);
    assert.equal(l.diagnostics[0].fixes?.[0].edits[0].newText, 'Scheduler');
  });

  it('csc-not-in-image: a name the image\'s ts_xml dropped, with nothing replacing it, has no fix', () => {
    const l = lint(composeFile(producer('salkafka-at', 'ATArchiver')));
    assert.deepEqual(l.codes, ['csc-not-in-image']);
    assert.match(l.spans[0].message, /ATArchiver is not in ts_xml 20\.2\.0 \(image salkafka:c0035\); it was last in 15\.0\.0\./);
    assert.equal(l.diagnostics[0].fixes, undefined);
  });

  it('csc-index-not-indexed underlines the :index of a non-indexed CSC', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTRotator:1')));
    assert.deepEqual(l.codes, ['csc-index-not-indexed']);
    assert.equal(l.spans[0].text, ':1');
    assert.equal(l.diagnostics[0].fixes?.[0].edits[0].newText, '');
  });

  it('csc-index-invalid: outside a named enumeration, or not an integer', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTHexapod:3 ESS:abc Electrometer:1')));
    assert.deepEqual(l.codes, ['csc-index-invalid', 'csc-index-invalid']);
    assert.equal(l.spans[0].text, ':3');
    assert.match(l.spans[0].message, /1 \(CameraHexapod\), 2 \(M2Hexapod\)/);
    assert.equal(l.spans[1].text, ':abc');
  });

  it('csc-duplicate is an error (ts_salkafka raises ValueError) on the second occurrence and the fix removes it cleanly', () => {
    const text = composeFile(producer('salkafka-m2', 'MTRotator MTM2 MTRotator'));
    const l = lint(text);
    assert.deepEqual(l.codes, ['csc-duplicate']);
    assert.equal(l.diagnostics[0].severity, 'error');
    const fix = l.diagnostics[0].fixes![0];
    const fixed = text.slice(0, fix.edits[0].range.start) + fix.edits[0].newText + text.slice(fix.edits[0].range.end);
    assert.match(fixed, /- CSC_LIST=MTRotator MTM2\n/);
  });

  it('csc-duplicate does not fire for different indices of one CSC', () => {
    assert.deepEqual(lint(composeFile(producer('salkafka-eas', 'ESS:1 ESS:2'))).codes, []);
  });

  it('csc-in-multiple-producers warns on both producers', () => {
    const l = lint(composeFile(producer('salkafka-m2', 'MTRotator MTM2'), producer('salkafka-mt', 'MTMount MTRotator')));
    const hits = only(l, 'csc-in-multiple-producers');
    assert.equal(hits.length, 2);
    assert.deepEqual(hits.map((h) => h.text), ['MTRotator', 'MTRotator']);
    assert.match(hits[0].message, /salkafka-mt/);
    assert.match(hits[1].message, /salkafka-m2/);
  });

  it('csc-in-multiple-producers: ESS overlaps ESS:1, ESS:1 does not overlap ESS:2', () => {
    assert.deepEqual(lint(composeFile(producer('salkafka-a', 'ESS:1'), producer('salkafka-b', 'ESS:2'))).codes, []);
    assert.equal(only(lint(composeFile(producer('salkafka-a', 'ESS'), producer('salkafka-b', 'ESS:2'))), 'csc-in-multiple-producers').length, 2);
  });

  it('csc-list-empty is an error', () => {
    const l = lint(composeFile(producer('salkafka-m2', '')));
    assert.deepEqual(l.codes, ['csc-list-empty']);
  });

  it('csc-list-option: an unknown option and --file without value both stop the producer (errors)', () => {
    const l = lint(composeFile(producer('salkafka-a', 'ATDome --bogus'), producer('salkafka-b', '--file')));
    const hits = only(l, 'csc-list-option');
    assert.deepEqual(hits.map((h) => [h.text, h.severity]), [['--bogus', 'error'], ['--file', 'error']]);
    assert.match(hits[0].message, /unrecognized arguments/);
  });

  it('map-style environment and quoted values keep exact ranges', () => {
    const text = `services:
  salkafka-m2:
    container_name: salkafka-m2
    environment:
      BROKER_IP: 10.0.0.5
      BROKER_PORT: 9094
      REGISTRY_ADDR: http://registry:8081
      CSC_LIST: "MTRotator MTHexapd"
  salkafka-at:
    container_name: salkafka-at
    environment:
      - 'CSC_LIST=ATDome ATDomeTrajectry'
      - BROKER_IP=10.0.0.5
      - BROKER_PORT=9094
      - REGISTRY_ADDR=http://registry:8081
`;
    const l = lint(text);
    assert.deepEqual(only(l, 'csc-unknown').map((s) => s.text), ['MTHexapd', 'ATDomeTrajectry']);
  });

  it('CSC_LIST built from a variable is checked after interpolation', () => {
    const text = composeFile(producer('salkafka-m2', '${M2_CSCS}'));
    const l = lint(text, { variables: { CYCLE: 'c1', M2_CSCS: 'MTRotator Bogus' } });
    const [hit] = only(l, 'csc-unknown');
    assert.equal(hit.text, '${M2_CSCS}');
    assert.match(hit.message, /"Bogus"/);
  });

  it('a user catalogue replaces the shipped one', async () => {
    const { Catalogue } = await import('../../../src/core/catalogue/catalogue');
    const catalogue = Catalogue.fromJson({ components: [{ name: 'NewCSC', indexEnumeration: 'no' }], retired: [] });
    const l = lint(composeFile(producer('salkafka-x', 'NewCSC MTRotator')), { catalogue });
    assert.deepEqual(l.spans.map((s) => [s.code, s.text]), [['csc-unknown', 'MTRotator']]);
  });
});
