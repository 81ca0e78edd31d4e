// Turns arbitrary byte chunks into complete lines. A chunk can end in the middle of a line or
// in the middle of a multi-byte UTF-8 character; both are carried over to the next chunk.
import { StringDecoder } from 'node:string_decoder';

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** Longest partial line kept; beyond it the text is emitted as a line so memory stays bounded. */
  constructor(private readonly maxLineLength = 1 << 20) {}

  /** Returns the lines completed by this chunk, without their "\n" / "\r\n". */
  push(chunk: Buffer | string): string[] {
    const text = this.partial + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      lines.push(text.slice(start, end));
      start = nl + 1;
    }
    this.partial = start === 0 ? text : text.slice(start);
    if (this.partial.length > this.maxLineLength) {
      lines.push(this.partial);
      this.partial = '';
    }
    return lines;
  }

  /** Returns the final unterminated line, if any (call when the stream ends). */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest.length > 0 ? [rest.endsWith('\r') ? rest.slice(0, -1) : rest] : [];
  }

  get pendingLength(): number {
    return this.partial.length;
  }
}
