import { describeIndexRule } from '../../catalogue/catalogue';
import { indexRange } from '../../compose/cscList';
import { resolveProducerOption, type ProducerOption } from '../../compose/producerOptions';
import type { CscToken, Range, ServiceModel } from '../../compose/model';
import { diagnosticsOf, type CodeTable, Fix } from '../diagnostic';
import { declareRule, type Rule, type RuleContext } from '../ruleContext';
import { CSC_NAME_CODES, CscEra, NameScope } from './cscEra';
import { historyOf } from '../../catalogue/history';

/** The codes this rule reports (severity and summary; the README table shows them). */
export const CODES = {
  ...CSC_NAME_CODES,
  'csc-list-empty': { severity: 'error', summary: 'CSC_LIST is empty: the producer would write nothing.' },
  'csc-duplicate': { severity: 'error', summary: 'The same component appears twice in one CSC_LIST; run_salkafka_producer.py stops ("has duplicates").' },
  'csc-index-not-indexed': { severity: 'error', summary: 'An index is given for a component that is not indexed.' },
  'csc-index-invalid': { severity: 'error', summary: 'The index is not one the component enumerates.' },
  'csc-list-option': { severity: 'error', summary: 'An option in CSC_LIST that stops run_salkafka_producer.py: unknown or ambiguous, missing or bad value, `--file` with component names, `--validate`/`--show-schema`/`--help` (it exits), `--username` without `--password` or the reverse. A password written in clear is a warning.' },
} as const satisfies CodeTable;
const diagnostic = diagnosticsOf(CODES);

/** Each CSC_LIST word: known, current, correctly indexed, not repeated. */
export const cscListRules: Rule = (ctx) => {
  // The shipped catalogue carries the ts_xml history: names are checked against each
  // producer's image. A user's own catalogue file is used as written, for every producer.
  const history = historyOf(ctx.catalogue);
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
      // A CSC_LIST of 100,000 unknown names: suggestions for each would take seconds, to be dropped.
      if (ctx.saturated) return;
      if (token.kind !== 'csc') continue;
      checkName(ctx, token, scope, era);
      const key = token.text;
      const first = seen.get(key);
      if (first) {
        ctx.report(
          diagnostic('csc-duplicate', token.range, `${token.text} is already in the CSC_LIST of ${service.name}: run_salkafka_producer.py stops ("components … has duplicates").`, {
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

/**
 * Options in CSC_LIST reach run_salkafka_producer.py's argument parser; everything it refuses
 * (argparse exits, or the checks after it in ComponentProducerSet.amain) stops the producer,
 * so those are errors. See src/core/compose/producerOptions.ts.
 */
function checkOptions(ctx: RuleContext, service: ServiceModel, tokens: CscToken[]): void {
  const given = new Map<string, { token: CscToken; value?: string }>();
  let exits = false;
  const fail = (t: CscToken, message: string) => ctx.report(diagnostic('csc-list-option', t.range, message, { severity: 'error' }));
  tokens.forEach((t, i) => {
    if (t.kind !== 'option') return;
    const resolved = resolveProducerOption(t.name);
    if (resolved.kind === 'unknown') {
      fail(t, `run_salkafka_producer.py has no option ${t.name} (in the CSC_LIST of ${service.name}): it stops with "unrecognized arguments".`);
      return;
    }
    if (resolved.kind === 'ambiguous') {
      fail(t, `${t.name} is ambiguous (${resolved.candidates.join(', ')}): run_salkafka_producer.py stops.`);
      return;
    }
    const option = resolved.option;
    if (option.value === 'flag') {
      given.set(option.name, { token: t });
      exits ||= option.exitsWithoutProducing === true;
      if (option.exitsWithoutProducing) fail(t, `With ${t.name}, run_salkafka_producer.py ${option.summary}: ${service.name} would write nothing to the EFD.`);
      return;
    }
    const eq = t.text.indexOf('=');
    const value = eq >= 0 ? t.text.slice(eq + 1) : tokens[i + 1]?.kind === 'optionValue' ? tokens[i + 1].text : undefined;
    given.set(option.name, { token: t, value });
    if (value === undefined) {
      fail(t, `${t.name} needs a value (${option.summary}).`);
      return;
    }
    const problem = valueProblem(option, value);
    if (problem) fail(t, `${option.name} ${value}: ${problem}; run_salkafka_producer.py stops.`);
  });
  const file = given.get('--file');
  if (file && tokens.some((t) => t.kind === 'csc')) {
    fail(file.token, 'Cannot give component names and --file together (run_salkafka_producer.py stops: "pick one"); give --file alone, in a producer of its own.');
  }
  if (!file && !exits && !tokens.some((t) => t.kind === 'csc')) {
    ctx.report(diagnostic('csc-list-empty', service.cscList!.entry.value?.range ?? service.cscList!.entry.keyRange, `CSC_LIST of ${service.name} names no component and no --file: run_salkafka_producer.py stops with "Nothing to do".`));
  }
  // SASL: each needs the other (amain's checks); the kafka-producers chart passes the
  // password from TS_SALKAFKA_PASSWORD, so an environment entry counts as given.
  const user = given.get('--username');
  const password = given.get('--password');
  if (user && !password && !service.env.has('TS_SALKAFKA_PASSWORD')) fail(user.token, '--username without --password: run_salkafka_producer.py stops ("You must specify --password if you specify --username").');
  if (password && !user && !service.env.has('TS_SALKAFKA_USERNAME')) fail(password.token, '--password without --username: run_salkafka_producer.py stops ("You must specify --username if you specify --password").');
  // Only a password written literally: an interpolated one comes from an env file.
  if (password?.value !== undefined && password.token.exact) {
    ctx.report(diagnostic('csc-list-option', password.token.range, 'A password written in the compose file is readable by anyone who can read the file or run docker inspect; pass it in TS_SALKAFKA_PASSWORD from an env file instead.', { severity: 'warning' }));
  }
}

function valueProblem(option: ProducerOption, value: string): string | undefined {
  switch (option.value) {
    case 'int':
      return /^[-+]?\d+$/.test(value) ? undefined : 'not an integer';
    case 'positiveInt':
      return !/^[-+]?\d+$/.test(value) ? 'not an integer' : Number(value) <= 0 ? 'must be positive' : undefined;
    case 'choice':
      return option.choices!.includes(value) ? undefined : `must be one of ${option.choices!.join(', ')}`;
    default:
      return undefined;
  }
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

export const cscListRule = declareRule({
  rule: cscListRules,
  codes: CODES,
  kinds: ['compose', 'values'],
  perService: true,
});
