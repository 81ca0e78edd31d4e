// Troubleshoot a producer: from its inspect, recent log lines, compose service and a few
// bounded checks run on the host, name the likely problem and what to do about it.
// diagnose() is pure; gatherAndDiagnose() collects the evidence over the connection.
import type Dockerode from 'dockerode';
import type { Catalogue } from '../catalogue/catalogue';
import type { ParsedLine } from '../logs/logTypes';
import type { ExecOptions, ExecResult } from '../host/host';
import { probeReadiness } from './readiness';
import type { ReadinessProbe } from './readiness';
import type { InspectLike } from './verify';
import { fetchTail, inspectContainer } from './verify';

export type FindingId =
  | 'not-found'
  | 'restart-loop'
  | 'exited'
  | 'unknown-csc'
  | 'domain-mismatch'
  | 'production-domain'
  | 'broker-unreachable'
  | 'registry-unreachable'
  | 'connection-errors'
  | 'queue-full'
  | 'queue-filling'
  | 'traceback'
  | 'topic-create-failed'
  | 'callback-failed'
  | 'not-ready'
  | 'healthy';

export interface Finding {
  id: FindingId;
  severity: 'error' | 'warning' | 'info';
  title: string;
  evidence: string[];
  /** What to do, in one or two sentences. */
  action: string;
}

export interface TcpCheck {
  what: 'broker' | 'registry';
  host: string;
  port: number;
  ok: boolean;
  detail: string;
}

export interface TroubleshootInput {
  container: string;
  inspect?: InspectLike;
  /** Recent lines (several runs of the container when it restarts). */
  lines: ParsedLine[];
  /** CSC_LIST words of the compose service (undefined: not in the file). */
  cscList?: string[];
  catalogue?: Catalogue;
  /** The DDS domain the user expects the CSCs on (e.g. their dev domain). */
  expectedDomainId?: string;
  /** The producer runs on a host/partition treated as production. */
  productionExpected?: boolean;
  tcp: TcpCheck[];
  /** The readiness file inside the running container (absent when not looked at). */
  readiness?: ReadinessProbe;
}

export interface TroubleshootReport {
  container: string;
  findings: Finding[];
  /** The most likely problem, first. */
  headline: string;
}

const CONNECTION_ERROR_RE =
  /(KafkaError|KafkaException|BrokerTransportFailure|_TRANSPORT|Connection refused|ConnectionError|ConnectionRefused|Failed to resolve|Name or service not known|Max retries exceeded|NewConnectionError|timed out|Broker: |Schema ?Registry)/i;
// KafkaProducerFactory.make_kafka_topics: log.exception(f"Failed to create topic {topic_name}").
const TOPIC_CREATE_RE = /^Failed to create topic (\S+)/;
// ts_salobj ReadTopic: log.exception(f"Callback {callback} failed with data={data}").
const CALLBACK_RE = /^Callback .* failed with data=/;
const UNKNOWN_CSC_RE = /Unknown SAL component "?([A-Za-z][A-Za-z0-9]*)"?|(?:component|CSC) "?([A-Za-z][A-Za-z0-9]*)"? (?:is )?(?:unknown|not found|not in)/;

export function envOf(inspect: InspectLike | undefined): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of inspect?.Config?.Env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0) m.set(e.slice(0, eq), e.slice(eq + 1));
  }
  return m;
}

/** Broker and registry endpoints from the producer's environment (validated; undefined if junk). */
export function endpoints(env: Map<string, string>): { what: 'broker' | 'registry'; host: string; port: number }[] {
  const out: { what: 'broker' | 'registry'; host: string; port: number }[] = [];
  const hostOk = (h: string) => /^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(h) || /^\[?[0-9a-fA-F:]+\]?$/.test(h);
  const ip = env.get('BROKER_IP');
  const port = Number(env.get('BROKER_PORT'));
  if (ip && hostOk(ip) && Number.isInteger(port) && port > 0 && port < 65536) out.push({ what: 'broker', host: ip, port });
  const reg = env.get('REGISTRY_ADDR');
  if (reg) {
    try {
      const u = new URL(reg);
      const p = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
      const h = u.hostname.replace(/^\[|\]$/g, '');
      if (hostOk(h) && p > 0 && p < 65536) out.push({ what: 'registry', host: h, port: p });
    } catch {
      /* not a URL: the linter reports it */
    }
  }
  return out;
}

