import { LIMITS } from '../compose/analysisLimits';
import type { ComposeModel, Range, ServiceModel, VariableRef } from '../compose/model';
import { parseYamlDocument } from '../compose/parseCompose';
import { clipMessage } from './clipMessage';
import type { Diagnostic } from './diagnostic';
import { CROSS_SERVICE_CODES, CROSS_SERVICE_RULES, LIMIT_CODE, RULE_OF_CODE } from './registry';
import type { LintOptions, LintResult, RuleContext } from './ruleContext';

/**
 * Re-lints a compose file after an edit by re-parsing only the services whose text changed.
 *
 * The file is split by a text scan into a prelude (everything up to the first service key,
 * including `x-` anchor blocks and the `services:` line), one chunk per service and an
 * epilogue (top-level keys after `services:`). A changed chunk is linted on its own as
 * `prelude + chunk`, so the anchors it references resolve exactly as in the whole file;
 * its diagnostics are shifted to the chunk's place. Unchanged chunks keep their earlier
 * results, shifted by the length change before them. The rules that compare services with
 * each other run again on the combined services.
 *
 * Whenever the split or a result could differ from a whole-file lint, it falls back to
 * `lintCompose` (see `splitCompose` and `reusable`): the result must always be identical.
 */
export class IncrementalLinter {
  private state: State | undefined;
  /** How the last call was answered: for tests and the bench. */
  lastMode: 'incremental' | 'full' = 'full';

  constructor(private readonly lintCompose: (text: string, options: LintOptions) => LintResult) {}

  lint(text: string, options: LintOptions): LintResult {
    const result = this.state && this.tryIncremental(this.state, text, options);
    this.lastMode = result ? 'incremental' : 'full';
    if (result) return result;
    const full = this.lintCompose(text, options);
    this.state = baseline(text, options, full);
    return full;
  }

  private tryIncremental(prev: State, text: string, options: LintOptions): LintResult | undefined {
    if (prev.catalogue !== options.catalogue || prev.imageCatalogue !== options.imageCatalogue || prev.optionsKey !== optionsKey(options)) return undefined;
    const split = splitCompose(text);
    // Prelude and epilogue must be unchanged and the services the same in number:
    // adding or removing a service, or editing the anchors, is linted whole.
    if (!split || split.chunks.length !== prev.chunks.length) return undefined;
    if (text.slice(0, split.preludeEnd) !== prev.text.slice(0, prev.preludeEnd)) return undefined;
    if (text.slice(split.epilogueStart) !== prev.text.slice(prev.epilogueStart)) return undefined;
    const chunks: Chunk[] = [];
    let relinted = 0;
    for (let i = 0; i < split.chunks.length; i++) {
      const { start, end } = split.chunks[i];
      const old = prev.chunks[i];
      const chunkText = text.slice(start, end);
      if (chunkText === old.text) {
        chunks.push(shiftChunk(old, start, split.preludeEnd));
        continue;
      }
      // Several services changed at once (paste, replace all…): a whole lint is as cheap.
      if (++relinted > 2) return undefined;
      const fresh = lintChunk(this.lintCompose, text, split.preludeEnd, start, end, options);
      if (!fresh) return undefined;
      chunks.push(fresh);
    }
    if (new Set(chunks.map((c) => c.service.name)).size !== chunks.length) return undefined;
    const state: State = { ...prev, text, preludeEnd: split.preludeEnd, epilogueStart: split.epilogueStart, chunks, epilogueVariables: shiftAll(prev.epilogueVariables, split.epilogueStart - prev.epilogueStart, split.preludeEnd) };
    this.state = state;
    const result = assemble(state);
    // Past the cap the whole-file lint drops and sums up diagnostics: let it do that.
    return result.diagnostics.length > LIMITS.diagnostics ? undefined : result;
  }
}

