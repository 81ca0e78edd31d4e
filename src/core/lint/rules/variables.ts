import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'variable-unset': { severity: 'warning', summary: 'A ${VAR} with no value and no default; docker-compose substitutes an empty string.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** Unset `${VAR}`: docker-compose warns and substitutes "" — or refuses, for `${VAR:?msg}`. */
export const variables: Rule = ({ model, report }) => {
  const seen = new Set<string>();
  for (const v of model.variables) {
    if (!v.unset) continue;
    const key = `${v.range.start}:${v.range.end}:${v.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const required = v.operator?.includes('?');
    report(
      diagnostic(
        'variable-unset',
        v.range,
        required
          ? `Variable ${v.name} is required but not set${v.operand ? `: ${v.operand}` : ''}; docker-compose will refuse the file.`
          : `Variable ${v.name} is not set (no value in .env or the env files, no default); docker-compose substitutes an empty string.`,
        required ? { severity: 'error' } : {},
      ),
    );
  }
};

export const variablesRule = declareRule({
  rule: variables,
  codes: CODES,
  kinds: ['compose'],
});
