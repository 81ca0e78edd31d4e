// Saving the compose file on the real host: backup of the exact bytes, atomic replace,
// refusal (with nothing lost) when the host's copy changed since it was loaded.
import { strict as assert } from 'assert';
import * as posix from 'path/posix';
import { listBackups } from '../../src/core/ops/backup';
import { saveWithBackup } from '../../src/core/ops/saveWithBackup';
import { RemoteChangedError, sha256Hex } from '../../src/core/remote/remoteFiles';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { Connections, hostOrSkip, TestHost } from './support';

describe('remote compose save (real SSH/SFTP)', function () {
  this.timeout(120_000);
  const connections = new Connections();
  let host: TestHost;
  let conn: HostConnection;
  let dir: string;
  let file: string;

  before(async function () {
    host = await hostOrSkip(this, 'remote save tests');
    conn = await connections.connect(host);
    // A scratch copy beside the real file, so the producers' file is never touched here.
    dir = posix.join(posix.dirname(host.composeFile), `save-test-${process.pid}-${Date.now()}`);
    await conn.files.mkdirp(dir);
    file = posix.join(dir, 'docker-compose.yaml');
    const original = await conn.files.readFile(host.composeFile);
    await conn.files.writeFileAtomic(file, original.content);
  });

  after(async () => {
    if (conn) await conn.exec(['rm', '-rf', '--', dir]).catch(() => undefined);
    connections.closeAll();
  });

  it('keeps a backup with the exact previous bytes, then replaces the file', async () => {
    const before = await conn.files.readFile(file);
    const edited = Buffer.from(before.content.toString('utf8').replace('MTRotator', 'MTRotator MTMount'));
    const result = await saveWithBackup(conn.files, file, edited, before.sha256, new Date());
    assert.equal(result.unchanged, false);
    assert.equal((await conn.files.readFile(file)).sha256, sha256Hex(edited));
    const backups = await listBackups(conn.files, file);
    assert.equal(backups.length, 1);
    assert.equal(backups[0].path, result.backupPath);
    assert.equal((await conn.files.readFile(backups[0].path)).sha256, before.sha256);
  });

  it('refuses a save based on an outdated copy and loses neither version', async () => {
    const loaded = await conn.files.readFile(file);
    const theirs = Buffer.from(loaded.content.toString('utf8') + '# edited by a colleague on the host\n');
    await conn.files.writeFileAtomic(file, theirs);
    const ours = Buffer.from(loaded.content.toString('utf8').replace('MTM2', 'MTM2 MTDome'));
    const backupsBefore = (await listBackups(conn.files, file)).length;
    await assert.rejects(saveWithBackup(conn.files, file, ours, loaded.sha256, new Date()), (err: unknown) => {
      assert.ok(err instanceof RemoteChangedError);
      assert.match((err as Error).message, /changed on the host since it was read/);
      return true;
    });
    assert.equal((await conn.files.readFile(file)).sha256, sha256Hex(theirs), "the colleague's edit stays on the host");
    assert.equal((await listBackups(conn.files, file)).length, backupsBefore, 'no backup is written for a refused save');
  });

  it('saving identical content writes nothing and takes no backup', async () => {
    const current = await conn.files.readFile(file);
    const n = (await listBackups(conn.files, file)).length;
    const result = await saveWithBackup(conn.files, file, current.content, current.sha256, new Date());
    assert.equal(result.unchanged, true);
    assert.equal((await listBackups(conn.files, file)).length, n);
  });
});