interface State {
  text: string;
  catalogue: LintOptions['catalogue'];
  imageCatalogue: LintOptions['imageCatalogue'];
  optionsKey: string;
  preludeEnd: number;
  epilogueStart: number;
  chunks: Chunk[];
  servicesRange?: Range;
  /** Top-level declarations: in the prelude or epilogue, which an incremental lint never changes. */
  declared: ComposeModel['declared'];
  preludeVariables: VariableRef[];
  epilogueVariables: VariableRef[];
}

/** One service's text and its results, in absolute offsets of the text it was last seen in. */
interface Chunk {
  start: number;
  text: string;
  service: ServiceModel;
  /** Diagnostics of the per-service rules (everything but the cross-service codes). */
  diagnostics: Diagnostic[];
  variables: VariableRef[];
}

/** Codes that depend on several services; recomputed on the combined services every time. */
const CROSS_SERVICE = CROSS_SERVICE_CODES;

/** Rule order of lintModel (registry.ts), so diagnostics on the same range keep the same order. */
const ruleOf = (d: Diagnostic) => RULE_OF_CODE.get(d.code) ?? RULE_OF_CODE.size;

function optionsKey(o: LintOptions): string {
  return JSON.stringify([o.variables ?? null, o.serviceEnvFiles ?? null, o.envFileErrors ?? null]);
}

export interface ComposeSplit {
  /** Start of the first service key line; the prelude ends with the `services:` line. */
  preludeEnd: number;
  chunks: { name: string; start: number; end: number }[];
  epilogueStart: number;
}

