// CSC_LIST edits as minimal text edits on the exact token ranges of the compose model, so
// every byte outside the changed word (comments, indentation, quoting, other services) stays
// as the team wrote it. Every refusal happens before any text is produced.
import type { Catalogue } from '../catalogue/catalogue';
import type { CscToken, ServiceModel, Variables } from '../compose/model';
import { parseCompose } from '../compose/parseCompose';
import type { Diagnostic } from '../lint/diagnostic';
import { lintCompose } from '../lint/lint';
import { removeTokenFix } from '../lint/rules/cscList';
import { InvalidNameError, validateCscToken, validateServiceName } from '../remote/names';
import { OpsRefusedError } from './errors';

export interface CscEditOptions {
  /** When given, the new text is linted and a change that ADDS an error is refused. */
  catalogue?: Catalogue;
  variables?: Variables;
  /** Plan the change even though it adds lint errors (they are returned in addedErrors). */
  force?: boolean;
}

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface CscEditResult {
  service: string;
  token: string;
  text: string;
  edit: TextEdit;
  /** CSC_LIST words before and after (options included, as written). */
  before: string[];
  after: string[];
  /** Lint errors the change adds (only non-empty when forced). */
  addedErrors: Diagnostic[];
}

function validated(service: string, token: string): void {
  try {
    validateServiceName(service);
    validateCscToken(token);
  } catch (err) {
    if (err instanceof InvalidNameError) throw new OpsRefusedError('invalid-name', err.message);
    throw err;
  }
}

/** The producer service and its exact CSC_LIST tokens, or a refusal saying why not. */
function editableCscList(text: string, service: string, variables: Variables | undefined): { svc: ServiceModel; tokens: CscToken[] } {
  const model = parseCompose(text, { variables });
  const svc = model.services.find((s) => s.name === service);
  if (!svc) {
    const producers = model.services.filter((s) => s.isProducer).map((s) => s.name);
    throw new OpsRefusedError('unknown-service', `There is no service ${service} in the compose file${producers.length ? ` (producers: ${producers.join(', ')})` : ''}.`);
  }
  if (!svc.isProducer) throw new OpsRefusedError('not-producer', `${service} is not a SAL Kafka producer (no CSC_LIST, name not salkafka-*).`);
  const list = svc.cscList;
  if (!list || !list.entry.value) throw new OpsRefusedError('no-csc-list', `${service} has no CSC_LIST value to edit.`);
  if (list.tokens.some((t) => t.kind === 'option' && t.name === '--file')) {
    throw new OpsRefusedError(
      'file-producer',
      `${service} reads its topics from a --file topic-set file (CSC_LIST=${list.entry.value.raw.trim()}); edit that file on the host instead of CSC_LIST.`,
    );
  }
  if (!list.entry.value.exact || list.entry.value.variables.length > 0 || list.tokens.some((t) => !t.exact)) {
    throw new OpsRefusedError(
      'csc-list-not-exact',
      `CSC_LIST of ${service} is written as "${list.entry.value.raw.trim()}" (a \${VAR} or a multi-line/escaped value); edit it by hand so the variable's source changes, not a copy.`,
    );
  }
  return { svc, tokens: list.tokens };
}

function cscWords(text: string, service: string, variables: Variables | undefined): string[] {
  const svc = parseCompose(text, { variables }).services.find((s) => s.name === service);
  return (svc?.cscList?.tokens ?? []).map((t) => t.text);
}

function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, e.start) + e.newText + text.slice(e.end);
}

/**
 * Lint errors present in newText and not in oldText. Positions move with the edit, so errors
 * are compared by code and message (as a multiset).
 */
