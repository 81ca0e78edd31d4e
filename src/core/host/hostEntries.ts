// The producers hosts the view shows, from settings: `efdSalkafka.producerHosts` (a list of
// { alias, composeFile, production, transport }) or, when that is empty, the single host of
// `efdSalkafka.host` with `efdSalkafka.composeFile`. Bad entries are reported and skipped, never
// guessed at: a wrong compose path on a production host is how a file gets lost.
import * as posix from 'node:path/posix';
import { parseTransportSetting, type TransportSetting } from './chooseTransport';

export interface HostEntry {
  alias: string;
  composeFile: string;
  /** true/false from the entry; undefined: decided by efdSalkafka.production.hosts. */
  production?: boolean;
  transport: TransportSetting;
  /** Docker socket on that host; undefined: efdSalkafka.dockerSocket. */
  dockerSocket?: string;
}

export interface HostEntrySettings {
  /** efdSalkafka.producerHosts as read (unknown shape: it is user input). */
  list: unknown;
  /** efdSalkafka.host */
  host: string;
  /** efdSalkafka.composeFile */
  composeFile: string;
  /** efdSalkafka.transport (the default for entries that do not name one). */
  transport: unknown;
}

export const DEFAULT_COMPOSE_FILE = '/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml';

const ALIAS_RE = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;

export function readHostEntries(s: HostEntrySettings): { entries: HostEntry[]; problems: string[] } {
  const transport = parseTransportSetting(s.transport);
  const fallback: HostEntry = { alias: s.host || 'azar2', composeFile: s.composeFile || DEFAULT_COMPOSE_FILE, transport };
  if (!Array.isArray(s.list) || s.list.length === 0) {
    return { entries: [fallback], problems: s.list === undefined || Array.isArray(s.list) ? [] : ['efdSalkafka.producerHosts must be a list; using efdSalkafka.host'] };
  }
  const entries: HostEntry[] = [];
  const problems: string[] = [];
  s.list.forEach((raw: unknown, i) => {
    const where = `efdSalkafka.producerHosts[${i}]`;
    const e = (typeof raw === 'string' ? { alias: raw } : raw) as Record<string, unknown> | null;
    if (!e || typeof e !== 'object') return problems.push(`${where} is not an object; skipped`);
    const alias = typeof e.alias === 'string' ? e.alias.trim() : '';
    if (!ALIAS_RE.test(alias)) return problems.push(`${where}: alias ${JSON.stringify(e.alias)} is not a host alias; skipped`);
    if (entries.some((x) => x.alias === alias)) return problems.push(`${where}: ${alias} is listed twice; the second entry is skipped`);
    const composeFile = e.composeFile === undefined || e.composeFile === '' ? s.composeFile || DEFAULT_COMPOSE_FILE : e.composeFile;
    if (typeof composeFile !== 'string' || !posix.isAbsolute(composeFile) || composeFile.includes('\0')) {
      return problems.push(`${where}: composeFile must be an absolute path on ${alias}; skipped`);
    }
    const production = typeof e.production === 'boolean' ? e.production : undefined;
    const dockerSocket = e.dockerSocket;
    if (dockerSocket !== undefined && (typeof dockerSocket !== 'string' || !posix.isAbsolute(dockerSocket) || dockerSocket.includes('\0'))) {
      return problems.push(`${where}: dockerSocket must be an absolute path on ${alias}; skipped`);
    }
    const entry: HostEntry = { alias, composeFile, production, transport: e.transport === undefined ? transport : parseTransportSetting(e.transport) };
    if (dockerSocket) entry.dockerSocket = dockerSocket;
    entries.push(entry);
  });
  if (entries.length === 0) return { entries: [fallback], problems: [...problems, 'no usable entry in efdSalkafka.producerHosts; using efdSalkafka.host'] };
  return { entries, problems };
}

/** "EFD: 2/3 connected" for the status bar; the single-host form keeps the alias. */
export function connectedSummary(states: { alias: string; state: string }[]): string {
  const up = states.filter((s) => s.state === 'connected').length;
  return `EFD: ${up}/${states.length} connected`;
}
