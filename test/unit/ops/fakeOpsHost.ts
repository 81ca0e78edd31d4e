// A fake host for the ops unit tests (no SFTP or Docker here): files in a Map, commands recorded,
// one container whose state `up` changes. `failWrite` makes the write of one path fail.
import * as posix from 'node:path/posix';
import type Dockerode from 'dockerode';
import type { OpsHost } from '../../../src/core/ops/apply';
import { RemoteChangedError, RemoteExistsError, sha256Hex } from '../../../src/core/remote/remoteFiles';
import type { ExecOptions, ExecResult } from '../../../src/core/host/host';
import { COMPOSE, COMPOSE_PATH } from './fixtures';

export class FakeHost implements OpsHost {
  readonly alias = 'fake';
  readonly fs = new Map<string, Buffer>([[COMPOSE_PATH, Buffer.from(COMPOSE)]]);
  readonly ran: string[][] = [];
  container = { Id: 'c1', RestartCount: 0, State: { Status: 'running', Running: true, StartedAt: '2026-11-24T20:00:00Z' } };
  exitCode = 0;
  /** A path whose write (atomic or exclusive) fails. */
  failWrite?: string;
  /** What the fake `up` does to the container when it succeeds. */
  onUp: () => void = () => {
    this.container = { ...this.container, Id: 'c2', State: { ...this.container.State, StartedAt: new Date().toISOString() } };
  };
  readonly files = {
    readFile: async (p: string) => {
      const c = this.fs.get(p);
      if (!c) throw Object.assign(new Error('no such file'), { code: 2 });
      return { content: c, sha256: sha256Hex(c) };
    },
    writeFileAtomic: async (p: string, data: Buffer | string, o: { expectedSha256?: string } = {}) => {
      if (this.failWrite === p) throw new Error(`disk full writing ${p}`);
      const cur = this.fs.get(p);
      if (o.expectedSha256 !== undefined && (!cur || sha256Hex(cur) !== o.expectedSha256)) throw new RemoteChangedError(p, o.expectedSha256, cur && sha256Hex(cur));
      const b = Buffer.isBuffer(data) ? data : Buffer.from(data);
      this.fs.set(p, b);
      return { sha256: sha256Hex(b) };
    },
    listDir: async (d: string) =>
      [...this.fs.keys()].filter((k) => posix.dirname(k) === d).map((k) => ({ name: posix.basename(k), stat: { size: 1, mode: 0o644, uid: 0, gid: 0, mtimeMs: 0, isFile: true, isDirectory: false, isSymbolicLink: false } })),
    mkdirp: async () => undefined,
    stat: async () => undefined,
    lstat: async (p: string) => {
      const c = this.fs.get(p);
      return c ? { size: c.length, mode: 0o100640, uid: 0, gid: 0, mtimeMs: 0, isFile: true, isDirectory: false, isSymbolicLink: false } : undefined;
    },
    unlink: async (p: string) => void this.fs.delete(p),
    createFileExclusive: async (p: string, data: Buffer, o: { mode: number }) => {
      if (this.failWrite === p) throw new Error(`disk full writing ${p}`);
      if (this.fs.has(p)) throw new RemoteExistsError(p);
      this.fs.set(p, data);
      return { sha256: sha256Hex(data), mode: o.mode };
    },
  };
  async exec(argv: readonly string[], _o?: ExecOptions): Promise<ExecResult> {
    this.ran.push([...argv]);
    if (this.exitCode === 0 && argv.includes('up')) this.onUp();
    return { code: this.exitCode, signal: null, stdout: '', stderr: this.exitCode ? 'ERROR: boom' : '' };
  }
  docker(): Dockerode {
    return {
      info: async () => ({ SystemTime: new Date().toISOString() }),
      getContainer: () => ({ inspect: async () => this.container }),
    } as unknown as Dockerode;
  }
}
