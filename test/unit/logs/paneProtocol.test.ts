import { strict as assert } from 'assert';
import { parsePaneMessage } from '../../../src/features/logs/paneProtocol';

describe('log pane protocol: what the webview sends back is checked', () => {
  it('accepts the three messages the panes understand', () => {
    assert.deepEqual(parsePaneMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parsePaneMessage({ type: 'copy', text: 'a\nb' }), { type: 'copy', text: 'a\nb' });
    assert.deepEqual(parsePaneMessage({ type: 'save', rows: [['t', 'x'], ['t', 'y', 'salkafka-m2']], filter: 'x' }), {
      type: 'save', rows: [['t', 'x'], ['t', 'y', 'salkafka-m2']], filter: 'x',
    });
  });

  it('drops malformed save rows and ignores a filter that is not text', () => {
    const m = parsePaneMessage({ type: 'save', rows: [['t'], ['t', 1], 'line', ['t', 'x', 'p', 'extra'], ['', 'kept']], filter: 3 });
    assert.deepEqual(m, { type: 'save', rows: [['', 'kept']], filter: undefined });
  });

  it('refuses anything else', () => {
    for (const m of [undefined, null, 'ready', 42, {}, { type: 'copy' }, { type: 'copy', text: 5 }, { type: 'save', rows: 'x' }, { type: 'init', lines: [] }, { type: '__proto__' }]) {
      assert.equal(parsePaneMessage(m), undefined, JSON.stringify(m));
    }
  });
});
