import { diagnostic } from '../diagnostic';
import type { Rule } from '../ruleContext';

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
