// Log pane webview: virtualised list (only visible rows are in the DOM), filter, follow,
// timestamps and warnings-only toggles. Lines arrive as [timestamp, text, class] batches.
// All text goes through textContent: log content is never parsed as HTML.
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const viewport = $('viewport');
  const spacer = $('spacer');
  const rowsEl = $('rows');
  const filterEl = $('filter');
  const followEl = $('follow');
  const tsEl = $('timestamps');
  const problemsEl = $('problems');
  const statusEl = $('status');

  const saved = vscode.getState() || {};
  let maxLines = 20000;
  /** Characters kept at most (bytes, not just lines: lines arrive capped at 16 KiB each). */
  const MAX_CHARS = 32 * 1024 * 1024;
  /** All lines kept, oldest first (bounded by maxLines and MAX_CHARS). */
  let lines = [];
  let chars = 0;
  /** Indexes into `lines` that pass the filter; null when no filter is active. */
  let shown = null;
  let matcher = null;
  let rowHeight = 18;
  let renderQueued = false;
  let dropped = 0;

  filterEl.value = saved.filter || '';
  problemsEl.checked = !!saved.problems;
  if (saved.timestamps !== undefined) tsEl.checked = saved.timestamps;

  function persist() {
    vscode.setState({ filter: filterEl.value, problems: problemsEl.checked, timestamps: tsEl.checked });
  }

  function buildMatcher() {
    const f = filterEl.value;
    const problems = problemsEl.checked;
    let test = null;
    filterEl.classList.remove('bad');
    if (f) {
      const re = /^\/(.+)\/([a-z]*)$/.exec(f);
      if (re) {
        try {
          const rx = new RegExp(re[1], re[2].replace('g', ''));
          test = (l) => rx.test(l[1]);
        } catch (e) {
          filterEl.classList.add('bad');
        }
      } else {
        const needle = f.toLowerCase();
        test = (l) => l[1].toLowerCase().includes(needle);
      }
    }
    if (!test && !problems) return null;
    return (l) => (!problems || l[2] !== '' ) && (!test || test(l));
  }

  function refilter() {
    matcher = buildMatcher();
    if (!matcher) shown = null;
    else {
      shown = [];
      for (let i = 0; i < lines.length; i++) if (matcher(lines[i])) shown.push(i);
    }
    queueRender(true);
  }

  function count() {
    return shown ? shown.length : lines.length;
  }

  function lineAt(i) {
    return shown ? lines[shown[i]] : lines[i];
  }

  // Docker's RFC 3339 time as a string that sorts: fraction padded to nine digits.
  function tsKey(ts) {
    if (!ts) return undefined;
    const dot = ts.indexOf('.', 19);
    const frac = dot < 0 ? '' : ts.slice(dot + 1, ts.length - 1);
    return ts.slice(0, 19) + frac.padEnd(9, '0');
  }

  function append(batch) {
    let placed = false;
    for (const l of batch) {
      // A start marker can arrive after the first lines of its run: insert it before them.
      const k = l[2] === 'l m' ? tsKey(l[0]) : undefined;
      let at = lines.length;
      if (k !== undefined) {
        for (let i = lines.length - 1; i >= 0; i--) {
          const lk = tsKey(lines[i][0]);
          if (lk === undefined) continue;
          if (lk >= k) at = i; else break;
        }
      }
      if (at < lines.length) { lines.splice(at, 0, l); placed = true; } else lines.push(l);
      chars += l[1].length;
    }
    // Bounded in lines (maxLines) and in characters (MAX_CHARS), the oldest dropped first.
    let cut = Math.max(0, lines.length - maxLines);
    for (let i = 0; i < cut; i++) chars -= lines[i][1].length;
    while (chars > MAX_CHARS && cut < lines.length - 1) chars -= lines[cut++][1].length;
    if (cut > 0) {
      lines = lines.slice(cut);
      dropped += cut;
      if (shown) {
        // Shift indexes down and drop those that fell off.
        const next = [];
        for (const i of shown) if (i >= cut) next.push(i - cut);
        shown = next;
      }
    }
    if (placed && matcher) { refilter(); return; }
    if (matcher) {
      const start = lines.length - Math.min(batch.length, lines.length);
      for (let i = start; i < lines.length; i++) if (matcher(lines[i])) shown.push(i);
    }
    queueRender(followEl.checked);
  }

  function queueRender(stickToBottom) {
    if (stickToBottom) pendingStick = true;
    if (renderQueued) return;
    renderQueued = true;
    requestAnimationFrame(render);
  }
  let pendingStick = false;

  function render() {
    renderQueued = false;
    const n = count();
    spacer.style.height = n * rowHeight + 'px';
    if (pendingStick && followEl.checked) viewport.scrollTop = viewport.scrollHeight;
    pendingStick = false;
    const first = Math.max(0, Math.floor(viewport.scrollTop / rowHeight) - 20);
    const last = Math.min(n, Math.ceil((viewport.scrollTop + viewport.clientHeight) / rowHeight) + 20);
    const frag = document.createDocumentFragment();
    const showTs = tsEl.checked;
    for (let i = first; i < last; i++) {
      const l = lineAt(i);
      const row = document.createElement('div');
      row.className = 'row' + (l[2] ? ' ' + l[2] : '');
      if (showTs && l[0]) {
        const t = document.createElement('span');
        t.className = 'ts';
        t.textContent = l[0] + ' ';
        row.appendChild(t);
      }
      if (l[4]) {
        // Merged pane: [ts, text, cls, colour slot, producer].
        const tag = document.createElement('span');
        tag.className = 'tag p' + l[3];
        tag.textContent = l[4] + ' ';
        row.appendChild(tag);
      }
      row.appendChild(document.createTextNode(l[1]));
      frag.appendChild(row);
    }
    rowsEl.style.transform = 'translateY(' + first * rowHeight + 'px)';
    rowsEl.replaceChildren(frag);
  }

  // Scrolling up pauses follow; scrolling back to the bottom resumes it (as in a terminal).
  let lastScrollTop = 0;
  viewport.addEventListener('scroll', () => {
    const atBottom = viewport.scrollTop + viewport.clientHeight >= viewport.scrollHeight - rowHeight;
    if (viewport.scrollTop < lastScrollTop && !atBottom) followEl.checked = false;
    else if (atBottom) followEl.checked = true;
    lastScrollTop = viewport.scrollTop;
    queueRender(false);
  });
  window.addEventListener('resize', () => queueRender(false));

  let filterTimer;
  filterEl.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => { persist(); refilter(); }, 120);
  });
  problemsEl.addEventListener('change', () => { persist(); refilter(); });
  tsEl.addEventListener('change', () => { persist(); queueRender(false); });
  followEl.addEventListener('change', () => queueRender(followEl.checked));
  $('clear').addEventListener('click', () => { lines = []; chars = 0; shown = matcher ? [] : null; queueRender(true); });
  $('copy').addEventListener('click', () => {
    const out = [];
    const n = count();
    for (let i = 0; i < n; i++) { const l = lineAt(i); out.push((l[4] ? l[4] + ' | ' : '') + (tsEl.checked && l[0] ? l[0] + ' ' : '') + l[1]); }
    vscode.postMessage({ type: 'copy', text: out.join('\n') });
  });
  $('save').addEventListener('click', () => {
    const rows = [];
    const n = count();
    for (let i = 0; i < n; i++) { const l = lineAt(i); rows.push(l[4] ? [l[0] || '', l[1], l[4]] : [l[0] || '', l[1]]); }
    vscode.postMessage({ type: 'save', rows, filter: filterEl.value || problemsEl.checked ? (filterEl.value || '') + (problemsEl.checked ? ' (warnings/errors only)' : '') : '' });
  });

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    switch (m.type) {
      case 'init':
        maxLines = m.maxLines;
        if (saved.timestamps === undefined) tsEl.checked = m.timestamps;
        lines = [];
        chars = 0;
        dropped = 0;
        append(m.lines);
        refilter();
        break;
      case 'append':
        append(m.lines);
        break;
      case 'settings':
        maxLines = m.maxLines;
        if (lines.length > maxLines) append([]);
        break;
      case 'status':
        statusEl.textContent = m.text + (dropped ? ' · ' + dropped + ' old lines dropped from the pane' : '');
        statusEl.className = m.state;
        if (m.marker) append([['', m.marker, 'marker']]);
        break;
    }
  });

  // Measure the real row height once (font settings differ).
  const probe = document.createElement('div');
  probe.className = 'row';
  probe.textContent = 'X';
  rowsEl.appendChild(probe);
  rowHeight = probe.getBoundingClientRect().height || 18;
  rowsEl.removeChild(probe);

  vscode.postMessage({ type: 'ready' });
})();
