// Bytes, not just lines: one log line is kept to at most MAX_LINE_CHARS characters, so a
// container printing 1 MiB lines (a dumped array, binary garbage) costs a pane 16 KiB a line.
// The cut is visible: "… [N bytes cut]".

/** Characters kept of one log line (16 KiB of ASCII). */
export const MAX_LINE_CHARS = 16 * 1024;

export function cutMarker(bytes: number): string {
  return `… [${bytes} bytes cut]`;
}

/** `text` cut at `max` characters without splitting a surrogate pair. */
export function headOf(text: string, max: number): string {
  if (text.length <= max) return text;
  const c = text.charCodeAt(max - 1);
  return text.slice(0, c >= 0xd800 && c <= 0xdbff ? max - 1 : max);
}

/** The line itself, or its head and a marker naming how many UTF-8 bytes were dropped. */
export function capLine(text: string, max = MAX_LINE_CHARS): string {
  if (text.length <= max) return text;
  const head = headOf(text, max);
  return head + cutMarker(Buffer.byteLength(text.slice(head.length), 'utf8'));
}
