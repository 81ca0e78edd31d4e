/**
 * The command line of run_salkafka_producer.py, as ts_salkafka's own argument parser
 * (ComponentProducerSet.make_argument_parser in component_producer_set.py) defines it.
 * CSC_LIST is appended to that command line by the image's start script, so options
 * written in CSC_LIST reach this parser. Data only; the checks live in the lint rules.
 */
export interface ProducerOption {
  name: string;
  /** 'flag' takes no value; the others take the next word (or `--opt=value`). */
  value: 'flag' | 'text' | 'int' | 'positiveInt' | 'choice';
  choices?: readonly string[];
  /** What the producer does when given it, in a few words. */
  summary: string;
  /** Options after which the producer exits without writing anything to the EFD. */
  exitsWithoutProducing?: boolean;
  /** ts_salkafka release that added the option. */
  since: string;
}

export const PRODUCER_OPTIONS: readonly ProducerOption[] = [
  { name: '--broker', value: 'text', summary: 'Kafka broker address, host:port', since: '1.0.0' },
  { name: '--registry', value: 'text', summary: 'Schema Registry URL with its scheme', since: '1.0.0' },
  { name: '--partitions', value: 'positiveInt', summary: 'partitions per Kafka topic (must be positive)', since: '1.0.0' },
  { name: '--replication-factor', value: 'int', summary: 'replicas per Kafka partition', since: '1.0.0' },
  { name: '--loglevel', value: 'int', summary: 'logging level (10 debug, 20 info)', since: '1.0.0' },
  { name: '--wait-ack', value: 'choice', choices: ['0', '1', 'all'], summary: 'acknowledgements to wait for: 0, 1 or all', since: '1.0.0' },
  { name: '--file', value: 'text', summary: 'topic split file for one chatty component (e.g. m1m3.yaml); not together with component names', since: '1.6.0' },
  { name: '--show-schema', value: 'flag', summary: 'prints the schema of --file files and exits', exitsWithoutProducing: true, since: '1.6.0' },
  { name: '--validate', value: 'flag', summary: 'validates the --file file and exits', exitsWithoutProducing: true, since: '1.6.0' },
  { name: '--username', value: 'text', summary: 'Kafka SASL user name; needs --password', since: '1.11.0' },
  { name: '--password', value: 'text', summary: 'Kafka SASL password; needs --username', since: '1.11.0' },
  { name: '--help', value: 'flag', summary: 'prints the usage and exits', exitsWithoutProducing: true, since: '1.0.0' },
];

const BY_NAME = new Map(PRODUCER_OPTIONS.map((o) => [o.name, o]));
const SHORT: Record<string, string> = { '-h': '--help' };

export type ResolvedOption = { kind: 'known'; option: ProducerOption } | { kind: 'ambiguous'; candidates: string[] } | { kind: 'unknown' };

/**
 * Resolves an option word as Python's argparse does: an exact name, or (allow_abbrev, the
 * default) a prefix of exactly one long option; a prefix of several is an error there.
 */
export function resolveProducerOption(word: string): ResolvedOption {
  const name = SHORT[word] ?? word;
  const exact = BY_NAME.get(name);
  if (exact) return { kind: 'known', option: exact };
  if (!name.startsWith('--') || name.length < 3) return { kind: 'unknown' };
  const candidates = PRODUCER_OPTIONS.filter((o) => o.name.startsWith(name)).map((o) => o.name);
  if (candidates.length === 1) return { kind: 'known', option: BY_NAME.get(candidates[0])! };
  return candidates.length ? { kind: 'ambiguous', candidates } : { kind: 'unknown' };
}

/** True when the option word (possibly abbreviated) takes the next word as its value. */
export function optionTakesValue(word: string): boolean {
  const r = resolveProducerOption(word);
  return r.kind === 'known' && r.option.value !== 'flag';
}
