// A generated kafka_writers file for bench/validate.ts: PRODUCERS producers in the summit's
// style (list environment, x-logging anchor, command folded scalar) with a few deliberate
// domain mistakes that only a linter that knows SAL can find.
import type { Catalogue } from '../src/core/catalogue/catalogue';

/** A mistake planted in the file and how to recognise a report of it. */
export interface PlantedError {
  label: string;
  /** The diagnostic code our linter should give. */
  code: string;
  /** The token (exact text) the report should point at, and the line it is on (0-based). */
  token: string;
  line: number;
  /** Start offset of the token. */
  offset: number;
}

export interface Corpus {
  text: string;
  producers: number;
  planted: PlantedError[];
}

const CSCS_PER_PRODUCER = 3;

/** Every CSC_LIST token the catalogue allows, in a stable order; `any`-indexed ones get 1..n. */
function validTokens(catalogue: Catalogue, needed: number): string[] {
  const plain: string[] = [];
  const named: string[] = [];
  const anyIndexed: string[] = [];
  for (const c of catalogue.components) {
    if (c.index.kind === 'none') plain.push(c.name);
    else if (c.index.kind === 'named') named.push(...c.index.values.map((v) => `${c.name}:${v.value}`));
    else anyIndexed.push(c.name);
  }
  const out = [...plain, ...named];
  // ESS:1, ESS:101, … the summit numbers its ESS/DIMM/PMD instances this way.
  for (let i = 1; out.length < needed; i++) for (const name of anyIndexed) out.push(`${name}:${i}`);
  return out;
}

export function generateKafkaWriters(catalogue: Catalogue, producers = 200): Corpus {
  if (producers < 10) throw new Error('bench: at least 10 producers');
  // Where the mistakes go, spread over the file (for 200 producers: 2, 6, 37, 88, 120, 150).
  const at = (fraction: number) => Math.floor(producers * fraction);
  const tokens = validTokens(catalogue, producers * CSCS_PER_PRODUCER);
  // Which valid token is taken where: each planted mistake replaces one.
  const lists: string[][] = [];
  for (let p = 0; p < producers; p++) lists.push(tokens.slice(p * CSCS_PER_PRODUCER, (p + 1) * CSCS_PER_PRODUCER));
  const retired = 'Rotator';
  if (!catalogue.retired(retired)) throw new Error(`bench: the catalogue no longer lists ${retired} as retired`);
  const plainName = lists[at(0.01)][0];
  if (catalogue.get(plainName)?.index.kind !== 'none') throw new Error(`bench: ${plainName} was expected to be not indexed`);
  const plan: { label: string; code: string; producer: number; slot: number; token: string; env?: string }[] = [
    { label: 'unknown CSC (typo MTMountt)', code: 'csc-unknown', producer: at(0.185), slot: 1, token: 'MTMountt' },
    { label: 'CSC the image lacks (Rotator, last in ts_xml 6.2.1)', code: 'csc-not-in-image', producer: at(0.44), slot: 2, token: retired },
    // The first CSC of an early producer, written again by a later one.
    { label: `CSC in two producers (${lists[at(0.025) + 1][0]})`, code: 'csc-in-multiple-producers', producer: at(0.75), slot: 0, token: lists[at(0.025) + 1][0] },
    { label: `index on a non-indexed CSC (${plainName}:2)`, code: 'csc-index-not-indexed', producer: at(0.01), slot: 0, token: `${plainName}:2` },
    { label: 'BROKER_PORT out of range (99999)', code: 'broker-port-invalid', producer: at(0.6), slot: -1, token: '99999', env: 'BROKER_PORT' },
  ];
  for (const p of plan) if (p.slot >= 0) lists[p.producer][p.slot] = p.token;

  const lines: string[] = [
    '# kafka_writers: SAL Kafka producers feeding the EFD (generated for the validation benchmark).',
    'version: "3.7"',
    '',
    'x-logging: &logging',
    '  driver: json-file',
    '  options:',
    '    max-size: "100m"',
    '    max-file: "5"',
    '',
    'services:',
  ];
  const planted: PlantedError[] = [];
  let offset = lines.reduce((n, l) => n + l.length + 1, 0);
  const push = (line: string, mark?: { label: string; code: string; token: string; from: number }) => {
    if (mark) {
      const col = line.indexOf(mark.token, mark.from);
      planted.push({ label: mark.label, code: mark.code, token: mark.token, line: lines.length, offset: offset + col });
    }
    lines.push(line);
    offset += line.length + 1;
  };
  for (let p = 0; p < producers; p++) {
    const name = `salkafka-${String(p).padStart(3, '0')}`;
    const env: [string, string][] = [
      ['LSST_DDS_PARTITION_PREFIX', '${LSST_DDS_PARTITION_PREFIX}'],
      ['LSST_DDS_DOMAIN_ID', '0'],
      ['BROKER_IP', '${BROKER_IP}'],
      ['BROKER_PORT', '9094'],
      ['REGISTRY_ADDR', 'https://schema-registry-efd.lsst.codes'],
      ['PARTITIONS', '1'],
      ['REPLICATION', '3'],
      ['LOG_LEVEL', '20'],
      ['WAIT_ACK', '1'],
      ['CSC_LIST', lists[p].join(' ')],
    ];
    const envPlan = plan.find((x) => x.producer === p && x.env);
    if (envPlan) env.find(([k]) => k === envPlan.env)![1] = envPlan.token;
    push(`  ${name}:`);
    push('    image: ts-dockerhub.lsst.org/salkafka:${CYCLE}');
    push(`    container_name: ${name}`);
    push('    restart: always');
    push('    network_mode: host');
    push('    logging: *logging');
    push('    environment:');
    for (const [k, v] of env) {
      const line = `      - ${k}=${v}`;
      const marks = plan.filter((x) => x.producer === p && (x.env ? x.env === k : k === 'CSC_LIST'));
      if (marks.length === 0) push(line);
      for (const m of marks) {
        // A token may also occur as part of another (ESS:1 in ESS:11): find it as a whole word.
        const from = k === 'CSC_LIST' ? line.indexOf('=') + 1 + lists[p].slice(0, m.slot).reduce((n, t) => n + t.length + 1, 0) : line.indexOf('=') + 1;
        push(line, { label: m.label, code: m.code, token: m.token, from });
        if (marks.length > 1) throw new Error('bench: one planted mistake per line');
      }
    }
    push('    command: >');
    push('      run_salkafka_producer.py --broker $${BROKER_IP}:$${BROKER_PORT} --registry $${REGISTRY_ADDR}');
    push('      --partitions $${PARTITIONS} --loglevel $${LOG_LEVEL} --replication-factor $${REPLICATION}');
    push('      --wait-ack $${WAIT_ACK} $${CSC_LIST}');
    push('');
  }
  return { text: lines.join('\n'), producers, planted };
}

/** Variables the summit's .env / setup.env give the generated file. */
export const CORPUS_VARIABLES = {
  CYCLE: 'c0044.003', // ts_xml 27.1.1: the generated producers use today's names
  BROKER_IP: 'sasquatch-summit-kafka-bootstrap.lsst.codes',
  LSST_DDS_PARTITION_PREFIX: 'summit',
};
