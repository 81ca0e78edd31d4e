import { strict as assert } from 'assert';
import { backupDirectory, backupMode, backupName, parseBackupName } from '../../../src/core/ops/backup';

describe('backup names and places', () => {
  const compose = '/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml';

  it('names a backup by file and UTC time, and reads the time back to the millisecond', () => {
    const at = new Date('2026-11-24T23:40:34.123Z');
    const name = backupName(compose, at);
    assert.equal(name, 'docker-compose.yaml.2026-11-24T23-40-34-123Z.bak');
    assert.equal(parseBackupName(compose, name)?.toISOString(), at.toISOString());
  });

  it('ignores files that are not backups of this compose file', () => {
    assert.equal(parseBackupName(compose, 'other.yaml.2026-11-24T23-40-34-123Z.bak'), undefined);
    assert.equal(parseBackupName(compose, 'docker-compose.yaml'), undefined);
    assert.equal(parseBackupName(compose, 'docker-compose.yaml.garbage.bak'), undefined);
  });

  it('sorts lexically in time order', () => {
    const a = backupName(compose, new Date('2026-01-02T03:04:05.006Z'));
    const b = backupName(compose, new Date('2026-11-24T23:40:34.123Z'));
    assert.ok(a < b);
  });

  it('puts backups beside the file, in a relative or in an absolute directory', () => {
    assert.equal(backupDirectory(compose), '/deploy-lsst/docker-compose-ops/kafka_writers');
    assert.equal(backupDirectory(compose, { directory: 'backups' }), '/deploy-lsst/docker-compose-ops/kafka_writers/backups');
    assert.equal(backupDirectory(compose, { directory: '/var/backups/salkafka' }), '/var/backups/salkafka');
  });

  it('a second backup in the same millisecond gets a numbered name that still parses', () => {
    const at = new Date('2026-11-24T23:40:34.123Z');
    assert.equal(backupName(compose, at, 1), 'docker-compose.yaml.2026-11-24T23-40-34-123Z.1.bak');
    assert.equal(parseBackupName(compose, backupName(compose, at, 12))?.toISOString(), at.toISOString());
    assert.notEqual(backupName(compose, at, 1), backupName(compose, at, 0));
  });

  it("a backup's mode is the source's read/write bits, never wider", () => {
    assert.equal(backupMode({ mode: 0o100640 }), 0o640);
    assert.equal(backupMode({ mode: 0o100600 }), 0o600);
    assert.equal(backupMode({ mode: 0o104755 }), 0o644, 'no set-id or execute bits');
    assert.equal(backupMode(undefined), 0o600, 'unknown source: private');
  });
});
