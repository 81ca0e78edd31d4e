import { parseCompose } from '../compose/parseCompose';
import { IncrementalLinter } from './incremental';
import type { ComposeModel } from '../compose/model';
import type { Diagnostic } from './diagnostic';
import type { LintOptions, Rule, RuleContext } from './ruleContext';
import { containers } from './rules/containers';
import { cscAcrossProducers } from './rules/cscAcrossProducers';
import { cscListRules } from './rules/cscList';
import { producerEnvironment } from './rules/producerEnvironment';
import { structure } from './rules/structure';
import { variables } from './rules/variables';
import { yamlErrors } from './rules/yamlErrors';

export type { LintOptions } from './ruleContext';

const RULES: Rule[] = [yamlErrors, structure, cscListRules, cscAcrossProducers, producerEnvironment, containers, variables];

export interface LintResult {
  model: ComposeModel;
  diagnostics: Diagnostic[];
}

/** Parses and checks a kafka_writers compose file. Never throws on any input text. */
export function lintCompose(text: string, options: LintOptions): LintResult {
  const model = parseCompose(text, { variables: options.variables });
  return { model, diagnostics: lintModel(model, options) };
}

export function lintModel(model: ComposeModel, options: LintOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  const ctx: RuleContext = {
    model,
    catalogue: options.catalogue,
    options,
    report(d) {
      // A node shared through a YAML anchor is checked once per user; report it once.
      const key = `${d.code}\u0000${d.range.start}\u0000${d.range.end}\u0000${d.message}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(d);
    },
  };
  for (const rule of RULES) rule(ctx);
  return out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
}

export { IncrementalLinter };

/** A linter for one open document that re-parses only the services an edit touched. */
export function createIncrementalLinter(): IncrementalLinter {
  return new IncrementalLinter(lintCompose);
}

// Helm values files (argocd-csc apps/kafka-producers): same bundle, same CSC rules.
export { lintValues } from '../values/lintValues';
export { detectFileKind } from '../values/recognise';