export function diagnose(input: TroubleshootInput): TroubleshootReport {
  const f: Finding[] = [];
  const { inspect, lines } = input;
  const name = input.container;
  if (!inspect) {
    f.push({
      id: 'not-found',
      severity: 'error',
      title: `${name} does not exist`,
      evidence: [input.cscList ? 'the service is in the compose file but no container was created' : 'no such container and no such service'],
      action: input.cscList ? 'Start it (docker-compose up -d --no-deps), then Verify.' : 'Check the service name and the compose file path setting.',
    });
    return finish(name, f);
  }
  const st = inspect.State ?? {};
  const env = envOf(inspect);
  // Unknown CSC: from the producer's own error lines, cross-checked with the catalogue.
  const named = new Set<string>();
  const unknownLines: string[] = [];
  for (const l of lines) {
    const m = UNKNOWN_CSC_RE.exec(l.message);
    if (m) {
      named.add(m[1] ?? m[2]);
      if (unknownLines.length < 3) unknownLines.push(l.message);
    }
  }
  const cscList = input.cscList ?? (env.get('CSC_LIST') ?? '').split(/\s+/).filter((w) => w && !w.startsWith('-'));
  const notInCatalogue = input.catalogue ? cscList.filter((w) => !input.catalogue!.get(w.split(':')[0])) : [];
  for (const n of notInCatalogue) named.add(n.split(':')[0]);
  if (named.size) {
    const names = [...named];
    const hints = input.catalogue ? names.map((n) => input.catalogue!.suggest(n)).flat() : [];
    f.push({
      id: 'unknown-csc',
      severity: 'error',
      title: `Unknown CSC: ${names.join(', ')}`,
      evidence: [
        ...unknownLines,
        ...(notInCatalogue.length ? [`not in the SAL catalogue in force: ${notInCatalogue.join(' ')}`] : []),
      ],
      action: `Remove ${names.join(', ')} from CSC_LIST (Remove CSC) or fix the spelling${hints.length ? ` (did you mean ${hints.join(' or ')}?)` : ''}; the producer exits on an unknown component, so nothing it lists reaches the EFD.`,
    });
  }
  // Restart loop / exited.
  const restarts = inspect.RestartCount ?? 0;
  if (st.Restarting || (restarts > 0 && (st.Restarting || !st.Running || (st.ExitCode ?? 0) !== 0 || restarts >= 2))) {
    f.push({
      id: 'restart-loop',
      severity: 'error',
      title: `Restart loop: Docker restarted ${name} ${restarts} time(s)`,
      evidence: [`State ${st.Status}${st.Restarting ? ' (restarting)' : ''}, last exit code ${st.ExitCode ?? '?'}, StartedAt ${st.StartedAt}`],
      action: named.size ? 'Fix the unknown CSC above, then Apply.' : 'Read the last error lines (Show Producer Logs); fix the cause, then Apply. Roll back the compose file if the loop began with your change.',
    });
  } else if (!st.Running) {
    f.push({
      id: 'exited',
      severity: (st.ExitCode ?? 0) === 0 ? 'warning' : 'error',
      title: `${name} is ${st.Status} (exit code ${st.ExitCode ?? '?'})`,
      evidence: [`FinishedAt ${st.FinishedAt ?? '?'}`],
      action: (st.ExitCode ?? 0) === 0 ? 'It was stopped; Start it if it should run.' : 'Read its last lines (Show Producer Logs), fix the cause, then Start.',
    });
  }
  // DDS domain.
  const domain = env.get('LSST_DDS_DOMAIN_ID');
  const domainShown = domain === undefined || domain === '' ? 'unset (0)' : domain;
  if (input.expectedDomainId !== undefined && (domain ?? '0') !== input.expectedDomainId) {
    f.push({
      id: 'domain-mismatch',
      severity: 'error',
      title: `DDS domain mismatch: the producer is on LSST_DDS_DOMAIN_ID ${domainShown}, you expect ${input.expectedDomainId}`,
      evidence: [`LSST_DDS_DOMAIN_ID=${domain ?? '(unset)'} in the container environment`, `LSST_DDS_PARTITION_PREFIX=${env.get('LSST_DDS_PARTITION_PREFIX') ?? '(unset)'}`],
      action: 'A producer sees no topics of CSCs on another DDS domain: set LSST_DDS_DOMAIN_ID (the .env beside the compose file or the service environment) to the CSCs\' domain, then Apply.',
    });
  } else if ((domain === undefined || domain === '' || domain === '0') && input.productionExpected === false) {
    f.push({
      id: 'production-domain',
      severity: 'warning',
      title: `The producer is on DDS domain 0 (production) on a development host`,
      evidence: [`LSST_DDS_DOMAIN_ID=${domain ?? '(unset)'}`],
      action: 'If the CSCs you test run on a dev domain, the producer sees none of their topics: set LSST_DDS_DOMAIN_ID to that domain and Apply.',
    });
  }
  // Broker and registry, from the host and from the producer's own lines.
  for (const t of input.tcp) {
    if (t.ok) continue;
    f.push({
      id: t.what === 'broker' ? 'broker-unreachable' : 'registry-unreachable',
      severity: 'error',
      title: `${t.what === 'broker' ? 'Kafka broker' : 'Schema registry'} ${t.host}:${t.port} is not reachable from the host`,
      evidence: [t.detail],
      action: `Check ${t.what === 'broker' ? 'BROKER_IP/BROKER_PORT' : 'REGISTRY_ADDR'} and that the ${t.what} is up; the host's reachability is a proxy for the container's (same network unless network_mode differs).`,
    });
  }
  const connLines = lines.filter((l) => (l.level === 'ERROR' || l.level === 'WARNING' || l.level === 'CRITICAL') && CONNECTION_ERROR_RE.test(l.message));
  if (connLines.length) {
    f.push({
      id: 'connection-errors',
      severity: 'error',
      title: `The producer logs ${connLines.length} connection error(s)`,
      evidence: connLines.slice(-3).map((l) => l.message.slice(0, 200)),
      action: 'Check the broker and registry addresses and the network between the producer and them.',
    });
  }
  // Queues.
  const full = lines.filter((l) => l.queue?.full || l.queue?.dataLoss);
  if (full.length) {
    const topics = [...new Set(full.map((l) => `${l.csc ?? '?'}.${l.queue!.topic}`))];
    f.push({
      id: 'queue-full',
      severity: 'error',
      title: `Read queue full — EFD data lost for ${topics.join(', ')}`,
      evidence: full.slice(-3).map((l) => `${l.timestamp ?? ''} ${l.message}`.trim()),
      action: 'The producer cannot keep up: move the busiest CSC to its own producer (Remove CSC here, Add CSC to another), or check the broker is not slow.',
    });
  } else {
    const filling = lines.filter((l) => l.queue && !l.queue.full && l.queue.fill >= 50);
    if (filling.length) {
      f.push({
        id: 'queue-filling',
        severity: 'warning',
        title: `Read queues filling (≥ 50%)`,
        evidence: filling.slice(-3).map((l) => l.message),
        action: 'Watch Queue Health; if it reaches full, EFD data is lost.',
      });
    }
  }
  // ts_salkafka's own failure lines.
  const created = lines.map((l) => TOPIC_CREATE_RE.exec(l.message)?.[1]).filter((t): t is string => t !== undefined);
  if (created.length) {
    const topics = [...new Set(created)];
    f.push({
      id: 'topic-create-failed',
      severity: 'error',
      title: `Kafka refused to create topic${topics.length > 1 ? 's' : ''} ${topics.slice(0, 3).join(', ')}${topics.length > 3 ? ` (+${topics.length - 3})` : ''}`,
      evidence: lines.filter((l) => TOPIC_CREATE_RE.test(l.message) || (l.traceback === 'end' && /Kafka/.test(l.message))).slice(-3).map((l) => l.message.slice(0, 200)),
      action: 'The producer exits when a topic cannot be created. Check the broker\'s answer in the traceback: authorization (the SASL --username/--password, TS_SALKAFKA_PASSWORD), --replication-factor above the number of brokers, or the broker being unreachable.',
    });
  }
  const callbacks = lines.filter((l) => CALLBACK_RE.test(l.message));
  if (callbacks.length) {
    const who = [...new Set(callbacks.map((l) => l.logger ?? l.csc ?? '?'))];
    f.push({
      id: 'callback-failed',
      severity: 'error',
      title: `${callbacks.length} sample(s) not written: "Callback … failed" for ${who.slice(0, 3).join(', ')}${who.length > 3 ? ` (+${who.length - 3})` : ''}`,
      evidence: callbacks.slice(-3).map((l) => `${l.timestamp ?? ''} ${l.message.slice(0, 200)}`.trim()),
      action: 'Each such line is a DDS sample the producer read but did not send to Kafka (lost for the EFD). The traceback after it says why, often an Avro schema the registry rejects after a ts_xml change.',
    });
  }
  const rd = input.readiness;
  if (st.Running && rd && !('error' in rd) && !rd.present) {
    const last = [...lines].reverse().find((l) => l.lifecycle !== undefined)?.lifecycle;
    f.push({
      id: 'not-ready',
      severity: last === 'running' ? 'error' : 'warning',
      title: `No readiness file ${rd.path}: the producer does not report that it runs`,
      evidence: [last ? `last progress line: ${last}` : 'no progress line ("Creating producers", "Running") in the recent log'],
      action:
        last === 'running'
          ? 'ts_salkafka (1.5 and later) writes the file once every producer runs and removes it on shutdown; "Running" without it means an older image or a producer shutting down. Restart it if it stays so.'
          : 'The producer has not finished starting (it writes the file once every producer runs); if it stays so, read its log for the component it waits on.',
    });
  }
  const tb = lines.filter((l) => l.traceback === 'end');
  if (tb.length || lines.some((l) => l.traceback === 'start')) {
    f.push({
      id: 'traceback',
      severity: 'error',
      title: `Python traceback in the log${tb.length ? `: ${tb[tb.length - 1].message.slice(0, 120)}` : ''}`,
      evidence: tb.slice(-3).map((l) => l.message),
      action: 'Read the traceback (Show Producer Logs); it names the failing component or connection.',
    });
  }
  return finish(name, f);
}

