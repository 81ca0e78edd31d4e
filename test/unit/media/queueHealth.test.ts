// media/queueHealth.js against a fake DOM built from the page's real markup, fed a snapshot made
// by the real QueueHealthModel from real-shaped ts_salobj log lines.
import { strict as assert } from 'assert';
import { parseLine } from '../../../src/core/logs/parseLine';
import { QueueHealthModel } from '../../../src/core/logs/queueHealth';
import { QUEUE_HEALTH_BODY } from '../../../src/features/logs/webviewBodies';
import { documentFromMarkup, loadMediaScript } from './fakeDom';

describe('media/queueHealth.js (fake DOM)', () => {
  const model = new QueueHealthModel(10);
  const t0 = Date.parse('2026-12-03T10:00:00Z');
  ['seq=1 INFO:salkafka:Running',
    'seq=2 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 10 of 100 elements',
    'seq=3 WARNING:salkafka.MTRotator:rotation DDS read queue is filling: 90 of 100 elements',
    'seq=4 WARNING:salkafka.MTHexapod:1:<b>application</b> DDS read queue is filling: 50 of 100 elements',
  ].forEach((l, i) => model.apply(parseLine(l), t0 + i * 1000));

  it('draws one section per CSC and one chart per queue, all text set as text', () => {
    const page = loadMediaScript('queueHealth.js', documentFromMarkup(QUEUE_HEALTH_BODY));
    assert.deepEqual(page.posted, [{ type: 'ready' }]);
    page.receive({ type: 'health', container: 'salkafka-mt', now: t0 + 10_000, health: model.snapshot() });
    const doc = page.document;
    assert.equal(doc.getElementById('title')!.textContent, 'salkafka-mt');
    assert.match(doc.getElementById('summary')!.textContent, /^worst: critical · producer running/);
    const charts = doc.getElementById('charts')!;
    const sections = charts.children.filter((c) => 'tagName' in c && c.tagName === 'section');
    assert.equal(sections.length, 2);
    const captions = charts.descendants().filter((e) => e.tagName === 'figcaption').map((e) => e.textContent);
    assert.ok(captions.some((c) => c.startsWith('rotation') && c.includes('worst 90/100')), captions.join('\n'));
    assert.ok(captions.some((c) => c.startsWith('<b>application</b>')), 'a topic name with markup is shown as written');
    assert.ok(!charts.descendants().some((e) => e.tagName === 'b'));
    const svgs = charts.descendants().filter((e) => e.tagName === 'svg');
    assert.equal(svgs.length, 2);
    assert.ok(svgs.every((s) => s.namespace === 'http://www.w3.org/2000/svg'));
    assert.ok(svgs[0].descendants().some((e) => e.tagName === 'polyline'), 'the step line');
  });

  it('says so when no queue was reported', () => {
    const page = loadMediaScript('queueHealth.js', documentFromMarkup(QUEUE_HEALTH_BODY));
    page.receive({ type: 'health', container: 'salkafka-at', now: t0, health: new QueueHealthModel(10).snapshot() });
    assert.match(page.document.getElementById('charts')!.textContent, /No queue reports/);
  });
});
