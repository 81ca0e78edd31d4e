/**
 * Proposes judgements for the findings the bench lists as unjudged, where the evidence is
 * mechanical and read from the mirrors at run time:
 *  - variable-unset: is the variable set by an env file in the file's directory or a parent
 *    directory of the same commit, or by the shell (PWD, HOME)?
 *  - csc-retired / csc-unknown / csc-not-in-image: is the name in SALSubsystems.xml of the ts_xml
 *    inside the producer's image (tag → cycle → ts_cycle_build cycle/cycle.env → ts_xml tag; or _xml_vX)?
 *  - compose-undeclared-volume / compose-undefined-service: does docker-compose 1.29.2 `config -q`,
 *    run in the same materialised directory, refuse the file naming that volume or service?
 * Everything else is left for a person. Prints JSON to merge into judgements.json after review:
 *   node out/bench/corpus.js --unjudged /tmp/stubs.json && node out/bench/corpus/propose.js /tmp/stubs.json > /tmp/proposed.json
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { parseEnvFile } from '../../src/core/compose/envFile';
import { parseCompose } from '../../src/core/compose/parseCompose';
import type { Variables } from '../../src/core/compose/model';
import { parseValues } from '../../src/core/values/parseValues';
import { gitDir } from './harvest';

const SCRATCH = process.env.SALKAFKA_CORPUS_DIR ?? join(tmpdir(), 'salkafka-corpus');
const SHELL_VARIABLES = new Set(['PWD', 'HOME', 'USER', 'HOSTNAME', 'SHELL', 'UID']);

interface Stub {
  context: string;
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', ['-C', gitDir(repo), ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Env files of the file's directory and each parent inside the materialised commit tree, nearest last. */
function envFilesAround(root: string, file: string): { path: string; vars: Variables }[] {
  const dirs: string[] = [];
  for (let d = dirname(file); d.startsWith(root); d = dirname(d)) dirs.unshift(d);
  const out: { path: string; vars: Variables }[] = [];
  for (const d of dirs) {
    for (const name of readdirSync(d).sort()) {
      if (name === '.env' || name.endsWith('.env')) out.push({ path: relative(dirname(file), join(d, name)) || name, vars: parseEnvFile(readFileSync(join(d, name), 'utf8')) });
    }
  }
  return out;
}

const xmlNames = new Map<string, Set<string> | undefined>();
/** SAL component names of a ts_xml release: SALSubsystems.xml plus the per-CSC interface directories. */
function namesOf(version: string): Set<string> | undefined {
  if (xmlNames.has(version)) return xmlNames.get(version);
  const repo = 'lsst-ts/ts_xml';
  const tag = [`v${version}`, version].find((t) => {
    try {
      git(repo, ['rev-parse', '--verify', '--quiet', `${t}^{commit}`]);
      return true;
    } catch {
      return false;
    }
  });
  let names: Set<string> | undefined;
  if (tag) {
    const files = git(repo, ['ls-tree', '-r', '--name-only', tag]).split('\n');
    const subsystems = files.find((f) => f.endsWith('SALSubsystems.xml'));
    names = new Set<string>();
    if (subsystems) for (const m of git(repo, ['show', `${tag}:${subsystems}`]).matchAll(/<Name>\s*([^<\s]+)\s*<\/Name>/g)) names.add(m[1]);
    for (const f of files) {
      const m = /sal_interfaces\/([A-Za-z0-9]+)\/\1_(Commands|Events|Telemetry)\.xml$/.exec(f);
      if (m) names.add(m[1]);
    }
  }
  xmlNames.set(version, names);
  return names;
}

let cycleMap: Map<string, string> | undefined;
/**
 * Cycle → ts_xml from every version of ts_cycle_build's cycle/cycle.env, oldest first, so
 * the last state of a cycle wins (release tags start at c0014; c0010–c0013 have none).
 */
function cycleToXml(): Map<string, string> {
  if (cycleMap) return cycleMap;
  cycleMap = new Map();
  const repo = 'lsst-ts/ts_cycle_build';
  for (const commit of git(repo, ['log', '--all', '--reverse', '--format=%H', '--', 'cycle/cycle.env']).split('\n').filter(Boolean)) {
    let text: string;
    try {
      text = git(repo, ['show', `${commit}:cycle/cycle.env`]);
    } catch {
      continue;
    }
    const cycle = /^CYCLE=(c\d{4})/m.exec(text)?.[1];
    const xml = /^ts_xml=v?(\S+)/m.exec(text)?.[1];
    if (cycle && xml) cycleMap.set(cycle, xml);
  }
  return cycleMap;
}

/**
 * ts_xml version of an image tag: `…_xml_v4.7.0`, `…_xml4.2rev0`, the ts_Dockerfiles
 * `salkafka_salobj_idl_sal_xml` form (`v1.1.3_5.15.0_1.2.2_4.1.1_6.0.0`), or a cycle `c0017`.
 */
