// Differential test: our accept/refuse verdict against the real docker-compose (Debian's
// 1.29.2, installed by test/host/up.sh) for every compose fixture and seeded mutations of the
// realistic ones. "We refuse" means an error with a code in COMPOSE_REFUSAL_CODES. The
// docker-compose verdict never involves a daemon (see test/parity/dockerCompose.ts), so this
// suite does not need the test-host lock. With SALKAFKA_REQUIRE_HOST=1 a missing
// docker-compose fails the run; otherwise the suite is skipped with the reason printed.
// Reproduce with PARITY_SEED=<seed>, widen with PARITY_MUTANTS=<n>, focus with
// PARITY_ONLY=<mutation>,<mutation> (names in test/parity/mutations.ts).
import { strict as assert } from 'assert';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { basename, dirname, join, relative } from 'path';
import { defaultCatalogue } from '../../src/core/catalogue/defaultCatalogue';
import { parseEnvFile } from '../../src/core/compose/envFile';
import { refusedByCompose } from '../../src/core/lint/diagnostic';
import { lintCompose } from '../../src/core/lint/lint';
import { ComposeCase, dockerComposeVersion, findDockerCompose, sourcedEnv, verdictsOf } from '../parity/dockerCompose';
import { COMPOSE_MUTATIONS, mutants } from '../parity/mutations';
import { prng } from '../unit/prng';

const SEED = Number(process.env.PARITY_SEED ?? 0x0c0a9053);
const MUTANTS = Number(process.env.PARITY_MUTANTS ?? 140);
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures');

interface Case {
  label: string;
  text: string;
  /** Files to place beside the compose file (.env, startup.sh…) and the parent's setup.env. */
  dir: string;
}

function composeFixtures(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) out.push(p);
    }
  };
  walk(FIXTURES);
  return out;
}

/** The parent's setup.env when the file's header asks for it (the summit convention). */
function envFilesFor(dir: string): string[] {
  return [join(dir, '..', 'setup.env'), join(dir, 'setup.env')].filter(existsSync);
}

describe('docker-compose parity (differential test against the real docker-compose)', function () {
  this.timeout(600_000);
  let binary: string;

  before(async function () {
    const found = findDockerCompose();
    if (!found) {
      const why = 'docker-compose not found on PATH (test/host/up.sh installs Debian’s docker-compose)';
      if (process.env.SALKAFKA_REQUIRE_HOST === '1') throw new Error(why);
      console.warn(`\n  !!! SKIPPING docker-compose parity: ${why}\n`);
      this.skip();
    }
    binary = found!;
    console.log(`    using ${binary} ${await dockerComposeVersion(binary)}`);
  });

  it(`same accept/refuse verdict on every fixture and ${MUTANTS} mutants (seed ${SEED})`, async () => {
    const fixtures = composeFixtures();
    const cases: Case[] = fixtures.map((p) => ({ label: relative(FIXTURES, p), text: readFileSync(p, 'utf8'), dir: dirname(p) }));
    // Mutate the fixtures docker-compose accepts (realistic, complete files); every mutation at least once.
    const rnd = prng(SEED);
    const bases = Object.fromEntries(
      fixtures.filter((p) => !/^# parity: refused$/m.test(readFileSync(p, 'utf8').split('\n').slice(0, 5).join('\n'))).map((p) => [relative(FIXTURES, p), readFileSync(p, 'utf8')]),
    );
    const everyOnce = Object.keys(COMPOSE_MUTATIONS).map((name) => {
      for (const base of Object.keys(bases)) {
        const text = COMPOSE_MUTATIONS[name](bases[base], rnd);
        if (text !== undefined && text !== bases[base]) return { base, mutation: name, text };
      }
      throw new Error(`mutation ${name} applies to no base file`);
    });
    const only = process.env.PARITY_ONLY?.split(',').filter(Boolean);
    for (const m of [...everyOnce, ...mutants(bases, rnd, MUTANTS, only)]) {
      cases.push({ label: `${m.base} + ${m.mutation}`, text: m.text, dir: join(FIXTURES, dirname(m.base)) });
    }

    // Each case in its own copy of its directory, so docker-compose sees .env, startup.sh, ../setup.env.
    const scratch = mkdtempSync(join(tmpdir(), 'salkafka-parity-test-'));
    try {
      const composeCases: ComposeCase[] = [];
      const ours: boolean[] = [];
      const reasons: string[] = [];
      const catalogue = defaultCatalogue();
      cases.forEach((c, i) => {
        const root = join(scratch, String(i));
        const dir = join(root, 'kafka_writers');
        mkdirSync(dir, { recursive: true });
        for (const name of readdirSync(c.dir)) if (statSync(join(c.dir, name)).isFile() && !/\.ya?ml$/.test(name)) copyFileSync(join(c.dir, name), join(dir, name));
        const envFiles = envFilesFor(c.dir).map((f) => {
          const to = join(basename(dirname(f)) === basename(c.dir) ? dir : root, basename(f));
          copyFileSync(f, to);
          return to;
        });
        writeFileSync(join(dir, 'docker-compose.yaml'), c.text);
        const env = sourcedEnv(envFiles, dir);
        composeCases.push({ file: 'docker-compose.yaml', cwd: dir, env });
        const dotEnv = existsSync(join(dir, '.env')) ? parseEnvFile(readFileSync(join(dir, '.env'), 'utf8')) : {};
        const refusals = lintCompose(c.text, { catalogue, variables: { ...dotEnv, ...env } }).diagnostics.filter(refusedByCompose);
        ours.push(refusals.length > 0);
        reasons.push(refusals.map((d) => `${d.code}: ${d.message}`).join(' | '));
      });
      const started = Date.now();
      const theirs = await verdictsOf(binary, composeCases, 2);
      const seconds = (Date.now() - started) / 1000;
      const disagreements = cases
        .map((c, i) => ({ c, i }))
        .filter(({ i }) => theirs[i].accepted === ours[i])
        .map(({ c, i }) => `  ${c.label}: docker-compose ${theirs[i].accepted ? 'accepts' : `refuses (${theirs[i].reason})`}, we ${ours[i] ? `refuse (${reasons[i]})` : 'accept'}`);
      const refused = theirs.filter((v) => !v.accepted).length;
      console.log(
        `    ${cases.length} files (${fixtures.length} fixtures, ${cases.length - fixtures.length} mutants): docker-compose refuses ${refused}, accepts ${cases.length - refused}; ` +
          `same verdict on ${cases.length - disagreements.length}/${cases.length} (${seconds.toFixed(1)} s of docker-compose)`,
      );
      assert.ok(refused > cases.length / 5 && refused < cases.length - cases.length / 5, `the mutants should be a mix of refused and accepted files (${refused} refused)`);
      assert.deepEqual(disagreements, [], `verdicts differ (seed ${SEED}):\n${disagreements.join('\n')}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
