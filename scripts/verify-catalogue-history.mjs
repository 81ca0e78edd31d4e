// Opt-in check (not part of `npm test`: CI has no copies of the repositories) that the shipped
// src/core/catalogue/sal-history.json is what the generator makes from the real repositories,
// and that it agrees with facts read straight from their git history.
//
//   node scripts/verify-catalogue-history.mjs <ts_xml git dir> <ts_cycle_build git dir>
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const [xmlDir, cycleDir] = process.argv.slice(2);
if (!xmlDir || !cycleDir) {
  console.error('usage: node scripts/verify-catalogue-history.mjs <ts_xml git dir> <ts_cycle_build git dir>');
  process.exit(2);
}
const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
let failed = 0;
const check = (what, ok, detail = '') => {
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failed++;
};

// 1. Regenerate and compare with the shipped file (the source line names commits; ignored).
const tmp = mkdtempSync(join(tmpdir(), 'catalogue-history-'));
try {
  const out = join(tmp, 'sal-history.json');
  execFileSync(process.execPath, [resolve('scripts/update-catalogue-history.mjs'), xmlDir, cycleDir, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  const strip = (j) => ({ ...j, source: undefined });
  const made = strip(JSON.parse(readFileSync(out, 'utf8')));
  const shipped = strip(JSON.parse(readFileSync('src/core/catalogue/sal-history.json', 'utf8')));
  check('the generator reproduces the shipped sal-history.json', JSON.stringify(made) === JSON.stringify(shipped));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// 2. Facts straight from git, against the shipped data.
const data = JSON.parse(readFileSync('src/core/catalogue/sal-history.json', 'utf8'));
const xmlAt = (tag) => {
  const path = git(xmlDir, 'ls-tree', '-r', '--name-only', tag).split('\n').find((f) => f.endsWith('sal_interfaces/SALSubsystems.xml'));
  return git(xmlDir, 'show', `${tag}:${path}`);
};
const listed = (tag, name) => xmlAt(tag).includes(`<Name>${name}</Name>`);
const exists = (name, version) => {
  const i = data.versions.indexOf(version);
  return data.components[name]?.r.some(([a, b]) => a <= i && i <= b) ?? false;
};
for (const [name, tag] of [['Rotator', 'v6.2.1'], ['MTRotator', 'v7.0.0'], ['WeatherStation', 'v7.0.0'], ['WeatherStation', 'v16.0.0'], ['ATArchiver', 'v15.0.0'], ['NewMTMount', 'v4.8.0'], ['ESS', 'v5.0.0']]) {
  check(`${name} in ${tag}`, listed(tag, name) && exists(name, tag.slice(1)));
}
for (const [name, tag] of [['Rotator', 'v7.0.0'], ['MTRotator', 'v6.2.1'], ['WeatherStation', 'v6.2.1'], ['WeatherStation', 'v17.0.0'], ['ATArchiver', 'v16.0.0'], ['NewMTMount', 'v4.7.0'], ['ESS', 'v4.8.0']]) {
  check(`${name} not in ${tag}`, !listed(tag, name) && !exists(name, tag.slice(1)));
}
const newestTag = `v${data.versions.at(-1)}`;
const newestNames = [...xmlAt(newestTag).matchAll(/<Name>([^<]+)<\/Name>/g)].map((m) => m[1]).sort();
const shippedNewest = Object.keys(data.components).filter((n) => data.components[n].r.at(-1)[1] === data.versions.length - 1).sort();
check(`names of ${newestTag} = the shipped newest release`, JSON.stringify(newestNames) === JSON.stringify(shippedNewest), `${newestNames.length} names`);
for (const [tag, version] of [['c0015', '6.2.1'], ['c0017.000', '7.1.0'], ['c0026.000', '12.0.0']]) {
  const env = git(cycleDir, 'show', `${tag}:cycle/cycle.env`);
  const xml = /^ts_xml=(\S+)/m.exec(env)?.[1];
  const cycle = data.cycles[tag.split('.')[0]];
  check(`${tag}: cycle.env says ts_xml=${xml}`, xml === version && (cycle === version || (Array.isArray(cycle) && cycle.some(([, v]) => v === version))));
}
console.log(failed ? `${failed} check(s) failed` : 'all checks passed');
process.exit(failed ? 1 : 0);
