// The rules, gathered from their own files. Each rule file declares once what it runs, the
// codes it reports (severity, summary) and the documents it applies to (ruleContext.ts,
// RuleDeclaration); everything here is derived from those declarations.
import { diagnosticsOf } from './diagnostic';
import { LIMIT_CODE, LIMIT_CODES } from './limitCodes';
import type { DocumentKind, Rule, RuleDeclaration } from './ruleContext';
import { containersRule } from './rules/containers';
import { cscAcrossProducersRule } from './rules/cscAcrossProducers';
import { composeReferencesRule } from './rules/composeReferences';
import { composeServiceRule } from './rules/composeService';
import { cscEraRule } from './rules/cscEra';
import { cscListRule } from './rules/cscList';
import { envFileProblemsRule } from './rules/envFileProblems';
import { producerEnvironmentRule } from './rules/producerEnvironment';
import { structureRule } from './rules/structure';
import { variablesRule } from './rules/variables';
import { yamlErrorsRule } from './rules/yamlErrors';
import { CODES as SIBLING_CODES } from './siblings';

/**
 * The rules in the order they run. The single source of truth for lint.ts (which runs them),
 * incremental.ts (which re-runs the cross-service ones and must order diagnostics on the same
 * range exactly as a whole-file lint does) and lintValues.ts (which runs those for 'values').
 * test/unit/lint/registry.test.ts checks that every code belongs to exactly one rule.
 */
export const RULES = [
  yamlErrorsRule,
  structureRule,
  cscListRule,
  cscAcrossProducersRule,
  producerEnvironmentRule,
  containersRule,
  variablesRule,
  envFileProblemsRule,
  composeServiceRule,
  composeReferencesRule,
  cscEraRule,
] as const satisfies readonly RuleDeclaration[];

export type RuleEntry = RuleDeclaration;

/** Reported by lintModel itself, after the rules: a limit of the analysis was reached. */
export { LIMIT_CODE, LIMIT_CODES } from './limitCodes';

type CodesOf<R> = R extends { codes: infer C } ? keyof C : never;

/** Every diagnostic code: the rules' codes, the cross-file check's and the limit. */
export type DiagnosticCode = CodesOf<(typeof RULES)[number]> | keyof typeof SIBLING_CODES | keyof typeof LIMIT_CODES;

/** Every diagnostic code with its default severity and summary (the README table shows them). */
export const DIAGNOSTIC_CODES: Readonly<Record<DiagnosticCode, { severity: 'error' | 'warning' | 'info'; summary: string }>> = Object.assign(
  {},
  ...RULES.map((r) => r.codes),
  SIBLING_CODES,
  LIMIT_CODES,
);

/** Reported by the cross-file check of sibling compose files (siblings.ts), not by a per-file rule. */
export const CROSS_FILE_CODES: readonly DiagnosticCode[] = Object.keys(SIBLING_CODES) as DiagnosticCode[];

/** For findings made outside a rule (lintModel's limit, the worker's time limit). */
export const diagnostic = diagnosticsOf(DIAGNOSTIC_CODES);

/** Position of a code's rule in RULES (the limit code sorts after every rule). */
export const RULE_OF_CODE: ReadonlyMap<string, number> = new Map([
  ...RULES.flatMap((r, i) => Object.keys(r.codes).map((c) => [c, i] as const)),
  [LIMIT_CODE, RULES.length] as const,
]);

const ALL: readonly RuleDeclaration[] = RULES;

export const CROSS_SERVICE_CODES: ReadonlySet<string> = new Set(ALL.flatMap((r) => r.crossService ?? []));

/** The rules that report cross-service codes, in order. */
export const CROSS_SERVICE_RULES: readonly Rule[] = ALL.filter((r) => r.crossService?.length).map((r) => r.rule);

/** The rules that judge one service at a time, in order (also run over shadowed definitions). */
export const PER_SERVICE_RULES: readonly Rule[] = ALL.filter((r) => r.perService).map((r) => r.rule);

/** The rules that check a kind of document, in registry order. */
export function rulesFor(kind: DocumentKind, rules: readonly RuleDeclaration[] = RULES): Rule[] {
  return rules.filter((r) => r.kinds.includes(kind)).map((r) => r.rule);
}
