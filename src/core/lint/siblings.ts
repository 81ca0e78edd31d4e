import * as posix from 'node:path/posix';
import { dataPathKey } from '../compose/dataPath';
import type { ComposeModel, CscToken, ServiceModel, Variables } from '../compose/model';
import { parseCompose } from '../compose/parseCompose';
import { LineIndex } from '../text/lineIndex';
import { diagnosticsOf, type CodeTable, type Diagnostic } from './diagnostic';
import { CODES as CONTAINER_CODES } from './rules/containers';
import { CODES as CSC_ACROSS_CODES } from './rules/cscAcrossProducers';

/** Reported by this cross-file check, not by a per-file rule. */
export const CODES = {
  'service-in-sibling-file': { severity: 'warning', summary: 'The same service is defined in another compose file of the directory (one compose project): up with either file recreates the other\'s container.' },
} as const satisfies CodeTable;
// It also reports, across files, what two rules report within one.
const diagnostic = diagnosticsOf({ ...CONTAINER_CODES, ...CSC_ACROSS_CODES, ...CODES });

/**
 * Compose files of one directory are one compose project (docker-compose names the project
 * after the directory): `docker-compose -f docker-compose-eas.yaml up -d` recreates the
 * salkafka-eas container that `docker-compose.yaml` started, with the other file's settings
 * (lsst-it/docker-compose-ops summit/kafka_writers, 2021, had salkafka-eas in both).
 * These checks take several parsed files at once; each file gets the findings about itself.
 */

export interface ComposeFile {
  /** POSIX path; files are siblings when their directories are equal. */
  path: string;
  model: ComposeModel;
}

/** File names that are compose files (not a ts_salkafka `--file m1m3.yaml` beside them). */
export const COMPOSE_FILE_NAME = /^(docker-)?compose([-_.][\w.-]*)?\.ya?ml$/i;

/** Diagnostics for each file (by path) caused by its sibling compose files. */
export function siblingDiagnostics(files: readonly ComposeFile[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>(files.map((f) => [f.path, []]));
  for (const file of files) {
    const siblings = files.filter((o) => o !== file && o.path !== file.path && sameProject(file, o));
    if (!siblings.length) continue;
    const found = out.get(file.path)!;
    for (const service of file.model.services) {
      for (const other of siblings) checkPair(file, service, other, found);
    }
    found.sort((a, b) => a.range.start - b.range.start);
  }
  return out;
}

/** The findings for one file from its siblings' texts, parsed here with the file's variables. */
export function diagnosticsFromSiblings(file: ComposeFile, siblings: readonly { path: string; text: string }[], variables: Variables): Diagnostic[] {
  const parsed = siblings.filter((s) => s.path !== file.path).map((s) => ({ path: s.path, model: parseCompose(s.text, { variables }) }));
  return siblingDiagnostics([file, ...parsed]).get(file.path) ?? [];
}

function checkPair(file: ComposeFile, service: ServiceModel, other: ComposeFile, found: Diagnostic[]): void {
  const where = (s: ServiceModel) => `${posix.basename(other.path)} line ${new LineIndex(other.model.text).positionAt(s.nameRange.start).line + 1}`;
  const same = other.model.services.find((s) => s.name === service.name);
  if (same) {
    found.push(
      diagnostic(
        'service-in-sibling-file',
        service.nameRange,
        `${service.name} is also defined in ${where(same)}, in the same directory and so the same compose project: docker-compose up with either file recreates the container the other started, with its own settings.`,
      ),
    );
    return;
  }
  const container = service.containerName?.value;
  const clash = container && other.model.services.find((s) => s.containerName?.value === container);
  if (clash) {
    found.push(
      diagnostic(
        'container-name-conflict',
        service.containerName!.range,
        `container_name "${container}" is also used by ${clash.name} in ${where(clash)} (same compose project); whichever file is brought up second fails: the name is in use.`,
      ),
    );
    return;
  }
  // Different producers in the two files: both can run at once, so a shared CSC on the same
  // data path is written twice (see rules/cscAcrossProducers.ts for one file).
  const path = service.cscList?.tokens.length ? dataPathKey(service) : undefined;
  if (!path) return;
  for (const theirs of other.model.services) {
    if (!theirs.cscList?.tokens.length || dataPathKey(theirs) !== path) continue;
    for (const token of service.cscList!.tokens) {
      if (token.kind !== 'csc') continue;
      const hit = theirs.cscList.tokens.find((t) => overlaps(token, t));
      if (!hit) continue;
      found.push(
        diagnostic(
          'csc-in-multiple-producers',
          token.range,
          `${token.text} is also written by ${theirs.name} in ${where(theirs)} on the same data path: with both files up, the EFD receives its data twice.`,
        ),
      );
    }
  }
}

function overlaps(a: CscToken, b: CscToken): boolean {
  return b.kind === 'csc' && a.name === b.name && (a.index === undefined || b.index === undefined || a.index === b.index);
}

/** Same directory, and no top-level `name:` (compose v2) that sets the projects apart. */
function sameProject(a: ComposeFile, b: ComposeFile): boolean {
  return posix.dirname(a.path) === posix.dirname(b.path) && projectName(a.model) === projectName(b.model);
}

/**
 * The top-level `name:` as written. Read from the text: an incrementally linted model parses
 * its whole document only on demand, and this runs on every edit.
 */
function projectName(model: ComposeModel): string | undefined {
  const m = /^name[ \t]*:[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|([^#\s][^#\n]*?))[ \t]*(?:#.*)?$/m.exec(model.text);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}
