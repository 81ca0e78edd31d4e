import type { Range } from '../compose/model';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix computed in core; adapters turn it into a CodeAction. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface RelatedInfo {
  range: Range;
  message: string;
}

export interface Diagnostic {
  /**
   * One of the codes the rules declare (registry.ts gathers them as DiagnosticCode). A plain
   * string here so this module, which every rule imports, does not depend on the registry,
   * which imports every rule; diagnosticsOf() still lets a rule report only its own codes.
   */
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedInfo[];
}

/** What a code means: its default severity and the one line the README table shows. */
export interface CodeInfo {
  severity: Severity;
  summary: string;
}

/**
 * Codes with their severity and summary. Each rule file declares the codes it reports (see
 * registry.ts, which gathers them); codes are stable: the CLI's JSON output and users' CI
 * depend on them.
 */
export type CodeTable = Record<string, CodeInfo>;

/**
 * The codes that mean "docker-compose refuses this file" (config or project load fails, so
 * `up` never starts a container). An error with one of these codes is the checker's refuse
 * verdict; the differential test against the real docker-compose holds it to that.
 */
export const COMPOSE_REFUSAL_CODES: ReadonlySet<string> = new Set<string>([
  'yaml-syntax',
  'compose-type',
  'compose-unknown-key',
  'compose-undeclared-volume',
  'compose-undefined-service',
  'compose-undefined-network',
  'compose-service-name',
  'compose-no-image',
  'compose-interpolation',
  'compose-invalid-value',
  // Only as an error, i.e. ${VAR:?message} with VAR unset; a plain unset variable is a warning.
  'variable-unset',
]);

/** True when docker-compose would refuse a file with this finding. */
export function refusedByCompose(d: Diagnostic): boolean {
  return d.severity === 'error' && COMPOSE_REFUSAL_CODES.has(d.code);
}

/**
 * The diagnostic maker of one table: a rule file binds it to its own codes, so it can report
 * only those (checked by the compiler) and each gets the severity declared beside it.
 */
export function diagnosticsOf<T extends CodeTable>(table: T) {
  return (code: Extract<keyof T, string>, range: Range, message: string, extra: Partial<Pick<Diagnostic, 'fixes' | 'related' | 'severity'>> = {}): Diagnostic => ({
    code,
    severity: extra.severity ?? table[code].severity,
    message,
    range,
    ...extra,
  });
}