export function addedLintErrors(oldText: string, newText: string, opts: { catalogue: Catalogue; variables?: Variables }): Diagnostic[] {
  const key = (d: Diagnostic) => `${d.code}\u0000${d.message}`;
  const before = new Map<string, number>();
  for (const d of lintCompose(oldText, opts).diagnostics) if (d.severity === 'error') before.set(key(d), (before.get(key(d)) ?? 0) + 1);
  const added: Diagnostic[] = [];
  for (const d of lintCompose(newText, opts).diagnostics) {
    if (d.severity !== 'error') continue;
    const n = before.get(key(d)) ?? 0;
    if (n > 0) before.set(key(d), n - 1);
    else added.push(d);
  }
  return added;
}

function finish(
  oldText: string,
  service: string,
  token: string,
  edit: TextEdit,
  expected: string[],
  before: string[],
  opts: CscEditOptions,
): CscEditResult {
  const text = applyEdit(oldText, edit);
  // Self-check: the edited file must parse to exactly the intended CSC_LIST.
  const after = cscWords(text, service, opts.variables);
  if (after.join(' ') !== expected.join(' ')) {
    throw new OpsRefusedError(
      'edit-check-failed',
      `Editing CSC_LIST of ${service} did not give the expected list (expected "${expected.join(' ')}", the file would say "${after.join(' ')}"); nothing was changed. Edit the file by hand.`,
    );
  }
  let addedErrors: Diagnostic[] = [];
  if (opts.catalogue) {
    addedErrors = addedLintErrors(oldText, text, { catalogue: opts.catalogue, variables: opts.variables });
    if (addedErrors.length && !opts.force) {
      throw new OpsRefusedError(
        'lint-errors',
        `Refusing to plan: the change adds ${addedErrors.length === 1 ? 'an error' : `${addedErrors.length} errors`} to the compose file: ${addedErrors.map((d) => d.message).join(' ')}`,
        addedErrors.map((d) => `${d.code}: ${d.message}`),
      );
    }
  }
  return { service, token, text, edit, before, after, addedErrors };
}

/** Appends `token` to the CSC_LIST of `service` (after its last word, one space before it). */
export function addCscToService(text: string, service: string, token: string, opts: CscEditOptions = {}): CscEditResult {
  validated(service, token);
  const { svc, tokens } = editableCscList(text, service, opts.variables);
  const before = tokens.map((t) => t.text);
  if (tokens.some((t) => t.kind === 'csc' && t.text === token)) {
    throw new OpsRefusedError('csc-present', `${token} is already in the CSC_LIST of ${service} (${before.join(' ')}).`);
  }
  const last = tokens[tokens.length - 1];
  const value = svc.cscList!.entry.value!;
  const edit: TextEdit = last
    ? { start: last.range.end, end: last.range.end, newText: ` ${token}` }
    : // Empty CSC_LIST: write the word where the value's characters end (after any blanks).
      { start: value.range.end, end: value.range.end, newText: value.raw.length && !/\s$/.test(value.raw) ? ` ${token}` : token };
  return finish(text, service, token, edit, [...before, token], before, opts);
}

/** Removes `token` from the CSC_LIST of `service`, with the blanks that separated it. */
export function removeCscFromService(text: string, service: string, token: string, opts: CscEditOptions = {}): CscEditResult {
  validated(service, token);
  const { tokens } = editableCscList(text, service, opts.variables);
  const before = tokens.map((t) => t.text);
  const target = tokens.find((t) => t.kind === 'csc' && t.text === token);
  if (!target) throw new OpsRefusedError('csc-absent', `${token} is not in the CSC_LIST of ${service} (${before.join(' ')}).`);
  if (tokens.filter((t) => t.kind === 'csc').length === 1) {
    throw new OpsRefusedError(
      'last-csc',
      `${token} is the only CSC of ${service}; removing it would leave the producer with nothing to write. Stop the producer instead.`,
    );
  }
  const fix = removeTokenFix(text, target, tokens[0] === target, '');
  const r = fix.edits[0].range;
  const expected = before.filter((_w, i) => tokens[i] !== target);
  return finish(text, service, token, { start: r.start, end: r.end, newText: '' }, expected, before, opts);
}
