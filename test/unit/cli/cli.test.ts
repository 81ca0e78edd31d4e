import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// Runs the bundled CLI (dist/cli.js) as users and CI do, rebuilding it when a source is newer.
const ROOT = join(__dirname, '..', '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'compose');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], cwd = FIXTURES): CliRun {
  // `--` keeps Node from treating a script's `--env-file` as its own option (nodejs/node#54232).
  const r = spawnSync(process.execPath, ['--', CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function cliIsStale(): boolean {
  try {
    const built = statSync(CLI).mtimeMs;
    return Math.max(newestMtime(join(ROOT, 'src', 'cli')), newestMtime(join(ROOT, 'src', 'core')), statSync(join(ROOT, 'scripts', 'build.mjs')).mtimeMs) > built;
  } catch {
    return true;
  }
}

/** A fresh directory holding copies of fixtures plus the given files. */
function workDir(copies: string[], files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'salkafka-lint-'));
  for (const name of copies) copyFileSync(join(FIXTURES, name), join(dir, name));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  dirs.push(dir);
  return dir;
}
const dirs: string[] = [];

const STACK_TRACE = /^\s+at .+\(.+:\d+:\d+\)$|\bError:|node:internal/m;

const PRODUCER_WITH_ENV_FILE = `services:
  salkafka-mtm1m3:
    image: ts-dockerhub.lsst.org/salkafka:c0035
    container_name: salkafka-mtm1m3
    env_file: producer.env
    environment:
      - CSC_LIST=MTM1M3
`;

describe('salkafka-lint CLI (dist/cli.js)', function () {
  this.timeout(60_000);

  before(function () {
    this.timeout(180_000);
    if (cliIsStale()) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'pipe' });
  });

  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('text output', () => {
    it('prints legacy.yaml diagnostics one a line with 1-based positions, a summary on stderr, exit 1', () => {
      const r = runCli(['legacy.yaml']);
      assert.equal(r.code, 1, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.deepEqual(
        lines.map((l) => l.split(' ').slice(0, 3).join(' ')),
        [
          'legacy.yaml:13:18 error csc-not-in-image',
          'legacy.yaml:13:26 error csc-not-in-image',
          'legacy.yaml:13:34 error csc-unknown',
          'legacy.yaml:13:41 warning csc-in-multiple-producers',
          'legacy.yaml:16:21 warning container-name-mismatch',
          'legacy.yaml:23:18 error csc-retired',
          'legacy.yaml:23:24 warning csc-in-multiple-producers',
          'legacy.yaml:23:31 error csc-duplicate',
        ],
      );
      // The position is that of the token in the file: column N is character N-1 of the line.
      const source = readFileSync(join(FIXTURES, 'legacy.yaml'), 'utf8').split('\n');
      for (const [line, col, token] of [[13, 34, 'MTM2MS'], [16, 21, 'kafka_m2'], [23, 18, 'AtMCS']] as const) {
        assert.equal(source[line - 1].slice(col - 1, col - 1 + token.length), token);
      }
      assert.match(lines[2], /^legacy\.yaml:13:34 error csc-unknown Unknown SAL component "MTM2MS"\. Did you mean .*MTM2\b/);
      // .env says CYCLE=c0035.001: ts_xml 20.2.0, which has neither Rotator nor Hexapod.
      assert.match(lines[0], /Rotator is not in ts_xml 20\.2\.0 \(image salkafka:c0035\.001\); it was last in 6\.2\.1 and is now MTRotator\./);
      assert.equal(r.stderr, '5 errors, 3 warnings in 1 file\n');
    });

    it('a clean file with its .env and every variable set prints nothing on stdout and exits 0', () => {
      const dir = workDir(['summit.yaml', '.env'], { 'setup.env': 'export LSST_DDS_PARTITION_PREFIX=summit\n' });
      const r = runCli(['summit.yaml'], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '0 errors, 0 warnings in 1 file\n');
    });

    it('warnings alone do not fail: summit.yaml without setup.env exits 0 with one variable-unset warning for its 4 uses', () => {
      const r = runCli(['summit.yaml']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines.length, 1);
      assert.match(lines[0], /^summit\.yaml:19:35 warning variable-unset Variable LSST_DDS_PARTITION_PREFIX .* It is used in 4 places \(lines 19, 41, 65, 89\)\.$/);
      assert.equal(r.stderr, '0 errors, 1 warning in 1 file\n');
    });

    it('checks several files and names each one; the summary counts them all', () => {
      const r = runCli(['legacy.yaml', 'summit.yaml']);
      assert.equal(r.code, 1);
      const files = new Set(r.stdout.trimEnd().split('\n').map((l) => l.split(':')[0]));
      assert.deepEqual([...files], ['legacy.yaml', 'summit.yaml']);
      // Given together from one directory they are one compose project: salkafka-m2 and
      // salkafka-at are defined in both, a service-in-sibling-file warning on each side.
      assert.equal(r.stdout.split('\n').filter((l) => l.includes(' service-in-sibling-file ')).length, 4);
      assert.equal(r.stderr, '5 errors, 8 warnings in 2 files\n');
    });
  });

  describe('JSON output', () => {
    it('is one array of {file, line, column, endLine, endColumn, severity, code, message} with exclusive 1-based ends', () => {
      const r = runCli(['--format', 'json', 'legacy.yaml', 'summit.yaml']);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stderr, '');
      const all = JSON.parse(r.stdout) as Record<string, unknown>[];
      assert.equal(all.length, 13);
      // The two fixtures sit in one directory: leave out the findings about each other.
      const items = all.filter((i) => i.code !== 'service-in-sibling-file');
      assert.equal(items.length, 9);
      for (const item of items) {
        assert.deepEqual(Object.keys(item), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
      }
      assert.deepEqual(items[2], {
        file: 'legacy.yaml',
        line: 13,
        column: 34,
        endLine: 13,
        endColumn: 40, // "MTM2MS" is columns 34–39
        severity: 'error',
        code: 'csc-unknown',
        message: items[2].message,
      });
      assert.match(String(items[2].message), /MTM2MS/);
      const kafkaAt = items.find((i) => i.code === 'container-name-mismatch');
      assert.deepEqual([kafkaAt?.line, kafkaAt?.column, kafkaAt?.endLine, kafkaAt?.endColumn], [16, 21, 16, 29]);
      const summit = items.filter((i) => i.file === 'summit.yaml');
      // One finding for the four uses of one unset variable, naming their lines.
      assert.deepEqual(summit.map((i) => [i.line, i.column, i.endColumn]), [[19, 35, 63]]);
      assert.match(String(summit[0].message), /It is used in 4 places \(lines 19, 41, 65, 89\)\.$/);
    });

    it('prints an empty array for a clean file', () => {
      const dir = workDir(['summit.yaml', '.env'], { 'setup.env': 'LSST_DDS_PARTITION_PREFIX=summit\n' });
      const r = runCli(['--format=json', 'summit.yaml'], dir);
      assert.equal(r.code, 0);
      assert.deepEqual(JSON.parse(r.stdout), []);
    });
  });

  describe('exit codes and errors', () => {
    it('a missing file: exit 2 and a message naming it; the other files are still checked', () => {
      const r = runCli(['missing.yaml', 'legacy.yaml']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^salkafka-lint: cannot read missing\.yaml: no such file$/m);
      assert.match(r.stdout, /legacy\.yaml:13:34 error csc-unknown/);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
    });

    it('a directory instead of a file: exit 2', () => {
      const r = runCli(['.']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read \.: is a directory/);
    });

    for (const [args, message] of [
      [['--bogus', 'legacy.yaml'], /unknown option --bogus/],
      [['--format', 'xml', 'legacy.yaml'], /--format must be text or json, not "xml"/],
      [['--format'], /--format/],
      [[], /no compose file given/],
    ] as const) {
      it(`bad usage ${JSON.stringify(args)}: exit 2, "${message.source}" and a hint to --help`, () => {
        const r = runCli([...args]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, message);
        assert.match(r.stderr, /Try 'salkafka-lint --help'/);
        assert.equal(r.stdout, '');
      });
    }

    it('--help prints the usage with the position convention and exits 0', () => {
      const r = runCli(['--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^Usage: salkafka-lint FILE\.\.\. /);
      assert.match(r.stdout, /1-based/);
      assert.match(r.stdout, /exclusive/);
    });

    it('--version prints the package version', () => {
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      const r = runCli(['--version']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `salkafka-lint ${pkg.version}\n`);
    });

    it('broken YAML gives yaml-syntax diagnostics and exit 1, never a stack trace', () => {
      const dir = workDir([], {
        'broken.yaml': 'services:\n  salkafka-at:\n    environment: [\n      - CSC_LIST=ATDome\n  "unterminated: {\n\t\u0000\n',
      });
      const r = runCli(['broken.yaml'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^broken\.yaml:\d+:\d+ error yaml-syntax YAML syntax error: /m);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
      assert.doesNotMatch(r.stdout, STACK_TRACE);
      assert.match(r.stderr, /^\d+ errors?, \d+ warnings? in 1 file\n$/);
    });

    it('an empty file is not a crash', () => {
      const dir = workDir([], { 'empty.yaml': '' });
      const r = runCli(['empty.yaml'], dir);
      assert.ok(r.code === 0 || r.code === 1, r.stderr);
      assert.doesNotMatch(r.stderr, STACK_TRACE);
    });
  });

  describe('interpolation variables and env files', () => {
    it('finds the env files the header names in the parent directory (the summit layout) and --verbose names them', () => {
      const dir = workDir([]);
      cpSync(join(ROOT, 'test', 'fixtures', 'real-shapes', 'summit-layout'), dir, { recursive: true });
      mkdirSync(join(dir, '.git'));
      const cwd = join(dir, 'summit', 'kafka_writers');
      const quiet = runCli(['docker-compose.yaml'], cwd);
      assert.ok(!quiet.stdout.includes('variable-unset'), quiet.stdout);
      // docker-compose-eas.yaml beside it defines salkafka-eas too: one compose project.
      assert.match(quiet.stdout, /^docker-compose.yaml:\d+:3 warning service-in-sibling-file salkafka-eas is also defined in docker-compose-eas.yaml line 8,/m);
      assert.ok(!quiet.stderr.includes('env files'), 'only with --verbose');
      const r = runCli(['--verbose', 'docker-compose.yaml'], cwd);
      assert.match(r.stderr, /^salkafka-lint: docker-compose.yaml: env files: \.\.\/setup\.env \(named in the header\), \.\.\/setup_kp\.env \(named in the header\)$/m);
      writeFileSync(join(cwd, 'other.yaml'), '# Using this file requires the following environment files\n# - setup.env\n# - setup_gone.env\n# - /etc/site.env\nservices: {}\n');
      const missing = runCli(['--verbose', 'other.yaml'], cwd);
      assert.match(missing.stderr, /^salkafka-lint: other.yaml: setup_gone.env \(named in the header\) not found in \., \.\., \.\.\/\.\.$/m);
      assert.match(missing.stderr, /^salkafka-lint: other.yaml: \/etc\/site.env \(named in the header\) is never sourced: absolute paths are never sourced/m);
    });

    const BROKER = 'services:\n  salkafka-at:\n    environment:\n      - BROKER_IP=${BROKER_IP}\n      - BROKER_PORT=${PORT}\n      - REGISTRY_ADDR=http://registry:8081\n      - CSC_LIST=ATDome\n    image: ts-dockerhub.lsst.org/salkafka:c0035\n';

    it('setup.env beside the file is read by default, after .env (later wins)', () => {
      const dir = workDir([], { 'w.yaml': BROKER, '.env': 'BROKER_IP=broker.lsst.codes\nPORT=99999\n', 'setup.env': 'export PORT=9094\n' });
      const r = runCli(['--format', 'json', 'w.yaml'], dir);
      assert.deepEqual(JSON.parse(r.stdout), []);
      assert.equal(r.code, 0);
    });

    it('without setup.env the .env value is used (and here it is an invalid port)', () => {
      const dir = workDir([], { 'w.yaml': BROKER, '.env': 'BROKER_IP=broker.lsst.codes\nPORT=99999\n' });
      const r = runCli(['w.yaml'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^w\.yaml:5:21 error broker-port-invalid BROKER_PORT "99999"/m);
    });

    it('--env-file / -e are relative to the compose file directory and replace the default setup.env', () => {
      const dir = workDir([], {
        'kafka_writers/w.yaml': BROKER,
        'kafka_writers/.env': 'BROKER_IP=broker.lsst.codes\n',
        'kafka_writers/setup.env': 'PORT=1\n',
        'kafka_writers/env/prod.env': 'PORT=9094\n',
        'kafka_writers/env/bad.env': 'PORT=http\n',
      });
      // Run from the parent directory: the env file path is still taken from the compose file's directory.
      const prod = runCli(['--format', 'json', '--env-file', 'env/prod.env', 'kafka_writers/w.yaml'], dir);
      assert.equal(prod.code, 0, prod.stdout + prod.stderr);
      assert.deepEqual(JSON.parse(prod.stdout), []);
      const later = runCli(['--format', 'json', '-e', 'env/prod.env', '-e', 'env/bad.env', 'kafka_writers/w.yaml'], dir);
      assert.equal(later.code, 1);
      assert.deepEqual((JSON.parse(later.stdout) as { code: string }[]).map((d) => d.code), ['broker-port-invalid']);
      // Without any -e, setup.env (PORT=1) is used: valid port, clean.
      const dflt = runCli(['--format', 'json', 'kafka_writers/w.yaml'], dir);
      assert.deepEqual(JSON.parse(dflt.stdout), []);
    });

    it('an --env-file that does not exist: exit 2 naming it', () => {
      const r = runCli(['-e', 'nope.env', 'legacy.yaml']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot read nope\.env \(--env-file\): no such file/);
    });

    it('run as installed (its #! line), `--env-file MISSING` is our usage error, exit 2, not Node\'s exit 9', function () {
      if (process.platform === 'win32') this.skip(); // npm's cmd shim, not a #! line, runs it there
      // npm links bin/salkafka-lint to dist/cli.js and makes it executable: do the same in a scratch dir.
      const dir = mkdtempSync(join(tmpdir(), 'salkafka-bin-'));
      try {
        const bin = join(dir, 'salkafka-lint');
        copyFileSync(CLI, bin);
        chmodSync(bin, 0o755);
        const r = spawnSync(bin, ['--env-file', 'MISSING', 'legacy.yaml'], { cwd: FIXTURES, encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /^salkafka-lint: cannot read MISSING \(--env-file\): no such file/m);
        assert.doesNotMatch(r.stderr, /^node:/m);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('a variable that only .env sets is unset without it', () => {
      const dir = workDir(['legacy.yaml']);
      const r = runCli(['--format', 'json', 'legacy.yaml'], dir);
      const unset = (JSON.parse(r.stdout) as { code: string; message: string }[]).filter((d) => d.code === 'variable-unset');
      assert.ok(unset.some((d) => /BROKER_IP/.test(d.message)), r.stdout);
      assert.ok(unset.some((d) => /CYCLE/.test(d.message)), r.stdout);
    });

    it("reads each service's env_file: its keys count as set; missing ones are reported when the file is readable", () => {
      const full = workDir([], {
        'w.yaml': PRODUCER_WITH_ENV_FILE,
        'producer.env': 'BROKER_IP=10.0.0.5\nBROKER_PORT=9094\nREGISTRY_ADDR=http://registry:8081\n',
      });
      assert.deepEqual(JSON.parse(runCli(['--format', 'json', 'w.yaml'], full).stdout), []);
      const partial = workDir([], { 'w.yaml': PRODUCER_WITH_ENV_FILE, 'producer.env': 'BROKER_IP=10.0.0.5\n' });
      const r = runCli(['w.yaml'], partial);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^w\.yaml:2:3 error env-missing Producer salkafka-mtm1m3 has no BROKER_PORT, REGISTRY_ADDR /m);
    });
  });

  describe('--catalogue', () => {
    it('a user catalogue that knows MTM2MS and Rotator changes the results', () => {
      const shipped = JSON.parse(readFileSync(join(ROOT, 'src', 'core', 'catalogue', 'sal-components.json'), 'utf8')) as {
        components: { name: string }[];
        retired?: { name: string }[];
      };
      const mine = {
        components: [...shipped.components, { name: 'MTM2MS' }, { name: 'Rotator' }],
        retired: (shipped.retired ?? []).filter((r) => r.name !== 'Rotator'),
      };
      const dir = workDir([], { 'my-catalogue.json': JSON.stringify(mine) });
      const before = runCli(['--format', 'json', 'legacy.yaml']);
      const after = runCli(['--format', 'json', '--catalogue', join(dir, 'my-catalogue.json'), 'legacy.yaml']);
      const codes = (out: string) => (JSON.parse(out) as { code: string }[]).map((d) => d.code);
      assert.ok(codes(before.stdout).includes('csc-unknown'));
      assert.equal(before.code, 1);
      assert.ok(!codes(after.stdout).includes('csc-unknown'), after.stdout);
      // Shipped: Rotator and Hexapod are not in the image's ts_xml (errors). Own file: used as
      // written for every producer, so only Hexapod and AtMCS are still retired (warnings).
      const gone = (out: string) => codes(out).filter((c) => c === 'csc-retired' || c === 'csc-not-in-image');
      assert.deepEqual(gone(before.stdout), ['csc-not-in-image', 'csc-not-in-image', 'csc-retired']);
      assert.deepEqual(gone(after.stdout), ['csc-retired', 'csc-retired']);
      // What remains as an error is the duplicate ATDome, which stops the producer whatever the catalogue.
      const errors = (JSON.parse(after.stdout) as { code: string; severity: string }[]).filter((d) => d.severity === 'error').map((d) => d.code);
      assert.deepEqual(errors, ['csc-duplicate']);
      assert.equal(after.code, 1);
    });

    it('a catalogue that is not JSON or lacks components: exit 2 with a clear message', () => {
      const dir = workDir([], { 'bad.json': '{ nope', 'shape.json': '{"components": 3}' });
      const notJson = runCli(['--catalogue', join(dir, 'bad.json'), 'legacy.yaml']);
      assert.equal(notJson.code, 2);
      assert.match(notJson.stderr, /catalogue .*bad\.json is not valid JSON/);
      const shape = runCli(['--catalogue', join(dir, 'shape.json'), 'legacy.yaml']);
      assert.equal(shape.code, 2);
      assert.match(shape.stderr, /catalogue .*shape\.json cannot be used: expected an object with a "components" array/);
      const missing = runCli(['--catalogue', 'no-such-catalogue.json', 'legacy.yaml']);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /cannot read no-such-catalogue\.json: no such file/);
      for (const r of [notJson, shape, missing]) assert.equal(r.stdout, '');
    });
  });
  describe('Argo CD kafka-producers values files', () => {
    const VALUES = join(ROOT, 'test', 'fixtures', 'values', 'kafka-producers');

    it('salkafka-lint values.yaml values-summit.yaml: CSC findings of the merged site file, no compose-* finding', () => {
      const dir = join(workDir([]), 'apps', 'kafka-producers');
      mkdirSync(dir, { recursive: true });
      for (const name of ['values.yaml', 'values-summit.yaml']) copyFileSync(join(VALUES, name), join(dir, name));
      const r = runCli(['--format', 'json', 'values.yaml', 'values-summit.yaml'], dir);
      assert.equal(r.code, 1, r.stderr);
      const found = JSON.parse(r.stdout) as { file: string; line: number; column: number; code: string; message: string }[];
      assert.deepEqual(found.filter((d) => d.file === 'values.yaml'), [], 'the chart defaults are clean');
      const summit = found.filter((d) => d.file === 'values-summit.yaml');
      assert.deepEqual(found.filter((d) => /^(compose|env|container)-/.test(d.code)), []);
      const source = readFileSync(join(dir, 'values-summit.yaml'), 'utf8').split('\n');
      const unknown = summit.find((d) => d.code === 'csc-unknown')!;
      assert.equal(source[unknown.line - 1].slice(unknown.column - 1, unknown.column - 1 + 'WeatherForcast'.length), 'WeatherForcast');
      assert.ok(summit.some((d) => d.code === 'csc-duplicate'));
      assert.equal(summit.filter((d) => d.code === 'csc-in-multiple-producers').length, 2);
    });

    it('a values file elsewhere is recognised by its content', () => {
      const dir = workDir([], { 'site.yaml': readFileSync(join(VALUES, 'values-summit.yaml'), 'utf8') });
      const r = runCli(['site.yaml'], dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^site\.yaml:\d+:\d+ error csc-unknown Unknown SAL component "WeatherForcast"/m);
      assert.doesNotMatch(r.stdout, /compose-unknown-key/);
    });
  });
});
