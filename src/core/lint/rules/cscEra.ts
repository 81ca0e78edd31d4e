import type { Catalogue } from '../../catalogue/catalogue';
import { historyOf, type CatalogueHistory } from '../../catalogue/history';
import { producerRelease, type ImageCatalogueLookup, type NameScope } from '../../catalogue/producerRelease';
import type { ComposeModel, CscToken, Range, ServiceModel } from '../../compose/model';
import { diagnosticsOf, type CodeTable, Diagnostic, Fix } from '../diagnostic';
import { declareRule, type Rule, type RuleContext } from '../ruleContext';

/**
 * The name codes, reported through reportMissingName by the CSC_LIST rule (cscList.ts, which
 * declares them as its own) and by nothing else.
 */
export const CSC_NAME_CODES = {
  'csc-unknown': { severity: 'error', summary: 'CSC_LIST names a component that is not in the SAL catalogue.' },
  'csc-retired': { severity: 'warning', summary: 'CSC_LIST names a retired component (information when the image\'s ts_xml is unknown; an error when the image lacks it).' },
  'csc-not-in-image': { severity: 'error', summary: 'CSC_LIST names a component the ts_xml inside the producer\'s image lacks (too old or too new): the producer cannot start.' },
} as const satisfies CodeTable;

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'image-xml-unknown': { severity: 'info', summary: 'The ts_xml inside a producer image cannot be told from its tag; names are checked against every release.' },
  'csc-era-conflict': { severity: 'error', summary: 'Producers on one image list names no single ts_xml release has (both sides of a rename).' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf({ ...CSC_NAME_CODES, ...CODES });

export type { ImageCatalogue, ImageCatalogueLookup, NameScope } from '../../catalogue/producerRelease';

/** Era-aware name checks of one producer's CSC_LIST words (per service). */
export class CscEra {
  constructor(
    private readonly model: ComposeModel,
    private readonly history: CatalogueHistory,
    private readonly newest: Catalogue,
    private readonly report: (d: Diagnostic) => void,
    private readonly imageCatalogue?: ImageCatalogueLookup,
  ) {}

  scope(service: ServiceModel): NameScope {
    return producerRelease(this.model, service, this.history, this.newest, this.imageCatalogue).scope;
  }

  /** See reportMissingName. */
  missing(token: CscToken, scope: NameScope): boolean {
    return reportMissingName(token, scope, this.history, this.newest, this.report);
  }
}

/**
 * A CSC_LIST word the scope's catalogue lacks, reported with the release checked: an error when
 * the release is known (the producer cannot start), information when it is not and some release
 * has the name. Returns false when no release ever had it and it is no retired name: the
 * caller's unknown-name check (csc-unknown, with suggestions) applies. Shared with the Helm
 * values files, whose CSC lists are checked the same way.
 */
export function reportMissingName(token: CscToken, scope: NameScope, history: CatalogueHistory, newest: Catalogue, report: (d: Diagnostic) => void): boolean {
  const name = token.name;
  const known = history.has(name);
  const successor = known ? history.successor(name) : newest.retired(name)?.replacement;
  if (!known && !newest.retired(name)) return false;
  const suffix = token.index !== undefined ? `:${token.index}` : '';
  const replace = (to: string | undefined): Fix[] | undefined =>
    to && token.exact && scope.catalogue.get(to) ? [{ title: `Replace with ${to}${suffix}`, edits: [{ range: suffix ? token.range : nameRange(token), newText: to + suffix }], preferred: true }] : undefined;
  if (scope.checked !== undefined) {
    // The producer's own image lacks the name: it exits at start-up.
    const v = scope.versionIndex;
    let when: string;
    if (!known) when = `it is a retired name${successor ? `, now ${successor}` : ''} that no ts_xml release lists`;
    else if (v !== undefined && (history.firstIndex(name) ?? 0) > v) when = `it first appears in ${history.versions[history.firstIndex(name)!]}`;
    else if (v !== undefined && (history.lastIndex(name) ?? 0) < v) when = `it was last in ${history.versions[history.lastIndex(name)!]}${successor ? ` and is now ${successor}` : ''}`;
    else when = `it exists in ts_xml ${history.describeRanges(name)}`;
    const note = scope.note ? ` (${scope.note})` : '';
    report(
      diagnostic(known ? 'csc-not-in-image' : 'csc-retired', token.exact ? nameRange(token) : token.range, `${name} is not in ${scope.checked}${note}; ${when}. The producer cannot start with it.`, {
        severity: 'error',
        fixes: replace(successor),
      }),
    );
    return true;
  }
  // Version unknown: right for some releases, so information only.
  const where = known ? `exists only in ts_xml ${history.describeRanges(name)}` : 'is a retired name that no ts_xml release lists';
  report(
    diagnostic('csc-retired', token.range, `${name} ${where}${successor ? `; it is now ${successor}` : ''}. Valid only if this producer's image carries one of those.`, {
      severity: 'info',
      fixes: replace(successor),
    }),
  );
  return true;
}

/**
 * Across the producers of one file (so the incremental linter re-runs it on every edit):
 * ONE information note when some producer's release cannot be told, and, among producers
 * on one image whose release is unknown, names no single release has together (both sides
 * of the 7.0 renames: the image can be at most one of them).
 */
export const cscEraAcrossProducers: Rule = (ctx) => {
  const history = historyOf(ctx.catalogue);
  if (!history) return;
  const unresolved: { service: ServiceModel; reason: string }[] = [];
  const groups = new Map<string, CscToken[]>();
  for (const service of ctx.model.services) {
    const tokens = service.cscList?.tokens.filter((t) => t.kind === 'csc') ?? [];
    if (!tokens.length) continue;
    const r = producerRelease(ctx.model, service, history, ctx.catalogue, ctx.options.imageCatalogue);
    if (!r.unknown) continue;
    unresolved.push({ service, reason: r.unknown });
    const key = service.image?.value ?? '(no image)';
    groups.set(key, [...(groups.get(key) ?? []), ...tokens.filter((t) => history.has(t.name))]);
  }
  const first = unresolved[0];
  if (first) {
    const others = unresolved.length - 1;
    const range: Range = first.service.image?.range ?? first.service.cscList!.entry.keyRange;
    ctx.report(
      diagnostic(
        'image-xml-unknown',
        range,
        `Cannot tell which ts_xml the image of ${first.service.name} carries (${first.reason})${others ? `, nor for ${others} other producer${others > 1 ? 's' : ''}` : ''}: CSC names are checked against every ts_xml release (${history.versions[0]}–${history.newest}); a name only some releases have is information, not an error.`,
      ),
    );
  }
  for (const [image, tokens] of groups) conflicts(ctx, history, image, tokens);
};

function conflicts(ctx: RuleContext, history: CatalogueHistory, image: string, tokens: CscToken[]): void {
  const kept: string[] = [];
  let common = history.versions.map((_, i) => i);
  for (const token of tokens) {
    const next = common.filter((i) => history.existsIn(token.name, i));
    if (next.length) {
      common = next;
      if (!kept.includes(token.name)) kept.push(token.name);
      continue;
    }
    const disjoint = kept.find((k) => history.commonIndices([k, token.name]).length === 0);
    const why = disjoint
      ? `${disjoint} exists in ${history.describeRanges(disjoint)}, ${token.name} in ${history.describeRanges(token.name)}`
      : `no release has all of ${[...kept, token.name].join(', ')}`;
    ctx.report(
      diagnostic(
        'csc-era-conflict',
        token.exact ? nameRange(token) : token.range,
        `No ts_xml release has both ${disjoint ?? kept.join(', ')} and ${token.name} (${why}); producers on image ${image} run one release, so one of these names cannot be read.`,
      ),
    );
  }
}

function nameRange(token: CscToken): Range {
  return { start: token.range.start, end: token.range.start + token.name.length };
}

export const cscEraRule = declareRule({
  rule: cscEraAcrossProducers,
  codes: CODES,
  kinds: ['compose', 'values'],
  // Once per file (the release note) or across producers on one image (names of two eras).
  crossService: ['image-xml-unknown', 'csc-era-conflict'],
});
