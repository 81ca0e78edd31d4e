import { strict as assert } from 'assert';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { complete } from '../../../src/core/language/completion';
import { hover } from '../../../src/core/language/hover';
import { documentSymbols } from '../../../src/core/language/symbols';
import { composeFile, fixture, producer } from '../compose/helpers';

const catalogue = defaultCatalogue();
/** Text with a `|` marking the cursor. */
function at(textWithCursor: string) {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  return { model: parseCompose(text, { variables: { CYCLE: 'c' } }), offset, text };
}

describe('completion', () => {
  const file = composeFile(producer('salkafka-m2', 'MTRotator MTHexapod |'), producer('salkafka-mt', 'MTMount MTDome'));

  it('inside CSC_LIST offers catalogue names not yet in this producer', () => {
    const { model, offset } = at(file);
    const labels = complete(model, offset, catalogue).map((i) => i.label);
    assert.ok(labels.includes('MTM2'));
    assert.ok(!labels.includes('MTRotator'), 'MTRotator is already listed');
    assert.ok(labels.includes('MTHexapod'), 'an indexed CSC stays available for another index');
    assert.equal(labels.length, [...catalogue.components].length - 1);
  });

  it('marks CSCs another producer already writes and sorts them last', () => {
    const { model, offset } = at(file);
    const items = complete(model, offset, catalogue);
    const dome = items.find((i) => i.label === 'MTDome')!;
    assert.match(dome.detail!, /already in salkafka-mt/);
    const m2 = items.find((i) => i.label === 'MTM2')!;
    assert.ok(m2.sortText < dome.sortText);
    assert.match(m2.documentation!, /M2/);
  });

  it('replaces the partial word under the cursor', () => {
    const { model, offset, text } = at(composeFile(producer('salkafka-m2', 'MTRotator MTM|')));
    const item = complete(model, offset, catalogue).find((i) => i.label === 'MTM2')!;
    assert.equal(text.slice(item.range.start, item.range.end), 'MTM');
  });

  it('offers missing producer environment keys in list form', () => {
    const { model, offset } = at('services:\n  salkafka-m2:\n    environment:\n      - CSC_LIST=MTM2\n      - BR|\n');
    const items = complete(model, offset, catalogue);
    const broker = items.find((i) => i.label === 'BROKER_IP')!;
    assert.equal(broker.insertText, 'BROKER_IP=');
    assert.ok(!items.some((i) => i.label === 'CSC_LIST'));
  });

  it('offers keys in map form with ": "', () => {
    const { model, offset } = at('services:\n  salkafka-m2:\n    environment:\n      CSC_LIST: MTM2\n      WA|\n');
    assert.equal(complete(model, offset, catalogue).find((i) => i.label === 'WAIT_ACK')!.insertText, 'WAIT_ACK: ');
  });

  it('offers WAIT_ACK and LOG_LEVEL values', () => {
    const w = at(composeFile(producer('salkafka-m2', 'MTM2', { env: { WAIT_ACK: '|' } })));
    assert.deepEqual(complete(w.model, w.offset, catalogue).map((i) => i.label), ['1', 'all', '0']);
    const l = at(composeFile(producer('salkafka-m2', 'MTM2', { env: { LOG_LEVEL: '|' } })));
    assert.ok(complete(l.model, l.offset, catalogue).some((i) => i.label === '10' && /DEBUG/.test(i.detail!)));
  });

  it('offers nothing outside environment', () => {
    const l = at('services:\n  salkafka-m2:\n    image: x|\n');
    assert.deepEqual(complete(l.model, l.offset, catalogue), []);
  });
});

describe('hover', () => {
  it('on a CSC: description, index rule, producers listing it', () => {
    const l = at(composeFile(producer('salkafka-m2', 'MTRotator MTHexa|pod:1'), producer('salkafka-x', 'MTHexapod:2')));
    const h = hover(l.model, l.offset, catalogue)!;
    assert.match(h.markdown, /\*\*MTHexapod\*\* \(index 1\)/);
    assert.match(h.markdown, /1 \(CameraHexapod\), 2 \(M2Hexapod\)/);
    assert.match(h.markdown, /Listed by: salkafka-m2, salkafka-x/);
    assert.equal(l.text.slice(h.range.start, h.range.end), 'MTHexapod:1');
  });

  it('on a retired CSC names the replacement', () => {
    const l = at(composeFile(producer('salkafka-m2', 'Rot|ator')));
    assert.match(hover(l.model, l.offset, catalogue)!.markdown, /retired SAL component, now \*\*MTRotator\*\*/);
  });

  it('on an environment key explains what the producer does with it', () => {
    const l = at(composeFile(producer('salkafka-m2', 'MTM2')).replace('WAIT_ACK', 'WAIT|_ACK'));
    assert.match(hover(l.model, l.offset, catalogue)!.markdown, /--wait-ack/);
  });

  it('nothing on unrelated text', () => {
    const l = at(composeFile(producer('salkafka-m2', 'MTM2')).replace('image', 'im|age'));
    assert.equal(hover(l.model, l.offset, catalogue), undefined);
  });
});

describe('document symbols', () => {
  it('lists producers with their CSCs', () => {
    const model = parseCompose(fixture('summit.yaml'));
    const symbols = documentSymbols(model);
    assert.deepEqual(symbols.map((s) => s.name), ['salkafka-m2', 'salkafka-at', 'salkafka-m1m3', 'salkafka-eas']);
    assert.deepEqual(symbols[0].children.map((c) => c.name), ['MTRotator', 'MTHexapod:1', 'MTHexapod:2', 'MTM2']);
    assert.equal(symbols[0].detail, '4 CSCs');
    assert.deepEqual(symbols[2].children.map((c) => [c.name, c.detail]), [['m1m3.yaml', 'topic-set file']]);
  });
});
