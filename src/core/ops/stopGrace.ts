// How long Stop, Restart and Apply let a producer shut down before Docker SIGKILLs it.
//
// On SIGTERM ts_salkafka logs "Shutting down", closes every DDS reader and Kafka producer
// (flushing what it holds), and logs "Done"; with --file the parent also waits up to 5 s for each
// partial producer (SIGTERM_TIMEOUT). Docker's default of 10 s can cut that short, and a SIGKILL
// mid-flush loses the samples the producer still held. So every command that stops a container
// passes an explicit timeout (`stop -t`, `restart -t`, `up -t`): at least DEFAULT_GRACE_SECONDS,
// or the service's own stop_grace_period when that is longer. Passing `-t` matters even when the
// file sets stop_grace_period: docker-compose's -t replaces it, so a smaller -t would shorten it.
import { isMap, isScalar } from 'yaml';
import type { ServiceModel } from '../compose/model';

export const DEFAULT_GRACE_SECONDS = 30;
/** docker-compose accepts any integer; a day is beyond any real shutdown and keeps argv sane. */
const MAX_GRACE_SECONDS = 86_400;

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, µs: 0.000001, ns: 1e-9 };

/**
 * Seconds of a compose duration ("1m30s", "45s", "1.5s", "500ms", "2h"), or a bare number of
 * seconds; undefined when it is not one.
 */
export function parseComposeDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (!/^(\d+(\.\d+)?(h|ms|m|s|us|µs|ns))+$/.test(t)) return undefined;
  let total = 0;
  for (const m of t.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) total += Number(m[1]) * UNIT_SECONDS[m[2]];
  return total;
}

export interface StopGrace {
  seconds: number;
  /** Where the figure comes from, for the plan. */
  source: 'default' | 'stop_grace_period';
  /** The file's stop_grace_period when it could not be read (said in the plan). */
  unreadable?: string;
}

/** The grace period for a service: the longer of the default and its stop_grace_period. */
export function stopGraceFor(svc: ServiceModel | undefined, defaultSeconds = DEFAULT_GRACE_SECONDS): StopGrace {
  const node = svc?.node;
  const value = isMap(node) ? node.get('stop_grace_period', true) : undefined;
  if (value === undefined || value === null) return { seconds: defaultSeconds, source: 'default' };
  const raw = isScalar(value) ? value.value : undefined;
  const secs = typeof raw === 'string' || typeof raw === 'number' ? parseComposeDuration(raw) : undefined;
  if (secs === undefined) return { seconds: defaultSeconds, source: 'default', unreadable: String(raw ?? value) };
  const whole = Math.min(MAX_GRACE_SECONDS, Math.ceil(secs));
  return whole > defaultSeconds ? { seconds: whole, source: 'stop_grace_period' } : { seconds: defaultSeconds, source: 'default' };
}

/** Short form beside the command: "30 s grace for its SIGTERM shutdown". */
export function graceText(g: StopGrace): string {
  return `${g.seconds} s grace for its SIGTERM shutdown`;
}

/** The plan's note: why the grace, and where the figure comes from. */
export function graceNote(service: string, g: StopGrace): string {
  const from = g.source === 'stop_grace_period' ? "the service's stop_grace_period" : `the default; a longer stop_grace_period in the file is used instead`;
  return `${service} gets ${g.seconds} s (${from}) to shut down on SIGTERM: ts_salkafka logs "Shutting down", closes its readers and Kafka producers, then logs "Done"; only after that time would Docker SIGKILL it.`;
}
