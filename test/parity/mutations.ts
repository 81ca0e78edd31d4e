// Seeded mutations of realistic kafka_writers files, chosen for what docker-compose checks:
// each is a mistake people make in these files (or a harmless edit that must stay accepted).
// Used by the differential test against the real docker-compose.

const YAML_SNIPPETS = ['"', "'", '{', '}', '[', ']', ':', ': ', '- ', '#', ' #', '&a ', '*a', '*logging', '!tag ', '!!str ', '? ', '|', '>-', '%YAML 1.1\n', '---\n', '...\n', '\\', '@', '`', ',', '<<: *logging\n', '~', 'null', '0x1F', '1:20', '.inf', '2021-01-01', '\r\n', ' \n'];

type Mutation = (text: string, rnd: () => number) => string | undefined;

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];

/** Indices of lines matching re. */
function linesMatching(lines: string[], re: RegExp): number[] {
  return lines.map((l, i) => (re.test(l) ? i : -1)).filter((i) => i >= 0);
}

/** Applies fn to one random line matching re; undefined when none does. */
function onLine(text: string, rnd: () => number, re: RegExp, fn: (line: string, lines: string[], i: number) => string | string[]): string | undefined {
  const lines = text.split('\n');
  const at = linesMatching(lines, re);
  if (!at.length) return undefined;
  const i = pick(rnd, at);
  const out = fn(lines[i], lines, i);
  lines.splice(i, 1, ...(Array.isArray(out) ? out : [out]));
  return lines.join('\n');
}

/** The service key lines (two-space indent under services:) and their indentation. */
const SERVICE_KEY = /^ {2}[A-Za-z0-9._-]+:\s*$/;
/** A key line directly inside a service (four spaces). */
const SERVICE_FIELD = /^ {4}[a-z_]+:/;

