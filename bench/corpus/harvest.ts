/**
 * Collects every historical version of the real kafka_writers compose files and argocd-csc
 * kafka-producers values files from the mirrors (read-only git dirs), and materialises, for
 * each version, its own commit's tree of that directory and of each parent directory, so
 * the checker runs as a user would: `cd kafka_writers && salkafka-lint docker-compose.yaml`.
 * Reads the mirrors at run time only; nothing from them is committed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';

/** Public repositories' git dirs, in .mirror beside the checkout unless SALKAFKA_MIRRORS says (benches run from the repository root). */
export const MIRRORS = process.env.SALKAFKA_MIRRORS ?? join(process.cwd(), '..', '.mirror');

export interface Source {
  repo: string;
  /** Directories whose compose / values files are collected. */
  dirs: string[];
  /** Which files of those directories (by name). */
  files: RegExp;
}

export const SOURCES: Source[] = [
  { repo: 'lsst-it/docker-compose-ops', dirs: ['kafka_writers', 'summit/kafka_writers', 'EFD', 'AT_EFD'], files: /\.ya?ml$/ },
  { repo: 'lsst-ts/ts_Dockerfiles', dirs: ['Compose/NCSA/kafka_writers', 'Compose/TucsonTestStand/kafka_writers'], files: /\.ya?ml$/ },
  { repo: 'lsst-ts/argocd-csc', dirs: ['apps/kafka-producers'], files: /^values.*\.ya?ml$/ },
];

export interface CorpusFile {
  repo: string;
  path: string;
  blob: string;
  /** The oldest commit holding this version of the file (with this base, when `base` is set). */
  commit: string;
  /**
   * For a values-<env>.yaml: the blob of the values.yaml it is deployed merged over, when that
   * differs from the one of the first commit holding this version. Helm merges the two, so a
   * change of values.yaml alone changes what the site runs: each pairing is checked once.
   */
  base?: string;
  date: string;
  /** The file inside its materialised tree. */
  file: string;
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', ['-C', gitDir(repo), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

function gitBytes(repo: string, args: string[]): Buffer {
  return execFileSync('git', ['-C', gitDir(repo), ...args], { maxBuffer: 1 << 28 });
}

export function gitDir(repo: string): string {
  return join(MIRRORS, repo.replace('/', '+'), 'repo');
}

/** Every (path, blob) of the sources, each with the oldest commit that has it. */
export function listVersions(): Omit<CorpusFile, 'file'>[] {
  const out: Omit<CorpusFile, 'file'>[] = [];
  for (const src of SOURCES) {
    if (!existsSync(gitDir(src.repo))) throw new Error(`mirror of ${src.repo} not found at ${gitDir(src.repo)}`);
    for (const dir of src.dirs) {
      const seen = new Map<string, Omit<CorpusFile, 'file'>>();
      const firstBase = new Map<string, string>();
      // Oldest first, so the first commit seen with a blob is the one that introduced it.
      const log = git(src.repo, ['log', '--all', '--reverse', '--format=%H %cI', '--', `${dir}/`]).trim().split('\n').filter(Boolean);
      for (const line of log) {
        const [commit, date] = line.split(' ');
        const tree = git(src.repo, ['ls-tree', commit, '--', `${dir}/`]).trim().split('\n').filter(Boolean);
        // values.yaml of each directory at this commit: the base a values-<env>.yaml merges over.
        const baseOf = new Map<string, string>();
        for (const row of tree) {
          const [meta, path] = row.split('\t');
          if (/(^|\/)values\.ya?ml$/.test(path)) baseOf.set(posix.dirname(path), meta.split(' ')[2]);
        }
        for (const row of tree) {
          const [meta, path] = row.split('\t');
          const [, type, blob] = meta.split(' ');
          if (type !== 'blob' || !src.files.test(posix.basename(path))) continue;
          const key = `${path}\u0000${blob}`;
          if (!seen.has(key)) seen.set(key, { repo: src.repo, path, blob, commit, date });
          const base = baseOf.get(posix.dirname(path));
          if (!base || !/(^|\/)values-[^/]+\.ya?ml$/.test(path)) continue;
          const first = firstBase.get(key) ?? (firstBase.set(key, base), base);
          const pairKey = `${key}\u0000${base}`;
          if (base !== first && !seen.has(pairKey)) seen.set(pairKey, { repo: src.repo, path, blob, commit, date, base });
        }
      }
      out.push(...seen.values());
    }
  }
  return out;
}

/**
 * Writes the commit's files of the file's directory (recursively) and of each parent
 * directory (files only) under `scratch/<repo>/<commit>/`; returns the file's path there.
 */
export function materialise(scratch: string, v: Omit<CorpusFile, 'file'>): string {
  const root = join(scratch, v.repo.replace('/', '+'), v.commit.slice(0, 12));
  const dir = posix.dirname(v.path);
  const stamp = join(root, '.materialised-' + dir.replace(/\//g, '_'));
  if (!existsSync(stamp)) {
    const rows: string[] = [];
    rows.push(...git(v.repo, ['ls-tree', '-r', v.commit, '--', `${dir}/`]).trim().split('\n'));
    for (let d = posix.dirname(dir); ; d = posix.dirname(d)) {
      const prefix = d === '.' ? [] : ['--', `${d}/`];
      rows.push(...git(v.repo, ['ls-tree', v.commit, ...prefix]).trim().split('\n'));
      if (d === '.' || d === '/') break;
    }
    for (const row of rows.filter(Boolean)) {
      const [meta, path] = row.split('\t');
      const [, type, blob] = meta.split(' ');
      if (type !== 'blob') continue;
      const target = join(root, path);
      if (existsSync(target)) continue;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, gitBytes(v.repo, ['cat-file', 'blob', blob]));
    }
    mkdirSync(root, { recursive: true });
    writeFileSync(stamp, '');
  }
  return join(root, v.path);
}

export function harvest(scratch: string): CorpusFile[] {
  return listVersions().map((v) => ({ ...v, file: materialise(scratch, v) }));
}
