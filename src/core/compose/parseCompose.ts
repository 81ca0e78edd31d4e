import { isMap, isScalar, isSeq, Node, parseDocument, visit, YAMLParseError } from 'yaml';
import { budgetOf, countStructureTokens, LimitHit, LIMITS, thousands } from './analysisLimits';
import { tokenizeCscList } from './cscList';
import { interpolate } from './interpolate';
import type {
  ComposeModel,
  EnvEntry,
  InterpolatedValue,
  NetworkAttachment,
  Range,
  ScalarField,
  ServiceModel,
  ServiceRef,
  VariableRef,
  Variables,
} from './model';
import { getEntry, mapEntries, rangeOf, resolveAlias, scalarSource } from './yamlNodes';

export interface ParseOptions {
  /** Interpolation variables (.env beside the file, then env files from settings). */
  variables?: Variables;
}

/**
 * Parses a kafka_writers compose file into a model that keeps source ranges, so every
 * diagnostic and edit can point at the exact token. Never throws on bad input: YAML
 * errors stay in `doc.errors` and whatever could be read is modelled.
 */
export function parseCompose(text: string, options: ParseOptions = {}): ComposeModel {
  let limit = inputLimit(text);
  let doc = limit ? undefined : parseYaml(text, (hit) => (limit = hit));
  doc ??= parseYamlDocument('');
  const model = new ModelBuilder(limit ? '' : text, doc, options.variables ?? {}).build();
  model.text = text;
  return limit ? { ...model, limit } : model;
}

/**
 * The parse every analysis uses. Duplicate keys are found here rather than by the parser: its
 * `uniqueKeys` check compares each key with every earlier one of its mapping, 34 s for an
 * environment of 40,000 keys; this one pass gives the same DUPLICATE_KEY errors (code, message,
 * the same keys) with a hash per mapping. The position is the key's first character; the parser
 * put it there too except after an anchor, a tag or an empty value, where it pointed at the blank
 * or line end before the key.
 */
export function parseYamlDocument(text: string): ComposeModel['doc'] {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, merge: true });
  addDuplicateKeyErrors(doc);
  return doc;
}

