import { LIMITS } from '../../compose/analysisLimits';

/**
 * The first few items of `all` other than `self`, in order: what one message names. Scans at
 * most LIMITS.namesPerMessage + 1 items, so a rule giving each of n services such a list stays
 * linear (listing all the others made 3,000 producers 142 MB of output).
 */
export function othersThan<T>(all: readonly T[], self: T, max: number = LIMITS.namesPerMessage): T[] {
  const out: T[] = [];
  for (const x of all) {
    if (out.length >= max) break;
    if (x !== self) out.push(x);
  }
  return out;
}
