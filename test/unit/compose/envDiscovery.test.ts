import { strict as assert } from 'assert';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { discoverEnv, discoverEnvSync, envFileBasenames, headerEnvFileNames, shownPath, type SyncEnvReader } from '../../../src/core/compose/envDiscovery';
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
    // Only the list under the header is sourced (issue 13): prose mentioning a file is not.
    assert.deepEqual(headerEnvFileNames('# source ../site/setup.env first\nservices: {}\n'), []);
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
    const env = discoverEnvSync(compose, '# Using this file requires the following environment files\n# - setup_nowhere.env\nservices: {}\n', fsReader);
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

// Issue 13, reproducer 1: sourcing an env file is running it as shell, so only what operators
// source is sourced. Real directories, real modes and owners (the tests run as root or as a user;
// both are "the user" of the rule).
describe('what is sourced: only what operators source (issue 13)', () => {
  let root: string;
  let dir: string;
  const HEADER = '# Using this file requires the following environment files\n';
  const names = (env: ReturnType<typeof discoverEnvSync>) => env.files.map((f) => `${f.kind}:${shownPath(env, f.path)}`);
  const reader: SyncEnvReader = { ...fsReader, statDir: (p) => { try { const s = statSync(p); return { uid: s.uid, mode: s.mode }; } catch { return undefined; } }, ownUid: process.getuid?.() };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'salkafka-src-'));
    chmodSync(root, 0o755);
    mkdirSync(join(root, 'repo', '.git'), { recursive: true });
    dir = join(root, 'repo', 'summit', 'kafka_writers');
    mkdirSync(dir, { recursive: true });
    for (const d of [join(root, 'repo'), join(root, 'repo', 'summit'), dir]) chmodSync(d, 0o755);
    writeFileSync(join(root, 'repo', 'summit', 'setup.env'), 'A=1\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('only the list under the Rubin header: not other *.env words, not "Do NOT source producer.env"', () => {
    const text = `${HEADER}# - setup.env\n# - setup_kp.env\n#\n# Do NOT source producer.env: it is the env_file of salkafka-mt.\n# see also ../../../var/tmp/site.env\nservices: {}\n`;
    assert.deepEqual(headerEnvFileNames(text), ['setup.env', 'setup_kp.env']);
    assert.deepEqual(headerEnvFileNames('# source ../site/setup.env first\n# Do NOT source producer.env\nservices: {}\n'), []);
  });

  it('refuses absolute paths, paths leaving the deployment tree, URLs, .env and env_file: files, with the reason', () => {
    writeFileSync(join(root, 'site.env'), 'EVIL=1\n');
    writeFileSync(join(dir, 'producer.env'), 'SASL_PASSWORD=s3cr3t;touch X\n');
    const text =
      `${HEADER}# - ${join(root, 'site.env')}\n# - ../../../site.env\n# - https://github.com/lsst-it/docker-compose-ops/blob/main/summit/setup.env\n# - .env\n# - producer.env\n# - ../setup.env\n` +
      'services:\n  salkafka-mt:\n    image: x\n    env_file:\n      - producer.env\n';
    const env = discoverEnvSync(join(dir, 'docker-compose.yaml'), text, reader, { settingNames: ['/etc/profile', '../../../site.env'] });
    assert.deepEqual(names(env), ['header:../setup.env']);
    assert.equal(env.variables.EVIL, undefined);
    assert.equal(env.variables.SASL_PASSWORD, undefined);
    const why = Object.fromEntries(env.refused.map((r) => [r.name, r.reason]));
    assert.match(why[join(root, 'site.env')], /absolute/);
    assert.match(why['../../../site.env'], /outside the deployment tree/);
    assert.match(why['https://github.com/lsst-it/docker-compose-ops/blob/main/summit/setup.env'], /URL/);
    assert.match(why['.env'], /docker-compose reads/);
    assert.match(why['producer.env'], /env_file/);
    assert.match(why['/etc/profile'], /absolute/);
    // A URL is not a file: never a "missing" file that would refuse every plan.
    assert.deepEqual(env.missing, []);
  });

  it('without .git, the upward search never climbs into a directory writable by others', () => {
    const shared = join(root, 'shared');
    mkdirSync(join(shared, 'deploy', 'kafka_writers'), { recursive: true });
    chmodSync(shared, 0o1777); // like /tmp
    chmodSync(join(shared, 'deploy'), 0o755);
    writeFileSync(join(shared, 'setup.env'), 'PLANTED=yes\n');
    const compose = join(shared, 'deploy', 'kafka_writers', 'docker-compose.yaml');
    const env = discoverEnvSync(compose, 'services: {}\n', reader, { settingNames: ['setup.env'] });
    assert.equal(env.variables.PLANTED, undefined, 'a setup.env anyone could create was sourced');
    assert.deepEqual(env.missing.map((m) => m.searched), [[join(shared, 'deploy', 'kafka_writers'), join(shared, 'deploy')]]);
  });

  it('nor into a directory owned by someone other than root or the user', function () {
    if (process.getuid?.() !== 0) this.skip(); // chown to another user needs root; CI runs as root
    const other = join(root, 'other');
    mkdirSync(join(other, 'deploy', 'kafka_writers'), { recursive: true });
    chmodSync(other, 0o755);
    chownSync(other, 4242, 4242);
    writeFileSync(join(other, 'setup.env'), 'PLANTED=yes\n');
    const compose = join(other, 'deploy', 'kafka_writers', 'docker-compose.yaml');
    const env = discoverEnvSync(compose, 'services: {}\n', { ...reader, ownUid: 1000 }, { settingNames: ['setup.env'] });
    assert.equal(env.variables.PLANTED, undefined);
    assert.deepEqual(env.missing[0].searched, [join(other, 'deploy', 'kafka_writers'), join(other, 'deploy')]);
  });

  it('the search ends at the repository root: a setup.env above it is not sourced', () => {
    writeFileSync(join(root, 'setup.env'), 'ABOVE=yes\n');
    rmSync(join(root, 'repo', 'summit', 'setup.env'));
    const env = discoverEnvSync(join(dir, 'docker-compose.yaml'), 'services: {}\n', reader, { settingNames: ['setup.env'] });
    assert.equal(env.variables.ABOVE, undefined);
    assert.deepEqual(env.missing[0].searched, [dir, join(root, 'repo', 'summit'), join(root, 'repo')]);
  });

  it('finds every env_file: form docker-compose reads (scalar, flow list, block list), so none of them is sourced', () => {
    const text = [
      'services:',
      '  a:',
      '    env_file: producer.env   # secrets',
      '  b:',
      "    env_file: ['../b.env', \"c.env\"]",
      '  c:',
      '    env_file:',
      '      - ./d.env',
      '      # a comment inside the list',
      '      - "sub/e.env"',
      '    image: x',
      '  d:',
      '    image: y',
    ].join('\n');
    assert.deepEqual([...envFileBasenames(text)].sort(), ['b.env', 'c.env', 'd.env', 'e.env', 'producer.env']);
  });
});
