import { strict as assert } from 'assert';
import { ComposeNotFoundError, ComposeRunner, buildComposeArgv, detectCompose } from '../../../src/core/docker/composeRunner';
import type { ComposeHost } from '../../../src/core/docker/composeRunner';
import type { ExecOptions, ExecResult } from '../../../src/core/host/host';
import { InvalidNameError } from '../../../src/core/remote/names';

const FILE = '/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml';

/** A host that records every exec and answers version probes from a table. */
function fakeHost(versions: { v1?: string; plugin?: string }): ComposeHost & { calls: { argv: string[]; opts?: ExecOptions }[] } {
  const calls: { argv: string[]; opts?: ExecOptions }[] = [];
  return {
    alias: 'azar2',
    calls,
    async exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
      calls.push({ argv: [...argv], opts });
      const ok = (stdout: string): ExecResult => ({ code: 0, signal: null, stdout, stderr: '' });
      const missing: ExecResult = { code: 127, signal: null, stdout: '', stderr: 'not found' };
      if (argv[0] === 'docker-compose' && argv[1] === 'version') return versions.v1 ? ok(`${versions.v1}\n`) : missing;
      if (argv[0] === 'docker' && argv[1] === 'compose' && argv[2] === 'version') return versions.plugin ? ok(`${versions.plugin}\n`) : { ...missing, code: 1 };
      opts?.onStdout?.(Buffer.from('Starting salkafka-m2 ... done\n'));
      return ok('Starting salkafka-m2 ... done\n');
    },
  };
}

describe('compose runner', () => {
  it('prefers docker-compose v1 when both exist; v2 plugin when it is the only one; caches per host', async () => {
    const both = fakeHost({ v1: '1.29.2', plugin: 'v2.27.0' });
    assert.deepEqual(await detectCompose(both), { kind: 'v1', version: '1.29.2', command: ['docker-compose'] });
    await detectCompose(both);
    assert.equal(both.calls.length, 2, 'probed once per host');
    assert.equal((await detectCompose(both, 'v2')).kind, 'v1', 'cache is per connection, first answer stays');
    assert.deepEqual(await detectCompose(fakeHost({ plugin: '2.27.0' })), { kind: 'v2', version: '2.27.0', command: ['docker', 'compose'] });
    assert.equal((await detectCompose(fakeHost({ v1: '2.20.3' }))).kind, 'v2', 'standalone docker-compose v2 binary');
  });

  it('says clearly when compose is missing', async () => {
    await assert.rejects(detectCompose(fakeHost({})), (e: unknown) => e instanceof ComposeNotFoundError && /neither docker-compose nor docker compose is installed on azar2/.test(e.message));
  });

  it('runs in the kafka_writers directory with -f, --ansi never and each argument separate', async () => {
    const host = fakeHost({ v1: '1.29.2' });
    const out: string[] = [];
    const r = await new ComposeRunner(host, { composeFile: FILE }).up(['salkafka-m2'], { flags: ['--no-deps'], onOutput: (t) => out.push(t) });
    assert.deepEqual(r.argv, ['docker-compose', '-f', FILE, '--ansi', 'never', 'up', '-d', '--no-deps', 'salkafka-m2']);
    const last = host.calls[host.calls.length - 1];
    assert.deepEqual(last.argv, r.argv);
    assert.equal(last.opts?.cwd, '/deploy-lsst/docker-compose-ops/kafka_writers');
    assert.deepEqual(out, ['Starting salkafka-m2 ... done\n']);
  });

  it('uses --no-ansi for docker-compose older than 1.28 and `docker compose` for v2', () => {
    assert.ok(buildComposeArgv({ kind: 'v1', version: '1.25.0', command: ['docker-compose'] }, FILE, 'ps').includes('--no-ansi'));
    assert.deepEqual(buildComposeArgv({ kind: 'v2', version: '2.27.0', command: ['docker', 'compose'] }, FILE, 'stop', { flags: ['-t', '30'], services: ['salkafka-at'] }), [
      'docker', 'compose', '-f', FILE, '--ansi', 'never', 'stop', '-t', '30', 'salkafka-at',
    ]);
  });

  it('a hostile service name is rejected before ANY remote command (not even version detection)', async () => {
    for (const bad of ['x; rm -rf /', '--rmi=all', '$(id)', 'salkafka-m2\n']) {
      const host = fakeHost({ v1: '1.29.2' });
      await assert.rejects(new ComposeRunner(host, { composeFile: FILE }).restart([bad]), InvalidNameError);
      assert.equal(host.calls.length, 0, JSON.stringify(bad));
    }
  });

  it('rejects unknown subcommands, odd flags and relative compose paths', () => {
    const f = { kind: 'v1' as const, version: '1.29.2', command: ['docker-compose'] };
    assert.throws(() => buildComposeArgv(f, FILE, 'exec' as never), /not allowed/);
    assert.throws(() => buildComposeArgv(f, FILE, 'up', { flags: ['-d; id'] }), /not allowed/);
    assert.throws(() => buildComposeArgv(f, FILE, 'up', { flags: ['--scale=$(id)'] }), /not allowed/);
    assert.throws(() => buildComposeArgv(f, 'docker-compose.yaml', 'ps'), /absolute/);
  });
});
