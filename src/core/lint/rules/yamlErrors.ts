import { isScalar, parseDocument, Scalar, visit } from 'yaml';
import type { ComposeModel, Range } from '../../compose/model';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'yaml-syntax': { severity: 'error', summary: 'The file is not valid YAML; docker-compose will refuse it.' },
  'yaml-warning': { severity: 'warning', summary: 'YAML construct that parses but is likely a mistake.' },
  'duplicate-key': { severity: 'error', summary: 'A key is written twice; one definition is silently dropped.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** How many times the text is re-parsed to tell independent syntax errors from cascades. */
const MAX_REPARSES = 8;
/** Above this size a broken file gets its first syntax error only (each re-parse costs a parse). */
const MAX_REPARSE_CHARS = 1_000_000;

interface SyntaxError {
  range: Range;
  message: string;
}

const syntaxCache = new WeakMap<object, SyntaxError[]>();

/**
 * The file's YAML syntax errors, one per real mistake. The parser recovers after an error and
 * reports what follows as further errors (a pasted terminal session gave 12 diagnostics, 2 of
 * them real): so only the first error is taken as is; then its line is blanked and the text
 * parsed again, and the first error on a later line is the next real one. Also what PyYAML
 * (docker-compose 1.x) refuses and our YAML 1.2 parser accepts: a tab between tokens, a
 * control character.
 */
export function syntaxErrors(model: ComposeModel): SyntaxError[] {
  const cached = syntaxCache.get(model.doc);
  if (cached) return cached;
  const { text } = model;
  const out: SyntaxError[] = [];
  let errors = model.doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  let work = text;
  let after = -1; // errors must start on a line after this offset
  for (let round = 0; errors.length && round <= MAX_REPARSES; round++) {
    const next = errors.filter((e) => e.pos[0] > after).sort((a, b) => a.pos[0] - b.pos[0])[0];
    if (!next) break;
    out.push({ range: atLeastOneChar(text, next.pos), message: `YAML syntax error: ${firstLine(next.message)}` });
    const lineStart = text.lastIndexOf('\n', Math.min(next.pos[0], text.length) - 1) + 1;
    const nl = text.indexOf('\n', next.pos[0]);
    const lineEnd = nl < 0 ? text.length : nl;
    after = lineEnd;
    if (text.length > MAX_REPARSE_CHARS || round === MAX_REPARSES) break;
    work = work.slice(0, lineStart) + work.slice(lineStart, lineEnd).replace(/[^\r\n]/g, ' ') + work.slice(lineEnd);
    errors = parseDocument(work, { uniqueKeys: true, prettyErrors: false, merge: true }).errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  }
  if (!out.length) out.push(...pyyamlOnly(model));
  syntaxCache.set(model.doc, out);
  return out;
}

/** True when docker-compose cannot even read the file: compose-level checks would only add noise. */
export function hasSyntaxError(model: ComposeModel): boolean {
  return syntaxErrors(model).length > 0;
}

/** YAML syntax errors and duplicate keys, at the exact position the parser reports. */
export const yamlErrors: Rule = ({ model, report }) => {
  const { text } = model;
  const syntax = syntaxErrors(model);
  for (const e of syntax) report(diagnostic('yaml-syntax', e.range, e.message));
  // Below a syntax error the tree is the parser's recovery, not what the user wrote.
  const trusted = syntax.length ? syntax[0].range.start : Infinity;
  for (const w of model.doc.warnings) {
    // An unknown tag is a syntax error for docker-compose, reported above.
    if (w.code === 'TAG_RESOLVE_FAILED') continue;
    if (w.pos[0] < trusted) report(diagnostic('yaml-warning', atLeastOneChar(text, w.pos), firstLine(w.message)));
  }
  for (const dropped of model.shadowedServices) {
    if (dropped.nameRange.start >= trusted) continue;
    report(
      diagnostic(
        'duplicate-key',
        dropped.nameRange,
        `Service "${dropped.name}" is defined twice. docker-compose keeps only the later definition, so this ` +
          `${dropped.isProducer ? 'producer' : 'service'} is silently dropped.`,
      ),
    );
  }
  // Other duplicate keys (inside a service, environment map, top level…).
  const serviceKeys = new Set(model.shadowedServices.map((s) => s.nameRange.start));
  const services = new Set(model.services.map((s) => s.nameRange.start));
  for (const err of model.doc.errors) {
    if (err.code !== 'DUPLICATE_KEY') continue;
    const [start] = err.pos;
    if (serviceKeys.has(start) || services.has(start) || start >= trusted) continue;
    const key = /^[^:\s]+/.exec(text.slice(start, start + 200))?.[0] ?? '';
    report(
      diagnostic(
        'duplicate-key',
        atLeastOneChar(text, [start, start + key.length]),
        `Key "${key}" is written twice in the same mapping; only one value is used.`,
      ),
    );
  }
};

// PyYAML's reader accepts only these characters (yaml/reader.py NON_PRINTABLE, inverted).
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** What docker-compose 1.x (PyYAML) refuses that the YAML 1.2 parser accepted; first of each kind. */
function pyyamlOnly(model: ComposeModel): SyntaxError[] {
  const { text } = model;
  const out: SyntaxError[] = [];
  const bad = NON_PRINTABLE.exec(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  if (bad) {
    const at = bad.index + (text.charCodeAt(0) === 0xfeff ? 1 : 0);
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    out.push({ range: { start: at, end: at + bad[0].length }, message: `YAML syntax error: character U+${code} is not allowed in a YAML file; docker-compose refuses it ("unacceptable character").` });
  }
  const tag = unknownTag(model);
  if (tag) out.push(tag);
  const tab = tabOutsideScalars(model);
  if (tab >= 0) {
    out.push({ range: { start: tab, end: tab + 1 }, message: 'YAML syntax error: a tab between YAML tokens; docker-compose refuses it ("found character \'\\t\' that cannot start any token"). Use spaces.' });
  }
  return out;
}

// The tags PyYAML's safe loader constructs; any other tag makes it refuse the file.
const SAFE_TAGS = new Set(['null', 'bool', 'int', 'float', 'binary', 'timestamp', 'omap', 'pairs', 'set', 'str', 'seq', 'map'].map((t) => `tag:yaml.org,2002:${t}`));

function unknownTag(model: ComposeModel): SyntaxError | undefined {
  let found: SyntaxError | undefined;
  visit(model.doc, {
    Node: (_k, n) => {
      const tag = (n as { tag?: string }).tag;
      if (found || !tag || SAFE_TAGS.has(tag) || !n.range) return;
      found = { range: { start: n.range[0], end: Math.max(n.range[1], n.range[0] + 1) }, message: `YAML syntax error: the tag ${tag} is not one docker-compose can read; it refuses the file ("could not determine a constructor for the tag").` };
      return visit.BREAK;
    },
  });
  return found;
}

/** Offset of the first tab outside quoted and block scalars and comments, or -1. */
function tabOutsideScalars(model: ComposeModel): number {
  const { text } = model;
  if (!text.includes('\t')) return -1;
  const literal: [number, number][] = [];
  visit(model.doc, {
    Scalar: (_k, n) => {
      const s = n as Scalar;
      if (isScalar(s) && s.range && s.type && s.type !== Scalar.PLAIN) literal.push([s.range[0], s.range[1]]);
    },
  });
  literal.sort((a, b) => a[0] - b[0]);
  let li = 0;
  for (let i = 0; i < text.length; i++) {
    while (li < literal.length && literal[li][1] <= i) li++;
    if (li < literal.length && literal[li][0] <= i) {
      i = literal[li][1] - 1;
      continue;
    }
    const ch = text[i];
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return -1;
      i = nl;
      continue;
    }
    if (ch === '\t') return i;
  }
  return -1;
}

/**
 * The parser's [start, end] widened to one character when empty, and kept inside the text:
 * for a missing closing quote or bracket at the end of the file the parser points one past
 * it, so the last character is underlined instead.
 */
function atLeastOneChar(text: string, [rawStart, rawEnd]: [number, number]): { start: number; end: number } {
  const start = Math.max(0, Math.min(rawStart, text.length - 1));
  const end = Math.min(Math.max(rawEnd, start + 1), text.length);
  return { start, end };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

export const yamlErrorsRule = declareRule({
  rule: yamlErrors,
  codes: CODES,
  kinds: ['compose', 'values'],
});
