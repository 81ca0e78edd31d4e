// Demultiplexer for Docker's attach/logs stream of containers without a TTY.
// Each frame: 8-byte header [stream type (0 stdin, 1 stdout, 2 stderr), 0, 0, 0, payload size
// (uint32 big-endian)] then the payload. Headers and payloads may be split across chunks.
// Kept local rather than docker-modem's demuxStream so the caller gets payloads synchronously and
// can keep stdout and stderr lines apart without extra PassThrough streams.
//
// Docker writes one frame per log line, so a 64 KiB chunk holds hundreds of frames. Consecutive
// payloads of the same stream are copied into one scratch buffer and handed over together (one
// callback and one UTF-8 decode per run instead of per line); order across streams is kept by
// flushing whenever the stream type changes.

export type DockerStreamType = 'stdin' | 'stdout' | 'stderr';

const TYPES: Record<number, DockerStreamType> = { 0: 'stdin', 1: 'stdout', 2: 'stderr' };

export class DockerStreamDemuxer {
  private header = Buffer.alloc(8);
  private headerFill = 0;
  private remaining = 0;
  private current: DockerStreamType = 'stdout';
  private scratch = Buffer.allocUnsafe(64 * 1024);
  private scratchLen = 0;

  /** `payload` is only valid during the call (its memory is reused): consume it synchronously. */
  constructor(private readonly onPayload: (stream: DockerStreamType, payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.remaining === 0) {
        const take = Math.min(8 - this.headerFill, chunk.length - off);
        chunk.copy(this.header, this.headerFill, off, off + take);
        this.headerFill += take;
        off += take;
        if (this.headerFill < 8) break;
        this.headerFill = 0;
        const type = TYPES[this.header[0]];
        if (type === undefined || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0) {
          this.flush();
          throw new Error(`Not a multiplexed Docker stream (header ${this.header.toString('hex')})`);
        }
        if (type !== this.current) this.flush();
        this.current = type;
        this.remaining = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - off);
      this.remaining -= take;
      this.append(chunk, off, off + take);
      off += take;
    }
    this.flush();
  }

  private append(src: Buffer, start: number, end: number): void {
    const need = this.scratchLen + (end - start);
    if (need > this.scratch.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.scratch.length * 2));
      this.scratch.copy(bigger, 0, 0, this.scratchLen);
      this.scratch = bigger;
    }
    src.copy(this.scratch, this.scratchLen, start, end);
    this.scratchLen = need;
  }

  private flush(): void {
    if (this.scratchLen === 0) return;
    const len = this.scratchLen;
    this.scratchLen = 0;
    this.onPayload(this.current, this.scratch.subarray(0, len));
  }
}

/** Builds one frame; used by tests and the bench to produce realistic input. */
export function encodeDockerFrame(stream: DockerStreamType, payload: Buffer | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream === 'stdin' ? 0 : stream === 'stdout' ? 1 : 2;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}
