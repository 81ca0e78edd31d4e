// Stateful wrapper around parseLine for one container's stream: recognises multi-line Python
// tracebacks, which only make sense in sequence.
//
// A block starts at "Traceback (most recent call last):"; indented lines, blank lines and the
// chaining sentences ("During handling of the above exception…", "The above exception was the
// direct cause…") continue it; the first other line that is not a new log record is the
// exception line and ends it. A new log record (it has a level) ends the block without an
// exception line (the traceback was cut off).
import type { ErrorBlock, ParsedLine } from './logTypes';
import { parseLine } from './parseLine';

const TRACEBACK_START = 'Traceback (most recent call last):';

function continuesTraceback(message: string): boolean {
  if (message.length === 0) return true;
  const c = message.charCodeAt(0);
  if (c === 32 || c === 9) return true;
  return (
    message.startsWith('During handling of the above exception') ||
    message.startsWith('The above exception was the direct cause') ||
    message.startsWith(TRACEBACK_START)
  );
}

export class LogStreamParser {
  private block: ErrorBlock | undefined;
  private blockChars = 0;
  /** Caps on what one block keeps, so a runaway traceback cannot grow without bound. */
  private static readonly MAX_BLOCK_LINES = 200;
  private static readonly MAX_BLOCK_CHARS = 64 * 1024;

  /** @param onErrorBlock called once per completed traceback block. */
  constructor(private readonly onErrorBlock?: (block: ErrorBlock) => void) {}

  parse(raw: string): ParsedLine {
    return this.classify(parseLine(raw));
  }

  /** Updates the traceback state with an already parsed line (marks `line.traceback`). */
  classify(line: ParsedLine): ParsedLine {
    const msg = line.message;
    if (this.block) {
      if (line.level === undefined && continuesTraceback(msg)) {
        line.traceback = 'body';
        line.csc ??= this.block.csc;
        if (this.block.lines.length < LogStreamParser.MAX_BLOCK_LINES && this.blockChars + msg.length <= LogStreamParser.MAX_BLOCK_CHARS) {
          this.block.lines.push(msg);
          this.blockChars += msg.length;
        }
        return line;
      }
      if (line.level === undefined && !msg.startsWith(TRACEBACK_START)) {
        // The exception line, e.g. "ValueError: bad topic".
        line.traceback = 'end';
        line.csc ??= this.block.csc;
        this.block.lines.push(msg);
        this.block.exception = msg;
        this.finish();
        return line;
      }
      this.finish();
    }
    if (msg.startsWith(TRACEBACK_START)) {
      line.traceback = 'start';
      this.block = { lines: [msg], exception: '' };
      this.blockChars = msg.length;
      if (line.timestamp !== undefined) this.block.timestamp = line.timestamp;
      if (line.csc !== undefined) this.block.csc = line.csc;
    }
    return line;
  }

  /** Ends a pending block (stream ended or was cut); returns it, if any. */
  flush(): ErrorBlock | undefined {
    const b = this.block;
    if (b) this.finish();
    return b;
  }

  private finish(): void {
    const b = this.block;
    this.block = undefined;
    if (b && this.onErrorBlock) this.onErrorBlock(b);
  }
}
