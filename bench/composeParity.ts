// docker-compose parity over the real kafka_writers history: every version of the compose files
// in lsst-it/docker-compose-ops (kafka_writers/, summit/kafka_writers/, EFD/, AT_EFD/) and
// lsst-ts/ts_Dockerfiles (Compose/NCSA/kafka_writers/, Compose/TucsonTestStand/kafka_writers/),
// each checked out with its directory and the env files of its parent directories, checked by
// the real docker-compose (as an operator runs it: in the file's directory, after sourcing the
// env files its header names) and by lintCompose with the same variables. Prints how many files
// docker-compose accepts and refuses, our verdict for each, and every disagreement.
//
// Reads the public mirrors in .mirror beside the checkout at run time (SALKAFKA_MIRRORS to move them); not
// part of `npm test`. Run: npm run bench:parity (or node out/bench/composeParity.js [--keep] after compile-tests)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { defaultCatalogue } from '../src/core/catalogue/defaultCatalogue';
import { parseEnvFile } from '../src/core/compose/envFile';
import { refusedByCompose } from '../src/core/lint/diagnostic';
import { lintCompose } from '../src/core/lint/lint';
import { dockerComposeVersion, findDockerCompose, sourcedEnv, verdictsOf } from '../test/parity/dockerCompose';

const MIRRORS = process.env.SALKAFKA_MIRRORS ?? join(process.cwd(), '..', '.mirror');
const SOURCES = [
  { repo: 'lsst-it+docker-compose-ops', paths: ['kafka_writers', 'summit/kafka_writers', 'EFD', 'AT_EFD'] },
  { repo: 'lsst-ts+ts_Dockerfiles', paths: ['Compose/NCSA/kafka_writers', 'Compose/TucsonTestStand/kafka_writers'] },
];

