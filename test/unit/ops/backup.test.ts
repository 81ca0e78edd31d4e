import { strict as assert } from 'assert';
import { backupDirectory, backupName, parseBackupName } from '../../../src/core/ops/backup';

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
});
