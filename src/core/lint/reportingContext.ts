import { LIMITS } from '../compose/analysisLimits';
import type { ComposeModel } from '../compose/model';
import { clipMessage } from './clipMessage';
import type { Diagnostic } from './diagnostic';
import type { LintOptions, RuleContext } from './ruleContext';

/** Beyond this many reports the rules may stop looping (the cap keeps the first LIMITS.diagnostics). */
const SATURATED = LIMITS.diagnostics * 4;

/**
 * The context every rule reports into, for compose and values files alike: a node shared through a
 * YAML anchor (or by several producers) is reported once, messages are clipped, and rules may stop
 * early once far more has been reported than can be shown.
 */
export function reportingContext(model: ComposeModel, options: LintOptions): { ctx: RuleContext; out: Diagnostic[] } {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const ctx: RuleContext = {
    model,
    catalogue: options.catalogue,
    options,
    report(d) {
      const key = `${d.code}\u0000${d.range.start}\u0000${d.range.end}\u0000${d.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(clipMessage(d));
    },
    get saturated() {
      return out.length >= SATURATED;
    },
  };
  return { ctx, out };
}
