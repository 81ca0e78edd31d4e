import { COMPOSE_V2_ONLY, composeFileSpec } from '../../compose/composeSpec';
import { validateStructure } from '../../compose/specValidator';
import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';
import { hasSyntaxError } from './yamlErrors';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'compose-type': { severity: 'error', summary: 'A compose key has a value of the wrong type.' },
  'compose-unknown-key': { severity: 'error', summary: 'A key docker-compose does not know; it refuses the file.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** Generic structure against the compose specification, for every service. */
export const structure: Rule = ({ model, report }) => {
  // docker-compose stops at the first YAML error; the recovered tree below it is not the user's.
  if (hasSyntaxError(model)) return;
  const root = model.doc.contents;
  if (root === null) {
    report(diagnostic('compose-type', { start: 0, end: Math.min(1, model.text.length) }, 'The file has no content (or only comments); docker-compose refuses it: the top level must be a mapping with services:.'));
    return;
  }
  for (const p of validateStructure(model.doc, root, composeFileSpec)) {
    const key = p.path.split('.').pop() ?? '';
    const v2 = p.kind === 'unknown-key' && COMPOSE_V2_ONLY.has(key) ? ' Compose v2 knows it, but docker-compose 1.x refuses the file.' : '';
    report(diagnostic(p.kind === 'type' ? 'compose-type' : 'compose-unknown-key', p.range, `${p.message}.${v2}`));
  }
};

export const structureRule = declareRule({
  rule: structure,
  codes: CODES,
  kinds: ['compose'],
});
