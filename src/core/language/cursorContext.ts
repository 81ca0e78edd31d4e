/**
 * What the cursor is in, read from the text of the current line and the lines above.
 * Text-based on purpose: while typing, the YAML is often momentarily invalid.
 */
export type CursorContext =
  | { kind: 'cscList'; wordStart: number; wordEnd: number; word: string }
  | { kind: 'envKey'; form: 'list' | 'map'; wordStart: number; wordEnd: number }
  | { kind: 'envValue'; key: string; wordStart: number; wordEnd: number }
  | { kind: 'none' };

const LIST_ITEM = /^(\s*-\s+["']?)([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;
const MAP_ITEM = /^(\s*)([A-Za-z_][A-Za-z0-9_]*):(\s*["']?)(.*)$/;

/** The line around an offset: where it starts, its text (no line break) and the offset's column. */
export function lineAt(text: string, offset: number): { lineStart: number; line: string; col: number } {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = text.length;
  return { lineStart, line: text.slice(lineStart, lineEnd).replace(/\r$/, ''), col: offset - lineStart };
}

export function cursorContext(text: string, offset: number): CursorContext {
  const { lineStart, line, col } = lineAt(text, offset);
  const before = line.slice(0, col);
  if (!inEnvironmentBlock(text, lineStart, line)) return { kind: 'none' };

  const word = wordAt(line, col);
  const list = LIST_ITEM.exec(before);
  const map = list ? null : MAP_ITEM.exec(before);
  if (list || map) {
    const key = list ? list[2] : map![2];
    const valueStart = list ? list[1].length + key.length + 1 : map![1].length + key.length + 1 + map![3].length;
    if (col >= valueStart) {
      if (key === 'CSC_LIST') return { kind: 'cscList', wordStart: lineStart + word.start, wordEnd: lineStart + word.end, word: line.slice(word.start, word.end) };
      return { kind: 'envValue', key, wordStart: lineStart + Math.max(word.start, valueStart), wordEnd: lineStart + word.end };
    }
  }
  if (/^\s*-\s*["']?[A-Za-z0-9_]*$/.test(before)) return { kind: 'envKey', form: 'list', wordStart: lineStart + word.start, wordEnd: lineStart + word.end };
  if (/^\s*[A-Za-z0-9_]*$/.test(before)) return { kind: 'envKey', form: 'map', wordStart: lineStart + word.start, wordEnd: lineStart + word.end };
  return { kind: 'none' };
}

/** The CSC-name-like word (letters, digits, _ : . -) around a column of a line. */
export function wordAt(line: string, col: number): { start: number; end: number } {
  const isWord = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_:.\-]/.test(c);
  let start = col;
  while (start > 0 && isWord(line[start - 1]) && line[start - 1] !== '=') start--;
  let end = col;
  while (end < line.length && isWord(line[end])) end++;
  return { start, end };
}

/** True when the nearest less-indented line above is `environment:`. */
function inEnvironmentBlock(text: string, lineStart: number, line: string): boolean {
  const indent = /^\s*/.exec(line)![0].length;
  let pos = lineStart - 1;
  while (pos > 0) {
    const start = text.lastIndexOf('\n', pos - 1) + 1;
    const above = text.slice(start, pos).replace(/\r$/, '');
    pos = start - 1;
    if (!above.trim() || above.trim().startsWith('#')) continue;
    const aboveIndent = /^\s*/.exec(above)![0].length;
    if (aboveIndent < indent || (aboveIndent === indent && !above.trim().startsWith('-') && line.trim().startsWith('-'))) {
      return /^\s*environment:\s*(#.*)?$/.test(above);
    }
    if (pos <= 0) break;
  }
  return false;
}
