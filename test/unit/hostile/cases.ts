// Hostile compose inputs, shared by the hostile-input tests (test/unit/hostile) and bench/hostile.ts.
// Each case is a directory of files written at run time (and a FIFO where asked) plus the codes the
// check must report. The shapes come from the review that found the bugs (issue 9): merge-key and
// alias bombs, deep nesting, huge lines and lists, 3,000 producers, binary, invalid UTF-8, env_file
// pointing at devices and FIFOs, terminal escape sequences in names.

/** A complete producer in the summit file's list style. */
export function producer(name: string, cscList: string, extra: string[] = []): string {
  return [
    `  ${name}:`,
    `    image: ts-dockerhub.lsst.org/salkafka:c0035`,
    `    container_name: ${name}`,
    `    environment:`,
    `      - BROKER_IP=10.0.0.5`,
    `      - BROKER_PORT=9094`,
    `      - REGISTRY_ADDR=http://registry:8081`,
    `      - CSC_LIST=${cscList}`,
    ...extra,
  ].join('\n');
}

export interface HostileCase {
  name: string;
  /** What the case reproduces, for the bench table. */
  what: string;
  /** Files of the case's directory; `docker-compose.yaml` is the one checked. */
  files: Record<string, string | Buffer>;
  /** Names in the directory made into FIFOs (nobody ever writes to them). */
  fifos?: string[];
  /** Symlinks: name in the directory → target (devices). */
  links?: Record<string, string>;
  /** Diagnostic codes that must be among the results. */
  expectCodes: string[];
  /** Text that must appear in some message (or in the CLI's stderr). */
  expectText?: RegExp;
  /** Goal for the bench table (ms of wall time for the whole check). */
  goalMs: number;
}

const COMPOSE = 'docker-compose.yaml';

/** The 484-byte shape of the review: six levels of ten merges of the level below. */
export function mergeBomb(levels = 6, fan = 10): string {
  const lines = ['x-a0: &a0 {k: v}'];
  for (let i = 1; i <= levels; i++) lines.push(`x-a${i}: &a${i} {<<: [${Array(fan).fill(`*a${i - 1}`).join(',')}]}`);
  lines.push('services:', '  salkafka-x:', `    <<: *a${levels}`, '    image: ts-dockerhub.lsst.org/salkafka:c0035');
  return lines.join('\n') + '\n';
}

/** Merges that caching alone does not make cheap: many distinct keys merged into many services. */
export function wideMerge(keys = 3000, services = 3000): string {
  const lines = ['x-wide: &wide'];
  for (let i = 0; i < keys; i++) lines.push(`  k${i}: v`);
  lines.push('services:');
  for (let i = 0; i < services; i++) lines.push(`  s${i}:`, '    <<: *wide');
  return lines.join('\n') + '\n';
}

/** Billion laughs with sequences: each level a list of ten aliases of the level below. */
export function aliasBomb(levels = 9, fan = 10): string {
  const lines = ['x-l0: &l0 [lol]'];
  for (let i = 1; i <= levels; i++) lines.push(`x-l${i}: &l${i} [${Array(fan).fill(`*l${i - 1}`).join(',')}]`);
  lines.push('services:', '  salkafka-x:', `    command: *l${levels}`, `    environment: *l${levels}`, `    labels: *l${levels}`, `    volumes: *l${levels}`);
  return lines.join('\n') + '\n';
}

