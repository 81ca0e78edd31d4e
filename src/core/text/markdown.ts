// Markdown for text that comes from outside (container logs, compose files, Docker, error
// messages): reports and tooltips are Markdown, and a log line must never close a code fence,
// start a heading, open a link or inject HTML. Three shapes:
//  - mdText: inline prose, every Markdown/HTML metacharacter escaped, newlines as spaces;
//  - mdCode: an inline code span whose backtick run is longer than any run inside;
//  - mdFence: a fenced block whose fence is longer than any backtick or tilde run inside.
// In a code span or fence nothing is interpreted, so the text shows exactly as it is (control
// characters aside, which are made visible).

/** Control characters other than tab/newline shown as \xNN: no terminal or renderer tricks. */
export function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Escape for inline Markdown prose (a table cell, a heading, bold text). Only what can start a
 * construct is escaped, so the raw text stays readable: emphasis, code, links/images, HTML and
 * entities, table pipes, strikethrough, and a block marker (#, >, -, +, =, "1.") at the start.
 */
export function mdText(text: string): string {
  const flat = visibleControls(String(text)).replace(/\r?\n|\r|\t/g, ' ');
  const escaped = flat
    .replace(/[\\`*_[\]<>&|~@$]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
    // GFM autolinks bare URLs and www. names: an escaped ":" or "." keeps them plain text.
    .replace(/\b([a-z][a-z0-9+.-]*):(?=\/\/)/gi, '$1\\:')
    .replace(/\b(www)\./gi, '$1\\.');
  return escaped.replace(/^(\s*)([#+=-])/, '$1\\$2').replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3');
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

/** An inline code span that shows `text` verbatim on one line. */
export function mdCode(text: string): string {
  const t = visibleControls(String(text)).replace(/\r?\n|\r/g, ' ');
  const ticks = '`'.repeat(longestRun(t, '`') + 1);
  // A space pads a span that starts or ends with a backtick (CommonMark strips one space each side).
  const pad = t.startsWith('`') || t.endsWith('`') || t === '' ? ' ' : '';
  return `${ticks}${pad}${t}${pad}${ticks}`;
}

/** A fenced code block for `lines`; nothing inside can close it. */
export function mdFence(lines: readonly string[], info = ''): string {
  const body = lines.map((l) => visibleControls(String(l)).replace(/\r/g, '\\r'));
  const text = body.join('\n');
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return [`${fence}${info}`, ...body, fence].join('\n');
}
