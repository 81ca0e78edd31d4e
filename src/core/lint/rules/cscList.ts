import { describeIndexRule } from '../../catalogue/catalogue';
import { indexRange, PRODUCER_VALUE_OPTIONS } from '../../compose/cscList';
import type { CscToken, Range, ServiceModel } from '../../compose/model';
import { diagnostic, Fix } from '../diagnostic';
import type { Rule, RuleContext } from '../ruleContext';
import { CscEra, NameScope } from './cscEra';

/** Each CSC_LIST word: known, current, correctly indexed, not repeated. */
export const cscListRules: Rule = (ctx) => {
  // The shipped catalogue carries the ts_xml history: names are checked against each
  // producer's image. A user's own catalogue file is used as written, for every producer.
  const history = ctx.catalogue.history;
  const era = history ? new CscEra(ctx.model, history, ctx.catalogue, (d) => ctx.report(d), ctx.options.imageCatalogue) : undefined;
  for (const service of ctx.model.services) {
    if (!service.cscList) continue;
    const { tokens, entry } = service.cscList;
    if (!tokens.length) {
      ctx.report(
        diagnostic('csc-list-empty', entry.value?.range ?? entry.keyRange, `CSC_LIST of ${service.name} is empty: the producer would write nothing to the EFD.`),
      );
      continue;
    }
    checkOptions(ctx, service, tokens);
    const scope: NameScope = era?.scope(service) ?? { catalogue: ctx.catalogue };
    const seen = new Map<string, CscToken>();
    for (const token of tokens) {
      if (token.kind !== 'csc') continue;
      checkName(ctx, token, scope, era);
      const key = token.text;
      const first = seen.get(key);
      if (first) {
        ctx.report(
          diagnostic('csc-duplicate', token.range, `${token.text} is already in the CSC_LIST of ${service.name}.`, {
            fixes: token.exact ? [removeTokenFix(ctx.model.text, token, tokens[0] === token, `Remove duplicate ${token.text}`)] : undefined,
            related: [{ range: first.range, message: 'first listed here' }],
          }),
        );
      } else {
        seen.set(key, token);
      }
    }
  }
};

function checkName(ctx: RuleContext, token: CscToken, scope: NameScope, era: CscEra | undefined): void {
  const { catalogue } = scope;
  const info = catalogue.get(token.name);
  if (!info) {
    if (era?.missing(token, scope)) return;
    const retired = era ? undefined : catalogue.retired(token.name);
    if (retired) {
      const suffix = token.index !== undefined ? `:${token.index}` : '';
      ctx.report(
        diagnostic(
          'csc-retired',
          token.range,
          retired.replacement
            ? `${token.name} is a retired SAL component; it is now ${retired.replacement}.`
            : `${token.name} is a retired SAL component with no replacement; the producer cannot read it.`,
          { fixes: retired.replacement && token.exact ? [replaceNameFix(token, retired.replacement + suffix, true)] : undefined },
        ),
      );
      return;
    }
    const suggestions = catalogue.suggest(token.name);
    const hint = suggestions.length ? ` Did you mean ${suggestions.join(' or ')}?` : '';
    const tail = era ? 'No ts_xml release has it; the producer exits when it cannot find a component.' : 'The producer exits when it cannot find a component.';
    ctx.report(
      diagnostic('csc-unknown', token.exact ? nameRange(token) : token.range, `Unknown SAL component "${token.name}".${hint} ${tail}`, {
        fixes: token.exact ? suggestions.map((s, i) => replaceNameFix(token, s, i === 0)) : undefined,
      }),
    );
    return;
  }
  if (token.index === undefined) return;
  const range = indexRange(token);
  if (info.index.kind === 'none') {
    ctx.report(
      diagnostic('csc-index-not-indexed', range, `${info.name} is not indexed; remove ":${token.index}".`, {
        fixes: token.exact ? [{ title: `Remove index :${token.index}`, edits: [{ range, newText: '' }], preferred: true }] : undefined,
      }),
    );
    return;
  }
  if (!/^\d+$/.test(token.index)) {
    ctx.report(diagnostic('csc-index-invalid', range, `Index "${token.index}" of ${info.name} must be an integer (${describeIndexRule(info.index)}).`));
    return;
  }
  if (info.index.kind === 'named') {
    const n = Number(token.index);
    if (!info.index.values.some((v) => v.value === n)) {
      ctx.report(
        diagnostic('csc-index-invalid', range, `${info.name} has no index ${token.index}; it is ${describeIndexRule(info.index)}.`),
      );
    }
  }
}

function checkOptions(ctx: RuleContext, service: ServiceModel, tokens: CscToken[]): void {
  tokens.forEach((t, i) => {
    if (t.kind !== 'option') return;
    if (!PRODUCER_VALUE_OPTIONS.has(t.name)) {
      ctx.report(diagnostic('csc-list-option', t.range, `run_salkafka_producer.py has no option ${t.name} (in the CSC_LIST of ${service.name}).`));
    } else if (!t.text.includes('=') && tokens[i + 1]?.kind !== 'optionValue') {
      ctx.report(diagnostic('csc-list-option', t.range, `${t.name} needs a value (e.g. --file m1m3.yaml).`, { severity: 'error' }));
    }
  });
}

function nameRange(token: CscToken): Range {
  return { start: token.range.start, end: token.range.start + token.name.length };
}

function replaceNameFix(token: CscToken, replacement: string, preferred: boolean): Fix {
  const range = replacement.includes(':') ? token.range : nameRange(token);
  return { title: `Replace with ${replacement}`, edits: [{ range, newText: replacement }], preferred };
}

/**
 * Deletes a word and the blanks before it (after it, for the first word of the list),
 * so the rest of the line stays exactly as written.
 */
export function removeTokenFix(text: string, token: CscToken, isFirst: boolean, title: string): Fix {
  let { start, end } = token.range;
  const blank = (c: string | undefined) => c === ' ' || c === '\t';
  if (isFirst) while (end < text.length && blank(text[end])) end++;
  else while (start > 0 && blank(text[start - 1])) start--;
  return { title, edits: [{ range: { start, end }, newText: '' }], preferred: true };
}
