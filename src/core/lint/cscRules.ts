import type { ComposeModel } from '../compose/model';
import type { Diagnostic } from './diagnostic';
import type { LintOptions, Rule } from './ruleContext';
import { cscAcrossProducers } from './rules/cscAcrossProducers';
import { cscEraAcrossProducers } from './rules/cscEra';
import { cscListRules } from './rules/cscList';
import { reportingContext } from './reportingContext';

/**
 * The rules about what producers read (names, era, indices, duplicates, options, double
 * writing): they need only producers with a CSC_LIST, so they also serve Helm values files,
 * whose producers are not compose services (no compose-* rule may run on those).
 */
export const CSC_RULES: Rule[] = [cscListRules, cscAcrossProducers, cscEraAcrossProducers];

/** Runs `rules` over a model; a node shared by several producers is reported once. */
export function runRules(model: ComposeModel, options: LintOptions, rules: Rule[]): Diagnostic[] {
  const { ctx, out } = reportingContext(model, options);
  for (const rule of rules) rule(ctx);
  return out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}
