import type { Document, Node } from 'yaml';
import type { Range } from './range';

/**
 * Limits that keep one analysis of one file bounded in time, memory and output whatever the file
 * holds. The extension parses the remote compose file as soon as it connects, so a file that made
 * the checker run for minutes would freeze the extension host of every operator who connects.
 *
 * The figures are far above what a real kafka_writers file needs: the largest version in
 * lsst-it/docker-compose-ops history is 9 KB with 20 producers; the 200-producer bench file
 * (bench/validate.ts) is about 90 KB and does about 10,000 units of work.
 */
export const LIMITS = {
  /**
   * Bytes of compose text analysed (2 MiB, over 200 times the largest real file). Above it the
   * file gets one diagnostic and nothing else: the YAML parser alone takes about a second per
   * MiB of dense mappings and the editor would hold every node of it.
   */
  inputBytes: 2 * 1024 * 1024,
  /**
   * Lines, commas, opening brackets and `- ` of the text, counted before parsing: a bound on the
   * YAML nodes (and nesting levels) the parser would build. The parser needs some 5 µs and 1 KB
   * per node: a 2 MiB flow list of a million items took 5 s and 1.3 GB, two million `[` 6 s and
   * 1.9 GB. 100,000 is 300 times the real file (about 300 lines) and 4 times a 3,000-producer file.
   */
  structureTokens: 100_000,
  /**
   * Units of work spent expanding YAML merge keys (`<<: *anchor`) and walking aliased nodes: one
   * unit per map entry produced or node visited. A million is about a tenth of a second.
   */
  expansionWork: 1_000_000,
  /** Merge keys nested inside merged mappings deeper than this are not followed (cycles, stack). */
  mergeDepth: 64,
  /** Diagnostics kept per file; the rest are summed up in one message. */
  diagnostics: 1000,
  /** Names listed in one message ("… and 2,997 more"). */
  namesPerMessage: 3,
  /** Characters of one message (they quote tokens and names from the file). */
  messageChars: 500,
} as const;

/** The first limit an analysis reached, where, and why it matters. */
export interface LimitHit {
  range: Range;
  message: string;
}

/**
 * Work spent on one parsed document, shared by everything that expands it (model building,
 * structure checks). The parsed document is never modified after parsing, so per-node results
 * can be cached on it.
 */
export class ExpansionBudget {
  spent = 0;
  hit: LimitHit | undefined;

  /** Spends `units`; false (and the first offending node remembered) once the budget is gone. */
  spend(units: number, node: Node | null | undefined, what: string): boolean {
    if (this.hit) return false;
    this.spent += units;
    if (this.spent <= LIMITS.expansionWork) return true;
    this.exceed(node, `${what} needs more than ${thousands(LIMITS.expansionWork)} steps`);
    return false;
  }

  exceed(node: Node | null | undefined, reason: string): void {
    if (this.hit) return;
    const r = node?.range;
    this.hit = {
      range: r ? { start: r[0], end: Math.max(r[0] + 1, Math.min(r[1], r[0] + 200)) } : { start: 0, end: 1 },
      message:
        `Not checked completely: ${reason}, over the checker's limit. YAML merge keys and aliases ` +
        `here expand to far more than any kafka_writers file needs (a "billion laughs" shape?); ` +
        `the results shown may be incomplete.`,
    };
  }
}

const budgets = new WeakMap<Document, ExpansionBudget>();

export function budgetOf(doc: Document): ExpansionBudget {
  let b = budgets.get(doc);
  if (!b) budgets.set(doc, (b = new ExpansionBudget()));
  return b;
}

/** "a, b, c and 2,997 more" — at most LIMITS.namesPerMessage names, whatever the count. */
export function nameList(first: string[], total: number): string {
  const shown = first.slice(0, LIMITS.namesPerMessage);
  const more = total - shown.length;
  return more <= 0 ? shown.join(', ') : `${shown.join(', ')} and ${thousands(more)} more`;
}

/** 2997 → "2,997" (no dependence on the ICU data Node was built with). */
export function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Newlines, commas, `[`, `{` and `- ` in the text: each opens or separates at most a few YAML
 * nodes, and nesting needs one of them per level. Counted even inside quotes and comments (a
 * harmless overestimate, far below the limit for any real file). Stops at `max + 1`.
 */
export function countStructureTokens(text: string, max: number): number {
  let n = 0;
  for (let i = 0; i < text.length && n <= max; i++) {
    const c = text.charCodeAt(i);
    // \n , [ {   and '-' followed by a space
    if (c === 10 || c === 44 || c === 91 || c === 123 || (c === 45 && text.charCodeAt(i + 1) === 32)) n++;
  }
  return n;
}
