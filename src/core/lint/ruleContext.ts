import type { Catalogue } from '../catalogue/catalogue';
import type { ComposeModel, Variables } from '../compose/model';
import type { CodeTable, Diagnostic } from './diagnostic';
import type { ImageCatalogueLookup } from '../catalogue/producerRelease';

export interface LintOptions {
  catalogue: Catalogue;
  /** Interpolation variables (.env beside the file, then env files from settings). */
  variables?: Variables;
  /**
   * Contents of each service `env_file:` as written in the file, when the caller could
   * read it; keys found there count as set for the producer environment checks.
   */
  serviceEnvFiles?: Record<string, Variables | undefined>;
  /**
   * Catalogues read from the images on the connected host, by image reference after
   * interpolation: what the producer will really load, preferred over the tag's release.
   */
  imageCatalogue?: ImageCatalogueLookup;
  /** Why an env_file (as written in the file) was not read: not a regular file, too large. */
  envFileErrors?: Record<string, string>;
}

export interface LintResult {
  model: ComposeModel;
  diagnostics: Diagnostic[];
}

export interface RuleContext {
  readonly model: ComposeModel;
  readonly catalogue: Catalogue;
  readonly options: LintOptions;
  report(d: Diagnostic): void;
  /**
   * True once far more diagnostics were reported than will be shown (LIMITS.diagnostics):
   * a rule's loop over user data may stop, since the rest would be dropped anyway.
   */
  readonly saturated?: boolean;
}

export type Rule = (ctx: RuleContext) => void;

/**
 * The kinds of document a rule can check: a kafka_writers compose file, or an Argo CD
 * kafka-producers Helm values file (its producers are read into the same model, but they are
 * not compose services: no compose-* rule may run there).
 */
export type DocumentKind = 'compose' | 'values';

/**
 * One rule, declared once in its own file: what it runs, the codes it reports (with severity
 * and summary), and where it applies. registry.ts lists the declarations; the code table, the
 * rule lists of lint.ts, incremental.ts and lintValues.ts and the README table follow from them.
 */
export interface RuleDeclaration {
  rule: Rule;
  /** Every code the rule reports. */
  codes: CodeTable;
  /** The documents it checks; a producer rule that reads only CSC_LIST and image applies to both. */
  kinds: readonly DocumentKind[];
  /** The codes that compare services with each other (recomputed on every incremental lint). */
  crossService?: readonly string[];
  /** Judges one service at a time, so it also checks the shadowed earlier definition of a service. */
  perService?: boolean;
}

/**
 * Keeps the exact code table type (so DiagnosticCode is the union of every rule's codes) and
 * checks that crossService names codes of this rule.
 */
export function declareRule<C extends CodeTable>(d: RuleDeclaration & { codes: C; crossService?: readonly Extract<keyof C, string>[] }): RuleDeclaration & { codes: C } {
  return d;
}
