// Queue health webview: one small step chart per topic queue, drawn as inline SVG with DOM
// calls (no library, no innerHTML of log-derived text).
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const W = 640, H = 90, PAD_L = 34, PAD_R = 8, PAD_T = 6, PAD_B = 18;
  const LABEL = { unknown: 'no reports', ok: 'ok', warning: 'warning', critical: 'critical', dataLoss: 'FULL — data may be lost' };

  function el(name, attrs, parent) {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, cls, text, parent) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  function hhmm(ms) {
    return new Date(ms).toISOString().slice(11, 19) + 'Z';
  }

  function chart(topic, t0, t1) {
    const svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart', role: 'img' });
    const x = (t) => PAD_L + ((t - t0) / Math.max(1, t1 - t0)) * (W - PAD_L - PAD_R);
    const y = (fill) => PAD_T + (1 - Math.min(fill, topic.capacity) / topic.capacity) * (H - PAD_T - PAD_B);
    for (const [pct, cls] of [[50, 'warn'], [90, 'crit']]) {
      const yy = y((pct / 100) * topic.capacity);
      el('line', { x1: PAD_L, x2: W - PAD_R, y1: yy, y2: yy, class: 'threshold ' + cls }, svg);
    }
    el('line', { x1: PAD_L, x2: W - PAD_R, y1: y(0), y2: y(0), class: 'axis' }, svg);
    el('text', { x: PAD_L - 4, y: y(topic.capacity) + 8, class: 'tick', 'text-anchor': 'end' }, svg).textContent = String(topic.capacity);
    el('text', { x: PAD_L - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, svg).textContent = '0';
    el('text', { x: PAD_L, y: H - 4, class: 'tick' }, svg).textContent = hhmm(t0);
    el('text', { x: W - PAD_R, y: H - 4, class: 'tick', 'text-anchor': 'end' }, svg).textContent = hhmm(t1);
    // Step line: each report holds until the next one (or now).
    const pts = [];
    topic.history.forEach((s, i) => {
      const next = i + 1 < topic.history.length ? topic.history[i + 1].t : t1;
      pts.push(x(s.t) + ',' + y(s.fill), x(next) + ',' + y(s.fill));
    });
    if (pts.length) el('polyline', { points: pts.join(' '), class: 'fill ' + topic.worstLevel }, svg);
    for (const s of topic.history) {
      const c = el('circle', { cx: x(s.t), cy: y(s.fill), r: s.fill >= topic.capacity ? 4 : 2.5, class: s.fill >= topic.capacity ? 'full' : 'pt' }, svg);
      el('title', {}, c).textContent = hhmm(s.t) + ': ' + s.fill + ' of ' + topic.capacity;
    }
    return svg;
  }

  function render(m) {
    const h = m.health;
    document.getElementById('title').textContent = m.container;
    document.getElementById('summary').textContent =
      'worst: ' + LABEL[h.worstLevel] + (h.lifecycle ? ' · producer ' + h.lifecycle : '') +
      (h.errorCount ? ' · ' + h.errorCount + ' errors' : '') + (h.tracebackCount ? ' · ' + h.tracebackCount + ' tracebacks' : '');
    const root = document.getElementById('charts');
    const frag = document.createDocumentFragment();
    if (!h.cscs.length) html('p', 'empty', 'No queue reports in the log read so far: every queue stayed below 10 of ' + 100 + '.', frag);
    let t0 = Infinity;
    for (const c of h.cscs) for (const t of c.topics) if (t.history.length) t0 = Math.min(t0, t.history[0].t);
    const t1 = Math.max(m.now, t0 + 1000);
    for (const c of h.cscs) {
      const sec = html('section', 'csc ' + c.worstLevel, undefined, frag);
      html('h3', '', c.key + ' — ' + LABEL[c.worstLevel], sec);
      for (const t of c.topics) {
        const fig = html('figure', 'topic', undefined, sec);
        html('figcaption', t.worstLevel, t.topic + ' (' + t.queue + ') · last ' + t.latestFill + '/' + t.capacity + ' · worst ' + t.worstFill + '/' + t.capacity + (t.fullCount ? ' · full ×' + t.fullCount : ''), fig);
        fig.appendChild(chart(t, t0, t1));
      }
    }
    root.replaceChildren(frag);
  }

  window.addEventListener('message', (ev) => {
    if (ev.data && ev.data.type === 'health') render(ev.data);
  });
  vscode.postMessage({ type: 'ready' });
})();
