import { strict as assert } from 'assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { discoverEnv, discoverEnvSync, headerEnvFileNames, shownPath, type SyncEnvReader } from '../../../src/core/compose/envDiscovery';
import { lint } from './helpers';

const LAYOUT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'real-shapes', 'summit-layout');

/** The real file system, as the CLI reads it. */
const fsReader: SyncEnvReader = {
  readText: (p) => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return undefined;
    }
  },
  exists: (p) => existsSync(p),
};

describe('env files as operators use them (core/compose/envDiscovery)', () => {
  let root: string;
  let compose: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'salkafka-env-'));
    cpSync(LAYOUT, root, { recursive: true });
    mkdirSync(join(root, '.git'));
    compose = join(root, 'summit', 'kafka_writers', 'docker-compose.yaml');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads the header comment of the Rubin files', () => {
    const text = '# Using this file requires the following environment files\n# - setup.env\n# - setup_kp.env\n\nversion: "3.6"\n# - not.env (not the header any more)\n';
    assert.deepEqual(headerEnvFileNames(text), ['setup.env', 'setup_kp.env']);
    assert.deepEqual(headerEnvFileNames('# source ../site/setup.env first\nservices: {}\n'), ['../site/setup.env']);
    assert.deepEqual(headerEnvFileNames('services: {}\n# - setup.env\n'), []);
  });

  it('finds the header\'s files in the parent directory, the nearest one first, and stops at the repository root', () => {
    const env = discoverEnvSync(compose, readFileSync(compose, 'utf8'), fsReader);
    assert.deepEqual(env.files.map((f) => [shownPath(env, f.path), f.kind]), [['../setup.env', 'header'], ['../setup_kp.env', 'header']]);
    assert.equal(env.variables.CYCLE, 'c0020', 'summit/setup.env, not the root one');
    assert.equal(env.variables.CYCLE_AUXTEL, 'c0017');
    assert.deepEqual(env.missing, []);
  });

  it('expands ${VAR} in a sourced file as the shell does', () => {
    const env = discoverEnvSync(compose, readFileSync(compose, 'utf8'), fsReader);
    assert.equal(env.variables.OSPL_SHMEM_CONFIG, '/deploy-lsstts/ts_ddsconfig/config/ospl-shmem.xml');
  });

  it('PWD is the compose file\'s directory and HOME, USER… come from the shell', () => {
    const env = discoverEnvSync(compose, readFileSync(compose, 'utf8'), fsReader);
    assert.equal(env.variables.PWD, join(root, 'summit', 'kafka_writers'));
    assert.equal(env.origin.PWD, 'shell');
    assert.equal(env.origin.HOME, 'shell');
  });

  it('the real layout lints with no variable-unset at all (was one per ${VAR} use)', () => {
    const text = readFileSync(compose, 'utf8');
    const env = discoverEnvSync(compose, text, fsReader);
    const l = lint(text, { variables: env.variables });
    assert.deepEqual(l.codes.filter((c) => c === 'variable-unset'), []);
    // ATDome is in salkafka-auxtel (domain 2) and salkafka-latiss (domain 1): different data.
    assert.deepEqual(l.codes.filter((c) => c === 'csc-in-multiple-producers'), []);
    // Without discovery (only what sits beside the file), every use is unset.
    assert.ok(lint(text, { variables: {} }).codes.filter((c) => c === 'variable-unset').length >= 10);
  });

  it('a configured name (setup.env) is searched upward too; .env beside the file comes first and loses', () => {
    const dir = join(root, 'summit', 'kafka_writers');
    writeFileSync(join(dir, '.env'), 'CYCLE=c0001\nONLY_DOTENV=yes\n');
    try {
      const env = discoverEnvSync(join(dir, 'plain.yaml'), 'services: {}\n', fsReader, { settingNames: ['setup.env'] });
      assert.deepEqual(env.files.map((f) => [shownPath(env, f.path), f.kind]), [['.env', 'dotenv'], ['../setup.env', 'setting']]);
      assert.equal(env.variables.CYCLE, 'c0020');
      assert.equal(env.variables.ONLY_DOTENV, 'yes');
    } finally {
      rmSync(join(dir, '.env'));
    }
  });

  it('a named file that is nowhere is reported with the directories searched, up to the .git directory', () => {
    const env = discoverEnvSync(compose, '# - setup_nowhere.env\nservices: {}\n', fsReader);
    assert.deepEqual(env.missing.map((m) => [m.name, m.searched.map((d) => shownPath(env, d))]), [['setup_nowhere.env', ['.', '..', '../..']]]);
  });

  it('the async form (editor, SFTP) gives the same result as the sync one (CLI)', async () => {
    const text = readFileSync(compose, 'utf8');
    const async = await discoverEnv(compose, text, { readText: async (p) => fsReader.readText(p), exists: async (p) => fsReader.exists(p) });
    assert.deepEqual(async, discoverEnvSync(compose, text, fsReader));
  });

  it('a reader that throws is a file that cannot be read, never a crash', async () => {
    const env = await discoverEnv(compose, readFileSync(compose, 'utf8'), {
      readText: () => Promise.reject(new Error('EACCES')),
      exists: () => Promise.reject(new Error('connection lost')),
    });
    assert.deepEqual(env.files, []);
    assert.equal(env.missing.length, 2);
  });
});
