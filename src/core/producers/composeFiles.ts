// Which files of the kafka_writers directory are compose files. The summit runs the main
// docker-compose.yaml plus siblings (docker-compose-eas.yaml, docker-compose-<purpose>.yaml for
// development producers); the same directory holds ts_salkafka `--file` topic files (m1m3.yaml),
// which are YAML but not compose files. Pure: the caller lists the directory and reads files.
import * as posix from 'node:path/posix';

const YAML_NAME = /\.ya?ml$/i;
const COMPOSE_NAME = /^docker-compose.*\.ya?ml$/i;

export interface DirEntryLike {
  name: string;
  stat: { isFile: boolean };
}

/**
 * Candidate compose files beside `main`, sorted by name: `docker-compose*.y*ml` (taken as compose
 * files) and any other `*.y*ml` (`needsServicesKey`: kept only if it has a top-level `services:`).
 * Hidden files, non-regular files and the main file itself are left out.
 */
export function siblingCandidates(main: string, entries: readonly DirEntryLike[]): { path: string; needsServicesKey: boolean }[] {
  const dir = posix.dirname(main);
  const mainName = posix.basename(main);
  return entries
    .filter((e) => e.stat.isFile && YAML_NAME.test(e.name) && !e.name.startsWith('.') && e.name !== mainName && !e.name.includes('/'))
    .map((e) => ({ path: posix.join(dir, e.name), needsServicesKey: !COMPOSE_NAME.test(e.name) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The files named by efdSalkafka.composeFiles: absolute, or relative to the main file's
 * directory; the main file first, duplicates dropped. Empty setting: undefined (discover).
 */
export function configuredComposeFiles(main: string, setting: readonly string[] | undefined): string[] | undefined {
  const names = (setting ?? []).filter((s) => typeof s === 'string' && s.trim() && !s.includes('\0')).map((s) => s.trim());
  if (!names.length) return undefined;
  const dir = posix.dirname(main);
  const paths = names.map((n) => posix.normalize(posix.isAbsolute(n) ? n : posix.join(dir, n)));
  return [...new Set([main, ...paths])];
}

/** A top-level `services:` key, without parsing (a --file topic file has none). */
export function hasServicesKey(text: string): boolean {
  return /^services[ \t]*:/m.test(text);
}
