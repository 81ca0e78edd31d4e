// Env discovery over the real SFTP path (the producers view reads the compose file on the host):
// the summit layout's env files one directory up, named in the file's header, found through
// the same core code the CLI and the editor use.
import { strict as assert } from 'assert';
import { randomBytes } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { producerHostFromConnection } from '../../src/core/producers/connectionHost';
import type { HostConnection } from '../../src/core/ssh/hostConnection';
import { Connections, hostOrSkip } from './support';

const LAYOUT = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'real-shapes', 'summit-layout');

describe('env files found over SFTP on the real test host', function () {
  this.timeout(120_000);
  const connections = new Connections();
  let conn: HostConnection;
  const root = `/tmp/salkafka-env-${randomBytes(4).toString('hex')}`;

  before(async function () {
    const h = await hostOrSkip(this, 'env discovery over SFTP');
    conn = await connections.connect(h);
    for (const f of ['setup.env', 'summit/setup.env', 'summit/setup_kp.env', 'summit/kafka_writers/docker-compose.yaml']) {
      await conn.files.mkdirp(`${root}/repo/${f.split('/').slice(0, -1).join('/')}`.replace(/\/$/, ''));
      await conn.files.writeFileAtomic(`${root}/repo/${f}`, readFileSync(join(LAYOUT, f)));
    }
    await conn.files.mkdirp(`${root}/repo/.git`);
  });
  after(async () => {
    await conn?.exec(['rm', '-rf', root]).catch(() => undefined);
    connections.closeAll();
  });

  it('readCompose resolves the header\'s env files in the parent directory, PWD as the file\'s directory', async () => {
    const composeFile = `${root}/repo/summit/kafka_writers/docker-compose.yaml`;
    const host = producerHostFromConnection(conn, () => ({ composeFile, envFiles: ['setup.env'] }));
    const { variables } = await host.readCompose();
    assert.equal(variables.CYCLE_AUXTEL, 'c0017', 'from ../setup_kp.env');
    assert.equal(variables.CYCLE, 'c0020', 'the nearest setup.env, not the repository root\'s');
    assert.equal(variables.OSPL_SHMEM_CONFIG, '/deploy-lsstts/ts_ddsconfig/config/ospl-shmem.xml');
    assert.equal(variables.PWD, `${root}/repo/summit/kafka_writers`);
  });
});
