// Regenerates src/core/catalogue/sal-history.json, the versioned SAL catalogue:
// which SAL components each ts_xml release knows, and which ts_xml each ts_cycle_build
// cycle ships. A producer can only read the CSCs of the ts_xml inside ITS image, so the
// checker needs every release, not just today's.
//
//   node scripts/update-catalogue-history.mjs <ts_xml git dir> <ts_cycle_build git dir>
//        [--out src/core/catalogue/sal-history.json] [--current src/core/catalogue/sal-components.json]
//
// Both arguments are git directories (bare or a checkout); only `git` is run on them.
// The retired names with their replacements (renames between releases, which no tag shows)
// are taken from the current catalogue (--current, kept by scripts/update-catalogue.mjs), so
// the extension ships this one file; its newest release must equal that catalogue.
// Sources:
//  - ts_xml's release notes (doc/version-history.rst at the newest tag): "Renamed A to B".
//  - ts_xml release tags vX.Y[.Z]: SALSubsystems.xml wherever it lives at that tag
//    (sal_interfaces/ before 14.0.0, python/lsst/ts/xml/data/sal_interfaces/ after),
//    plus the subsystem directories beside it (a directory of interface XML is readable
//    by a producer even when SALSubsystems.xml forgot the name, e.g. ATHexapod in 3.8).
//    Tags without SALSubsystems.xml (3.7.x) contribute their directories only.
//  - ts_cycle_build cycle/cycle.env in every commit of every branch: CYCLE=, rev=, ts_xml=.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';

const { values: opts, positionals } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, current: { type: 'string' } } });
const [xmlDir, cycleDir] = positionals;
if (!xmlDir || !cycleDir) {
  console.error('usage: node scripts/update-catalogue-history.mjs <ts_xml git dir> <ts_cycle_build git dir> [--out FILE] [--current sal-components.json]');
  process.exit(2);
}
const out = resolve(opts.out ?? 'src/core/catalogue/sal-history.json');
const current = JSON.parse(readFileSync(resolve(opts.current ?? 'src/core/catalogue/sal-components.json'), 'utf8'));

const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 256 << 20 });

