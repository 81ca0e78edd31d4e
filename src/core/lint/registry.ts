import type { DiagnosticCode } from './diagnostic';
import type { Rule } from './ruleContext';
import { containers } from './rules/containers';
import { cscAcrossProducers } from './rules/cscAcrossProducers';
import { composeReferences } from './rules/composeReferences';
import { composeService } from './rules/composeService';
import { cscEraAcrossProducers } from './rules/cscEra';
import { cscListRules } from './rules/cscList';
import { ddsDomain } from './rules/ddsDomain';
import { envFileProblems } from './rules/envFileProblems';
import { producerEnvironment } from './rules/producerEnvironment';
import { structure } from './rules/structure';
import { variables } from './rules/variables';
import { yamlErrors } from './rules/yamlErrors';

export interface RuleEntry {
  rule: Rule;
  /** Every code the rule reports. */
  codes: readonly DiagnosticCode[];
  /** The codes that compare services with each other (recomputed on every incremental lint). */
  crossService?: readonly DiagnosticCode[];
  /** Judges one service at a time, so it also checks the shadowed earlier definition of a service. */
  perService?: boolean;
}

/**
 * The rules in the order they run. The single source of truth for lint.ts (which runs them) and
 * incremental.ts (which re-runs the cross-service ones and must order diagnostics on the same
 * range exactly as a whole-file lint does). A test checks every code belongs to exactly one rule.
 */
export const RULES: readonly RuleEntry[] = [
  { rule: yamlErrors, codes: ['yaml-syntax', 'yaml-warning', 'duplicate-key'] },
  { rule: structure, codes: ['compose-type', 'compose-unknown-key'] },
  {
    rule: cscListRules,
    perService: true,
    codes: ['csc-unknown', 'csc-retired', 'csc-not-in-image', 'csc-index-not-indexed', 'csc-index-invalid', 'csc-duplicate', 'csc-list-empty', 'csc-list-option'],
  },
  { rule: cscAcrossProducers, codes: ['csc-in-multiple-producers'], crossService: ['csc-in-multiple-producers'] },
  {
    rule: producerEnvironment,
    perService: true,
    codes: [
      'env-missing',
      'env-duplicate',
      'broker-port-invalid',
      'broker-ip-invalid',
      'registry-url-invalid',
      'partitions-invalid',
      'replication-invalid',
      'log-level-invalid',
      'log-level-nonstandard',
      'wait-ack-invalid',
    ],
  },
  {
    rule: containers,
    perService: true,
    codes: ['container-name-mismatch', 'container-name-conflict', 'ipv4-address-conflict'],
    crossService: ['container-name-conflict', 'ipv4-address-conflict'],
  },
  { rule: ddsDomain, perService: true, codes: ['dds-domain-mismatch', 'dev-producer-expired'] },
  { rule: variables, codes: ['variable-unset'] },
  { rule: envFileProblems, codes: ['env-file-unreadable'] },
  { rule: composeService, codes: ['compose-service-name', 'compose-no-image', 'compose-interpolation', 'compose-invalid-value'] },
  {
    rule: composeReferences,
    codes: ['compose-undefined-service', 'compose-undefined-network', 'compose-undeclared-volume'],
    // A service linted alone (incremental.ts) lacks the other services and the top-level declarations.
    crossService: ['compose-undefined-service', 'compose-undefined-network', 'compose-undeclared-volume'],
  },
  // Once per file (the release note) or across producers on one image (names of two eras).
  { rule: cscEraAcrossProducers, codes: ['image-xml-unknown', 'csc-era-conflict'], crossService: ['image-xml-unknown', 'csc-era-conflict'] },
];

/** Reported by the cross-file check of sibling compose files (siblings.ts), not by a per-file rule. */
export const CROSS_FILE_CODES: readonly DiagnosticCode[] = ['service-in-sibling-file', 'dds-daemon-missing'];

/** Reported by lintModel itself, after the rules: a limit of the analysis was reached. */
export const LIMIT_CODE = 'analysis-limit' satisfies DiagnosticCode;

/** Position of a code's rule in RULES (the limit code sorts after every rule). */
export const RULE_OF_CODE: ReadonlyMap<string, number> = new Map([
  ...RULES.flatMap((r, i) => r.codes.map((c) => [c, i] as const)),
  [LIMIT_CODE, RULES.length] as const,
]);

export const CROSS_SERVICE_CODES: ReadonlySet<string> = new Set(RULES.flatMap((r) => r.crossService ?? []));

/** The rules that report cross-service codes, in order. */
export const CROSS_SERVICE_RULES: readonly Rule[] = RULES.filter((r) => r.crossService?.length).map((r) => r.rule);

/** The rules that judge one service at a time, in order (also run over shadowed definitions). */
export const PER_SERVICE_RULES: readonly Rule[] = RULES.filter((r) => r.perService).map((r) => r.rule);
