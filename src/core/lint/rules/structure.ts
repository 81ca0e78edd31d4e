import { COMPOSE_V2_ONLY, composeFileSpec } from '../../compose/composeSpec';
import { validateStructure } from '../../compose/specValidator';
import { diagnostic } from '../diagnostic';
import type { Rule } from '../ruleContext';

/** Generic structure against the compose specification, for every service. */
export const structure: Rule = ({ model, report }) => {
  const root = model.doc.contents;
  if (root === null) return;
  for (const p of validateStructure(model.doc, root, composeFileSpec)) {
    const key = p.path.split('.').pop() ?? '';
    const v2 = p.kind === 'unknown-key' && COMPOSE_V2_ONLY.has(key) ? ' Compose v2 knows it, but docker-compose 1.x refuses the file.' : '';
    report(diagnostic(p.kind === 'type' ? 'compose-type' : 'compose-unknown-key', p.range, `${p.message}.${v2}`));
  }
};
