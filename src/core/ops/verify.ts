// Verification after a change (and on demand): is the producer up, started by this change, not
// in a restart loop, and is it writing every CSC of its CSC_LIST? Evaluation is pure
// (evaluateVerification on an inspect result and parsed log lines); verifyProducer polls the
// host until every check passes, one fails for certain, or the timeout ends.
import type Dockerode from 'dockerode';
import { DockerStreamDemuxer } from '../logs/dockerDemux';
import { LogStreamParser } from '../logs/logStreamParser';
import type { ParsedLine } from '../logs/logTypes';
import type { VerifyExpectation } from './plan';
import { containerRef } from '../docker/containerRef';
import { probeReadiness } from './readiness';
import type { ReadinessProbe } from './readiness';

export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'pending';

export interface VerifyCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** A failure that waiting cannot fix (exited, restart loop, traceback, data loss). */
  definitive?: boolean;
}

/** The parts of Docker's container inspect used here. */
export interface InspectLike {
  Id: string;
  Name?: string;
  RestartCount?: number;
  State?: { Status?: string; Running?: boolean; Restarting?: boolean; StartedAt?: string; FinishedAt?: string; ExitCode?: number; Error?: string };
  Config?: { Env?: string[]; Tty?: boolean };
}

export interface ContainerBaseline {
  id?: string;
  startedAt?: string;
  restartCount?: number;
}

export interface VerifyInput {
  container: string;
  expect: VerifyExpectation;
  /** Host-clock moment the action started (undefined for an on-demand check). */
  actionStart?: Date;
  /** The container before the action (id, StartedAt, RestartCount). */
  before?: ContainerBaseline;
  /** Checks pass only once the producer has run this long (it could still crash). Default 3 s. */
  settleSeconds?: number;
}

export interface VerifyReport {
  container: string;
  ok: boolean;
  checks: VerifyCheck[];
  /** One line: "PASS salkafka-m2: 8/8 checks" or the first failure. */
  summary: string;
  startedAt?: string;
  logLinesExamined: number;
  /** ERROR/CRITICAL lines and traceback exceptions seen since start (first few). */
  errorLines: string[];
  elapsedMs: number;
}

/** Nanoseconds since the epoch of an RFC 3339 time with up to 9 fraction digits. */
export function rfc3339Nanos(t: string | undefined): bigint | undefined {
  if (!t) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/.exec(t);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms) || ms <= 0) return undefined; // Docker's zero time 0001-01-01 = never
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

const lineNanos = (l: ParsedLine): bigint | undefined =>
  l.tsSec === undefined ? undefined : BigInt(l.tsSec) * 1_000_000_000n + BigInt(l.tsNanos ?? 0);

/** Does this line show the CSC word (`MTHexapod`, `ESS:1`)? Logger first, then the text. */
export function lineShowsCsc(line: ParsedLine, word: string): boolean {
  const colon = word.indexOf(':');
  const name = colon >= 0 ? word.slice(0, colon) : word;
  const index = colon >= 0 ? word.slice(colon + 1) : undefined;
  if (line.csc === name && (index === undefined || line.cscIndex === index)) return true;
  // Other log formats name the component in the message; require word boundaries.
  const re = new RegExp(`(^|[^A-Za-z0-9])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9:])`);
  return re.test(line.message);
}

/** The moment logs are checked from: the container's start, or the action for a hot add. */
export function logWindowStart(inspect: InspectLike | undefined, input: VerifyInput): bigint | undefined {
  const action = input.actionStart ? BigInt(input.actionStart.getTime()) * 1_000_000n : undefined;
  if (input.expect.restarted === 'no' && action !== undefined) return action;
  // Docker sets StartedAt only after the process runs, so a producer's first lines ("Running"
  // included) can be stamped a few ms BEFORE StartedAt (seen on the test hosts: line at
  // .637241Z, StartedAt .639988Z). The exact boundary of this run is the end of the previous one:
  // FinishedAt (Docker's zero time when the container never stopped: then every line is this run's).
  const started = rfc3339Nanos(inspect?.State?.StartedAt);
  const finishedText = inspect?.State?.FinishedAt;
  if (started === undefined) return undefined;
  // No FinishedAt known (not every inspect carries it): allow the lines a second before StartedAt.
  if (finishedText === undefined) return started - STARTED_AT_SLACK_NS;
  const finished = rfc3339Nanos(finishedText);
  if (finished === undefined) return undefined; // zero time: never stopped, one run only
  return finished < started ? finished + 1n : started;
}

