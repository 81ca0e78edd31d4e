import { isMap, isScalar, isSeq, Node, Scalar, type Document } from 'yaml';
import { parseYamlBounded } from '../compose/parseCompose';
import { tokenizeCscList } from '../compose/cscList';
import type { CscToken, EnvEntry, InterpolatedValue, Range, ServiceModel } from '../compose/model';
import { budgetOf, type LimitHit } from '../compose/analysisLimits';
import { mapEntries, rangeOf, resolveAlias, type MapEntry } from '../compose/yamlNodes';
import type { ValuesModel, ValuesOrigin, ValuesProducer } from './model';
import { chartRoots } from './recognise';
import { wordRanges } from './tokenRanges';

/** The chart-wide `env.*` keys and the variable the deployment template sets from each. */
const ENV_KEYS: [string, string][] = [
  ['lsstDdsPartitionPrefix', 'LSST_DDS_PARTITION_PREFIX'],
  // The 2020 chart's name for the DDS partition prefix (salobj < 6 read LSST_DDS_DOMAIN).
  ['lsstDdsDomain', 'LSST_DDS_DOMAIN'],
  ['brokerIp', 'BROKER_IP'],
  ['brokerPort', 'BROKER_PORT'],
  ['registryAddr', 'REGISTRY_ADDR'],
  ['partitions', 'PARTITIONS'],
  ['replication', 'REPLICATION'],
  ['waitAck', 'WAIT_ACK'],
  ['logLevel', 'LOG_LEVEL'],
];
/** The template reads these from the chart-wide env only, never from a producer's env. */
const GLOBAL_ONLY = new Set(['brokerIp', 'brokerPort', 'registryAddr']);

interface Layer {
  origin: ValuesOrigin;
  text: string;
  doc: Document.Parsed;
  /** Offset of this layer's text inside the combined text. */
  offset: number;
  chart: Node | null;
  /** Each map's entries by key (see entry()). */
  index: Map<Node, Map<string, MapEntry>>;
}

interface Found {
  node: Node;
  keyNode: Node | null;
  layer: Layer;
}

export interface ValuesInput {
  text: string;
  /** The chart defaults (values.yaml beside a values-<env>.yaml), merged under `text`. */
  base?: { text: string; path?: string };
}

/**
 * Models a kafka-producers values file the way Helm renders it: the base values.yaml with
 * the checked file merged over it (maps merge key by key, a later scalar wins, `null`
 * deletes), then one producer per `producers.<name>` with the environment and image the
 * chart's deployment template gives its container. Never throws on any input.
 */
export function parseValues(input: ValuesInput): ValuesModel {
  const self = layer('self', input.text, 0);
  const layers = [self];
  let baseOffset: number | undefined;
  if (input.base) {
    baseOffset = input.text.length + 1;
    layers.push(layer('base', input.base.text, baseOffset));
  }
  const combined = input.base ? `${input.text}\n${input.base.text}` : input.text;
  const producers = producerNames(layers)
    .map((name) => producer(layers, name))
    .filter((p): p is ValuesProducer => p !== undefined);
  const producersKey = entry(self, self.chart, 'producers')?.keyNode;
  // Past a layer's merge/alias budget its merged entries are missing: the findings are not to be trusted.
  const selfHit = budgetOf(self.doc).hit;
  const baseHit = layers[1] && budgetOf(layers[1].doc).hit;
  const limit: LimitHit | undefined =
    selfHit ?? (baseHit && { range: { start: 0, end: Math.min(1, input.text.length) }, message: `${input.base?.path ?? 'values.yaml'}: ${baseHit.message}` });
  return {
    limit,
    kind: 'helmValues',
    text: input.text,
    selfLength: input.text.length,
    baseOffset,
    basePath: input.base?.path,
    doc: self.doc,
    producers,
    model: {
      text: combined,
      doc: self.doc,
      services: producers.map((p) => p.service),
      declared: { networks: [], volumes: [] },
      shadowedServices: [],
      servicesRange: producersKey ? shift(self, rangeOf(producersKey)) : undefined,
      variables: [],
    },
  };
}

function layer(origin: ValuesOrigin, text: string, offset: number): Layer {
  // Bounded like every analysis: a values file over the limits is read as empty (see lintValues).
  const { doc } = parseYamlBounded(text);
  return { origin, text, doc, offset, chart: chartRoot(doc), index: new Map() };
}

