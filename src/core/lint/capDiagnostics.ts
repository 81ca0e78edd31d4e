import { LIMITS, thousands } from '../compose/analysisLimits';
import type { Diagnostic, Severity } from './diagnostic';
import { limitDiagnostic } from './limitCodes';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * At most LIMITS.diagnostics per file (the first ones in the file), then one diagnostic that
 * says how many more there are: a 700 KB CSC_LIST of unknown names gave 24 MB of output. Like
 * every analysis-limit it is an error, as documented (the file's problems are not all shown, so
 * CI must not pass it as clean); its message names the worst severity among those left out.
 */
export function capDiagnostics(sorted: Diagnostic[]): Diagnostic[] {
  if (sorted.length <= LIMITS.diagnostics) return sorted;
  const dropped = sorted.slice(LIMITS.diagnostics);
  const worst = dropped.reduce<Severity>((w, d) => (RANK[d.severity] > RANK[w] ? d.severity : w), 'info');
  const codes = [...new Set(dropped.map((d) => d.code))];
  return [
    ...sorted.slice(0, LIMITS.diagnostics),
    limitDiagnostic(
      'analysis-limit',
      dropped[0].range,
      `${thousands(dropped.length)} more problems from here on are not shown (${codes.slice(0, 5).join(', ')}${codes.length > 5 ? ', …' : ''}), the worst of them ${worst === 'info' ? 'information' : worst === 'error' ? 'an error' : 'a warning'}; ` +
        `the checker shows at most ${thousands(LIMITS.diagnostics)} per file. Fix the ones above first.`,
    ),
  ];
}