/** One flow sequence nested `depth` deep inside a service. */
export function deepFlow(depth: number): string {
  return `services:\n  salkafka-x:\n    command: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
}

/** Block mappings nested `depth` deep (one more space each level). */
export function deepBlock(depth: number): string {
  const lines = ['services:', '  salkafka-x:', '    labels:'];
  for (let i = 0; i < depth; i++) lines.push(`${' '.repeat(6 + i)}k${i}:`);
  return lines.join('\n') + ' v\n';
}

export function manyProducers(count: number, csc: (i: number) => string, extra: (i: number) => string[] = () => []): string {
  const services: string[] = [];
  for (let i = 0; i < count; i++) services.push(producer(`salkafka-p${i}`, csc(i), extra(i)));
  return `services:\n${services.join('\n')}\n`;
}

/** Deterministic bytes (no Math.random: a failure must reproduce). */
function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    b[i] = a >>> 24;
  }
  return b;
}

const ENV_FILE_PRODUCER = (envFile: string) =>
  `services:\n  salkafka-x:\n    image: ts-dockerhub.lsst.org/salkafka:c0035\n    env_file: ${envFile}\n    environment:\n      - CSC_LIST=MTMount\n`;

export function hostileCases(): HostileCase[] {
  const words = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join(' ');
  return [
    { name: 'merge-bomb', what: '484-byte nested fanned-out merge keys (6 levels × 10)', files: { [COMPOSE]: mergeBomb() }, expectCodes: ['compose-unknown-key'], goalMs: 2000 },
    { name: 'merge-bomb-deep', what: 'nested fanned-out merge keys, 12 levels × 10 (10^12 paths)', files: { [COMPOSE]: mergeBomb(12, 10) }, expectCodes: ['compose-unknown-key'], goalMs: 2000 },
    { name: 'merge-wide', what: '3,000 keys merged into 3,000 services', files: { [COMPOSE]: wideMerge() }, expectCodes: ['analysis-limit'], expectText: /merge/i, goalMs: 4000 },
    { name: 'alias-bomb', what: 'billion laughs: 9 levels of 10 aliases of lists', files: { [COMPOSE]: aliasBomb() }, expectCodes: ['compose-type'], goalMs: 2000 },
    { name: 'merge-cycle', what: 'a mapping merging itself', files: { [COMPOSE]: 'x-a: &a\n  k: v\n  <<: *a\nservices:\n  salkafka-x:\n    <<: *a\n' }, expectCodes: [], goalMs: 2000 },
    { name: 'deep-flow', what: '20,000 nested flow sequences', files: { [COMPOSE]: deepFlow(20_000) }, expectCodes: [], goalMs: 4000 },
    { name: 'deep-flow-2m', what: '2 MB of nested flow sequences (1,000,000 levels)', files: { [COMPOSE]: deepFlow(1_000_000) }, expectCodes: ['analysis-limit'], expectText: /more than 100,000 lines, list items and brackets/, goalMs: 2000 },
    { name: 'wide-flow-2m', what: 'a 2 MB flow list of 1,000,000 items', files: { [COMPOSE]: `services:\n  x:\n    command: [${'a,'.repeat(1_000_000)}a]\n` }, expectCodes: ['analysis-limit'], goalMs: 2000 },
    { name: 'block-list-49k', what: 'a block list of 49,000 items (just under the token limit: a line and a "- " each)', files: { [COMPOSE]: `services:\n  x:\n    command:\n${'      - a\n'.repeat(49_000)}` }, expectCodes: [], goalMs: 4000 },
    { name: 'deep-block', what: '3,000 nested block mappings', files: { [COMPOSE]: deepBlock(3000) }, expectCodes: [], goalMs: 4000 },
    { name: 'huge-line', what: 'one 1.5 MB scalar line', files: { [COMPOSE]: `services:\n  salkafka-x:\n    image: ${'a'.repeat(1_500_000)}\n` }, expectCodes: ['env-missing'], goalMs: 3000 },
    { name: 'many-variables', what: '600 KB value of $a$a$a… (a spread of 200,000 references)', files: { [COMPOSE]: `services:\n  salkafka-x:\n    image: ${'$a'.repeat(300_000)}\n` }, expectCodes: ['variable-unset'], goalMs: 4000 },
    { name: 'csc-list-700k', what: '700 KB CSC_LIST of unknown names', files: { [COMPOSE]: manyProducers(1, () => words(70_000, (i) => `Zz${i}`)) }, expectCodes: ['csc-unknown', 'analysis-limit'], goalMs: 4000 },
    { name: 'csc-list-dupes', what: '700 KB CSC_LIST, one name 100,000 times', files: { [COMPOSE]: manyProducers(1, () => words(100_000, () => 'MTMount')) }, expectCodes: ['csc-duplicate', 'analysis-limit'], goalMs: 4000 },
    { name: '3000-producers-one-csc', what: '3,000 producers listing the same CSC', files: { [COMPOSE]: manyProducers(3000, () => 'MTMount') }, expectCodes: ['csc-in-multiple-producers'], expectText: /and 2,996 more/, goalMs: 4000 },
    { name: '3000-producers-indexed', what: '3,000 producers: ESS unindexed and ESS:i', files: { [COMPOSE]: manyProducers(3000, (i) => (i % 2 ? `ESS:${i}` : 'ESS')) }, expectCodes: ['csc-in-multiple-producers'], goalMs: 4000 },
    { name: '3000-same-container', what: '3,000 services with one container_name and one ipv4_address', files: { [COMPOSE]: manyProducers(3000, (i) => `MTMount:${i}`, () => ['    networks:', '      kafka:', '        ipv4_address: 10.0.0.9']).replace(/container_name: .*/g, 'container_name: same') }, expectCodes: ['container-name-conflict', 'ipv4-address-conflict'], expectText: /and 2,996 more/, goalMs: 4000 },
    { name: 'too-large', what: 'a 3 MB file (over the input limit)', files: { [COMPOSE]: `services:\n${producer('salkafka-x', 'MTMount')}\n#${'x'.repeat(3_000_000)}\n` }, expectCodes: ['analysis-limit'], expectText: /larger than/, goalMs: 2000 },
    { name: 'binary', what: '200 KB of pseudo-random bytes', files: { [COMPOSE]: bytes(200_000, 9) }, expectCodes: ['yaml-syntax'], goalMs: 3000 },
    { name: 'invalid-utf8', what: 'invalid UTF-8 sequences in keys and values', files: { [COMPOSE]: Buffer.concat([Buffer.from('services:\n  salkafka-'), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from(':\n    image: \xed\xa0\x80x\n', 'latin1')]) }, expectCodes: ['env-missing'], goalMs: 2000 },
    { name: 'escape-sequences', what: 'terminal escapes in a service name and a CSC', files: { [COMPOSE]: `services:\n  "salkafka-\\e]0;pwned\\a\\e[2J":\n    image: x\n    environment:\n      - "CSC_LIST=\\e[31mRED\\e[0m"\n` }, expectCodes: ['csc-unknown'], goalMs: 2000 },
    { name: 'env-file-dev-zero', what: 'env_file: /dev/zero', files: { [COMPOSE]: ENV_FILE_PRODUCER('zero.env') }, links: { 'zero.env': '/dev/zero' }, expectCodes: ['env-file-unreadable'], expectText: /not a regular file/, goalMs: 2000 },
    { name: 'env-file-dev-urandom', what: 'env_file: /dev/urandom', files: { [COMPOSE]: ENV_FILE_PRODUCER('/dev/urandom') }, expectCodes: ['env-file-unreadable'], expectText: /not a regular file/, goalMs: 2000 },
    { name: 'env-file-fifo', what: 'env_file and .env are FIFOs nobody writes', files: { [COMPOSE]: ENV_FILE_PRODUCER('pipe.env') }, fifos: ['pipe.env', '.env'], expectCodes: ['env-file-unreadable'], expectText: /not a regular file/, goalMs: 2000 },
    { name: 'env-file-huge', what: 'a 40 MB env_file', files: { [COMPOSE]: ENV_FILE_PRODUCER('big.env'), 'big.env': 'A=' + 'x'.repeat(40_000_000) + '\n' }, expectCodes: ['env-file-unreadable'], expectText: /larger than/, goalMs: 2000 },
  ];
}