const RANK = { error: 0, warning: 1, info: 2 } as const;
const ORDER: FindingId[] = ['not-found', 'unknown-csc', 'restart-loop', 'domain-mismatch', 'broker-unreachable', 'registry-unreachable', 'topic-create-failed', 'connection-errors', 'queue-full', 'callback-failed', 'traceback', 'not-ready', 'exited', 'production-domain', 'queue-filling', 'healthy'];

function finish(container: string, f: Finding[]): TroubleshootReport {
  if (!f.length) {
    f.push({ id: 'healthy', severity: 'info', title: `No problem found for ${container}`, evidence: [], action: 'Run Verify for the per-CSC checks.' });
  }
  f.sort((a, b) => RANK[a.severity] - RANK[b.severity] || ORDER.indexOf(a.id) - ORDER.indexOf(b.id));
  return { container, findings: f, headline: f[0].title };
}

/** Fixed script for a bounded TCP check: $1 host, $2 port. */
export const TCP_CHECK_SCRIPT = 'exec 3<>"/dev/tcp/$1/$2"';

export function tcpCheckArgv(host: string, port: number): string[] {
  return ['timeout', '3', 'bash', '-c', TCP_CHECK_SCRIPT, 'salkafka-tcp-check', host, String(port)];
}

export interface TroubleshootHost {
  exec(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  docker(): Dockerode;
}

export async function gatherAndDiagnose(
  host: TroubleshootHost,
  container: string,
  extra: Omit<TroubleshootInput, 'container' | 'inspect' | 'lines' | 'tcp'>,
  opts: { tailLines?: number } = {},
): Promise<TroubleshootReport & { input: TroubleshootInput }> {
  const docker = host.docker();
  const inspect = await inspectContainer(docker, container);
  let lines: ParsedLine[] = [];
  if (inspect) {
    lines = await fetchTail(docker, container, opts.tailLines ?? 1000, inspect.Config?.Tty === true);
  }
  const tcp: TcpCheck[] = [];
  for (const ep of endpoints(envOf(inspect))) {
    try {
      const r = await host.exec(tcpCheckArgv(ep.host, ep.port));
      tcp.push({
        ...ep,
        ok: r.code === 0,
        detail: r.code === 0 ? 'TCP connect succeeded' : r.code === 124 ? 'no answer within 3 s (timeout)' : `TCP connect failed${r.stderr.trim() ? `: ${r.stderr.trim().split('\n').pop()}` : ` (exit ${r.code})`}`,
      });
    } catch (err) {
      tcp.push({ ...ep, ok: false, detail: `check could not run: ${(err as Error).message}` });
    }
  }
  const input: TroubleshootInput = { container, lines, tcp, ...extra };
  if (inspect) input.inspect = inspect;
  if (inspect?.State?.Running && !inspect.State.Restarting) input.readiness = await probeReadiness(docker, container, inspect.Config?.Env);
  return { ...diagnose(input), input };
}