// ---- ts_xml releases ------------------------------------------------------------------
/** "4.7.0" → [4,7,0]; "10.0" → [10,0,0]. */
const parts = (v) => v.split('.').map(Number).concat([0, 0, 0]).slice(0, 3);
const cmp = (a, b) => {
  const [x, y] = [parts(a), parts(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};

const tags = git(xmlDir, 'tag', '--list')
  .split('\n')
  .filter((t) => /^v\d+\.\d+(\.\d+)?$/.test(t))
  .map((t) => ({ tag: t, version: t.slice(1) }));
// v10.0 and v10.0.0 name the same release: keep the three-part spelling.
const byKey = new Map();
for (const t of tags) {
  const key = parts(t.version).join('.');
  const prev = byKey.get(key);
  if (!prev || t.version.split('.').length > prev.version.split('.').length) byKey.set(key, t);
}
const releases = [...byKey.values()].sort((a, b) => cmp(a.version, b.version));

const decode = (s) =>
  s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
const field = (block, name) => {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(block);
  return m ? decode(m[1]) : undefined;
};

/** @returns Map name → { description, index } for one tag. */
function componentsAt(tag) {
  const files = git(xmlDir, 'ls-tree', '-r', '--name-only', tag).split('\n');
  const xmlPath = files.find((f) => /(^|\/)sal_interfaces\/SALSubsystems\.xml$/.test(f));
  const base = xmlPath ? xmlPath.slice(0, -'SALSubsystems.xml'.length) : 'sal_interfaces/';
  const found = new Map();
  if (xmlPath) {
    const text = git(xmlDir, 'show', `${tag}:${xmlPath}`);
    for (const m of text.matchAll(/<(SALSubsystem|Subsystem)>([\s\S]*?)<\/\1>/g)) {
      const name = field(m[2], 'Name');
      if (!name) continue;
      const index = field(m[2], 'IndexEnumeration') ?? field(m[2], 'Enumeration') ?? '';
      found.set(name, { description: field(m[2], 'Description') ?? '', index: index === '' ? 'no' : index });
    }
  }
  // Subsystem directories holding interface XML (<dir>/<Name>_Commands.xml etc.).
  for (const f of files) {
    if (!f.startsWith(base)) continue;
    const m = /^([^/]+)\/\1_[A-Za-z]+\.xml$/.exec(f.slice(base.length));
    if (m && !found.has(m[1])) found.set(m[1], { description: '', index: xmlPath ? 'no' : undefined });
  }
  return found;
}

const versions = releases.map((r) => r.version);
/** name → { description (newest non-empty), present: bool[], index: [versionIdx, text][] } */
const names = new Map();
releases.forEach((r, vi) => {
  for (const [name, info] of componentsAt(r.tag)) {
    let n = names.get(name);
    if (!n) names.set(name, (n = { description: '', present: [], index: [] }));
    n.present[vi] = true;
    if (info.description) n.description = info.description;
    const last = n.index.at(-1);
    if (info.index !== undefined && (!last || last[1] !== info.index)) n.index.push([vi, info.index]);
  }
});

/** Inclusive [from, to] version-index ranges where present. */
function ranges(present) {
  const out = [];
  for (let i = 0; i < versions.length; i++) {
    if (!present[i]) continue;
    const last = out.at(-1);
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

const components = {};
for (const name of [...names.keys()].sort((a, b) => a.localeCompare(b, 'en'))) {
  const n = names.get(name);
  const entry = { r: ranges(n.present) };
  if (n.description) entry.d = n.description;
  // Index enumeration as [from version index, text] changes; omitted when never indexed.
  if (n.index.some(([, t]) => t !== 'no')) entry.i = n.index;
  components[name] = entry;
}

// ---- ts_cycle_build cycles --------------------------------------------------------------
/** cycle → rev → { version, date } (the newest commit wins for one cycle+rev). */
const cycles = new Map();
const log = git(cycleDir, 'log', '--all', '--format=%H %cI', '--', 'cycle/cycle.env').trim().split('\n');
for (const line of log) {
  const [commit, date] = line.split(' ');
  let text;
  try {
    text = git(cycleDir, 'show', `${commit}:cycle/cycle.env`);
  } catch {
    continue; // the commit deleted the file
  }
  const env = Object.fromEntries([...text.matchAll(/^\s*(?:export\s+)?([A-Za-z_]+)=\s*(\S*)/gm)].map((m) => [m[1], m[2]]));
  let cycle = env.CYCLE;
  const xml = env.ts_xml;
  if (!cycle || !xml) continue;
  if (/^\d+$/.test(cycle)) cycle = `c${cycle}`; // the very first commit wrote CYCLE=0010
  const rev = (env.rev ?? '').replace(/^\./, '').padStart(3, '0');
  const revs = cycles.get(cycle) ?? new Map();
  cycles.set(cycle, revs);
  const prev = revs.get(rev);
  if (!prev || prev.date < date) revs.set(rev, { version: xml.replace(/^v/, ''), date });
}
const cycleOut = {};
for (const cycle of [...cycles.keys()].sort()) {
  const revs = [...cycles.get(cycle).entries()].sort(([a], [b]) => a.localeCompare(b));
  // [rev, version] pairs where the version changes; most cycles have one.
  const changes = [];
  for (const [rev, { version }] of revs) if (changes.at(-1)?.[1] !== version) changes.push([rev, version]);
  cycleOut[cycle] = changes.length === 1 ? changes[0][1] : changes;
}

// ---- the current catalogue must be the newest release -----------------------------------
const last = versions.length - 1;
const newestNames = Object.keys(components).filter((n) => components[n].r.at(-1)[1] === last).sort();
const currentNames = current.components.map((c) => c.name).sort();
if (JSON.stringify(newestNames) !== JSON.stringify(currentNames)) {
  const only = (a, b) => a.filter((n) => !b.includes(n)).join(', ') || '-';
  console.error(`warning: ts_xml ${versions[last]} differs from the current catalogue: only in ${versions[last]}: ${only(newestNames, currentNames)}; only in the catalogue: ${only(currentNames, newestNames)}. Refresh it with scripts/update-catalogue.mjs.`);
}
// ---- renames written in ts_xml's release notes ---------------------------------------------
// "Renamed MTAlignment to LaserTracker. Made LaserTracker indexed." (15.0.0) renames a CSC
// with a new description, which the name/description heuristic cannot see. Kept only when both
// are component names and the new one first appears in the release right after the old one's last.
const renamed = {};
let notes = '';
for (const p of ['doc/version-history.rst', 'doc/version_history.rst']) {
  try {
    notes = git(xmlDir, 'show', `${releases.at(-1).tag}:${p}`);
    break;
  } catch {
    // not at this path in that release
  }
}
for (const m of notes.matchAll(/\bRenamed? (?:the )?(?:CSC )?`*([A-Za-z0-9]+)`* (?:CSC )?to `*([A-Za-z0-9]+)`*/g)) {
  const [from, to] = [components[m[1]], components[m[2]]];
  if (!from || !to || m[1] === m[2]) continue;
  const end = from.r.at(-1)[1];
  if (to.r[0][0] !== end + 1) continue;
  renamed[m[1]] = [m[2], versions[end + 1]];
}

const retired = Object.fromEntries(current.retired.map((r) => [r.name, r.replacement ?? null]).sort(([a], [b]) => a.localeCompare(b, 'en')));

const xmlHead = git(xmlDir, 'rev-parse', '--short=8', releases.at(-1).tag).trim();
const cycleHead = git(cycleDir, 'log', '-1', '--all', '--format=%h %cs', '--', 'cycle/cycle.env').trim();
const data = {
  source: `lsst-ts/ts_xml release tags ${versions[0]}–${versions.at(-1)} (${xmlHead}); lsst-ts/ts_cycle_build cycle/cycle.env history (${cycleHead})`,
  note: 'versions: ts_xml releases in order. components.<name>: r = inclusive [from,to] ranges of version indices where the name exists; d = description (newest non-empty); i = [from version index, IndexEnumeration] changes. cycles.<cycle>: ts_xml version, or [rev, version] changes when it changed within the cycle. renamed: old → [new, release], from the ts_xml release notes. retired: name → replacement (null: none), from the current catalogue (renames between releases included).',
  versions,
  components,
  cycles: cycleOut,
  renamed,
  retired,
};
// One component per line: small, and reviewable in a diff.
const json =
  '{\n' +
  Object.entries(data)
    .map(([k, v]) =>
      k === 'components' || k === 'cycles' || k === 'renamed' || k === 'retired'
        ? ` ${JSON.stringify(k)}: {\n` + Object.entries(v).map(([n, e]) => `  ${JSON.stringify(n)}: ${JSON.stringify(e)}`).join(',\n') + '\n }'
        : ` ${JSON.stringify(k)}: ${JSON.stringify(v)}`,
    )
    .join(',\n') +
  '\n}\n';
writeFileSync(out, json);
console.log(`catalogue history: ${versions.length} ts_xml versions (${versions[0]}–${versions.at(-1)}), ${Object.keys(components).length} names, ${Object.keys(cycleOut).length} cycles, ${json.length} bytes → ${out}`);