const SERVICE_KEY = /^( +)([A-Za-z0-9._-]+):[ ]*(#.*)?$/;

/**
 * Splits at service keys by indentation, or returns undefined for any layout where a chunk
 * might not parse on its own as it does in the file: CR line ends, tabs in indentation,
 * document markers or directives, a flow-style or quoted service key, a line less indented
 * than the service keys inside `services:`, anchors defined inside a service (aliases
 * elsewhere would need them), no or several `services:` keys.
 */
export function splitCompose(text: string): ComposeSplit | undefined {
  if (text.includes('\r')) return undefined;
  let servicesLine = -1;
  let preludeEnd = -1;
  let epilogueStart = text.length;
  let indent = -1;
  const chunks: ComposeSplit['chunks'] = [];
  for (let pos = 0; pos < text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(pos, nl < 0 ? text.length : nl);
    const lineStart = pos;
    pos = end;
    const content = line.trimStart();
    if (/^[ ]*\t/.test(line)) return undefined;
    if (content === '' || content.startsWith('#')) continue;
    const lineIndent = line.length - content.length;
    if (lineIndent === 0) {
      if (/^(---|\.\.\.|%)/.test(line)) return undefined;
      if (/^services\s*:/.test(line)) {
        if (servicesLine >= 0 || !/^services:[ ]*(#.*)?$/.test(line)) return undefined;
        servicesLine = lineStart;
        continue;
      }
      if (servicesLine >= 0 && epilogueStart === text.length) epilogueStart = lineStart;
      continue;
    }
    if (servicesLine < 0 || epilogueStart !== text.length) continue;
    if (indent < 0) indent = lineIndent;
    if (lineIndent < indent) return undefined;
    if (lineIndent > indent) {
      if (!chunks.length) return undefined;
      continue;
    }
    const key = SERVICE_KEY.exec(line);
    if (!key) return undefined;
    if (!chunks.length) preludeEnd = lineStart;
    else chunks[chunks.length - 1].end = lineStart;
    chunks.push({ name: key[2], start: lineStart, end: text.length });
  }
  if (!chunks.length) return undefined;
  chunks[chunks.length - 1].end = epilogueStart;
  if (chunks.some((c) => /(^|[\s,[{])&\S/.test(text.slice(c.start, c.end)))) return undefined;
  return { preludeEnd, chunks, epilogueStart };
}

/**
 * The state for the next call, taken from a whole-file lint — or undefined when its results
 * cannot be attributed to single services (YAML errors, a duplicated service, a diagnostic
 * outside a service or pointing out of its service, such as one on a merged anchor).
 */
function baseline(text: string, options: LintOptions, full: LintResult): State | undefined {
  const split = splitCompose(text);
  const { model } = full;
  // yaml-syntax also covers what only PyYAML refuses (tabs, control characters), which is not in doc.errors.
  if (!split || model.doc.errors.length || model.doc.warnings.length || model.shadowedServices.length || full.diagnostics.some((d) => d.code === 'yaml-syntax')) return undefined;
  if (model.services.length !== split.chunks.length) return undefined;
  // A limit was reached: results are not per service any more (see lintModel).
  if (full.diagnostics.some((d) => d.code === LIMIT_CODE)) return undefined;
  const chunks: Chunk[] = [];
  let di = 0;
  const diagnostics = full.diagnostics.filter((d) => !CROSS_SERVICE.has(d.code));
  for (let i = 0; i < split.chunks.length; i++) {
    const { start, end, name } = split.chunks[i];
    const service = model.services[i];
    if (service.name !== name || !within(service.nameRange, start, end)) return undefined;
    const own: Diagnostic[] = [];
    // Diagnostics are sorted by start: take those of this chunk, all of which must stay inside it.
    while (di < diagnostics.length && diagnostics[di].range.start < end) {
      if (!reusable(diagnostics[di], start, end)) return undefined;
      own.push(diagnostics[di++]);
    }
    chunks.push({ start, text: text.slice(start, end), service, diagnostics: own, variables: model.variables.filter((v) => within(v.range, start, end)) });
  }
  if (di < diagnostics.length) return undefined;
  return {
    text,
    catalogue: options.catalogue,
    imageCatalogue: options.imageCatalogue,
    optionsKey: optionsKey(options),
    preludeEnd: split.preludeEnd,
    epilogueStart: split.epilogueStart,
    chunks,
    servicesRange: model.servicesRange,
    declared: model.declared,
    preludeVariables: model.variables.filter((v) => v.range.end <= split.preludeEnd),
    epilogueVariables: model.variables.filter((v) => v.range.start >= split.epilogueStart),
  };
}

/**
 * Lints `prelude + chunk + the line after the chunk` alone; undefined when the chunk does
 * not stand on its own. The next line (the next service key or top-level key) is kept
 * because what follows a service decides where its node ends: at the end of the document a
 * trailing comment would belong to the document instead. Its own results are dropped.
 */
function lintChunk(
  lint: (text: string, options: LintOptions) => LintResult,
  text: string,
  preludeEnd: number,
  start: number,
  end: number,
  options: LintOptions,
): Chunk | undefined {
  const nl = text.indexOf('\n', end);
  const nextLine = text.slice(end, nl < 0 ? text.length : nl + 1);
  const alone = text.slice(0, preludeEnd) + text.slice(start, end) + nextLine;
  const { model, diagnostics } = lint(alone, options);
  if (diagnostics.some((d) => d.code === LIMIT_CODE)) return undefined;
  if (model.doc.errors.length || model.doc.warnings.length || model.shadowedServices.length || diagnostics.some((d) => d.code === 'yaml-syntax')) return undefined;
  const chunkEnd = preludeEnd + (end - start);
  const service = model.services[0];
  if (!service || model.services.length > (nextLine ? 2 : 1) || !within(service.nameRange, preludeEnd, chunkEnd)) return undefined;
  // Cross-service codes come from assemble(); a chunk linted alone may raise one too (the era note).
  const own = diagnostics.filter((d) => d.range.start < chunkEnd && !CROSS_SERVICE.has(d.code));
  if (!own.every((d) => reusable(d, preludeEnd, chunkEnd))) return undefined;
  const delta = start - preludeEnd;
  return {
    start,
    text: text.slice(start, end),
    service: shift(service, delta, preludeEnd),
    diagnostics: own.map((d) => shift(d, delta, preludeEnd)),
    variables: shiftAll(model.variables.filter((v) => within(v.range, preludeEnd, chunkEnd)), delta, preludeEnd),
  };
}

function assemble(state: State): LintResult {
  const services = state.chunks.map((c) => c.service);
  const text = state.text;
  const cross: Diagnostic[] = [];
  const variables = [...state.preludeVariables, ...state.chunks.flatMap((c) => c.variables), ...state.epilogueVariables];
  const partial = { text, services, declared: state.declared, variables } as ComposeModel;
  const ctx: RuleContext = {
    model: partial,
    catalogue: state.catalogue,
    options: { catalogue: state.catalogue, imageCatalogue: state.imageCatalogue },
    // container-name-mismatch is per service and already among the chunks' diagnostics.
    report: (d) => {
      if (CROSS_SERVICE.has(d.code)) cross.push(clipMessage(d));
    },
  };
  for (const rule of CROSS_SERVICE_RULES) rule(ctx);
  const diagnostics = [...state.chunks.flatMap((c) => c.diagnostics), ...cross];
  diagnostics.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end || ruleOf(a) - ruleOf(b));
  let doc: ComposeModel['doc'] | undefined;
  const model: ComposeModel = {
    text,
    // The yaml document of the whole file is parsed only if some caller asks for it.
    get doc() {
      return (doc ??= parseYamlDocument(text));
    },
    services,
    shadowedServices: [],
    servicesRange: state.servicesRange,
    declared: state.declared,
    variables,
  };
  return { model, diagnostics };
}

function within(r: Range, start: number, end: number): boolean {
  return r.start >= start && r.end <= end;
}

/** A diagnostic, its related places and its fixes all inside [start, end). */
function reusable(d: Diagnostic, start: number, end: number): boolean {
  return (
    within(d.range, start, end) &&
    (d.related ?? []).every((r) => within(r.range, start, end)) &&
    (d.fixes ?? []).every((f) => f.edits.every((e) => within(e.range, start, end)))
  );
}

function shiftChunk(c: Chunk, start: number, preludeEnd: number): Chunk {
  const delta = start - c.start;
  if (delta === 0) return c;
  return {
    start,
    text: c.text,
    service: shift(c.service, delta, preludeEnd),
    diagnostics: c.diagnostics.map((d) => shift(d, delta, preludeEnd)),
    variables: shiftAll(c.variables, delta, preludeEnd),
  };
}

function shiftAll<T>(xs: T[], delta: number, from: number): T[] {
  return delta === 0 ? xs : xs.map((x) => shift(x, delta, from));
}

/**
 * A copy of plain data with every Range that starts at or after `from` moved by delta;
 * ranges before it are in the unchanged prelude (entries merged from an x- anchor) and stay.
 * Shared objects are never changed, and objects shared inside the value stay shared in the
 * copy (`env` holds the same entries as `environment`, `cscList.entry` one of them).
 * yaml nodes (`node`) are kept as they are: their offsets are those of the parse that made
 * them and no caller reads them.
 */
function shift<T>(value: T, delta: number, from: number): T {
  const seen = new Map<unknown, unknown>();
  const walk = (v: unknown, key?: string): unknown => {
    if (v === null || typeof v !== 'object' || key === 'node') return v;
    const o = v as Record<string, unknown>;
    // Ranges are the bulk of the data: copied directly, without the identity bookkeeping.
    if (typeof o.start === 'number' && typeof o.end === 'number' && Object.keys(o).length === 2) {
      return o.start >= from ? { start: o.start + delta, end: (o.end as number) + delta } : { start: o.start, end: o.end };
    }
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const x of v) out.push(walk(x));
      return out;
    }
    if (v instanceof Map) {
      const out = new Map();
      seen.set(v, out);
      for (const [k, x] of v) out.set(k, walk(x));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const k in o) out[k] = walk(o[k], k);
    return out;
  };
  return walk(value) as T;
}
