// What a user sees in the Problems panel for a broken kafka_writers file (fixture broken.yaml).
// Contract with the language features (src/features/language): diagnostic.source is 'salkafka'
// and diagnostic.code is the plain string code.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  BROKEN_COMPOSE,
  VALID_COMPOSE,
  describeDiagnostics,
  describeRange,
  fixtureUri,
  openInEditor,
  pollUntil,
  salkafkaDiagnostics,
  sleep,
  tokenRange,
} from './helpers';

const EXPECTED_CODES = ['csc-unknown', 'csc-retired', 'container-name-mismatch'];
const WAIT_MS = 10_000;

suite('Diagnostics', () => {
  let doc: vscode.TextDocument;
  let diags: vscode.Diagnostic[] = [];

  suiteSetup(async function () {
    this.timeout(WAIT_MS + 10_000);
    doc = (await openInEditor(fixtureUri(BROKEN_COMPOSE))).document;
    diags = await pollUntil(
      () => salkafkaDiagnostics(doc.uri),
      (found) => EXPECTED_CODES.every((code) => found.some((d) => d.code === code)),
      WAIT_MS,
    );
  });

  function expectOne(code: string): vscode.Diagnostic {
    const matching = diags.filter((d) => d.code === code);
    assert.ok(
      matching.length > 0,
      `No '${code}' diagnostic on ${BROKEN_COMPOSE} within ${WAIT_MS / 1000} s. Diagnostics present:\n` +
        describeDiagnostics(vscode.languages.getDiagnostics(doc.uri)),
    );
    return matching[0];
  }

  test('unknown CSC MTRotatr is reported on exactly that token (csc-unknown)', () => {
    const diag = expectOne('csc-unknown');
    const expected = tokenRange(doc, 'CSC_LIST=MTRotatr', 'MTRotatr');
    assert.ok(
      diag.range.isEqual(expected),
      `csc-unknown range is ${describeRange(diag.range)} ("${doc.getText(diag.range)}"), expected ${describeRange(expected)} ("MTRotatr")`,
    );
    assert.match(diag.message, /MTRotatr/, 'the message should name the unknown CSC');
  });

  test('retired CSC ATScheduler is reported (csc-retired)', () => {
    const diag = expectOne('csc-retired');
    assert.ok(
      doc.getText(diag.range).includes('ATScheduler'),
      `csc-retired range ${describeRange(diag.range)} covers "${doc.getText(diag.range)}", not ATScheduler`,
    );
  });

  test('container_name differing from the service name is reported (container-name-mismatch)', () => {
    const diag = expectOne('container-name-mismatch');
    const lineText = doc.lineAt(diag.range.start.line).text;
    assert.ok(
      /container_name:\s*salkafka-aux|^\s*salkafka-at:/.test(lineText),
      `container-name-mismatch is on line ${diag.range.start.line + 1} ("${lineText.trim()}"), expected the salkafka-at service or its container_name`,
    );
  });

  test('every salkafka diagnostic has a string code', () => {
    assert.ok(diags.length > 0, `no salkafka diagnostics on ${BROKEN_COMPOSE}`);
    const bad = diags.filter((d) => typeof d.code !== 'string');
    assert.deepStrictEqual(bad, [], `diagnostics whose code is not a string:\n${describeDiagnostics(bad)}`);
  });

  test('the valid compose file gets no salkafka diagnostics', async () => {
    // Only meaningful when the validator is running: it must have flagged the broken file first.
    assert.ok(diags.length > 0, `validator produced nothing on ${BROKEN_COMPOSE}, so silence on ${VALID_COMPOSE} proves nothing`);
    const valid = (await openInEditor(fixtureUri(VALID_COMPOSE))).document;
    await sleep(2_000); // > the default 250 ms validation debounce
    const found = salkafkaDiagnostics(valid.uri);
    assert.deepStrictEqual(found, [], `unexpected diagnostics on ${VALID_COMPOSE}:\n${describeDiagnostics(found)}`);
  });
});
