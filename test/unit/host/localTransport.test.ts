// The local transport on this machine's real file system and real processes: the same
// RemoteFiles write path the SSH transport uses (atomic, optimistic) over the local SFTP-shaped
// adapter, and commands run from argv with no shell.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalHost } from '../../../src/core/host/local/localHost';
import { localExec } from '../../../src/core/host/local/localExec';
import { CommandAbortedError } from '../../../src/core/host/host';
import { RemoteChangedError, sha256Hex } from '../../../src/core/remote/remoteFiles';
import { sftpAppend } from '../../../src/core/ops/audit';
import { NotConnectedError } from '../../../src/core/host/host';

describe('local transport', () => {
  let dir: string;
  let host: LocalHost;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-local-'));
    host = new LocalHost('here', { dockerSocketPath: path.join(dir, 'no-docker.sock') });
    await host.connect();
  });
  afterEach(() => {
    host.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('connects at once, describes this machine, and refuses work once closed', async () => {
    assert.equal(host.state, 'connected');
    assert.equal(host.transport, 'local');
    assert.equal(host.target.hostName, os.hostname());
    assert.equal(host.target.port, 0);
    await host.close();
    assert.equal(host.state, 'disconnected');
    await assert.rejects(host.exec(['true']), NotConnectedError);
    await assert.rejects(host.files.readFile(path.join(dir, 'x')), NotConnectedError);
  });

  it('runs argv without a shell: metacharacters arrive as literal arguments', async () => {
    const hostile = ['$(touch pwned)', '`touch pwned`', "it's", 'a; touch pwned', '*', '~', '\n', ''];
    const r = await host.exec(['printf', '%s\\0', ...hostile], { cwd: dir });
    assert.equal(r.code, 0);
    assert.deepEqual(r.stdout.split('\0').slice(0, -1), hostile);
    assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
  });

  it('reports like a shell would: 127 for a missing program, 2 for a missing directory, stdin passed through', async () => {
    const missing = await host.exec(['salkafka-no-such-program', '--x']);
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /salkafka-no-such-program: not found/);
    const nodir = await host.exec(['true'], { cwd: path.join(dir, 'nope') });
    assert.equal(nodir.code, 2);
    assert.match(nodir.stderr, /No such file or directory/);
    const cat = await host.exec(['cat'], { stdin: 'from stdin\n' });
    assert.equal(cat.stdout, 'from stdin\n');
    const fail = await host.exec(['sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.deepEqual([fail.code, fail.stdout, fail.stderr], [3, 'out\n', 'err\n']);
  });

  it('refuses a NUL byte before running anything, and cancels a running command with SIGTERM', async () => {
    await assert.rejects(localExec('here', ['touch', `${dir}/a\0b`]), /NUL byte/);
    const ac = new AbortController();
    const marker = path.join(dir, 'term');
    const p = host.exec(['sh', '-c', `trap 'touch "$0"; exit 0' TERM; sleep 30 & wait`, marker], { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await assert.rejects(p, CommandAbortedError);
    for (let i = 0; i < 50 && !fs.existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(fs.existsSync(marker), 'the command got SIGTERM');
  });

  it('writes atomically through RemoteFiles: keeps the mode, follows a symlink, refuses a file changed since read', async () => {
    const real = path.join(dir, 'docker-compose.yaml');
    fs.writeFileSync(real, 'services: {}\n', { mode: 0o640 });
    fs.chmodSync(real, 0o640);
    const link = path.join(dir, 'link.yaml');
    fs.symlinkSync(real, link);
    const read = await host.files.readFile(link);
    assert.equal(read.sha256, sha256Hex('services: {}\n'));
    await host.files.writeFileAtomic(link, 'services: {a: {}}\n', { expectedSha256: read.sha256 });
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link stays a link');
    assert.equal(fs.readFileSync(real, 'utf8'), 'services: {a: {}}\n');
    assert.equal(fs.statSync(real).mode & 0o777, 0o640);
    // Someone else edits: our stale write is refused and their bytes stay.
    fs.writeFileSync(real, 'theirs\n');
    await assert.rejects(host.files.writeFileAtomic(real, 'ours\n', { expectedSha256: read.sha256 }), RemoteChangedError);
    assert.equal(fs.readFileSync(real, 'utf8'), 'theirs\n');
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temp file left behind');
  });

  it('exclusive creation (backups) never replaces a file or a planted symlink, as over OpenSSH SFTP', async () => {
    const made = path.join(dir, 'backup.bak');
    const r = await host.files.createFileExclusive(made, Buffer.from('old bytes\n'), { mode: 0o640 });
    assert.equal(fs.readFileSync(made, 'utf8'), 'old bytes\n');
    assert.equal(fs.statSync(made).mode & 0o777, r.mode & 0o777);
    await assert.rejects(host.files.createFileExclusive(made, Buffer.from('new\n'), { mode: 0o640 }));
    assert.equal(fs.readFileSync(made, 'utf8'), 'old bytes\n', 'the existing backup is untouched');
    const target = path.join(dir, 'elsewhere');
    fs.writeFileSync(target, 'keep\n');
    const planted = path.join(dir, 'planted.bak');
    fs.symlinkSync(target, planted);
    await assert.rejects(host.files.createFileExclusive(planted, Buffer.from('x\n'), { mode: 0o600 }));
    assert.equal(fs.readFileSync(target, 'utf8'), 'keep\n', 'the symlink was not followed');
    assert.deepEqual(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')), [], 'no temp file left behind');
  });

  it('stat, listDir and mkdirp answer like SFTP (undefined for a missing path)', async () => {
    assert.equal(await host.files.stat(path.join(dir, 'missing')), undefined);
    await host.files.mkdirp(path.join(dir, 'a/b/c'));
    assert.ok((await host.files.stat(path.join(dir, 'a/b/c')))?.isDirectory);
    fs.writeFileSync(path.join(dir, 'a', 'f'), 'x');
    assert.deepEqual((await host.files.listDir(path.join(dir, 'a'))).map((e) => [e.name, e.stat.isFile]), [['b', false], ['f', true]]);
    await assert.rejects(host.files.readFile(path.join(dir, 'missing')), (e: Error & { code?: number }) => e.code === 2 && /missing/.test(e.message));
  });

  it('appends audit lines with O_APPEND and never truncates', async () => {
    const log = path.join(dir, 'salkafka-audit.jsonl');
    fs.writeFileSync(log, '{"first":1}\n');
    await sftpAppend(await host.sftp(), log, '{"second":2}\n');
    await sftpAppend(await host.sftp(), log, '{"third":3}\n');
    assert.equal(fs.readFileSync(log, 'utf8'), '{"first":1}\n{"second":2}\n{"third":3}\n');
  });

  it('names the missing Docker socket instead of a bare ENOENT', async () => {
    await assert.rejects(host.docker().version(), /no-docker\.sock.*does not exist/);
  });

  it('an SFTP call the adapter lacks fails loudly, naming it', async () => {
    const sftp = (await host.sftp()) as unknown as Record<string, (...a: unknown[]) => void>;
    assert.throws(() => sftp.symlink('a', 'b', () => undefined), /does not implement the SFTP call symlink/);
  });
});
