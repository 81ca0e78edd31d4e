// The code lintModel reports itself, after the rules, when a limit of the analysis was reached.
// Its own small file: the worker client (activation bundle) makes this diagnostic without
// loading the rules.
import { diagnosticsOf, type CodeTable } from './diagnostic';

export const LIMIT_CODES = {
  'analysis-limit': { severity: 'error', summary: 'A limit that keeps the checker bounded was reached (file too large, merge keys or aliases expanding too far, too many problems); the file is not fully checked.' },
} as const satisfies CodeTable;

export const LIMIT_CODE = 'analysis-limit' satisfies keyof typeof LIMIT_CODES;

export const limitDiagnostic = diagnosticsOf(LIMIT_CODES);