const STARTED_AT_SLACK_NS = 1_000_000_000n;

/**
 * Evaluates every check. With final=false, checks that may still pass are 'pending'; with
 * final=true (timeout), they become failures saying what was not seen.
 */
export function evaluateVerification(
  inspect: InspectLike | undefined,
  lines: readonly ParsedLine[],
  input: VerifyInput,
  opts: { final: boolean; nowMs: number; timeoutSeconds?: number; readiness?: ReadinessProbe },
): VerifyCheck[] {
  const checks: VerifyCheck[] = [];
  const waitOr = (detail: string): CheckStatus => (opts.final ? 'fail' : 'pending');
  const notSeen = opts.final ? ` within ${opts.timeoutSeconds ?? '?'} s` : ' yet';
  const exp = input.expect;
  if (!inspect) {
    checks.push({ name: 'container exists', status: exp.state === 'skip' ? 'skipped' : 'fail', detail: `no container named ${input.container}`, definitive: true });
    return checks;
  }
  checks.push({ name: 'container exists', status: 'pass', detail: `${input.container} (${inspect.Id.slice(0, 12)})` });
  const st = inspect.State ?? {};
  if (exp.state === 'skip') {
    checks.push({ name: 'state', status: 'skipped', detail: `nothing to verify for this change; container is ${st.Status ?? 'unknown'}` });
    return checks;
  }
  if (exp.state === 'stopped') {
    checks.push(
      st.Running
        ? { name: 'stopped', status: waitOr(''), detail: `still ${st.Status}` }
        : { name: 'stopped', status: 'pass', detail: `${st.Status ?? 'not running'}${st.ExitCode !== undefined ? ` (exit code ${st.ExitCode})` : ''}` },
    );
    return checks;
  }
  // Log window first: a start that failed on DDS is explained in the state checks below.
  const since = logWindowStart(inspect, input);
  const win = since === undefined ? lines : lines.filter((l) => (lineNanos(l) ?? since) >= since);
  const domain = envOf(inspect, 'LSST_DDS_DOMAIN_ID') ?? '0';
  // Any run's traceback explains it: after a restart the window holds only the newest run.
  const dds = ddsStartFailure(lines, domain);
  // Running, and not restarting.
  if (st.Restarting) {
    checks.push({ name: 'running', status: 'fail', detail: `restarting (last exit code ${st.ExitCode ?? '?'}): the producer keeps exiting${dds ? `: ${dds}` : ''}`, definitive: true });
  } else if (!st.Running) {
    checks.push({
      name: 'running',
      status: 'fail',
      detail: `${st.Status ?? 'not running'} with exit code ${st.ExitCode ?? '?'}${st.Error ? ` (${st.Error})` : ''}${dds ? `: ${dds}` : ''}`,
      definitive: exp.restarted !== 'yes' || rfc3339Nanos(st.FinishedAt) !== undefined,
    });
  } else {
    checks.push({ name: 'running', status: 'pass', detail: `running since ${st.StartedAt}` });
  }
  // Started by this change (or, for a hot add, NOT restarted by it).
  const started = rfc3339Nanos(st.StartedAt);
  const recreated = input.before?.id !== undefined && input.before.id !== inspect.Id;
  const restartedNow = recreated || (input.before?.startedAt !== undefined && st.StartedAt !== input.before.startedAt);
  if (exp.restarted === 'yes' && input.actionStart) {
    const action = BigInt(input.actionStart.getTime()) * 1_000_000n;
    checks.push(
      started !== undefined && started >= action
        ? { name: 'started after the change', status: 'pass', detail: `StartedAt ${st.StartedAt} ≥ action start ${input.actionStart.toISOString()}` }
        : { name: 'started after the change', status: waitOr(''), detail: `StartedAt ${st.StartedAt ?? 'unknown'} is before the action (${input.actionStart.toISOString()}): not restarted${notSeen}` },
    );
  } else if (exp.restarted === 'no' && input.before?.startedAt) {
    checks.push(
      restartedNow
        ? { name: 'not restarted', status: 'fail', detail: `the container restarted (StartedAt ${input.before.startedAt} → ${st.StartedAt}); an in-container change is lost on restart`, definitive: true }
        : { name: 'not restarted', status: 'pass', detail: `StartedAt unchanged (${st.StartedAt})` },
    );
  } else if (exp.restarted === 'either' && input.before) {
    checks.push({ name: 'recreated', status: 'skipped', detail: restartedNow ? `yes: StartedAt ${input.before.startedAt ?? '–'} → ${st.StartedAt}` : 'no: the container already matched the file' });
  }
  // Restart loop: RestartCount counts the restart policy's restarts of this container.
  const baseline = recreated || input.before?.restartCount === undefined ? 0 : input.before.restartCount;
  const count = inspect.RestartCount ?? 0;
  if (input.before || input.actionStart) {
    checks.push(
      count > baseline
        ? { name: 'no restart loop', status: 'fail', detail: `RestartCount went ${baseline} → ${count}: the producer exits and Docker restarts it${dds ? `: ${dds}` : ''}`, definitive: true }
        : { name: 'no restart loop', status: 'pass', detail: `RestartCount ${count}` },
    );
  } else {
    checks.push(
      count > 0
        ? { name: 'no restart loop', status: 'fail', detail: `RestartCount is ${count}: Docker restarted the producer ${count} time(s) since it was created`, definitive: st.Restarting === true }
        : { name: 'no restart loop', status: 'pass', detail: 'RestartCount 0' },
    );
  }
  // Log checks, on the lines since the window start.
  const sinceText = input.expect.restarted === 'no' && input.actionStart ? 'since the change' : 'since start';
  const running = win.find((l) => l.lifecycle === 'running');
  checks.push(
    running
      ? { name: '"Running" logged', status: 'pass', detail: `${running.timestamp ?? ''} ${running.message}`.trim() }
      : { name: '"Running" logged', status: waitOr(''), detail: `"Running" not logged ${sinceText}${notSeen}` },
  );
  const rd = opts.readiness;
  if (rd && 'error' in rd) {
    checks.push({ name: 'readiness file', status: 'skipped', detail: rd.error });
  } else if (rd) {
    checks.push(
      rd.present
        ? { name: 'readiness file', status: 'pass', detail: `${rd.path} present: the producer reports that it runs` }
        : running
          ? { name: 'readiness file', status: waitOr(''), detail: `${rd.path} absent although "Running" was logged${notSeen}: ts_salkafka (1.5 and later) writes it once every producer runs` }
          : { name: 'readiness file', status: waitOr(''), detail: `${rd.path} not written${notSeen} (the producer writes it once every producer runs)` },
    );
  }
  if (exp.fileProducer) {
    checks.push({ name: 'CSCs seen', status: 'skipped', detail: 'CSC_LIST uses --file: the topic-set file names the component; not checked per CSC' });
  } else {
    for (const word of exp.cscs) {
      const hit = win.find((l) => lineShowsCsc(l, word));
      checks.push(
        hit
          ? { name: `${word} seen`, status: 'pass', detail: hit.message.slice(0, 160) }
          : { name: `${word} seen`, status: waitOr(''), detail: `no log line for ${word} ${sinceText}${notSeen}` },
      );
    }
  }
  if (exp.samples && !exp.fileProducer) {
    for (const word of exp.cscs) checks.push(samplesCheck(win, word, domain, opts.final));
  }
  const loss = win.find((l) => l.queue?.dataLoss || l.queue?.full);
  checks.push(
    loss
      ? { name: 'no queue overflow', status: 'fail', detail: `${loss.message.slice(0, 200)} (EFD data lost)`, definitive: true }
      : { name: 'no queue overflow', status: 'pass', detail: `no "is full … data may be lost" ${sinceText}` },
  );
  const tb = win.find((l) => l.traceback === 'start');
  const tbEnd = win.find((l) => l.traceback === 'end');
  checks.push(
    tb
      ? { name: 'no Traceback', status: 'fail', detail: `Traceback at ${tb.timestamp ?? '?'}${tbEnd ? `: ${tbEnd.message}` : ''}${dds ? ` (${dds})` : ''}`, definitive: true }
      : { name: 'no Traceback', status: 'pass', detail: `no Traceback ${sinceText}` },
  );
  // Settle: everything passing a moment after start is not yet proof it stays up.
  const settle = BigInt(Math.round((input.settleSeconds ?? 3) * 1000)) * 1_000_000n;
  const from = since ?? started;
  if (from !== undefined && checks.every((c) => c.status === 'pass' || c.status === 'skipped')) {
    const age = BigInt(opts.nowMs) * 1_000_000n - from;
    if (age < settle && !opts.final) checks.push({ name: 'settled', status: 'pending', detail: `up for ${Number(age / 1_000_000n)} ms; waiting ${input.settleSeconds ?? 3} s` });
  }
  return checks;
}

