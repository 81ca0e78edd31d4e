// Remembers where a followed Docker log stream got to, so that after a reconnect the stream can
// be requested again with `since` and joined without duplicates or gaps.
//
// Docker's `since` is inclusive and the client may only know the second (or the daemon may
// round), so the re-requested stream overlaps what was already seen. We keep the last timestamp
// seen and how many times each line occurred at exactly that timestamp: anything older is a
// duplicate, anything at the same timestamp is a duplicate up to that count, anything newer is new.

export interface TimestampedLine {
  raw: string;
  timestamp?: string;
  tsSec?: number;
  tsNanos?: number;
}

export class ResumeCursor {
  private lastSec = -Infinity;
  private lastNanos = 0;
  private lastText: string | undefined;
  /** Lines seen at exactly the last timestamp, repetitions included (almost always one). */
  private atLast: string[] = [];
  /** While replaying: which entries of `atLast` were already matched by the new request. */
  private replayed: boolean[] | undefined;

  /** Timestamp text of the newest line seen, if any. */
  get lastTimestamp(): string | undefined {
    return this.lastText;
  }

  /**
   * Value for Docker's `since` query parameter: "<seconds>.<nanos>" (inclusive), or undefined
   * when nothing was seen yet. Pass `wholeSeconds` for daemons that only take integers.
   */
  since(wholeSeconds = false): string | undefined {
    if (this.lastText === undefined) return undefined;
    return wholeSeconds ? String(this.lastSec) : `${this.lastSec}.${String(this.lastNanos).padStart(9, '0')}`;
  }

  /** Call when a new request for the same stream starts (after a reconnect). */
  beginResume(): void {
    this.replayed = [];
  }

  /**
   * Decides whether a line is new; records it when it is. Lines without a timestamp cannot be
   * deduplicated and are always accepted.
   */
  accept(line: TimestampedLine): boolean {
    if (line.tsSec === undefined) return true;
    const sec = line.tsSec;
    const nanos = line.tsNanos ?? 0;
    if (sec < this.lastSec || (sec === this.lastSec && nanos < this.lastNanos)) return false;
    if (sec === this.lastSec && nanos === this.lastNanos) {
      if (this.replayed) {
        for (let i = 0; i < this.atLast.length; i++) {
          if (!this.replayed[i] && this.atLast[i] === line.raw) {
            this.replayed[i] = true;
            return false;
          }
        }
      }
      this.atLast.push(line.raw);
      return true;
    }
    // Strictly newer: a new "last" timestamp. Reuse the array: this runs for nearly every line.
    this.lastSec = sec;
    this.lastNanos = nanos;
    this.lastText = line.timestamp;
    this.atLast.length = 0;
    this.atLast.push(line.raw);
    this.replayed = undefined;
    return true;
  }
}
