// applyPlan against an in-memory host: the order of steps, refusals, and what it says about the
// host's state when a command fails.
import { strict as assert } from 'assert';
import * as posix from 'node:path/posix';
import type Dockerode from 'dockerode';
import { LockLostError } from '../../../src/core/ops/hostLock';
import { applyPlan } from '../../../src/core/ops/apply';
import { buildAuditRecord } from '../../../src/core/ops/audit';
import type { OpsHost } from '../../../src/core/ops/apply';
import { planAddCsc, planLifecycle } from '../../../src/core/ops/plan';
import { RemoteChangedError, RemoteExistsError, sha256Hex } from '../../../src/core/remote/remoteFiles';
import type { ExecOptions, ExecResult } from '../../../src/core/ssh/hostConnection';
import { COMPOSE, COMPOSE_PATH, ctx } from './fixtures';

class FakeHost implements OpsHost {
  readonly alias = 'fake';
  readonly fs = new Map<string, Buffer>([[COMPOSE_PATH, Buffer.from(COMPOSE)]]);
  readonly ran: string[][] = [];
  container = { Id: 'c1', RestartCount: 0, State: { Status: 'running', Running: true, StartedAt: '2026-11-24T20:00:00Z' } };
  exitCode = 0;
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
    readFileBounded: async (p: string) => this.files.readFile(p),
    writeFileAtomic: async (p: string, data: Buffer | string, o: { expectedSha256?: string } = {}) => {
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

describe('apply', () => {
  it('re-reads, backs up the exact bytes, writes, runs up, records the baseline', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'applied', r.hostState);
    assert.equal(r.backupPath, plan.file!.backupPath);
    assert.ok(host.fs.get(r.backupPath!)!.equals(Buffer.from(COMPOSE)));
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), plan.file!.newText);
    assert.deepEqual(host.ran, [plan.commands[0].argv]);
    assert.deepEqual(r.before, { id: 'c1', startedAt: '2026-11-24T20:00:00Z', restartCount: 0 });
    assert.equal(r.steps[0].exitCode, 0);
  });

  it('a lost host lock stops the change before anything is written or run, and says why', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const asked: string[] = [];
    const r = await applyPlan(plan, host, {
      lockCheck: async (before) => {
        asked.push(before);
        throw new LockLostError('/d/.salkafka-change.lock', 'the lock file was removed');
      },
    });
    assert.equal(r.status, 'refused');
    assert.match(r.hostState, /Nothing was changed.*host lock \/d\/\.salkafka-change\.lock was lost \(the lock file was removed\)/);
    assert.deepEqual(asked, ['the backup']);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.equal(host.ran.length, 0);
    assert.equal([...host.fs.keys()].filter((k) => k.endsWith('.bak')).length, 0);
  });

  it('the lock is checked before the backup, the write and each command', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const asked: string[] = [];
    const r = await applyPlan(plan, host, { lockCheck: async (before) => void asked.push(before) });
    assert.equal(r.status, 'applied', r.hostState);
    assert.deepEqual(asked, ['the backup', `writing ${COMPOSE_PATH}`, ...plan.commands.map((c) => c.display)]);
  });

  it('refuses when the file changed since the plan: nothing written, nothing run', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    host.fs.set(COMPOSE_PATH, Buffer.from(COMPOSE + '# theirs\n'));
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'refused');
    assert.match(r.hostState, /edited by someone else/);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE + '# theirs\n');
    assert.equal(host.ran.length, 0);
    assert.equal([...host.fs.keys()].filter((k) => k.endsWith('.bak')).length, 0);
  });

  it('compose fails without touching the container: the previous file is restored byte for byte', async () => {
    const host = new FakeHost();
    host.exitCode = 1;
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'failed');
    assert.equal(r.restored, true);
    assert.match(r.hostState, /restored byte for byte/);
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.match(r.error!, /exited with 1: ERROR: boom/);
  });

  it('compose fails after touching the container: says the new file is in place and how to roll back', async () => {
    const host = new FakeHost();
    host.exitCode = 1;
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const origExec = host.exec.bind(host);
    host.exec = async (argv, o) => {
      host.container = { ...host.container, Id: 'half', State: { Status: 'created', Running: false, StartedAt: '0001-01-01T00:00:00Z' } };
      return origExec(argv, o);
    };
    const r = await applyPlan(plan, host);
    assert.equal(r.status, 'failed');
    assert.notEqual(r.restored, true);
    assert.match(r.hostState, /is the NEW version .*backup .*\.bak.*salkafka-m2 is created.*To roll back: .*Roll Back Compose File/s);
  });

  it('dry run touches nothing; cancellation before the write changes nothing', async () => {
    const host = new FakeHost();
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    assert.equal((await applyPlan(plan, host, { dryRun: true })).status, 'dry-run');
    const ac = new AbortController();
    ac.abort();
    const r = await applyPlan(plan, host, { signal: ac.signal });
    assert.equal(r.status, 'cancelled');
    assert.equal(host.fs.get(COMPOSE_PATH)!.toString(), COMPOSE);
    assert.equal(host.ran.length, 0);
    assert.equal(host.fs.size, 1);
  });

  it('restart runs the compose restart; a failure reports the container state', async () => {
    const host = new FakeHost();
    host.exitCode = 2;
    const r = await applyPlan(planLifecycle(ctx(), 'restart', 'salkafka-m2'), host);
    assert.equal(r.status, 'failed');
    assert.match(r.hostState, /restart salkafka-m2 \(30 s grace for its SIGTERM shutdown\) failed; salkafka-m2 is running/);
    assert.deepEqual(host.ran[0].slice(-4), ['restart', '-t', '30', 'salkafka-m2']);
  });

  it('prunes backups beyond backupsKeep after writing, and the audit record lists what went', async () => {
    const host = new FakeHost();
    const dir = posix.dirname(COMPOSE_PATH);
    const old = ['2026-01-01T00-00-00-000Z', '2026-01-02T00-00-00-000Z', '2026-01-03T00-00-00-000Z'].map((s) => posix.join(dir, `docker-compose.yaml.${s}.bak`));
    for (const p of old) host.fs.set(p, Buffer.from('old'));
    const plan = planAddCsc(ctx(), 'salkafka-m2', 'MTDome');
    const r = await applyPlan(plan, host, { backupsKeep: 2 });
    assert.equal(r.status, 'applied', r.hostState);
    assert.deepEqual([...r.prunedBackups!].sort(), old.slice(0, 2));
    assert.ok(host.fs.has(r.backupPath!), 'the new backup is kept');
    assert.ok(host.fs.has(old[2]));
    assert.deepEqual(buildAuditRecord(plan, r, undefined, { localUser: 'u', remoteUser: 'r' }).prunedBackups, r.prunedBackups);
  });
});