function envOf(inspect: InspectLike, key: string): string | undefined {
  const hit = inspect.Config?.Env?.find((e) => e.startsWith(`${key}=`));
  return hit === undefined ? undefined : hit.slice(key.length + 1);
}

/**
 * ts_salobj's Domain() raises this when OpenSplice gives it no participant: with a shared-memory
 * configuration, no daemon of the domain is running (or reachable through the socket directory).
 */
export function ddsStartFailure(lines: readonly ParsedLine[], domain: string): string | undefined {
  if (!lines.some((l) => /DDSException: Occurred upon initialisation of a dds\.DomainParticipant/.test(l.message))) return undefined;
  const pad = /^\d+$/.test(domain) ? domain.padStart(3, '0') : domain;
  return `the producer could not create its DDS participant on domain ${domain}: with shared memory (ipc: host) it needs the OpenSplice daemon of domain ${domain} (e.g. ospl-daemon-domain-${pad}) running on the host and sharing its socket directory`;
}

/** "wrote N messages" from the CSC's logger: N > 0 means samples arrived on the producer's domain. */
function samplesCheck(win: readonly ParsedLine[], word: string, domain: string, final: boolean): VerifyCheck {
  const counts = win.filter((l) => lineShowsCsc(l, word)).map((l) => /^wrote (\d+) messages$/.exec(l.message.trim())?.[1]).filter((n): n is string => n !== undefined).map(Number);
  const name = `${word} samples`;
  if (counts.some((n) => n > 0)) return { name, status: 'pass', detail: `wrote ${Math.max(...counts)} messages` };
  if (counts.length) {
    return { name, status: 'fail', definitive: true, detail: `no samples of ${word} (wrote 0 messages): ${word} is not running on DDS domain ${domain}, where this producer runs; check the component's LSST_DDS_DOMAIN_ID` };
  }
  return final
    ? { name, status: 'skipped', detail: `the producer logged no message counts; check that lsst.sal.${word.split(':')[0]}.* topics receive data` }
    : { name, status: 'pending', detail: `no message count for ${word} yet` };
}

