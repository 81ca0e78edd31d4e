import { thousands } from '../../compose/analysisLimits';
import type { VariableRef } from '../../compose/model';
import { LineIndex } from '../../text/lineIndex';
import { diagnosticsOf, type CodeTable, type RelatedInfo } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'variable-unset': { severity: 'warning', summary: 'A ${VAR} with no value and no default; docker-compose substitutes an empty string. One finding per variable and file, on its first use, naming its other places.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** Other places of one unset variable listed with its finding (and lines named in its message). */
const MAX_RELATED = 20;
const MAX_LINES = 10;

/**
 * Unset `${VAR}`: docker-compose warns and substitutes "" — or refuses, for `${VAR:?msg}`.
 * One finding per variable per file, on its first use, with its other places: docker-compose
 * itself warns once per variable, and one unset `${CYCLE}` used in 300 places was 300 warnings
 * (999 on a real ts_cycle_build file, which pushed everything else past the diagnostics cap).
 */
export const variables: Rule = ({ model, report }) => {
  const byName = new Map<string, VariableRef[]>();
  const seen = new Set<string>();
  for (const v of model.variables) {
    if (!v.unset) continue;
    const place = `${v.range.start}:${v.range.end}:${v.name}`;
    if (seen.has(place)) continue;
    seen.add(place);
    const required = v.operator?.includes('?') ?? false;
    // A required use refuses the file on its own: kept apart from the plain uses.
    const key = `${required ? '?' : ''}${v.name}`;
    const list = byName.get(key);
    if (list) list.push(v);
    else byName.set(key, [v]);
  }
  let lines: LineIndex | undefined;
  const lineOf = (v: VariableRef) => (lines ??= new LineIndex(model.text)).positionAt(v.range.start).line + 1;
  for (const uses of byName.values()) {
    uses.sort((a, b) => a.range.start - b.range.start);
    const [v] = uses;
    const required = v.operator?.includes('?') ?? false;
    let more = '';
    if (uses.length > 1) {
      // The CLI shows no related places: the lines are in the message.
      const at = [...new Set(uses.map(lineOf))];
      const shown = at.slice(0, MAX_LINES).join(', ');
      more = ` It is used in ${thousands(uses.length)} places (line${at.length > 1 ? 's' : ''} ${shown}${at.length > MAX_LINES ? ` and ${thousands(at.length - MAX_LINES)} more` : ''}).`;
    }
    const related: RelatedInfo[] = uses.slice(1, 1 + MAX_RELATED).map((u) => ({ range: u.range, message: `${u.name} is also used here` }));
    report(
      diagnostic(
        'variable-unset',
        v.range,
        required
          ? `Variable ${v.name} is required but not set${v.operand ? `: ${v.operand}` : ''}; docker-compose will refuse the file.${more}`
          : `Variable ${v.name} is not set (no value in .env or the env files, no default); docker-compose substitutes an empty string.${more}`,
        { ...(required ? { severity: 'error' as const } : {}), ...(related.length ? { related } : {}) },
      ),
    );
  }
};

export const variablesRule = declareRule({
  rule: variables,
  codes: CODES,
  kinds: ['compose'],
  // One finding per variable per file, with its places across services.
  crossService: ['variable-unset'],
});