function xmlOfTag(tag: string): string | undefined {
  const direct = /_xml_?v?(\d+\.\d+(?:\.\d+|rev\d+)?)/.exec(tag);
  if (direct) return direct[1];
  const five = /^v[\w.]+_(\d+\.\d+\.\d+)_(\d+\.\d+\.\d+)_(\d+\.\d+\.\d+)_(\d+\.\d+\.\d+)$/.exec(tag);
  if (five) return five[4];
  const cycle = /^(c\d{4})/.exec(tag)?.[1];
  return cycle ? cycleToXml().get(cycle) : undefined;
}

function firstVersionWith(name: string, after: string): string | undefined {
  const tags = git('lsst-ts/ts_xml', ['tag', '--list', 'v*']).split('\n').filter((t) => /^v\d+\.\d+\.\d+$/.test(t));
  const num = (v: string) => v.replace(/^v/, '').split('.').map(Number);
  const cmp = (a: string, b: string) => {
    const x = num(a);
    const y = num(b);
    return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
  };
  return tags.sort(cmp).find((t) => cmp(t, after) > 0 && namesOf(t.slice(1))?.has(name))?.slice(1);
}

function imageAtLine(repo: string, file: string, line: number, root: string): string | undefined {
  const text = readFileSync(file, 'utf8');
  const offsetOfLine = text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
  const inLine = (r: { start: number; end: number }) => r.start >= offsetOfLine && r.start <= offsetOfLine + (text.split('\n')[line - 1] ?? '').length;
  if (repo === 'lsst-ts/argocd-csc') {
    const basePath = join(dirname(file), 'values.yaml');
    const base = /values-[^/]+\.ya?ml$/.test(file) && existsSync(basePath) ? { text: readFileSync(basePath, 'utf8') } : undefined;
    const values = parseValues({ text, base });
    const p = values.producers.find((p) => p.service.cscList?.tokens.some((t) => t.range.end <= text.length && inLine(t.range)));
    return p?.service.image?.interpolated;
  }
  const vars = Object.assign({}, ...envFilesAround(root, file).map((e) => e.vars)) as Variables;
  const model = parseCompose(text, { variables: vars });
  const s = model.services.find((s) => s.cscList?.tokens.some((t) => inLine(t.range)) || (s.cscList && inLine(s.cscList.entry.range)));
  return s?.image?.interpolated;
}

/**
 * values.yaml is never deployed alone: each site file of the same commit merges over it, with
 * its own image. A name there is fine when every site that runs the producer has it.
 */
function judgeBaseValues(file: string, line: number, name: string): { verdict: boolean; why: string } | undefined {
  const text = readFileSync(file, 'utf8');
  const lineStart = text.split('\n').slice(0, line - 1).join('\n').length + 1;
  const producer = parseValues({ text }).producers.find((p) => p.service.cscList?.tokens.some((t) => t.range.start >= lineStart && t.range.start < lineStart + 200 && t.name === name));
  if (!producer) return undefined;
  const lacking: string[] = [];
  const having: string[] = [];
  for (const site of readdirSync(dirname(file)).filter((f) => /^values-.+\.ya?ml$/.test(f)).sort()) {
    const merged = parseValues({ text: readFileSync(join(dirname(file), site), 'utf8'), base: { text } });
    const p = merged.producers.find((q) => q.name === producer.name);
    if (!p || p.cscsOrigin !== 'base' || !p.service.image) continue;
    const tag = p.service.image.interpolated.split(':').pop()!;
    const xml = xmlOfTag(tag);
    const names = xml ? namesOf(xml) : undefined;
    if (!names?.size) return undefined;
    (names.has(name) ? having : lacking).push(`${site} (${tag}, ts_xml ${xml})`);
  }
  if (!having.length && !lacking.length) return undefined;
  return lacking.length
    ? { verdict: true, why: `${name} (producer ${producer.name}) is not in the image of ${lacking.join(', ')}: that site's producer cannot read it` }
    : { verdict: false, why: `${name} (producer ${producer.name}) is in the ts_xml of every site image that runs it: ${having.join(', ')}` };
}

/**
 * A name a values-<env>.yaml inherits from values.yaml: merged as Helm does, which producers
 * that run here list it, and does each one's image carry it?
 */