export function summarize(container: string, checks: VerifyCheck[]): { ok: boolean; summary: string } {
  const failed = checks.filter((c) => c.status === 'fail' || c.status === 'pending');
  const counted = checks.filter((c) => c.status !== 'skipped');
  if (!failed.length) return { ok: true, summary: `PASS ${container}: ${counted.length}/${counted.length} checks passed` };
  return { ok: false, summary: `FAIL ${container}: ${failed[0].name} — ${failed[0].detail}${failed.length > 1 ? ` (+${failed.length - 1} more)` : ''}` };
}

/** Splits Docker logs (multiplexed unless the container has a TTY) into parsed lines. */
export function parseDockerLogs(buf: Buffer, tty: boolean): ParsedLine[] {
  let text: string;
  if (tty) text = buf.toString('utf8');
  else {
    const parts: Buffer[] = [];
    const demux = new DockerStreamDemuxer((_s, p) => parts.push(Buffer.from(p)));
    try {
      demux.push(buf);
      text = Buffer.concat(parts).toString('utf8');
    } catch {
      text = buf.toString('utf8'); // not multiplexed after all
    }
  }
  const parser = new LogStreamParser();
  const out: ParsedLine[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line) out.push(parser.parse(line));
  }
  parser.flush();
  return out;
}

export function errorLinesOf(lines: readonly ParsedLine[], max = 8): string[] {
  const out: string[] = [];
  for (const l of lines) {
    if (l.level === 'ERROR' || l.level === 'CRITICAL' || l.traceback === 'end') out.push(l.raw.replace(/^\S+Z /, '').slice(0, 240));
    if (out.length >= max) break;
  }
  return out;
}

/** Inspect a container by name; undefined when it does not exist. */
export async function inspectContainer(docker: Dockerode, name: string): Promise<InspectLike | undefined> {
  try {
    return (await containerRef(docker, name).inspect()) as unknown as InspectLike;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined;
    throw err;
  }
}