/** The document root, or the value of the top-level key that holds the chart's values (`kafka-producers:`). */
function chartRoot(doc: Document.Parsed): Node | null {
  const roots = chartRoots(doc.contents as Node | null);
  const has = (n: Node, key: string) => mapEntries(doc, n).some((e) => e.key === key);
  return roots.find((n) => has(n, 'producers') || has(n, 'cscs')) ?? roots.find((n) => has(n, 'image') || has(n, 'env')) ?? roots[0] ?? null;
}

/**
 * The entry of `key` in a map. Each map's entries are expanded (and charged to the document's
 * merge/alias budget) once, into a table by key: a lookup per producer per key used to expand
 * the whole `producers:` map again, quadratic work that spent the budget at about 190 producers.
 */
function entry(l: Layer, node: Node | null, key: string): MapEntry | undefined {
  const map = resolveAlias(l.doc, node);
  if (!isMap(map)) return undefined;
  let byKey = l.index.get(map);
  if (!byKey) {
    byKey = new Map();
    // The first of two equal keys, as a linear search would find it.
    for (const e of mapEntries(l.doc, map)) if (!byKey.has(e.key)) byKey.set(e.key, e);
    l.index.set(map, byKey);
  }
  return byKey.get(key);
}

const isNull = (n: Node | null): boolean => n === null || (isScalar(n) && n.value === null);

/**
 * The value at `path` after Helm's merge: the first layer that sets it wins; a `null` on the
 * way deletes it (Helm's way to drop a producer or a default); a scalar where the base has a
 * map replaces the whole map.
 */
function lookup(layers: Layer[], path: string[]): Found | undefined {
  for (const l of layers) {
    let cur: Node | null = l.chart;
    for (let i = 0; i < path.length; i++) {
      if (!isMap(cur)) {
        if (i > 0 && !isNull(cur)) return undefined;
        break;
      }
      const e = entry(l, cur, path[i]);
      if (!e) break;
      if (isNull(e.value)) {
        // An explicit empty `cscs:` is a value (an empty list); a null elsewhere deletes.
        if (i === path.length - 1 && e.value) return { node: e.value, keyNode: e.keyNode, layer: l };
        return undefined;
      }
      if (i === path.length - 1) return { node: e.value!, keyNode: e.keyNode, layer: l };
      cur = e.value;
    }
  }
  return undefined;
}

/** Producer names in the merged values: the checked file's order first, then the base's. */
function producerNames(layers: Layer[]): string[] {
  const names: string[] = [];
  for (const l of layers) {
    const node = entry(l, l.chart, 'producers')?.value ?? null;
    if (isMap(node)) for (const e of mapEntries(l.doc, node)) names.push(e.key);
    // 2020 chart: `producers: [auxtel, …]` with the lists in `cscs: {auxtel: …}`.
    else if (isSeq(node)) for (const item of node.items) if (isScalar(item) && item.value !== null) names.push(String(item.value));
    for (const e of mapEntries(l.doc, entry(l, l.chart, 'cscs')?.value ?? null)) names.push(e.key);
  }
  const unique = [...new Set(names)];
  // A producer a later layer deletes (`auxtel: null`) is not deployed.
  return unique.filter((name) => {
    for (const l of layers) {
      const node = entry(l, l.chart, 'producers')?.value ?? null;
      const e = isMap(node) ? entry(l, node, name) : undefined;
      if (e) return !isNull(e.value);
    }
    return true;
  });
}

function shift(l: Layer, r: Range | undefined): Range | undefined {
  return r && { start: r.start + l.offset, end: r.end + l.offset };
}

function scalarText(n: Node): string | undefined {
  if (!isScalar(n)) return undefined;
  return n.value === null ? '' : String(n.value);
}

