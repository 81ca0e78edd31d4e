// media/logPane.js, the log pane's webview script, run against a fake DOM built from the page's
// real markup and driven only through the message protocol (paneProtocol.ts): what the
// extension posts, and what the script posts back.
import { strict as assert } from 'assert';
import type { WireLine } from '../../../src/features/logs/logLineView';
import { parsePaneMessage, type MergedWireLine, type ToPane } from '../../../src/features/logs/paneProtocol';
import { LOG_PANE_BODY } from '../../../src/features/logs/webviewBodies';
import { documentFromMarkup, FakeElement, loadMediaScript, type LoadedScript } from './fakeDom';

function pane(state?: unknown): LoadedScript & { send(m: ToPane): void; click(id: string): void; type(id: string, value: string): void; toggle(id: string): void; rows(): FakeElement[]; copied(): string[] } {
  const s = loadMediaScript('logPane.js', documentFromMarkup(LOG_PANE_BODY), state);
  const el = (id: string) => {
    const e = s.document.getElementById(id);
    assert.ok(e, `the page has no #${id}`);
    return e;
  };
  return {
    ...s,
    send: (m) => {
      s.receive(m);
      s.flush();
    },
    click: (id) => el(id).fire('click'),
    type: (id, value) => {
      el(id).value = value;
      el(id).fire('input');
      s.flush();
    },
    toggle: (id) => {
      el(id).checked = !el(id).checked;
      el(id).fire('change');
      s.flush();
    },
    rows: () => el('rows').children.filter((c): c is FakeElement => c instanceof FakeElement),
    copied: () => {
      s.posted.length = 0;
      el('copy').fire('click');
      const m = parsePaneMessage(s.posted[0]);
      assert.equal(m?.type, 'copy');
      return m.type === 'copy' && m.text ? m.text.split('\n') : [];
    },
  };
}

const ts = (s: number) => `2026-12-03T10:00:${String(s).padStart(2, '0')}.000000000Z`;
const lines = (n: number, from = 0): WireLine[] => Array.from({ length: n }, (_, i) => [ts((from + i) % 60), `line ${from + i}`, ''] as WireLine);
const init = (l: WireLine[] | MergedWireLine[], maxLines = 1000, timestamps = false): ToPane => ({ type: 'init', container: 'salkafka-m2', maxLines, timestamps, lines: l });

describe('media/logPane.js (fake DOM)', () => {
  it('says it is ready once loaded, in the protocol', () => {
    const p = pane();
    assert.deepEqual(p.posted.map(parsePaneMessage), [{ type: 'ready' }]);
  });

  it('shows the history it is sent, as text: markup in a log line stays text', () => {
    const p = pane();
    p.send(init([[ts(1), 'Creating producers', 'l'], [ts(2), '<img src=x onerror=alert(1)> & <b>bold</b>', 'e']], 1000, true));
    const rows = p.rows();
    assert.equal(rows.length, 2);
    assert.equal(rows[1].textContent, `${ts(2)} <img src=x onerror=alert(1)> & <b>bold</b>`);
    assert.equal(rows[1].className, 'row e');
    assert.deepEqual(rows[1].descendants().map((e) => e.tagName), ['span'], 'only the timestamp span: no element made from the text');
  });

  it('keeps at most maxLines, the oldest dropped first, and says so in the status line', () => {
    const p = pane();
    p.send(init(lines(5), 8));
    p.send({ type: 'append', skipped: 0, lines: lines(6, 5) });
    assert.deepEqual(p.copied(), ['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
    p.send({ type: 'status', text: 'following', state: 'following' });
    assert.match(p.document.getElementById('status')!.textContent, /following · 3 old lines dropped/);
  });

  it('follows a settings change: a lower maxLines applies at once (what the merged pane now receives too)', () => {
    const p = pane();
    p.send(init(lines(50), 100));
    p.send({ type: 'settings', maxLines: 10, timestamps: true });
    const kept = p.copied();
    assert.equal(kept.length, 10);
    assert.equal(kept[9], 'line 49');
  });

  it('filters by text, by /regex/ and to warnings and errors, and Save sends the matching rows in the protocol', () => {
    const p = pane();
    p.send(init([[ts(1), 'INFO Running', ''], [ts(2), 'WARNING queue is filling', 'w'], [ts(3), 'ERROR broker down', 'e'], [ts(4), 'INFO running again', '']]));
    p.type('filter', 'running');
    assert.deepEqual(p.copied(), ['INFO Running', 'INFO running again']);
    p.type('filter', '/^(WARNING|ERROR)/');
    assert.deepEqual(p.copied(), ['WARNING queue is filling', 'ERROR broker down']);
    p.type('filter', '');
    p.toggle('problems');
    assert.deepEqual(p.copied(), ['WARNING queue is filling', 'ERROR broker down']);
    p.posted.length = 0;
    p.click('save');
    assert.deepEqual(parsePaneMessage(p.posted[0]), { type: 'save', rows: [[ts(2), 'WARNING queue is filling'], [ts(3), 'ERROR broker down']], filter: ' (warnings/errors only)' });
    assert.deepEqual(p.state(), { filter: '', problems: true, timestamps: false }, 'the toggles survive the pane being hidden');
  });

  it('a bad /regex/ is marked and filters nothing out', () => {
    const p = pane();
    p.send(init(lines(3)));
    p.type('filter', '/([/');
    assert.ok(p.document.getElementById('filter')!.classList.contains('bad'));
    assert.equal(p.copied().length, 3);
  });

  it('merged lines carry their producer tag and colour; Copy and Save name the producer', () => {
    const p = pane();
    p.send(init([[ts(1), 'Running', 'l', 0, 'salkafka-at'], [ts(2), 'Running', 'l', 1, 'salkafka-m2']] as MergedWireLine[]));
    const tag = p.rows()[1].descendants().find((e) => e.className.startsWith('tag'))!;
    assert.equal(tag.className, 'tag p1');
    assert.equal(tag.textContent, 'salkafka-m2 ');
    assert.deepEqual(p.copied(), ['salkafka-at | Running', 'salkafka-m2 | Running']);
    p.posted.length = 0;
    p.click('save');
    const m = parsePaneMessage(p.posted[0]);
    assert.deepEqual(m?.type === 'save' && m.rows, [[ts(1), 'Running', 'salkafka-at'], [ts(2), 'Running', 'salkafka-m2']]);
  });

  it('a status marker becomes a line; a start marker is placed by its timestamp before later lines', () => {
    const p = pane();
    p.send(init([[ts(10), 'before', ''], [ts(30), 'first line of the new run', '']]));
    p.send({ type: 'status', text: 'interrupted', state: 'reconnecting', marker: '── log stream interrupted ──' });
    p.send({ type: 'append', skipped: 0, lines: [[ts(20), '── salkafka-m2 restarted ──', 'l m']] });
    assert.deepEqual(p.copied(), ['before', '── salkafka-m2 restarted ──', 'first line of the new run', '── log stream interrupted ──']);
  });

  it('Clear empties the pane; new lines still arrive', () => {
    const p = pane();
    p.send(init(lines(4)));
    p.click('clear');
    p.flush();
    assert.deepEqual(p.copied(), []);
    p.send({ type: 'append', skipped: 0, lines: lines(1, 7) });
    assert.deepEqual(p.copied(), ['line 7']);
  });
});