/** Logs of a container since `sinceNanos` (inclusive), with Docker timestamps, parsed. */
export async function fetchLogsSince(docker: Dockerode, name: string, sinceNanos: bigint | undefined, tty: boolean): Promise<ParsedLine[]> {
  const since = sinceNanos === undefined ? 0 : `${sinceNanos / 1_000_000_000n}.${(sinceNanos % 1_000_000_000n).toString().padStart(9, '0')}`;
  const buf = (await containerRef(docker, name).logs({
    follow: false,
    stdout: true,
    stderr: true,
    timestamps: true,
    since: since as unknown as number,
  })) as unknown as Buffer;
  return parseDockerLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)), tty);
}

/** The last `n` lines of a container's log (all runs), parsed. */
export async function fetchTail(docker: Dockerode, name: string, n: number, tty: boolean): Promise<ParsedLine[]> {
  const buf = (await containerRef(docker, name).logs({ follow: false, stdout: true, stderr: true, timestamps: true, tail: n })) as unknown as Buffer;
  return parseDockerLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)), tty);
}

export interface VerifyRunOptions {
  timeoutSeconds: number;
  pollMs?: number;
  signal?: AbortSignal;
  /** Host clock minus local clock, in ms (from Docker's SystemTime); default 0. */
  clockSkewMs?: number;
  onProgress?(checks: VerifyCheck[]): void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

/** Polls the host until the checks pass, one fails for certain, or the timeout ends. */
export async function verifyProducer(docker: Dockerode, input: VerifyInput, opts: VerifyRunOptions): Promise<VerifyReport> {
  const t0 = Date.now();
  const deadline = t0 + opts.timeoutSeconds * 1000;
  const skew = opts.clockSkewMs ?? 0;
  for (;;) {
    const inspect = await inspectContainer(docker, input.container);
    const final = Date.now() >= deadline || opts.signal?.aborted === true;
    let lines: ParsedLine[] = [];
    let readiness: ReadinessProbe | undefined;
    if (inspect && input.expect.state === 'running') {
      lines = await fetchLogsSince(docker, input.container, logWindowStart(inspect, input), inspect.Config?.Tty === true);
      // Only a running container can be looked into.
      if (inspect.State?.Running && !inspect.State.Restarting) readiness = await probeReadiness(docker, input.container, inspect.Config?.Env);
    }
    const checks = evaluateVerification(inspect, lines, input, { final, nowMs: Date.now() + skew, timeoutSeconds: opts.timeoutSeconds, readiness });
    opts.onProgress?.(checks);
    const decided = checks.some((c) => c.status === 'fail' && c.definitive) || checks.every((c) => c.status === 'pass' || c.status === 'skipped');
    if (decided || final) {
      // A definitive failure before the deadline: mark what was still pending as not reached.
      const settled = checks.map((c) => (c.status === 'pending' ? { ...c, status: 'fail' as const, detail: `${c.detail} (verification stopped at the first definitive failure)` } : c));
      const verdict = summarize(input.container, settled);
      const ok = verdict.ok;
      let summary = verdict.summary;
      let errorLines = errorLinesOf(lines);
      if (!ok && inspect && !errorLines.length) {
        // A crashing producer may have just been restarted (its window is empty): the previous
        // runs' last lines say why.
        const tail = await fetchTail(docker, input.container, 200, inspect.Config?.Tty === true).catch(() => []);
        errorLines = errorLinesOf(tail);
        // Such as a shared-memory producer without its domain's daemon: say so in the verdict.
        const dds = ddsStartFailure(tail, inspect.Config?.Env?.find((e) => e.startsWith('LSST_DDS_DOMAIN_ID='))?.slice('LSST_DDS_DOMAIN_ID='.length) || '0');
        if (dds && !summary.includes(dds)) summary = `${summary} — ${dds}`;
      }
      const report: VerifyReport = {
        container: input.container,
        ok,
        checks: settled,
        summary: opts.signal?.aborted ? `${summary} (verification cancelled)` : summary,
        logLinesExamined: lines.length,
        errorLines,
        elapsedMs: Date.now() - t0,
      };
      if (inspect?.State?.StartedAt) report.startedAt = inspect.State.StartedAt;
      return report;
    }
    await sleep(Math.min(opts.pollMs ?? 1000, Math.max(0, deadline - Date.now())), opts.signal);
  }
}
