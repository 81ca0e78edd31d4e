import type { Diagnostic, Severity } from '../core/lint/diagnostic';
import { LineIndex } from '../core/text/lineIndex';

/** One diagnostic as the CLI prints it: 1-based lines and columns, end exclusive (as VS Code and ESLint). */
export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function toCliDiagnostics(file: string, text: string, diagnostics: Diagnostic[]): CliDiagnostic[] {
  const index = new LineIndex(text);
  return diagnostics.map((d) => {
    const start = index.positionAt(d.range.start);
    const end = index.positionAt(Math.max(d.range.start, d.range.end));
    return {
      file,
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
}

/** `file:line:col severity code message`; a message never spans lines, so each diagnostic is one line. */
export function formatText(d: CliDiagnostic): string {
  return `${forTerminal(d.file)}:${d.line}:${d.column} ${d.severity} ${d.code} ${forTerminal(d.message.replace(/\s*[\r\n]+\s*/g, ' '))}`;
}

/**
 * Text from the checked file (service names, CSC words, keys) made safe for a terminal: control
 * characters (ESC starts sequences that retitle the window, clear the screen, or worse), DEL, the
 * C1 controls and the bidirectional overrides that make a line read differently from what it
 * holds are shown as \x1b / \u202e escapes.
 */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

// C0 (newlines are already folded into spaces by the callers), DEL, C1, the bidi marks,
// embeddings, overrides and isolates, and the Unicode line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** e.g. "2 errors, 1 warning in 1 file" (", 3 info" when there are any). */
export function formatSummary(all: CliDiagnostic[], fileCount: number): string {
  const count = (s: Severity) => all.filter((d) => d.severity === s).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const info = count('info');
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}${info ? `, ${info} info` : ''} in ${plural(fileCount, 'file')}`;
}
