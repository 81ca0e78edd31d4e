import { strict as assert } from 'assert';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { devSummary, expiredText, splitProducers } from '../../../src/core/devProducers/watch';
import { producerFacts } from '../../../src/core/producers/producerFacts';

const text = `services:
  salkafka-m2:
    image: salkafka:c0017
    environment:
      - CSC_LIST=MTM2
  salkafka-mtm2:
    image: salkafka:c0021
    labels:
      org.lsst.efd.salkafka.owner: mreuter
      org.lsst.efd.salkafka.purpose: mtm2
      org.lsst.efd.salkafka.expires: "2021-11-30"
    environment:
      - LSST_DDS_DOMAIN_ID=7
      - CSC_LIST=MTM2
`;
const model = parseCompose(text, {});
const producers = model.services.map((s) => ({ name: s.name, facts: producerFacts(model, s) }));

describe('development producers: watching', () => {
  it('tells development producers apart, with domain, owner and what is left', () => {
    const { production, development } = splitProducers(producers);
    assert.deepEqual(production.map((p) => p.name), ['salkafka-m2']);
    assert.deepEqual(development.map((p) => p.name), ['salkafka-mtm2']);
    const before = devSummary(development[0], Date.parse('2021-11-17T00:00:00Z'))!;
    assert.deepEqual([before.text, before.expired], ['dev · domain 7 · mreuter · expires in 14 days', false]);
    assert.equal(devSummary(production[0], Date.now()), undefined);
  });

  it('past the expiry day: expired, and the status bar text counts it', () => {
    const after = devSummary(producers[1], Date.parse('2021-12-01T12:00:00Z'))!;
    assert.deepEqual([after.text, after.expired], ['dev · domain 7 · mreuter · expired 12 h ago', true]);
    const t = expiredText([{ alias: 'azar2', name: 'salkafka-mtm2', summary: after }])!;
    assert.equal(t.text, '$(beaker) 1 expired development producer');
    assert.match(t.tooltip, /^azar2: salkafka-mtm2 \(dev · domain 7 · mreuter · expired 12 h ago\)/);
    assert.equal(expiredText([]), undefined);
  });
});
