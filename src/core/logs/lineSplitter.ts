// Turns arbitrary byte chunks into complete lines. A chunk can end in the middle of a line or
// in the middle of a multi-byte UTF-8 character; both are carried over to the next chunk.
// A line longer than maxLineLength keeps its head only: the rest is counted, not stored, until
// its newline arrives, so memory stays bounded whatever a container prints (see lineCap.ts).
import { StringDecoder } from 'node:string_decoder';
import { MAX_LINE_CHARS, cutMarker, headOf } from './lineCap';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** While a runaway line is being skipped: UTF-8 bytes dropped so far. */
  private cutBytes = -1;

  constructor(private readonly maxLineLength = MAX_LINE_CHARS) {}

  /** Returns the lines completed by this chunk, without their "\n" / "\r\n". */
  push(chunk: Buffer | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(this.complete(text.slice(start, end)));
      start = nl + 1;
    }
    this.accumulate(start === 0 ? text : text.slice(start));
    return lines;
  }

  /** Returns the final unterminated line, if any (call when the stream ends). */
  flush(): string[] {
    this.accumulate(this.decoder.end());
    if (this.partial.length === 0 && this.cutBytes < 0) return [];
    let last = this.complete('');
    if (this.cutBytes < 0 && last.endsWith('\r')) last = last.slice(0, -1);
    return [last];
  }

  get pendingLength(): number {
    return this.partial.length;
  }

  /** partial + the tail of a line up to its newline, capped. */
  private complete(tail: string): string {
    let line: string;
    if (this.cutBytes >= 0) {
      line = this.partial + cutMarker(this.cutBytes + Buffer.byteLength(tail, 'utf8'));
    } else {
      let whole = this.partial + tail;
      // "\r\n" split across chunks: the "\r" ended the previous chunk.
      if (tail === '' && whole.endsWith('\r')) whole = whole.slice(0, -1);
      const head = headOf(whole, this.maxLineLength);
      line = head.length === whole.length ? whole : head + cutMarker(Buffer.byteLength(whole.slice(head.length), 'utf8'));
    }
    this.partial = '';
    this.cutBytes = -1;
    return line;
  }

  /** Text with no newline: kept while the line is short, counted once it is too long. */
  private accumulate(rest: string): void {
    if (rest.length === 0) return;
    if (this.cutBytes >= 0) {
      this.cutBytes += Buffer.byteLength(rest, 'utf8');
      return;
    }
    this.partial += rest;
    if (this.partial.length > this.maxLineLength) {
      const head = headOf(this.partial, this.maxLineLength);
      this.cutBytes = Buffer.byteLength(this.partial.slice(head.length), 'utf8');
      this.partial = head;
    }
  }
}
