// Several producers' logs as one: lines interleaved by their Docker timestamp, each tagged with
// its producer and a colour slot, and the text a "save to file" writes. Pure; the pane and the
// save command are adapters.
import type { ParsedLine } from './logTypes';

export interface TaggedLine {
  producer: string;
  /** Index into the pane's palette: the producer's position in the pane, modulo its size. */
  colour: number;
  line: ParsedLine;
}

export interface LogSource {
  producer: string;
  /** In the order received (each container's own order is kept). */
  lines: readonly ParsedLine[];
}

/** Nanoseconds since the epoch, or undefined for a line without a timestamp. */
const nanos = (l: ParsedLine): bigint | undefined =>
  l.tsSec === undefined ? undefined : BigInt(l.tsSec) * 1_000_000_000n + BigInt(l.tsNanos ?? 0);

/**
 * k-way merge by timestamp. Each source keeps its own order; a line without a timestamp takes
 * the time of the line before it in its source (it belongs to it: a traceback body, a print()).
 * Ties go to the source listed first, so the result is deterministic.
 */
export function mergeByTimestamp(sources: readonly LogSource[], paletteSize = 6): TaggedLine[] {
  const pos = sources.map(() => 0);
  const last: (bigint | undefined)[] = sources.map(() => undefined);
  const keyAt = (i: number): bigint => {
    const l = sources[i].lines[pos[i]];
    const t = nanos(l) ?? last[i] ?? -1n;
    return t;
  };
  const out: TaggedLine[] = [];
  const total = sources.reduce((n, s) => n + s.lines.length, 0);
  while (out.length < total) {
    let best = -1;
    let bestKey = 0n;
    for (let i = 0; i < sources.length; i++) {
      if (pos[i] >= sources[i].lines.length) continue;
      const k = keyAt(i);
      if (best < 0 || k < bestKey) {
        best = i;
        bestKey = k;
      }
    }
    const line = sources[best].lines[pos[best]++];
    last[best] = bestKey;
    out.push({ producer: sources[best].producer, colour: best % paletteSize, line });
  }
  return out;
}

/**
 * Live merging: lines arrive per container in bursts, so a line may arrive after a later line
 * of another producer was shown. Lines are held `holdMs` after arrival, then released in
 * timestamp order; that fixes the order of everything that arrives within the window. A line
 * later than that is released at once rather than held forever (counted in `late`).
 */
export class LiveMerger {
  private held: { seq: number; at: number; key: bigint; t: TaggedLine }[] = [];
  private seq = 0;
  private lastReleased: bigint | undefined;
  /** Lines released before a line already shown with a later timestamp. */
  late = 0;

  constructor(private readonly producers: readonly string[], private readonly holdMs = 500, private readonly paletteSize = 6) {}

  colourOf(producer: string): number {
    const i = this.producers.indexOf(producer);
    return (i < 0 ? this.producers.length : i) % this.paletteSize;
  }

  push(producer: string, lines: readonly ParsedLine[], nowMs: number): void {
    let prev = this.lastKeyOf(producer);
    for (const line of lines) {
      const key = nanos(line) ?? prev ?? 0n;
      prev = key;
      this.held.push({ seq: this.seq++, at: nowMs, key, t: { producer, colour: this.colourOf(producer), line } });
    }
  }

  /** Lines whose hold has passed (or every line with `all`), in timestamp order. */
  release(nowMs: number, all = false): TaggedLine[] {
    const due = all ? this.held : this.held.filter((h) => nowMs - h.at >= this.holdMs);
    if (!due.length) return [];
    const dueSet = new Set(due);
    this.held = all ? [] : this.held.filter((h) => !dueSet.has(h));
    due.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.seq - b.seq));
    for (const d of due) {
      if (this.lastReleased !== undefined && d.key < this.lastReleased) this.late++;
      else this.lastReleased = d.key;
    }
    return due.map((d) => d.t);
  }

  get pending(): number {
    return this.held.length;
  }

  private lastKeyOf(producer: string): bigint | undefined {
    for (let i = this.held.length - 1; i >= 0; i--) if (this.held[i].t.producer === producer) return this.held[i].key;
    return undefined;
  }
}

export interface SaveHeader {
  /** What the pane showed: container name(s). */
  producers: readonly string[];
  host: string;
  savedAt: Date;
  /** The pane's filter when only matching lines are saved. */
  filter?: string;
}

/**
 * The text "save to file" writes: a short header ("# " lines), then one line per log line
 * exactly as Docker gave it (timestamp included), prefixed with the producer in a merged pane.
 * Start markers are kept: they say where the producer (re)started.
 */
export function formatForSave(lines: readonly (TaggedLine | ParsedLine)[], header: SaveHeader): string {
  const merged = header.producers.length > 1;
  const width = merged ? Math.max(...header.producers.map((p) => p.length)) : 0;
  const out: string[] = [
    `# ${merged ? 'Merged log' : 'Log'} of ${header.producers.join(', ')} on ${header.host}, saved ${header.savedAt.toISOString()}`,
    `# ${lines.length} line(s)${header.filter ? `, filter ${JSON.stringify(header.filter)}` : ''}; Docker timestamps (UTC) first`,
  ];
  for (const l of lines) {
    const tagged = 'producer' in l ? l : undefined;
    const line = tagged ? tagged.line : (l as ParsedLine);
    out.push(merged && tagged ? `${tagged.producer.padEnd(width)} | ${line.raw}` : line.raw);
  }
  return `${out.join('\n')}\n`;
}
