import type { ComposeModel } from '../compose/model';
import type { Diagnostic } from './diagnostic';
import { reportingContext } from './reportingContext';
import type { LintOptions, Rule } from './ruleContext';

/** Runs `rules` over a model; a node shared by several producers is reported once. */
export function runRules(model: ComposeModel, options: LintOptions, rules: Rule[]): Diagnostic[] {
  const { ctx, out } = reportingContext(model, options);
  for (const rule of rules) rule(ctx);
  return out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}
