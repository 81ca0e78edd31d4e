// Everything that happens to the bytes of one container's log stream, without any I/O:
// demultiplex → split lines → deduplicate against the resume cursor → parse → keep the newest
// lines in a ring buffer and feed the queue health model. Tested and benchmarked directly.
import { DockerStreamDemuxer, type DockerStreamType } from './dockerDemux';
import { LineSplitter } from './lineSplitter';
import { LogStreamParser } from './logStreamParser';
import type { ErrorBlock, ParsedLine, StartMarker } from './logTypes';
import { QueueHealthModel } from './queueHealth';
import { ResumeCursor } from './resumeCursor';
import { RingBuffer } from './ringBuffer';
import { parseLine } from './parseLine';
import { capLine } from './lineCap';

/** Default byte budget of one container's kept lines (on top of maxLines). */
export const DEFAULT_MAX_LOG_BYTES = 32 * 1024 * 1024;

/** Approximate bytes a kept line costs: its text (raw and message; one byte a character for
 *  the ASCII a log mostly is) plus the parsed object. Good enough for a budget. */
export function lineWeight(l: ParsedLine): number {
  return l.raw.length + l.message.length + 200;
}

export interface LogIngestOptions {
  /** Lines kept (efdSalkafka.logs.maxLines). */
  maxLines: number;
  /** Fill samples kept per topic for the chart. */
  historyLength?: number;
  /** Completed tracebacks kept. */
  maxErrorBlocks?: number;
  /** Byte budget of the kept lines (default DEFAULT_MAX_LOG_BYTES); lines are capped at 16 KiB. */
  maxBytes?: number;
  /** Topic queues kept by the health model (least recently reported dropped first). */
  maxTopics?: number;
}

/** Nanoseconds since the epoch of a line, or undefined without a Docker timestamp. */
export function lineKey(l: ParsedLine): bigint | undefined {
  return l.tsSec === undefined ? undefined : BigInt(l.tsSec) * 1_000_000_000n + BigInt(l.tsNanos ?? 0);
}

/**
 * Where a start marker goes in lines already shown: before the first line of the new run (the
 * first timestamped line at or after the marker's time, counting back from the end; untimed lines
 * stay with the line before them). Consumers that keep their own copy of the lines use it too.
 */
export function markerIndex(count: number, at: (i: number) => ParsedLine | undefined, marker: ParsedLine): number {
  const key = lineKey(marker);
  if (key === undefined) return count;
  let idx = count;
  for (let i = count - 1; i >= 0; i--) {
    const k = lineKey(at(i)!);
    if (k === undefined) continue;
    if (k >= key) idx = i;
    else break;
  }
  return idx;
}

// Measured on the test host: a re-created container's first line came 0.4 ms before its StartedAt, the
// old container's last line 185 ms before it (stop, remove, create, start in between).
const RECREATE_MARGIN_NS = 50_000_000n;

/** Nanoseconds of an RFC 3339 UTC time ("…Z", up to 9 fraction digits); undefined for Docker's zero time. */
function rfc3339Key(t: string | undefined): bigint | undefined {
  const m = t ? /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(t) : null;
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(ms) || ms <= 0) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