interface Version {
  label: string;
  /** Checkout root of this version. */
  root: string;
  /** The compose file, relative to root. */
  file: string;
  /** Env files an operator sources first (header comment, else setup.env), relative to root. */
  envFiles: string[];
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function gitBlob(repo: string, commit: string, path: string): Buffer | undefined {
  try {
    return execFileSync('git', ['-C', repo, 'cat-file', 'blob', `${commit}:${path}`], { maxBuffer: 64 << 20 });
  } catch {
    return undefined; // absent from the mirror (large files are not fetched)
  }
}

/** Every (commit, compose file) where the commit added or changed the file. */
function versionsOf(repo: string, paths: string[]): { commit: string; file: string }[] {
  const out: { commit: string; file: string }[] = [];
  let commit = '';
  for (const line of git(repo, ['log', '--all', '--diff-filter=AMR', '--name-only', '--format=C %H', '--', ...paths]).split('\n')) {
    if (line.startsWith('C ')) commit = line.slice(2);
    else if (/(^|\/)docker-compose[^/]*\.ya?ml$/.test(line)) out.push({ commit, file: line });
  }
  return out;
}

/** Names in the "Using this file requires the following environment files" header. */
function headerEnvFiles(text: string): string[] {
  return text
    .split('\n')
    .slice(0, 12)
    .map((l) => /^#\s*-\s*(\S+\.env)\s*$/.exec(l)?.[1])
    .filter((n): n is string => !!n);
}

function materialise(scratch: string): Version[] {
  const versions: Version[] = [];
  for (const { repo, paths } of SOURCES) {
    const dir = join(MIRRORS, repo, 'repo');
    if (!existsSync(dir)) throw new Error(`mirror not found: ${dir} (set SALKAFKA_MIRRORS)`);
    for (const { commit, file } of versionsOf(dir, paths)) {
      const root = join(scratch, `${repo.split('+')[1]}-${commit.slice(0, 8)}-${versions.length}`);
      const fileDir = dirname(file);
      mkdirSync(join(root, fileDir), { recursive: true });
      // The file's directory as committed, and the plain files (env files, README…) of each parent.
      for (const line of git(dir, ['ls-tree', '-r', commit, '--', fileDir + '/']).split('\n').filter(Boolean)) {
        const [, , type, , path] = /^(\S+) (\S+) (\S+)\t(.*)$/.exec(line) ?? [];
        if (type !== 'blob' || path.slice(fileDir.length + 1).includes('/')) continue;
        const blob = gitBlob(dir, commit, path);
        if (blob) writeFileSync(join(root, path), blob);
      }
      for (let parent = dirname(fileDir); ; parent = dirname(parent)) {
        const prefix = parent === '.' ? '' : parent + '/';
        for (const name of git(dir, ['ls-tree', '--name-only', commit, '--', prefix || '.']).split('\n')) {
          const path = name;
          if (!/(^|\/)(\.env|[^/]*\.env)$/.test(path)) continue;
          const blob = gitBlob(dir, commit, path);
          if (blob) {
            mkdirSync(join(root, dirname(path)), { recursive: true });
            writeFileSync(join(root, path), blob);
          }
        }
        if (parent === '.') break;
      }
      const text = readFileSync(join(root, file), 'utf8');
      const names = headerEnvFiles(text);
      const envFiles: string[] = [];
      for (const name of names.length ? names : ['setup.env']) {
        for (let d = fileDir; ; d = dirname(d)) {
          if (existsSync(join(root, d, name))) {
            envFiles.push(join(d, name));
            break;
          }
          if (d === '.') break;
        }
      }
      versions.push({ label: `${repo.split('+')[1]}@${commit.slice(0, 8)}:${file}`, root, file, envFiles });
    }
  }
  return versions;
}

/** The shell variables after `set -a; source …` of the env files, as bash computes them. */
function sourcedVariables(v: Version): Record<string, string> {
  return sourcedEnv(v.envFiles.map((f) => join(v.root, f)), v.root);
}

async function main(): Promise<void> {
  const binary = findDockerCompose();
  if (!binary) throw new Error('docker-compose not found on PATH (test/host/up.sh installs Debian’s docker-compose)');
  const version = await dockerComposeVersion(binary);
  const scratch = mkdtempSync(join(tmpdir(), 'salkafka-parity-'));
  try {
    const started = Date.now();
    const versions = materialise(scratch);
    const shell = versions.map(sourcedVariables);
    const cases = versions.map((v, i) => ({ file: relative(join(v.root, dirname(v.file)), join(v.root, v.file)), cwd: join(v.root, dirname(v.file)), env: shell[i] }));
    const verdicts = await verdictsOf(binary, cases, 2);
    const catalogue = defaultCatalogue();
    const rows = versions.map((v, i) => {
      const dotEnvPath = join(v.root, dirname(v.file), '.env');
      const dotEnv = existsSync(dotEnvPath) ? parseEnvFile(readFileSync(dotEnvPath, 'utf8')) : {};
      const text = readFileSync(join(v.root, v.file), 'utf8');
      const { diagnostics } = lintCompose(text, { catalogue, variables: { ...dotEnv, ...shell[i] } });
      const ours = diagnostics.filter(refusedByCompose);
      return { v, theirs: verdicts[i], ours, text };
    });
    const refused = rows.filter((r) => !r.theirs.accepted);
    const agree = rows.filter((r) => r.theirs.accepted === (r.ours.length === 0));
    console.log(`docker-compose ${version} vs salkafka-lint over ${rows.length} historical compose files (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    console.log(`  docker-compose accepts ${rows.length - refused.length}, refuses ${refused.length}`);
    console.log(`  we refuse (error with a docker-compose refusal code): ${rows.filter((r) => r.ours.length).length}`);
    console.log(`  same verdict: ${agree.length}/${rows.length} (${((100 * agree.length) / rows.length).toFixed(1)} %)`);
    console.log('\nFiles docker-compose refuses, its reason and ours:');
    for (const r of refused) {
      console.log(`  ${r.v.label}\n    docker-compose: ${r.theirs.reason}`);
      for (const d of r.ours.slice(0, 2)) console.log(`    ours: ${d.code} line ${r.text.slice(0, d.range.start).split('\n').length}: ${d.message}`);
      if (r.ours.length > 2) console.log(`    ours: (${r.ours.length - 2} more)`);
      if (!r.ours.length) console.log('    ours: (accepted)');
    }
    const disagreements = rows.filter((r) => !agree.includes(r));
    console.log(`\nDisagreements: ${disagreements.length}`);
    for (const r of disagreements) {
      console.log(`  ${r.v.label}: docker-compose ${r.theirs.accepted ? 'accepts' : 'refuses'}, we ${r.ours.length ? 'refuse' : 'accept'}`);
      for (const d of r.ours) console.log(`    ours: ${d.code}: ${d.message}`);
    }
    if (process.argv.includes('--keep')) console.log(`\nCheckouts kept in ${scratch}`);
    process.exitCode = disagreements.length ? 1 : 0;
  } finally {
    if (!process.argv.includes('--keep')) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`composeParity: ${(err as Error).message}`);
  process.exitCode = 2;
});
