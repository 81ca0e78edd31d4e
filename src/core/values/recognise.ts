import { isMap, isSeq, Node } from 'yaml';
import { parseYamlBounded } from '../compose/parseCompose';
import { isValuesPath } from './valuesPath';

export { isValuesPath, valuesEnvironment } from './valuesPath';

/** What a YAML file is, as far as the checker is concerned. */
export type FileKind = 'compose' | 'helmValues';

/**
 * Recognises a kafka-producers Helm values file by its path, or by its content: no
 * `services:` (a compose file's heart) but a chart root (the document, or the value of one
 * top-level key, as when the chart was used as the `kafka-producers` sub-chart in 2020–2021)
 * holding `producers:` entries with `cscs`, or the 2020 `cscs: {producer: list}` map.
 */
export function detectFileKind(path: string, text: string): FileKind {
  if (isValuesPath(path)) return 'helmValues';
  // Cheap pre-check so compose files are not parsed twice.
  if (!/^\s*(cscs|producers|env)\s*:/m.test(text) || /^services\s*:/m.test(text)) return 'compose';
  try {
    const { doc } = parseYamlBounded(text);
    return chartRoots(doc.contents as Node | null).some(looksLikeProducers) ? 'helmValues' : 'compose';
  } catch {
    return 'compose';
  }
}

/** The map(s) that may hold the chart's values: the root, and each top-level map value. */
export function chartRoots(root: Node | null): Node[] {
  if (!isMap(root)) return [];
  const out: Node[] = [root];
  for (const item of root.items) if (isMap(item.value)) out.push(item.value as Node);
  return out;
}

function looksLikeProducers(chart: Node): boolean {
  if (!isMap(chart)) return false;
  const get = (key: string) => chart.items.find((p) => String((p.key as { value?: unknown })?.value) === key)?.value;
  const producers = get('producers');
  if (isMap(producers) && producers.items.some((p) => isMap(p.value) && p.value.items.some((q) => String((q.key as { value?: unknown })?.value) === 'cscs'))) return true;
  if (isSeq(producers) && isMap(get('cscs'))) return true;
  // A site file that only overrides the chart's env (lsst-ts/charts values_separate_dds_domain.yaml:
  // `env: {lsstDdsDomain: {…}}`): no compose file has a top-level env map with these keys.
  const env = get('env');
  return isMap(env) && env.items.some((p) => CHART_ENV_KEYS.has(String((p.key as { value?: unknown })?.value)));
}

/** The chart-wide `env.*` keys of the kafka-producers chart (2020–2023). */
const CHART_ENV_KEYS = new Set(['lsstDdsDomain', 'lsstDdsPartitionPrefix', 'brokerIp', 'brokerPort', 'registryAddr', 'partitions', 'replication', 'waitAck', 'logLevel']);