export const COMPOSE_MUTATIONS: Record<string, Mutation> = {
  // Volumes: the summit mistake, and its fix.
  dropDotSlash: (t, r) => onLine(t, r, /^\s+- \.\/[^:\s]+:/, (l) => l.replace('- ./', '- ')),
  namedVolumeDeclared: (t, r) => {
    const m = onLine(t, r, /^\s+- \.\/[^:\s/]+:/, (l) => l.replace('- ./', '- '));
    const name = m && /^\s+- ([^:\s]+):/m.exec(m.split('\n').find((l) => /^\s+- [^./~$][^:\s]*:\//.test(l)) ?? '')?.[1];
    return m && name ? `${m}\nvolumes:\n  ${name}:\n` : undefined;
  },
  addNamedVolume: (t, r) => onLine(t, r, SERVICE_KEY, (l) => [l, `    volumes:\n      - ${pick(r, ['startup.sh', 'data', 'ospl.xml', '${UNSET_VOL:-cache}'])}:/opt/mount`]),
  duplicateMountTarget: (t, r) => onLine(t, r, /^\s+- \.\/[^:\s]+:\S+/, (l) => [l, l.replace(/- \.\/[^:]+:/, '- ./other.conf:')]),
  // References to what the file does not define.
  dependsOnGhost: (t, r) => onLine(t, r, SERVICE_KEY, (l) => [l, `    depends_on:\n      - ${pick(r, ['ospl-daemon', 'ospl-daemon4', 'kafka'])}`]),
  dependsOnSibling: (t, r) => {
    const names = t.split('\n').filter((l) => SERVICE_KEY.test(l)).map((l) => l.trim().slice(0, -1));
    return names.length ? onLine(t, r, SERVICE_KEY, (l) => [l, `    depends_on:\n      - ${pick(r, names)}`]) : undefined;
  },
  networkGhost: (t, r) => onLine(t, r, SERVICE_KEY, (l) => [l, `    networks:\n      - ${pick(r, ['dds-network', 'kafka', 'default'])}`]),
  linkGhost: (t, r) => onLine(t, r, SERVICE_KEY, (l) => [l, '    links:\n      - ospl-daemon:ospl']),
  networkModeService: (t, r) => onLine(t, r, SERVICE_KEY, (l) => [l, `    network_mode: "service:${pick(r, ['ospl-daemon', 'x'])}"`]),
  // Types as PyYAML reads them.
  wrongType: (t, r) =>
    onLine(t, r, SERVICE_KEY, (l) => [
      l,
      pick(r, [
        '    container_name: 123',
        '    tty: 1',
        '    tty: yes',
        '    tty: "yes"',
        '    stdin_open: maybe',
        '    init: "true"',
        '    restart: 1',
        '    hostname: 2021-01-01',
        '    environment: "CSC_LIST=ATDome"',
        '    command: 1e3',
        '    image: 1.5',
        '    mem_limit: 1g',
        '    labels:\n      a: true',
        '    logging:\n      driver: json-file\n      options:\n        max-file: 5',
        '    logging:\n      options:\n        compress: true',
        '    ports:\n      - 22:22',
        '    ports:\n      - "abc"',
        '    expose:\n      - "80/tcp"',
      ]),
    ]),
  versionAsNumber: (t) => (/^version: ['"][\d.]+['"]/m.test(t) ? t.replace(/^version: ['"]([\d.]+)['"]/m, 'version: $1') : undefined),
  versionInvalid: (t, r) => (/^version:/m.test(t) ? t.replace(/^version: .*$/m, `version: "${pick(r, ['4', '1', '3.x', '2.4', '3.10'])}"`) : `version: "${pick(r, ['4', '1'])}"\n${t}`),
  dropVersion: (t) => t.replace(/^version: .*\n/m, ''),
  unknownKey: (t, r) => onLine(t, r, SERVICE_FIELD, (l) => l.replace(/^( {4})([a-z_]+):/, (_m, ind, k) => `${ind}${pick(r, [k + 's', k.slice(0, -1), 'x-' + k, 'gpus', 'enviroment'])}:`)),
  unknownTopLevel: (t, r) => `${t}\n${pick(r, ['name: kafka', 'x-note: fine', 'service:\n  a: 1', 'configs: {}'])}\n`,
  // Service names.
  badServiceName: (t, r) => onLine(t, r, SERVICE_KEY, (l) => `  ${pick(r, ['salkafka m2', '"salkafka/at"', '115', 'SalKafka-AT', 'salkafka_115', 'sal.kafka'])}:`),
  removeImage: (t, r) => onLine(t, r, /^ {4}image:/, () => []),
  // Interpolation.
  dollar: (t, r) => onLine(t, r, /^\s+- [A-Z_]+=/, (l) => l + pick(r, [' $1', '$', ' $$1', ' ${X Y}', ' ${CYCLE:-c0020}', ' ${X:+y}', ' $HOME'])),
  requiredVar: (t, r) => onLine(t, r, /^\s+- [A-Z_]+=/, (l) => l.replace(/=.*/, pick(r, ['=${MUST_BE_SET:?set it in setup.env}', '=${CYCLE:?needed}']))),
  // Lists docker-compose wants without duplicates.
  duplicateEnvItem: (t, r) => onLine(t, r, /^\s+- [A-Z_]+=/, (l) => [l, l]),
  // Keys written twice (PyYAML keeps the last silently; docker-compose accepts).
  duplicateKey: (t, r) => onLine(t, r, SERVICE_FIELD, (l, lines, i) => (/:\s*\S/.test(l) ? [l, l] : lines[i])),
  // Whitespace.
  tabIndent: (t, r) => onLine(t, r, /^ {4}\S/, (l) => '\t' + l.slice(4)),
  tabAfterColon: (t, r) => onLine(t, r, /^\s+[a-z_]+: \S/, (l) => l.replace(': ', ':\t')),
  tabInComment: (t) => `${t}\n#\tcomment with a tab\n`,
  tabInQuoted: (t, r) => onLine(t, r, SERVICE_KEY, (l) => [l, '    labels:\n      note: "a\tb"']),
  shiftIndent: (t, r) => onLine(t, r, /^ {4,}\S/, (l) => (r() < 0.5 ? ' ' + l : l.slice(1))),
  deleteLine: (t, r) => {
    const lines = t.split('\n');
    lines.splice(Math.floor(r() * lines.length), 1);
    return lines.join('\n');
  },
  wrapLine: (t, r) => onLine(t, r, /CSC_LIST=\S+ \S+/, (l) => l.replace(/(CSC_LIST=\S+) /, '$1\n ')),
  pasteTerminal: (t, r) => onLine(t, r, /^\s+- [A-Z_]+=/, (l) => [l, '[operator@azar2 kafka_writers]$ cat docker-compose.yaml']),
  controlChar: (t, r) => onLine(t, r, /^\s+- [A-Z_]+=/, (l) => l + pick(r, ['\u0001', '\u00a0', '\u007f', '\u00e9'])),
  secondDocument: (t) => `${t}\n---\nfoo: 1\n`,
  emptyFile: (_t, r) => pick(r, ['', '# kafka_writers\n', '---\n']),
  // Characters that matter to YAML, typed anywhere (half-finished edits).
  yamlSnippet: (t, r) => {
    const at = Math.floor(r() * (t.length + 1));
    return t.slice(0, at) + pick(r, YAML_SNIPPETS) + t.slice(at);
  },
  yamlSnippetInValue: (t, r) => onLine(t, r, /: \S/, (l) => {
    const at = l.indexOf(': ') + 2 + Math.floor(r() * (l.length - l.indexOf(': ') - 1));
    return l.slice(0, at) + pick(r, YAML_SNIPPETS) + l.slice(at);
  }),
};

export interface Mutant {
  base: string;
  mutation: string;
  text: string;
}

/** `count` mutants: one or two mutations applied to a random base, all from one seed. */
export function mutants(bases: Record<string, string>, rnd: () => number, count: number, only?: string[]): Mutant[] {
  const names = only?.length ? only : Object.keys(COMPOSE_MUTATIONS);
  const baseNames = Object.keys(bases);
  const out: Mutant[] = [];
  for (let guard = 0; out.length < count && guard < count * 20; guard++) {
    const base = pick(rnd, baseNames);
    let text: string | undefined = bases[base];
    const applied: string[] = [];
    const n = rnd() < 0.75 ? 1 : 2;
    for (let k = 0; k < n && text !== undefined; k++) {
      const name = pick(rnd, names);
      text = COMPOSE_MUTATIONS[name](text, rnd);
      applied.push(name);
    }
    if (text === undefined || text === bases[base]) continue;
    out.push({ base, mutation: applied.join('+'), text });
  }
  return out;
}