function producer(layers: Layer[], name: string): ValuesProducer | undefined {
  const [self] = layers;
  const selfProducers = entry(self, self.chart, 'producers')?.value ?? null;
  const selfKey = isMap(selfProducers) ? entry(self, selfProducers, name)?.keyNode : undefined;
  const cscs = lookup(layers, ['producers', name, 'cscs']) ?? lookup(layers, ['cscs', name]);
  const ownTag = nonEmpty(lookup(layers, ['producers', name, 'image', 'tag']));
  const tag = ownTag ?? lookup(layers, ['image', 'tag']);
  const repository = nonEmpty(lookup(layers, ['producers', name, 'image', 'repository'])) ?? lookup(layers, ['image', 'repository']);
  const nameRange = selfKey ? rangeOf(selfKey) : undefined;
  const anchor = nameRange ?? shift(cscs?.layer ?? self, rangeOf(cscs?.keyNode)) ?? { start: 0, end: 0 };

  const environment: EnvEntry[] = [];
  for (const [key, variable] of ENV_KEYS) {
    const found = (GLOBAL_ONLY.has(key) ? undefined : nonEmpty(lookup(layers, ['producers', name, 'env', key]))) ?? lookup(layers, ['env', key]);
    const e = found && envEntry(found, variable, name);
    if (e) environment.push(e);
  }
  for (const path of [['env', 'extras'], ['producers', name, 'env', 'extras']]) {
    for (const found of mergedEntries(layers, path)) {
      const item = envEntry(found, keyText(found), name);
      if (item) environment.push(item);
    }
  }
  let cscList: ServiceModel['cscList'];
  if (cscs) {
    const cscEntry = cscsEntry(cscs);
    environment.push(cscEntry.entry);
    cscList = { entry: cscEntry.entry, tokens: cscEntry.tokens };
  }
  const env = new Map(environment.map((e) => [e.key, e]));
  const tagText = tag && scalarText(tag.node);
  const service: ServiceModel = {
    name,
    nameRange: anchor,
    range: anchor,
    node: selfKey ?? null,
    isProducer: true,
    refs: [],
    image:
      tag && tagText !== undefined
        ? (() => {
            const image = `${(repository && scalarText(repository.node)) || 'lsstts/salkafka'}:${tagText}`;
            return { value: image, interpolated: image, range: shift(tag.layer, rangeOf(tag.node)) ?? anchor };
          })()
        : undefined,
    environment,
    env,
    envFiles: [],
    cscList,
    networks: [],
  };
  return { name, nameRange, cscsOrigin: cscs?.layer.origin, imageOrigin: tag?.layer.origin, ownImageTag: ownTag !== undefined, service };
}

/** The entries of the map at `path` merged over the layers (the first layer's value of a key wins; null deletes). */
function mergedEntries(layers: Layer[], path: string[]): Found[] {
  const out = new Map<string, Found | null>();
  for (const l of layers) {
    const found = lookup([l], path);
    if (!found) continue;
    for (const e of mapEntries(l.doc, found.node)) {
      if (out.has(e.key)) continue;
      out.set(e.key, isNull(e.value) ? null : { node: e.value!, keyNode: e.keyNode, layer: l });
    }
    // A non-map value replaces what the layers below have.
    if (!isMap(found.node)) break;
  }
  return [...out.values()].filter((f): f is Found => f !== null);
}

function keyText(f: Found): string {
  return isScalar(f.keyNode) ? String(f.keyNode.value) : '';
}

/** Helm's `default`: an empty producer override falls back to the chart-wide value. */
function nonEmpty(f: Found | undefined): Found | undefined {
  return f && scalarText(f.node) !== '' ? f : undefined;
}

function envEntry(found: Found, key: string, producerName: string): EnvEntry | undefined {
  const { layer: l } = found;
  let node = resolveAlias(l.doc, found.node);
  // 2020: `lsstDdsDomain: {default: ncsa, auxtel: auxtelpath}` per producer.
  if (isMap(node)) {
    const pick = entry(l, node, producerName) ?? entry(l, node, 'default');
    node = pick?.value ?? null;
  }
  if (!node || !isScalar(node)) return undefined;
  const raw = scalarText(node) ?? '';
  const range = shift(l, rangeOf(node)) ?? { start: 0, end: 0 };
  const keyRange = shift(l, rangeOf(found.keyNode)) ?? range;
  const value: InterpolatedValue = { raw, value: raw, variables: [], range, exact: false };
  return { key, keyRange, value, range: { start: keyRange.start, end: Math.max(keyRange.end, range.end) }, form: 'map', node };
}

/** CSC_LIST from `cscs`, each word with its exact source range where one exists. */
function cscsEntry(found: Found): { entry: EnvEntry; tokens: CscToken[] } {
  const { layer: l, node } = found;
  const raw = scalarText(node) ?? '';
  const range = shift(l, rangeOf(node)) ?? shift(l, rangeOf(found.keyNode)) ?? { start: 0, end: 0 };
  const keyRange = shift(l, rangeOf(found.keyNode)) ?? range;
  const value: InterpolatedValue = { raw, value: raw, variables: [], range, exact: false };
  const tokens = tokenizeCscList(value);
  const words = isScalar(node) ? wordRanges(l.text, node as Scalar, raw) : undefined;
  if (words && words.length === tokens.length) {
    tokens.forEach((t, i) => {
      t.range = shift(l, words[i].range)!;
      t.exact = true;
    });
  }
  const entry: EnvEntry = { key: 'CSC_LIST', keyRange, value, range: { start: keyRange.start, end: Math.max(keyRange.end, range.end) }, form: 'map', node };
  return { entry, tokens };
}
