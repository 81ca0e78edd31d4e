// Everything that happens to the bytes of one container's log stream, without any I/O:
// demultiplex → split lines → deduplicate against the resume cursor → parse → keep the newest
// lines in a ring buffer and feed the queue health model. Tested and benchmarked directly.
import { DockerStreamDemuxer, type DockerStreamType } from './dockerDemux';
import { LineSplitter } from './lineSplitter';
import { LogStreamParser } from './logStreamParser';
import type { ErrorBlock, ParsedLine } from './logTypes';
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

