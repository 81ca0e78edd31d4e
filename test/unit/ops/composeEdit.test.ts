import { strict as assert } from 'assert';
import { addCscToService, removeCscFromService } from '../../../src/core/ops/composeEdit';
import { OpsRefusedError } from '../../../src/core/ops/errors';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { COMPOSE, HOSTILE, VARIABLES } from './fixtures';

/** The text outside [start, end) of `a` must equal `b` minus the inserted text. */
function onlyChanged(before: string, after: string, e: { start: number; end: number; newText: string }): void {
  assert.equal(after.slice(0, e.start), before.slice(0, e.start), 'bytes before the edit changed');
  assert.equal(after.slice(e.start + e.newText.length), before.slice(e.end), 'bytes after the edit changed');
}

function refused(fn: () => unknown, code: string, re?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof OpsRefusedError, `expected OpsRefusedError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (re) assert.match(err.message, re);
    return true;
  });
}

const opts = { catalogue: defaultCatalogue(), variables: VARIABLES };

describe('CSC_LIST edits keep the file byte for byte', () => {
  it('adds to a list-form entry before its trailing comment', () => {
    const r = addCscToService(COMPOSE, 'salkafka-m2', 'MTDome', opts);
    assert.match(r.text, /- CSC_LIST=MTRotator MTHexapod MTM2 MTDome   # trailing comment stays\n/);
    onlyChanged(COMPOSE, r.text, r.edit);
    assert.deepEqual(r.before, ['MTRotator', 'MTHexapod', 'MTM2']);
    assert.deepEqual(r.after, ['MTRotator', 'MTHexapod', 'MTM2', 'MTDome']);
    assert.equal(r.text.length, COMPOSE.length + ' MTDome'.length);
  });

  it('adds inside a double-quoted map value and inside a single-quoted one (indexed CSC)', () => {
    const a = addCscToService(COMPOSE, 'salkafka-at', 'ATPneumatics', opts);
    assert.match(a.text, /CSC_LIST: "ATDome ATAOS ATMCS ATPneumatics"\n/);
    onlyChanged(COMPOSE, a.text, a.edit);
    const e = addCscToService(COMPOSE, 'salkafka-eas', 'ESS:3', opts);
    assert.match(e.text, /CSC_LIST: 'ESS:1 ESS:2 ESS:3'\n/);
    onlyChanged(COMPOSE, e.text, e.edit);
  });

  it('removes the first, a middle and the last word with their separating blank', () => {
    const first = removeCscFromService(COMPOSE, 'salkafka-m2', 'MTRotator', opts);
    assert.match(first.text, /- CSC_LIST=MTHexapod MTM2   # trailing comment stays/);
    const mid = removeCscFromService(COMPOSE, 'salkafka-m2', 'MTHexapod', opts);
    assert.match(mid.text, /- CSC_LIST=MTRotator MTM2   # trailing/);
    const last = removeCscFromService(COMPOSE, 'salkafka-at', 'ATMCS', opts);
    assert.match(last.text, /CSC_LIST: "ATDome ATAOS"\n/);
    for (const r of [first, mid, last]) onlyChanged(COMPOSE, r.text, r.edit);
    assert.deepEqual(mid.after, ['MTRotator', 'MTM2']);
  });

  it('add then remove gives back the identical bytes', () => {
    const a = addCscToService(COMPOSE, 'salkafka-eas', 'ESS:3', opts);
    const b = removeCscFromService(a.text, 'salkafka-eas', 'ESS:3', opts);
    assert.equal(b.text, COMPOSE);
  });

  it('keeps CRLF line endings and tabs elsewhere untouched', () => {
    const crlf = COMPOSE.replace(/\n/g, '\r\n');
    const r = addCscToService(crlf, 'salkafka-m2', 'MTDome', opts);
    onlyChanged(crlf, r.text, r.edit);
    assert.equal(r.text.split('\r\n').length, crlf.split('\r\n').length);
  });
});

describe('CSC_LIST edits refuse what they cannot do safely', () => {
  it('unknown service, non-producer', () => {
    refused(() => addCscToService(COMPOSE, 'salkafka-nope', 'MTDome', opts), 'unknown-service', /salkafka-m2/);
    refused(() => addCscToService(COMPOSE, 'nginx', 'MTDome', opts), 'not-producer');
  });
  it('--file producers and ${VAR} lists', () => {
    refused(() => addCscToService(COMPOSE, 'salkafka-m1m3', 'MTDome', opts), 'file-producer', /--file/);
    refused(() => addCscToService(COMPOSE, 'salkafka-var', 'MTDome', opts), 'csc-list-not-exact', /\$\{VAR_LIST\}/);
  });
  it('already present, not present, last CSC', () => {
    refused(() => addCscToService(COMPOSE, 'salkafka-m2', 'MTM2', opts), 'csc-present');
    refused(() => removeCscFromService(COMPOSE, 'salkafka-m2', 'MTDome', opts), 'csc-absent');
    const one = removeCscFromService(COMPOSE, 'salkafka-eas', 'ESS:1', opts).text;
    refused(() => removeCscFromService(one, 'salkafka-eas', 'ESS:2', opts), 'last-csc');
  });
  it('a different index of the same component is a different CSC', () => {
    assert.deepEqual(addCscToService(COMPOSE, 'salkafka-eas', 'ESS:3', opts).after, ['ESS:1', 'ESS:2', 'ESS:3']);
  });
  it('refuses a change that adds an unknown-CSC error unless forced, and reports why', () => {
    refused(() => addCscToService(COMPOSE, 'salkafka-m2', 'MTDomeX', opts), 'lint-errors', /Unknown SAL component "MTDomeX"/);
    const forced = addCscToService(COMPOSE, 'salkafka-m2', 'MTDomeX', { ...opts, force: true });
    assert.equal(forced.addedErrors.length, 1);
    assert.equal(forced.addedErrors[0].code, 'csc-unknown');
  });
  it('does not count errors that were already there as new', () => {
    const broken = COMPOSE.replace('MTRotator MTHexapod', 'MTRotatr MTHexapod');
    const r = addCscToService(broken, 'salkafka-m2', 'MTDome', opts);
    assert.equal(r.addedErrors.length, 0);
  });
  it('rejects hostile service and CSC names before reading the file', () => {
    for (const h of HOSTILE) {
      refused(() => addCscToService(COMPOSE, h, 'MTDome', opts), 'invalid-name');
      refused(() => addCscToService(COMPOSE, 'salkafka-m2', h, opts), 'invalid-name');
      refused(() => removeCscFromService(COMPOSE, 'salkafka-m2', h, opts), 'invalid-name');
    }
  });
});
