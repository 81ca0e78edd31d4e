// Host lock: what the lock file says and how it is shown, and that the command sent to the host
// keeps every piece of data out of the script (the real flock behaviour is tested on the test
// host in test/integration/hostLock.test.ts).
import { strict as assert } from 'assert';
import { acquireHostLock, beingChangedText, describeHolder, EXIT_BUSY, HOLDER_SCRIPT, hostLockPath, newLockToken, parseLockFile } from '../../../src/core/ops/hostLock';
import type { LockHolder } from '../../../src/core/ops/hostLock';
import type { ExecOptions, ExecResult } from '../../../src/core/host/host';

const holder = (over: Partial<LockHolder> = {}): LockHolder => ({
  user: 'alice', client: 'laptop1', remoteUser: 'salkafka', action: 'add-csc', service: 'salkafka-mt',
  summary: 'Add MTMount to salkafka-mt', since: '2026-11-26T01:02:03.000Z', token: 'a'.repeat(24), ...over,
});

describe('host lock texts and commands', () => {
  it('parses the JSON the holder writes, and shows who, what and since when', () => {
    const c = parseLockFile(`{"pid":4242,"holder":${JSON.stringify(holder())}}\n`);
    assert.equal(c.pid, 4242);
    assert.equal(c.holder?.user, 'alice');
    assert.equal(
      describeHolder(c, Date.parse('2026-11-26T01:04:03Z')),
      'alice (on laptop1, as salkafka): Add MTMount to salkafka-mt — since 01:02:03 UTC, 2 min ago, holder pid 4242',
    );
    assert.equal(beingChangedText(c), 'being changed by alice: add MTMount to salkafka-mt');
  });

  it('an empty file is free; foreign text is shown raw, bounded', () => {
    assert.deepEqual(parseLockFile(''), {});
    assert.deepEqual(parseLockFile('\n'), {});
    const c = parseLockFile('held by the nightly job ' + 'x'.repeat(2000));
    assert.equal(c.holder, undefined);
    assert.ok(c.raw!.length <= 500);
    assert.match(describeHolder(c), /^an unknown holder \(lock file says: held by the nightly job/);
  });

  it('lives beside the compose file; tokens are unique', () => {
    assert.equal(hostLockPath('/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml'), '/deploy-lsst/docker-compose-ops/kafka_writers/.salkafka-change.lock');
    assert.notEqual(newLockToken(), newLockToken());
  });

  it('hostile holder text reaches the host as ONE argument after a constant script', async () => {
    const seen: string[][] = [];
    const hostile = holder({ user: "x'; rm -rf / #", summary: '$(touch /tmp/pwned) `id`\nnext line' });
    const host = {
      alias: 'fake',
      async exec(argv: readonly string[], _o?: ExecOptions): Promise<ExecResult> {
        seen.push([...argv]);
        return { code: EXIT_BUSY, signal: null, stdout: '', stderr: '' };
      },
      files: {
        lstat: async () => ({ size: 0, mode: 0o100664, uid: 1, gid: 1, mtimeMs: 0, isFile: true, isDirectory: false, isSymbolicLink: false }),
        readFile: async () => ({ content: Buffer.from(`{"pid":7,"holder":${JSON.stringify(holder({ user: 'bob' }))}}`), sha256: 'x' }),
        createFileExclusive: async () => ({ sha256: '', mode: 0o664 }),
      },
    };
    const r = await acquireHostLock(host, '/d/.salkafka-change.lock', hostile);
    assert.equal(r.kind, 'busy');
    assert.equal(r.kind === 'busy' && r.content.holder?.user, 'bob');
    const argv = seen[0];
    assert.deepEqual(argv.slice(0, 8), ['flock', '-n', '-E', '75', '-o', '/d/.salkafka-change.lock', 'sh', '-c']);
    assert.equal(argv[8], HOLDER_SCRIPT, 'the script is a constant');
    assert.deepEqual(JSON.parse(argv[10]), hostile, 'the holder JSON is one positional argument, unchanged');
    assert.equal(argv.length, 14);
  });
});
