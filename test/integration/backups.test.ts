// Backups, retention and the audit append on the real host (over a private sshd, in a private
// directory): mode and group kept and never wider, no overwrite in the same instant, no symlink
// followed, old backups pruned, and a save without a base refused instead of overwriting.
import { strict as assert } from 'assert';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { sftpAppend } from '../../src/core/ops/audit';
import { createBackup, listBackups, pruneBackups } from '../../src/core/ops/backup';
import { saveWithBackup } from '../../src/core/ops/saveWithBackup';
import { RemoteChangedError } from '../../src/core/remote/remoteFiles';
import { HostConnection } from '../../src/core/ssh/hostConnection';
import { privateDir, userIds } from './privateDirs';
import { PrivateSshd } from './privateSshd';
import { hostOrSkip } from './support';
import { hostRequired, stateDir } from './testHost';
import type { TestHostInfo } from './testHost';

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

describe('backups, retention and audit on the real host', function () {
  this.timeout(60_000);
  let host: TestHostInfo;
  let sshd: PrivateSshd | undefined;
  let conn: HostConnection;
  let dir = '';
  let n = 0;

  before(async function () {
    const file = path.join(stateDir, 'host.json');
    host = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as TestHostInfo) : await hostOrSkip(this, 'backup tests');
    try {
      dir = privateDir(host.user, 'backups');
    } catch (err) {
      if (hostRequired()) throw err;
      console.warn(`\n  !!! SKIPPING backup tests: ${(err as Error).message}\n`);
      this.skip();
    }
    sshd = await PrivateSshd.start(host);
    conn = new HostConnection(sshd.target());
    await conn.connect();
  });

  after(async () => {
    conn?.dispose();
    await sshd?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh compose file in its own directory, owned by the SSH user, with this mode and group. */
  function compose(mode: number, gid?: number): { file: string; content: Buffer } {
    const d = path.join(dir, `c${++n}`);
    const { uid, gid: ugid } = userIds(host.user);
    fs.mkdirSync(d);
    fs.chownSync(d, uid, ugid);
    const file = path.join(d, 'docker-compose.yaml');
    const content = Buffer.from(`services:\n  salkafka-mt:\n    environment:\n      - CSC_LIST=MTMount MTDome # ${n}\n      - SECRET_TOKEN=abc\n`);
    fs.writeFileSync(file, content);
    fs.chownSync(file, uid, gid ?? ugid);
    fs.chmodSync(file, mode);
    return { file, content };
  }

  it('a 0640 file in a shared group gets a 0640 backup in that group, with the exact bytes', async () => {
    const docker = Number(fs.readFileSync('/etc/group', 'utf8').split('\n').find((l) => l.startsWith('docker:'))!.split(':')[2]);
    const { file, content } = compose(0o640, docker);
    const b = await createBackup(conn.files, file, content, new Date());
    const st = fs.statSync(b);
    assert.equal(st.mode & 0o777, 0o640, 'not the umask default 0644');
    assert.equal(st.gid, docker);
    assert.equal(sha(fs.readFileSync(b)), sha(content));
  });

  it("a 0640 file whose group the user is not in: the backup drops group access (never wider)", async () => {
    const { file, content } = compose(0o640, 0 /* root: salkafka is not a member */);
    const b = await createBackup(conn.files, file, content, new Date());
    const st = fs.statSync(b);
    assert.equal(st.mode & 0o777, 0o600);
    assert.notEqual(st.gid, 0);
  });

  it('two backups in the same millisecond never overwrite each other', async () => {
    const { file, content } = compose(0o644);
    const at = new Date('2026-11-26T01:02:03.004Z');
    const other = Buffer.concat([content, Buffer.from('# second\n')]);
    const [a, b] = await Promise.all([createBackup(conn.files, file, content, at), createBackup(conn.files, file, other, at)]);
    assert.notEqual(a, b);
    const shas = [sha(fs.readFileSync(a)), sha(fs.readFileSync(b))].sort();
    assert.deepEqual(shas, [sha(content), sha(other)].sort(), 'both versions kept, byte for byte');
    assert.equal((await listBackups(conn.files, file)).length, 2);
  });

  it('a symlink planted at the backup name is never followed: its target stays untouched', async () => {
    const { file, content } = compose(0o644);
    const at = new Date('2026-11-26T01:02:03.005Z');
    const victim = path.join(path.dirname(file), 'victim');
    fs.writeFileSync(victim, 'do not touch\n');
    const planted = path.join(path.dirname(file), `docker-compose.yaml.2026-11-26T01-02-03-005Z.bak`);
    fs.symlinkSync(victim, planted);
    const b = await createBackup(conn.files, file, content, at);
    assert.notEqual(b, planted);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'do not touch\n');
    assert.equal(fs.lstatSync(planted).isSymbolicLink(), true);
  });

  it('retention keeps the newest N backups and touches nothing else', async () => {
    const { file, content } = compose(0o644);
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await createBackup(conn.files, file, content, new Date(Date.UTC(2026, 0, 1 + i))));
    const unrelated = path.join(path.dirname(file), 'notes.bak');
    fs.writeFileSync(unrelated, 'x');
    const r = await pruneBackups(conn.files, file, 3);
    assert.deepEqual(r.removed.sort(), made.slice(0, 2).sort());
    assert.deepEqual((await listBackups(conn.files, file)).map((b) => b.path), made.slice(2).reverse());
    assert.equal(fs.existsSync(unrelated), true);
    assert.equal(fs.existsSync(file), true);
  });

  it('saveWithBackup prunes beyond backups.keep and reports what it removed', async () => {
    const { file, content } = compose(0o644);
    for (let i = 0; i < 3; i++) await createBackup(conn.files, file, content, new Date(Date.UTC(2025, 0, 1 + i)));
    const cur = await conn.files.readFile(file);
    const r = await saveWithBackup(conn.files, file, Buffer.concat([content, Buffer.from('# edit\n')]), cur.sha256, new Date(), { keep: 2 });
    assert.equal(r.prunedBackups?.length, 2);
    assert.equal((await listBackups(conn.files, file)).length, 2);
    assert.equal((await listBackups(conn.files, file))[0].path, r.backupPath, 'the new backup is kept');
  });

  it('a save without a base (editor restored after a reload) is refused as a conflict; the host copy stays', async () => {
    const { file, content } = compose(0o644);
    await assert.rejects(saveWithBackup(conn.files, file, Buffer.from('services: {}\n'), undefined, new Date()), (err: unknown) => {
      assert.ok(err instanceof RemoteChangedError);
      assert.match((err as Error).message, /no record of which version/);
      return true;
    });
    assert.equal(sha(fs.readFileSync(file)), sha(content));
    assert.equal((await listBackups(conn.files, file)).length, 0);
  });

  it('the audit append refuses a symlink and creates a missing log exclusively', async () => {
    const { file } = compose(0o644);
    const d = path.dirname(file);
    const victim = path.join(d, 'victim');
    fs.writeFileSync(victim, 'keep\n');
    const link = path.join(d, 'salkafka-audit.jsonl');
    fs.symlinkSync(victim, link);
    const sftp = await conn.sftp();
    await assert.rejects(sftpAppend(sftp, link, '{"x":1}\n'), /symbolic link/);
    assert.equal(fs.readFileSync(victim, 'utf8'), 'keep\n');
    const fresh = path.join(d, 'fresh-audit.jsonl');
    await sftpAppend(sftp, fresh, '{"a":1}\n');
    await sftpAppend(sftp, fresh, '{"b":2}\n');
    assert.equal(fs.readFileSync(fresh, 'utf8'), '{"a":1}\n{"b":2}\n');
  });
});