function judgeInherited(file: string, name: string): { verdict: boolean; why: string } | undefined {
  const basePath = join(dirname(file), 'values.yaml');
  if (!existsSync(basePath)) return undefined;
  const merged = parseValues({ text: readFileSync(file, 'utf8'), base: { text: readFileSync(basePath, 'utf8') } });
  const lacking: string[] = [];
  const having: string[] = [];
  for (const p of merged.producers) {
    if (!p.service.cscList?.tokens.some((t) => t.name === name) || !p.service.image) continue;
    const tag = p.service.image.interpolated.split(':').pop()!;
    const xml = xmlOfTag(tag);
    const names = xml ? namesOf(xml) : undefined;
    if (!names?.size) return undefined;
    (names.has(name) ? having : lacking).push(`${p.name} (${tag}, ts_xml ${xml})`);
  }
  if (lacking.length) return { verdict: true, why: `values.yaml of the same commit gives ${name} to ${lacking.join(', ')}, which this site runs: that image lacks it, so the producer cannot start` };
  if (having.length) return { verdict: false, why: `every producer of this site that lists ${name} has it in its image: ${having.join(', ')}` };
  return undefined;
}

/** docker-compose's own verdict on the file in its materialised directory: true when it refuses it naming `token`. */
function judgeByDockerCompose(file: string, token: string): { verdict: boolean; why: string } | undefined {
  const r = spawnSync('docker-compose', ['-f', basename(file), 'config', '-q'], { cwd: dirname(file), encoding: 'utf8', timeout: 60_000 });
  if (r.error) return undefined;
  const reason = r.stderr
    .split('\n')
    .filter((l) => l.trim() && !/variable is not set/.test(l))
    .join(' ')
    .trim();
  const name = token.split(':')[0];
  if (r.status !== 0 && reason.includes(name)) return { verdict: true, why: `docker-compose 1.29.2 config refuses the file: ${reason.slice(0, 200)}` };
  return { verdict: false, why: r.status === 0 ? 'docker-compose 1.29.2 config accepts the file' : `docker-compose refuses it for another reason: ${reason.slice(0, 200)}` };
}

function main(): void {
  const stubs = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Record<string, Stub>;
  const out: Record<string, { verdict: boolean; why: string }> = {};
  for (const [id, stub] of Object.entries(stubs)) {
    const repo = id.slice(0, id.indexOf(':'));
    const [, commit, where] = stub.context.split(' ');
    const m = /^(.*):(\d+):(\d+)$/.exec(where);
    if (!m) continue;
    const [, path, line] = m;
    const root = join(SCRATCH, repo.replace('/', '+'), commit.slice(0, 12));
    const file = join(root, path);
    const code = id.split(' ')[1];
    const token = id.split(' ').slice(2).join(' ');
    if (code === 'variable-unset') {
      const name = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(token)?.[1];
      if (!name) continue;
      if (SHELL_VARIABLES.has(name)) {
        out[id] = { verdict: false, why: `${name} is set by the shell that runs docker-compose` };
        continue;
      }
      const setIn = envFilesAround(root, file).filter((e) => name in e.vars).map((e) => e.path);
      const header = readFileSync(file, 'utf8').split('\n').slice(0, 10).join('\n');
      out[id] = setIn.length
        ? { verdict: false, why: `set in ${setIn.join(', ')} of the same commit${/environment files/i.test(header) ? ', which the file header says to source' : ''}` }
        : { verdict: true, why: 'no env file of the commit (file dir or parents) sets it; docker-compose substitutes an empty string' };
      continue;
    }
    if (code === 'compose-undeclared-volume' || code === 'compose-undefined-service') {
      const j = judgeByDockerCompose(file, token);
      if (j) out[id] = j;
      continue;
    }
    if (code !== 'csc-retired' && code !== 'csc-unknown' && code !== 'csc-not-in-image') continue;
    const inherited = /<- (\S+)$/.exec(token)?.[1];
    if (inherited) {
      const j = judgeInherited(file, inherited);
      if (j) out[id] = j;
      continue;
    }
    const name = token.split(':')[0];
    if (repo === 'lsst-ts/argocd-csc' && /(^|\/)values\.ya?ml$/.test(path)) {
      const j = judgeBaseValues(file, Number(line), name);
      if (j) out[id] = j;
      continue;
    }
    const image = imageAtLine(repo, file, Number(line), root);
    const tag = image?.split(':').pop();
    const xml = tag ? xmlOfTag(tag) : undefined;
    const names = xml ? namesOf(xml) : undefined;
    if (!names || names.size === 0) continue;
    if (names.has(name)) {
      out[id] = { verdict: false, why: `${name} is in ts_xml ${xml}, the version inside the producer's image (${image})` };
    } else {
      const later = firstVersionWith(name, xml!);
      out[id] = {
        verdict: true,
        why: `${name} is not in ts_xml ${xml} of the image (${image}): the producer cannot read it${later ? `; it first appears in ${later}${code === 'csc-retired' ? ", so the message's reason (retired) is wrong" : ''}` : ''}`,
      };
    }
  }
  console.log(JSON.stringify(out, null, 2));
}

main();
