// Outside text in Markdown (reports, tooltips) rendered by a REAL CommonMark/GFM renderer: marked
// (already installed: @vscode/vsce depends on it). A hostile log line must stay inside its code
// block, and escaped prose must render as the literal text with no element of its own.
import { strict as assert } from 'assert';
import { mdCode, mdFence, mdText } from '../../../src/core/text/markdown';
import { troubleshootMarkdown, verifyMarkdown } from '../../../src/core/ops/reportText';
import type { VerifyReport } from '../../../src/core/ops/verify';
import type { TroubleshootReport } from '../../../src/core/ops/troubleshoot';

type Render = (md: string) => string;
let render: Render;

// tsc turns import() into require() for CommonJS output; marked is ESM only.
const importEsm = new Function('m', 'return import(m)') as (m: string) => Promise<{ marked: { parse(md: string, o?: object): string } }>;

const HOSTILE_LINES = [
  '```',
  '````',
  '~~~',
  '```js\nalert(1)',
  '</code></pre><img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '# not a heading',
  '[click](command:efdSalkafka.applyChanges)',
  '![img](https://evil.invalid/x.png)',
  '| a | b |',
  '**bold** _em_ ~~strike~~ `code`',
  '\\`escaped\\` and a trailing backslash\\',
  '\u001b[31mred\u001b[0m \u0007bell',
  '&lt;entity&gt; &amp;',
  '- list item',
  '1. ordered',
  '> quote',
];

/** Text content of rendered HTML (tags removed, the few entities marked emits decoded). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

function tags(html: string): string[] {
  return [...html.matchAll(/<\s*([a-zA-Z0-9]+)/g)].map((m) => m[1].toLowerCase());
}

describe('Markdown escaping of outside text (rendered with marked)', () => {
  before(async () => {
    const { marked } = await importEsm('marked');
    render = (md) => marked.parse(md, { gfm: true, async: false });
  });

  it('mdFence: every hostile line stays inside ONE code block, verbatim (control characters made visible)', () => {
    const html = render(`before\n\n${mdFence(HOSTILE_LINES)}\n\nafter`);
    assert.deepEqual(tags(html).filter((t) => t !== 'p'), ['pre', 'code'], html);
    const code = /<pre><code>([\s\S]*)<\/code><\/pre>/.exec(html)![1];
    const expected = HOSTILE_LINES.join('\n').replace(/\u001b/g, '\\x1b').replace(/\u0007/g, '\\x07');
    assert.equal(textOf(code).replace(/\n$/, ''), expected);
  });

  it('mdFence picks a fence longer than any backtick run inside', () => {
    assert.ok(mdFence(['a ````` b']).startsWith('``````\n'));
    assert.ok(mdFence(['plain']).startsWith('```\n'));
  });

  for (const line of HOSTILE_LINES) {
    it(`mdText renders ${JSON.stringify(line)} as plain text, no element of its own`, () => {
      const html = render(`**${mdText(line)}**`);
      assert.deepEqual(tags(html), ['p', 'strong'], html);
      const shown = line.replace(/\n/g, ' ').replace(/\u001b/g, '\\x1b').replace(/\u0007/g, '\\x07');
      assert.equal(textOf(html).trim(), shown.trim());
    });
    it(`mdCode renders ${JSON.stringify(line)} as one code span`, () => {
      const html = render(`x ${mdCode(line)} y`);
      assert.deepEqual(tags(html), ['p', 'code'], html);
    });
  }

  it('a table cell with pipes and newlines stays one cell', () => {
    const html = render(`| a | b |\n|---|---|\n| ${mdText('x | y\n| z')} | 2 |`);
    assert.equal((html.match(/<td>/g) ?? []).length, 2, html);
  });

  it('verifyMarkdown and troubleshootMarkdown keep hostile log lines in their code blocks', () => {
    const v: VerifyReport = {
      ok: false,
      container: 'salkafka-m2',
      summary: 'FAIL <b>x</b>',
      checks: [{ name: 'log', status: 'fail', detail: 'saw ``` and | and <img src=x>' }],
      errorLines: HOSTILE_LINES,
      logLinesExamined: 3,
      elapsedMs: 1000,
    } as unknown as VerifyReport;
    const vh = render(verifyMarkdown(v));
    assert.equal(tags(vh).filter((t) => t === 'pre').length, 1);
    assert.ok(!/<img|<script|<a |<b>/.test(vh), vh);
    const t: TroubleshootReport = {
      container: 'salkafka-m2',
      headline: 'restart loop',
      findings: [
        { severity: 'error', title: 'Traceback', action: 'read it', evidence: HOSTILE_LINES },
        { severity: 'warning', title: 'second', action: 'x', evidence: ['```'] },
      ],
    } as unknown as TroubleshootReport;
    const th = render(troubleshootMarkdown(t));
    assert.equal(tags(th).filter((x) => x === 'pre').length, 2, th);
    assert.equal(tags(th).filter((x) => x === 'h2').length, 2, 'the second finding is still a heading, not swallowed by a code block');
    assert.ok(!/<img|<script|<a /.test(th), th);
  });
});
