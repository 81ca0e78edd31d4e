import { budgetOf, LimitHit, LIMITS, thousands } from '../compose/analysisLimits';
import { megabytes, parseCompose, tooLargeMessage } from '../compose/parseCompose';
import type { ComposeModel } from '../compose/model';
import { reportingContext } from './reportingContext';
import type { Diagnostic, Severity } from './diagnostic';
import { IncrementalLinter } from './incremental';
import { CROSS_SERVICE_CODES, diagnostic, LIMIT_CODE, PER_SERVICE_RULES, RULES } from './registry';
import type { LintOptions, LintResult, RuleContext } from './ruleContext';

export type { LintOptions, LintResult } from './ruleContext';

/** Parses and checks a kafka_writers compose file. Never throws on any input text. */
export function lintCompose(text: string, options: LintOptions): LintResult {
  const model = parseCompose(text, { variables: options.variables });
  return { model, diagnostics: lintModel(model, options) };
}

export function lintModel(model: ComposeModel, options: LintOptions): Diagnostic[] {
  if (model.limit) return [limitDiagnostic(model.limit)];
  const { ctx, out } = reportingContext(model, options);
  for (const { rule } of RULES) rule(ctx);
  if (model.shadowedServices.length) {
    // docker-compose keeps the last of two same-named services, but the block the user means
    // to keep may be the other one: check each shadowed block on its own too.
    const shadowed: RuleContext = {
      ...ctx,
      model: { ...model, services: model.shadowedServices },
      report: (d) => void (CROSS_SERVICE_CODES.has(d.code) || ctx.report(d)),
    };
    for (const rule of PER_SERVICE_RULES) rule(shadowed);
  }
  const hit = budgetOf(model.doc).hit;
  // Past the expansion budget, merged entries are missing and the rules' findings would be
  // wrong (a key "missing" that a merge provides): keep what the parser said, and the reason.
  const kept = hit ? out.filter((d) => d.code === 'yaml-syntax' || d.code === 'yaml-warning') : out;
  if (hit) kept.push(limitDiagnostic(hit));
  return capDiagnostics(kept.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end));
}

function limitDiagnostic(hit: LimitHit): Diagnostic {
  return diagnostic(LIMIT_CODE, hit.range, hit.message);
}

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * At most LIMITS.diagnostics per file (the first ones in the file), then one diagnostic that
 * says how many more there are: a 700 KB CSC_LIST of unknown names gave 24 MB of output. It
 * has the severity of the worst one dropped, so the exit code and the Problems panel still
 * tell an error from a warning.
 */
export function capDiagnostics(sorted: Diagnostic[]): Diagnostic[] {
  if (sorted.length <= LIMITS.diagnostics) return sorted;
  const dropped = sorted.slice(LIMITS.diagnostics);
  const worst = dropped.reduce<Severity>((w, d) => (RANK[d.severity] > RANK[w] ? d.severity : w), 'info');
  const codes = [...new Set(dropped.map((d) => d.code))];
  return [
    ...sorted.slice(0, LIMITS.diagnostics),
    diagnostic(
      LIMIT_CODE,
      dropped[0].range,
      `${thousands(dropped.length)} more problems from here on are not shown (${codes.slice(0, 5).join(', ')}${codes.length > 5 ? ', …' : ''}); ` +
        `the checker shows at most ${thousands(LIMITS.diagnostics)} per file. Fix the ones above first.`,
      { severity: worst },
    ),
  ];
}

/** The diagnostic for a file the reader did not load because of its size (the CLI's stat). */
export function tooLargeDiagnostic(bytes: number): Diagnostic {
  return diagnostic(LIMIT_CODE, { start: 0, end: 0 }, tooLargeMessage(`${megabytes(bytes)}`));
}

export { IncrementalLinter };
export { COMPOSE_FILE_NAME, diagnosticsFromSiblings, siblingDiagnostics } from './siblings';
export { discoverEnv, readServiceEnvFiles } from '../compose/envDiscovery';
/** The Document parse of parseCompose, for models that came back from the worker without one. */
export { parseYamlDocument } from '../compose/parseCompose';

/** A linter for one open document that re-parses only the services an edit touched. */
export function createIncrementalLinter(): IncrementalLinter {
  return new IncrementalLinter(lintCompose);
}

// Helm values files (argocd-csc apps/kafka-producers): same bundle, same CSC rules.
export { lintValues } from '../values/lintValues';
export { detectFileKind } from '../values/recognise';
/** The catalogue code and the shipped data, for the editor's CatalogueSource (kept out of activation). */
export { Catalogue } from '../catalogue/catalogue';
export { defaultCatalogue } from '../catalogue/defaultCatalogue';
