import { composeFileSpec } from '../../compose/composeSpec';
import { validateStructure } from '../../compose/specValidator';
import { diagnostic } from '../diagnostic';
import type { Rule } from '../ruleContext';

/** Generic structure against the compose specification, for every service. */
export const structure: Rule = ({ model, report }) => {
  const root = model.doc.contents;
  if (root === null) return;
  for (const p of validateStructure(model.doc, root, composeFileSpec)) {
    report(diagnostic(p.kind === 'type' ? 'compose-type' : 'compose-unknown-key', p.range, `${p.message}.`));
  }
};
