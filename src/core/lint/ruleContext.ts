import type { Catalogue } from '../catalogue/catalogue';
import type { ComposeModel, Variables } from '../compose/model';
import type { Diagnostic } from './diagnostic';
import type { ImageCatalogueLookup } from './rules/cscEra';

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
  /** The clock for expiry checks (development producers); Date.now() when absent. */
  nowMs?: number;
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
