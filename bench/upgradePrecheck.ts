/**
 * The cycle-upgrade pre-check over the real history: every lsst-ts/argocd-csc commit that changed
 * the image tag of an `apps/kafka-producers/values-<env>.yaml`. For each, the site file as it was
 * before the commit (merged over the values.yaml of that time, as deployed) is checked against
 * the tag the commit wrote, as an operator would have before making the change; then the
 * commit's own file, to see whether the commit kept what the check flags. Goal: the four CSC
 * mistakes the history records (AdamSensors on c0026, MTAlignment on c0029 at TTS and BTS,
 * Authorize on c0037) are flagged, and no other upgrade is.
 *
 *   npm run compile-tests && node out/bench/upgradePrecheck.js   (needs the argocd-csc mirror; SALKAFKA_MIRRORS)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultHistory } from '../src/core/catalogue/defaultCatalogue';
import { checkValuesAgainst } from '../src/core/upgrade/valuesCheck';
import type { ValuesCheck } from '../src/core/upgrade/valuesCheck';
import { MIRRORS } from './corpus/harvest';

const REPO = join(MIRRORS, 'lsst-ts+argocd-csc', 'repo');
const KNOWN_MISTAKES = ['1708968', 'a756b03', 'b696ed2', '7ee42e0'];

function git(...args: string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', REPO, ...args], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

/** The chart-wide tag the producers run (those without their own image.tag). */
function chartTags(c: ValuesCheck): string[] {
  return [...new Set(c.producers.filter((p) => !p.ownTag && p.tagBefore).map((p) => p.tagBefore!))];
}

function main(): void {
  if (!existsSync(REPO)) {
    console.error(`mirror not found: ${REPO} (set SALKAFKA_MIRRORS)`);
    process.exit(2);
  }
  const h = defaultHistory();
  const started = Date.now();
  const log = (git('log', '--format=%H %ad %s', '--date=short', '--', 'apps/kafka-producers') ?? '').trim().split('\n');
  let checked = 0;
  let unknownTarget = 0;
  const flagged: { sha: string; line: string; kept: boolean }[] = [];
  for (const entry of log) {
    const [sha, date, ...subject] = entry.split(' ');
    const files = (git('show', '--format=', '--name-only', sha, '--', 'apps/kafka-producers') ?? '').split('\n').filter((f) => /\/values-[^/]+\.ya?ml$/.test(f));
    for (const f of files) {
      const before = git('show', `${sha}^:${f}`);
      const after = git('show', `${sha}:${f}`);
      if (before === undefined || after === undefined) continue;
      const baseText = git('show', `${sha}^:apps/kafka-producers/values.yaml`);
      const baseAfter = git('show', `${sha}:apps/kafka-producers/values.yaml`);
      const base = baseText !== undefined ? { text: baseText } : undefined;
      // Tags before and after, as Helm renders them (no target needed to read them: any cycle).
      const tagsBefore = chartTags(checkValuesAgainst({ text: before, base }, 'c0010', h));
      const tagsAfter = chartTags(checkValuesAgainst({ text: after, base: baseAfter !== undefined ? { text: baseAfter } : undefined }, 'c0010', h));
      if (tagsBefore.length !== 1 || tagsAfter.length !== 1 || tagsBefore[0] === tagsAfter[0]) continue;
      checked++;
      const check = checkValuesAgainst({ text: before, base }, tagsAfter[0], h);
      if (!check.target.ok) {
        unknownTarget++;
        continue;
      }
      const needed = check.producers.flatMap((p) => p.changes.filter((c) => c.breaking).map((c) => `${p.producer}: ${c.token}${c.successor ? ` → ${c.successor}` : ' (remove)'}`));
      if (!needed.length) continue;
      const own = checkValuesAgainst({ text: after, base: baseAfter !== undefined ? { text: baseAfter } : undefined }, tagsAfter[0], h);
      const kept = own.producers.flatMap((p) => p.changes.filter((c) => c.breaking).map((c) => c.token));
      flagged.push({
        sha: sha.slice(0, 7),
        kept: kept.length > 0,
        line: `${sha.slice(0, 7)} ${date} "${subject.join(' ')}" ${f.split('/').pop()} ${tagsBefore[0]} → ${tagsAfter[0]}: ${needed.join(', ')}; the commit kept: ${kept.join(', ') || 'none'}`,
      });
    }
  }
  // A commit that kept a flagged CSC shipped a producer that cannot start; one that changed it
  // in the same commit did what the check asks (the 7.0 renames done right).
  const kept = flagged.filter((x) => x.kept);
  const found = KNOWN_MISTAKES.filter((k) => kept.some((x) => x.sha === k));
  const others = kept.filter((x) => !KNOWN_MISTAKES.includes(x.sha));
  console.log(`argocd-csc image.tag changes of a site values file checked: ${checked} (${unknownTarget} to a tag naming no known ts_xml), in ${Date.now() - started} ms`);
  for (const x of flagged) console.log(`  flagged ${x.line}`);
  console.log(`upgrades that needed a CSC change: ${flagged.length}; made it in the same commit: ${flagged.length - kept.length}; kept the CSC: ${kept.length}`);
  console.log(`known upgrade mistakes flagged:   ${found.length} of ${KNOWN_MISTAKES.length}   (goal: ${KNOWN_MISTAKES.length})`);
  console.log(`other commits that kept a flagged CSC: ${others.length}   (goal: 0: the history records no other such mistake)`);
}

main();
