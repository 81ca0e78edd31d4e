// The markup of our webview pages, without the HTML shell (webviewHtml.ts adds CSP, script and
// style). No vscode import: the unit tests of media/*.js build their DOM from these same bodies.

/** The log pane's page (one producer or several merged): the same bar, the same virtual list. */
export const LOG_PANE_BODY = `
<header id="bar">
  <input id="filter" type="search" placeholder="Filter (text, or /regex/)" aria-label="Filter">
  <label><input id="follow" type="checkbox" checked> Follow</label>
  <label><input id="timestamps" type="checkbox"> Timestamps</label>
  <label><input id="problems" type="checkbox"> Warnings/errors only</label>
  <button id="clear" title="Clear the pane (the host keeps following)">Clear</button>
  <button id="copy" title="Copy the lines that match the filter">Copy</button>
  <button id="save" title="Save the lines that match the filter to a file">Save…</button>
  <span id="status"></span>
</header>
<div id="viewport" tabindex="0"><div id="spacer"></div><div id="rows"></div></div>`;

/** The queue health page: a header and one chart per topic queue under #charts. */
export const QUEUE_HEALTH_BODY = `
<header><h2 id="title"></h2><span id="summary"></span></header>
<p class="note">Fill of each read queue as reported by ts_salobj (capacity 100 by default). A queue is
reported only when it crosses 10, 50 or 90 upward, or is full, so the line holds its last reported
value until the next report. Dashed lines: warning 50 %, critical 90 %. Red marks: full, data may be lost.</p>
<main id="charts"></main>`;