function addDuplicateKeyErrors(doc: ComposeModel['doc']): void {
  const found: YAMLParseError[] = [];
  visit(doc, {
    Map: (_key, map) => {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        // The parser's rule: scalar keys with === values (a Set would also match NaN with NaN).
        if (!isScalar(key) || !key.range || (typeof key.value === 'number' && Number.isNaN(key.value))) continue;
        if (!seen.has(key.value)) seen.add(key.value);
        else found.push(new YAMLParseError([key.range[0], key.range[0] + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      }
    },
  });
  if (!found.length) return;
  // In position order among the parser's own errors, as the parser would have reported them.
  found.sort((a, b) => a.pos[0] - b.pos[0]);
  const merged: YAMLParseError[] = [];
  let i = 0;
  for (const err of doc.errors) {
    while (i < found.length && found[i].pos[0] < err.pos[0]) merged.push(found[i++]);
    merged.push(err);
  }
  while (i < found.length) merged.push(found[i++]);
  // Not splice(0, n, ...merged): a binary file has 100,000s of errors and a spread that long overflows the stack.
  doc.errors.length = 0;
  for (const err of merged) doc.errors.push(err);
}

/** The one diagnostic for a file over LIMITS.inputBytes: it is not parsed at all. */
export function inputLimit(text: string): LimitHit | undefined {
  // UTF-16 code units never outnumber UTF-8 bytes, so a file under the byte limit always passes.
  if (text.length > LIMITS.inputBytes) {
    return { range: { start: 0, end: Math.min(1, text.length) }, message: tooLargeMessage(`about ${megabytes(text.length)}`) };
  }
  if (countStructureTokens(text, LIMITS.structureTokens) > LIMITS.structureTokens) {
    return {
      range: { start: 0, end: Math.min(1, text.length) },
      message:
        `Not checked: the file has more than ${thousands(LIMITS.structureTokens)} lines, list items and brackets ` +
        `(a kafka_writers compose file has a few hundred); parsing it would take seconds and gigabytes.`,
    };
  }
  return undefined;
}

export function tooLargeMessage(size: string): string {
  return (
    `Not checked: the file is ${size}, larger than the ${megabytes(LIMITS.inputBytes)} the checker reads ` +
    `(a kafka_writers compose file is about 10 KB). Is this the right file?`
  );
}

export function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB` : `${Math.ceil(n / 1024)} KiB`;
}

/** The parser's own recursion can overflow the stack on absurd nesting: say so instead of throwing. */
/**
 * The bounded parse for other YAML files the checker reads (Argo CD values files): an input over
 * the limits is not parsed (an empty document stands in) and `limit` says why.
 */
export function parseYamlBounded(text: string): { doc: ComposeModel['doc']; limit?: LimitHit } {
  let limit = inputLimit(text);
  const doc = (limit ? undefined : parseYaml(text, (hit) => (limit = hit))) ?? parseYamlDocument('');
  return limit ? { doc, limit } : { doc };
}

function parseYaml(text: string, onLimit: (hit: LimitHit) => void): ComposeModel['doc'] | undefined {
  try {
    return parseYamlDocument(text);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    onLimit({ range: { start: 0, end: Math.min(1, text.length) }, message: 'Not checked: the YAML is nested too deeply for the parser (its stack ran out).' });
    return undefined;
  }
}

/** Python's os.path.normpath for the POSIX paths of volume mounts ('' becomes '.'). */
function normalisePath(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else if (seg !== '..' || !abs) parts.push(seg);
  }
  const joined = parts.join('/');
  return abs ? `/${joined}` : joined || '.';
}

class ModelBuilder {
  private readonly interpolated = new WeakMap<Node, InterpolatedValue>();

  constructor(
    private readonly text: string,
    private readonly doc: ComposeModel['doc'],
    private readonly vars: Variables,
  ) {}

  build(): ComposeModel {
    const root = this.doc.contents as Node | null;
    // docker-compose keeps the last of two same-named services: model that, and remember
    // the dropped one so the duplicate can be reported where it was written.
    const byName = new Map<string, ServiceModel>();
    const shadowed: ServiceModel[] = [];
    const servicesEntry = isMap(root) ? getEntry(mapEntries(this.doc, root), 'services') : undefined;
    if (servicesEntry) {
      for (const e of mapEntries(this.doc, servicesEntry.value)) {
        if (e.merged) continue;
        const earlier = byName.get(e.key);
        if (earlier) {
          shadowed.push(earlier);
          byName.delete(e.key);
        }
        byName.set(e.key, this.service(e.key, e.keyNode, e.value));
      }
    }
    const topLevel = isMap(root) ? mapEntries(this.doc, root) : [];
    const declaredNames = (key: string) => mapEntries(this.doc, getEntry(topLevel, key)?.value ?? null).map((e) => e.key);
    return {
      text: this.text,
      doc: this.doc,
      services: [...byName.values()].sort((a, b) => a.nameRange.start - b.nameRange.start),
      shadowedServices: shadowed,
      servicesRange: rangeOf(servicesEntry?.keyNode),
      variables: this.allVariables(),
      declared: { networks: declaredNames('networks'), volumes: declaredNames('volumes') },
    };
  }

  /** Interpolates a scalar once and remembers it; ranges become absolute offsets. */
  value(node: Node | null): InterpolatedValue | undefined {
    if (!node) return undefined;
    const cached = this.interpolated.get(node);
    if (cached) return cached;
    const src = scalarSource(this.text, node);
    if (!src) return undefined;
    const result = this.interpolateAt(src.raw, src.range, src.exact);
    this.interpolated.set(node, result);
    return result;
  }

  private interpolateAt(raw: string, range: Range, exact: boolean): InterpolatedValue {
    const { value, refs } = interpolate(raw, this.vars);
    const variables: VariableRef[] = refs.map((r) => ({
      ...r,
      range: exact ? { start: range.start + r.range.start, end: range.start + r.range.end } : { ...range },
    }));
    return { raw, value, variables, range, exact };
  }

  /**
   * Items of a list, or the node itself; a list reached through an alias is walked once per
   * alias, so the walk is charged to the document's budget (nothing once it is spent).
   */
  private items(node: Node | null): unknown[] {
    if (!isSeq(node)) return [node];
    return budgetOf(this.doc).spend(node.items.length, node, 'Reading aliased lists') ? node.items : [];
  }

  private field(node: Node | null): ScalarField | undefined {
    const v = this.value(node);
    return v ? { value: v.value, range: v.range } : undefined;
  }

  private service(name: string, keyNode: Node | null, node: Node | null): ServiceModel {
    const nameRange = rangeOf(keyNode) ?? { start: 0, end: 0 };
    const entries = mapEntries(this.doc, node);
    const environment = this.environment(getEntry(entries, 'environment')?.value ?? null);
    const env = new Map<string, EnvEntry>();
    for (const e of environment) env.set(e.key, e);
    const cscEntry = env.get('CSC_LIST');
    const image = getEntry(entries, 'image');
    const imageValue = this.value(image?.value ?? null);
    const envFileNode = getEntry(entries, 'env_file')?.value ?? null;
    const envFiles = this.items(envFileNode)
      .map((n) => this.field(resolveAlias(this.doc, n)))
      .filter((f): f is ScalarField => f !== undefined);
    return {
      name,
      nameRange,
      range: rangeOf(node) ?? nameRange,
      node,
      isProducer: name.startsWith('salkafka-') || cscEntry !== undefined,
      containerName: this.field(getEntry(entries, 'container_name')?.value ?? null),
      image: imageValue ? { value: imageValue.raw, range: imageValue.range, interpolated: imageValue.value } : undefined,
      environment,
      env,
      envFiles,
      cscList: cscEntry?.value ? { entry: cscEntry, tokens: tokenizeCscList(cscEntry.value) } : undefined,
      networks: this.networks(getEntry(entries, 'networks')?.value ?? null),
      networkMode: this.field(getEntry(entries, 'network_mode')?.value ?? null),
      refs: this.refs(entries),
    };
  }

  /** What the service names elsewhere in the file, after interpolation, as docker-compose reads it. */
  private refs(entries: ReturnType<typeof mapEntries>): ServiceRef[] {
    const out: ServiceRef[] = [];
    const node = (key: string) => getEntry(entries, key)?.value ?? null;
    const items = (n: Node | null) => (isSeq(n) ? n.items.map((i) => resolveAlias(this.doc, i)) : []);
    const push = (kind: ServiceRef['kind'], via: ServiceRef['via'], n: Node | null, name?: string) => {
      const v = this.value(n);
      const range = rangeOf(n);
      if (range && (name ?? v?.value)) out.push({ kind, via, name: name ?? v!.value, range });
    };
    const deps = node('depends_on');
    if (isSeq(deps)) for (const i of items(deps)) push('service', 'depends_on', i);
    else for (const e of mapEntries(this.doc, deps)) push('service', 'depends_on', e.keyNode, e.key);
    for (const i of items(node('links'))) {
      const v = this.value(i);
      if (v) push('service', 'links', i, v.value.split(':')[0]);
    }
    const ext = node('extends');
    if (isScalar(ext)) push('service', 'extends', ext);
    else if (isMap(ext)) {
      const extEntries = mapEntries(this.doc, ext);
      // A service of another file (extends.file) cannot be checked from this one.
      if (!getEntry(extEntries, 'file')) push('service', 'extends', getEntry(extEntries, 'service')?.value ?? null);
    }
    for (const key of ['network_mode', 'pid', 'ipc'] as const) {
      const n = node(key);
      const v = this.value(n);
      if (v?.value.startsWith('service:')) push('service', key, n, v.value.slice('service:'.length));
    }
    for (const i of items(node('volumes_from'))) {
      const v = this.value(i);
      if (v && !v.value.startsWith('container:')) push('service', 'volumes_from', i, v.value.replace(/^service:/, '').split(':')[0]);
    }
    // network_mode replaces networks: compose then ignores (and refuses) the list; no default network either.
    const nets = node('networks');
    if (isSeq(nets)) for (const i of items(nets)) push('network', 'networks', i);
    else for (const e of mapEntries(this.doc, nets)) push('network', 'networks', e.keyNode, e.key);
    for (const i of items(node('volumes'))) {
      if (isMap(i)) {
        const m = mapEntries(this.doc, i);
        const type = this.value(getEntry(m, 'type')?.value ?? null)?.value;
        const source = getEntry(m, 'source')?.value ?? null;
        const name = this.value(source)?.value;
        if (type === 'volume' && name) out.push({ kind: 'volume', via: 'volumes', name, range: rangeOf(source) ?? rangeOf(i)!, display: 'a long-syntax mount' });
        continue;
      }
      const v = this.value(i);
      if (!v || !rangeOf(i)) continue;
      // A variable whose value still holds `${…}` comes from an env file read without the shell's
      // expansion (export A=${B}/x): what docker-compose would see is unknown, so say nothing.
      if (v.variables.some((r) => r.resolved?.includes('$'))) continue;
      const parts = v.value.split(':');
      if (parts.length < 2 || parts.length > 3) continue;
      // docker-compose first makes ./x and ~/x absolute, then treats any other source that does not start with / as a volume name.
      if (parts[0] === '' || /^[./~]/.test(parts[0])) continue;
      const source = normalisePath(parts[0]);
      const written = v.exact && v.raw.startsWith(parts[0]) ? v.range.start : undefined;
      out.push({
        kind: 'volume',
        via: 'volumes',
        name: source,
        range: written !== undefined ? { start: written, end: written + parts[0].length } : rangeOf(i)!,
        sourceAt: written !== undefined ? { start: written, end: written } : undefined,
        display: `${source}:${normalisePath(parts[1])}:${parts[2] ?? 'rw'}`,
      });
    }
    return out;
  }

  private environment(node: Node | null): EnvEntry[] {
    const out: EnvEntry[] = [];
    if (isSeq(node)) {
      for (const raw of this.items(node)) {
        const item = resolveAlias(this.doc, raw);
        const src = scalarSource(this.text, item);
        if (!item || !src) continue;
        const eq = src.raw.indexOf('=');
        const key = eq >= 0 ? src.raw.slice(0, eq) : src.raw;
        const keyRange = src.exact ? { start: src.range.start, end: src.range.start + key.length } : src.range;
        const value =
          eq >= 0
            ? this.interpolateAt(
                src.raw.slice(eq + 1),
                src.exact ? { start: src.range.start + eq + 1, end: src.range.end } : src.range,
                src.exact,
              )
            : undefined;
        out.push({ key: key.trim(), keyRange, value, range: rangeOf(item) ?? src.range, form: 'list', node: item });
      }
    } else if (isMap(node)) {
      for (const e of mapEntries(this.doc, node)) {
        const keyRange = rangeOf(e.keyNode) ?? { start: 0, end: 0 };
        const valueRange = rangeOf(e.value);
        out.push({
          key: e.key,
          keyRange,
          value: this.value(e.value),
          range: { start: keyRange.start, end: valueRange?.end ?? keyRange.end },
          form: 'map',
          node: e.keyNode ?? node,
        });
      }
    }
    return out;
  }

  private networks(node: Node | null): NetworkAttachment[] {
    if (isSeq(node)) {
      return this.items(node)
        .map((n) => resolveAlias(this.doc, n))
        .filter((n) => isScalar(n))
        .map((n) => ({ network: String((n as { value: unknown }).value) }));
    }
    return mapEntries(this.doc, node).map((e) => {
      const addr = getEntry(mapEntries(this.doc, e.value), 'ipv4_address');
      return { network: e.key, ipv4Address: this.field(addr?.value ?? null) };
    });
  }

  /** Every variable reference in any scalar value of the file (keys are not interpolated). */
  private allVariables(): VariableRef[] {
    const out: VariableRef[] = [];
    visit(this.doc, {
      Pair: (_key, pair) => {
        // A loop, not push(...refs): one value can hold 100,000s of references (spread overflows the stack).
        if (isScalar(pair.value)) for (const v of this.value(pair.value as Node)?.variables ?? []) out.push(v);
      },
      Seq: (_key, seq) => {
        for (const item of seq.items) if (isScalar(item)) for (const v of this.value(item as Node)?.variables ?? []) out.push(v);
      },
    });
    return out;
  }
}