function keyToRfc3339(k: bigint): string {
  const sec = k / 1_000_000_000n;
  const iso = new Date(Number(sec) * 1000).toISOString().slice(0, 19);
  return `${iso}.${(k % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

export type LinesListener = (lines: readonly ParsedLine[]) => void;

export class LogIngest {
  readonly lines: RingBuffer<ParsedLine>;
  readonly health: QueueHealthModel;
  readonly cursor = new ResumeCursor();
  readonly errorBlocks: RingBuffer<ErrorBlock>;
  /** Lines received (after deduplication) since creation. */
  totalLines = 0;
  /** Lines dropped as duplicates of an earlier request. */
  duplicateLines = 0;

  private parser: LogStreamParser;
  private splitters: Record<DockerStreamType, LineSplitter> = this.newSplitters();
  private demuxer: DockerStreamDemuxer | undefined;
  private pending: ParsedLine[] = [];
  private readonly listeners = new Set<LinesListener>();
  /** The run last announced (container id + StartedAt), and a marker waiting for its first line. */
  private lastRun: { id: string; startedAt: string } | undefined;
  private pendingStart: { marker: ParsedLine; sec: number; nanos: number } | undefined;
  /** Start markers written so far. */
  startMarkers = 0;
  /** Latest timestamp accepted (to know whether a new run's first lines are already in). */
  private lastKey: bigint | undefined;

  constructor(options: LogIngestOptions) {
    this.lines = new RingBuffer(options.maxLines, { maxWeight: options.maxBytes ?? DEFAULT_MAX_LOG_BYTES, weigh: lineWeight });
    this.health = new QueueHealthModel(options.historyLength ?? 500, options.maxTopics);
    this.errorBlocks = new RingBuffer(options.maxErrorBlocks ?? 50);
    this.parser = new LogStreamParser((b) => this.errorBlocks.push(b));
  }

  /** Lines accepted by each push are delivered once per push, as one array. */
  subscribe(listener: LinesListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Starts a new request for the same container (first follow or after a reconnect).
   * @param multiplexed false for TTY containers, whose stream is raw text.
   */
  beginStream(multiplexed: boolean): void {
    this.splitters = this.newSplitters();
    this.demuxer = multiplexed ? new DockerStreamDemuxer((stream, payload) => this.pushText(stream, payload)) : undefined;
    this.cursor.beginResume();
    // A traceback cut by the reconnect is finished as is; its continuation is deduplicated
    // against lines already seen, so it cannot start a second block.
    this.parser.flush();
  }

  /**
   * The follower saw the container (inspect) before a request. A run not seen before (new
   * StartedAt, or another container id after a re-create) gets a start marker, placed before the
   * first line logged at or after its StartedAt, so a pane shows exactly one marker per start
   * whatever the order of events, stream ends and resumes. The run found when following begins
   * is only recorded: its start may lie before the history read, where a marker would mislead.
   */
  announceRun(name: string, id: string, startedAt: string | undefined, running: boolean, finishedAt?: string): void {
    if (!running || !startedAt) return;
    const prev = this.lastRun;
    if (prev && prev.id === id && prev.startedAt === startedAt) return;
    this.lastRun = { id, startedAt };
    if (!prev) return;
    const start = rfc3339Key(startedAt);
    if (start === undefined) return;
    // Where the new run begins in the log. Docker records StartedAt after the process started,
    // so the run's first lines can carry earlier timestamps. After a restart of the same
    // container, FinishedAt is the previous run's end: exact. After a re-create there is no such
    // figure; the old container stopped well before (create + start take longer), so a margin of
    // RECREATE_MARGIN_NS before StartedAt keeps the new run's first lines after the marker.
    const prevEnd = prev.id === id ? rfc3339Key(finishedAt) : undefined;
    const prevStart = rfc3339Key(prev.startedAt) ?? 0n;
    const boundary = prevEnd !== undefined && prevEnd > prevStart && prevEnd <= start ? prevEnd + 1n : start - RECREATE_MARGIN_NS;
    const marker: StartMarker = { containerId: id.slice(0, 12), startedAt, recreated: prev.id !== id };
    const what = marker.recreated ? `re-created, now container ${marker.containerId}` : `restarted (container ${marker.containerId})`;
    // The marker carries the boundary as its time, so every consumer can place it by time.
    const line = parseLine(`${keyToRfc3339(boundary)} ── ${name} ${what}, started ${startedAt} ──`);
    line.startMarker = marker;
    line.lifecycle = undefined;
    const sec = Number(boundary / 1_000_000_000n);
    const nanos = Number(boundary % 1_000_000_000n);
    if (this.lastKey !== undefined && this.lastKey >= boundary) {
      // The new run's first lines came in before the container could be inspected (a stream
      // opened on the old run can carry on into the new one): put the marker where it belongs.
      this.startMarkers++;
      this.lines.insertAt(markerIndex(this.lines.size, (i) => this.lines.at(i), line), line);
      this.pending.push(line);
      this.deliver();
      return;
    }
    this.pendingStart = { marker: line, sec, nanos };
  }

  /** Feeds bytes exactly as read from the Docker logs HTTP stream. */
  pushChunk(chunk: Buffer): void {
    if (this.demuxer) this.demuxer.push(chunk);
    else this.pushText('stdout', chunk);
    this.deliver();
  }

  /** Call when the HTTP stream ended: the last unterminated line of each stream is complete. */
  endStream(): void {
    for (const s of ['stdout', 'stderr'] as const) for (const raw of this.splitters[s].flush()) this.pushLine(raw);
    this.deliver();
  }

  /** Feeds one complete line (used by tests, the bench and `pushChunk`). */
  pushLine(raw: string): ParsedLine | undefined {
    // Lines from the splitter are capped already; lines pushed directly are capped here.
    const line = parseLine(capLine(raw));
    // Deduplicate before the traceback state sees the line.
    if (!this.cursor.accept(line)) {
      this.duplicateLines++;
      return undefined;
    }
    const ps = this.pendingStart;
    if (ps && line.tsSec !== undefined && (line.tsSec > ps.sec || (line.tsSec === ps.sec && (line.tsNanos ?? 0) >= ps.nanos))) {
      this.pendingStart = undefined;
      this.startMarkers++;
      this.lines.push(ps.marker);
      this.pending.push(ps.marker);
    }
    const k = lineKey(line);
    if (k !== undefined && (this.lastKey === undefined || k > this.lastKey)) this.lastKey = k;
    this.parser.classify(line);
    this.totalLines++;
    this.lines.push(line);
    this.health.apply(line);
    this.pending.push(line);
    return line;
  }

  /** Feeds complete lines and notifies subscribers once. */
  pushLines(raws: readonly string[]): void {
    for (const raw of raws) this.pushLine(raw);
    this.deliver();
  }

  private pushText(stream: DockerStreamType, payload: Buffer): void {
    const lines = this.splitters[stream === 'stdin' ? 'stdout' : stream].push(payload);
    for (const raw of lines) this.pushLine(raw);
  }

  private deliver(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    for (const l of this.listeners) l(batch);
  }

  private newSplitters(): Record<DockerStreamType, LineSplitter> {
    const s = new LineSplitter();
    return { stdout: s, stdin: s, stderr: new LineSplitter() };
  }
}

