import { strict as assert } from 'assert';
import { COMMANDS } from '../../../src/features/commands/registry';
import { pickerEntries, type PickerRow } from '../../../src/features/commands/treePickerEntries';

const row = (label: string, contextValue: string): PickerRow<string> => ({ node: label, contextValue, label });
const hosts = [
  { alias: 'azar2', rows: [row('salkafka-m2', 'producer.running'), row('salkafka-eas', 'producer'), row('salkafka-at', 'producer.running')] },
  { alias: 'tucson-kw', rows: [row('salkafka-tma', 'producer')] },
  { alias: 'base-kw', rows: [] },
];
const listed = (id: keyof typeof COMMANDS) => pickerEntries(hosts, COMMANDS[id].tree)?.map((e) => ('heading' in e ? `# ${e.heading}` : e.label));

describe("the palette's tree picker", () => {
  it('lists each host as a heading with its producers, in the view order', () => {
    assert.deepEqual(listed('efdSalkafka.showLogs'), ['# azar2', 'salkafka-m2', 'salkafka-eas', 'salkafka-at', '# tucson-kw', 'salkafka-tma']);
  });

  it('offers only the rows whose context menu offers the command', () => {
    assert.deepEqual(listed('efdSalkafka.stopProducer'), ['# azar2', 'salkafka-m2', 'salkafka-at']);
    assert.deepEqual(listed('efdSalkafka.startProducer'), ['# azar2', 'salkafka-eas', '# tucson-kw', 'salkafka-tma']);
  });

  it('lists nothing (the command then asks in its own way) when no row offers it', () => {
    assert.equal(pickerEntries(hosts, COMMANDS['efdSalkafka.showMergedLogs'].tree), undefined);
    assert.equal(pickerEntries([], COMMANDS['efdSalkafka.showLogs'].tree), undefined);
  });
});
