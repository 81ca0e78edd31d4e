import { diagnosticsOf, type CodeTable } from '../diagnostic';
import { declareRule, type Rule } from '../ruleContext';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  'env-file-unreadable': { severity: 'warning', summary: 'An env_file that is not a regular file or is too large was not read (a device or FIFO would hang docker-compose too).' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/**
 * An env_file the caller refused to read (a device, a FIFO, a huge file): said on the entry, since
 * its keys are then unknown and docker-compose would hang or fail on it too.
 */
export const envFileProblems: Rule = (ctx) => {
  const problems = ctx.options.envFileErrors;
  if (!problems) return;
  for (const service of ctx.model.services) {
    for (const f of service.envFiles) {
      const reason = problems[f.value];
      if (reason) ctx.report(diagnostic('env-file-unreadable', f.range, `env_file ${f.value} was not read: ${reason}.`));
    }
  }
};

export const envFileProblemsRule = declareRule({
  rule: envFileProblems,
  codes: CODES,
  kinds: ['compose'],
});
