/**
 * Development producers carry who started them, why and until when as compose labels on their
 * service, so the file itself tells colleagues (and `docker inspect` tells anyone on the host).
 * One place for the keys: the generator writes them, the view and the checker read them.
 */
export const DEV_LABELS = {
  purpose: 'org.lsst.salkafka.dev.purpose',
  owner: 'org.lsst.salkafka.dev.owner',
  expires: 'org.lsst.salkafka.dev.expires',
  /** The daemon service planned together with the producer (removed with it when nothing else uses it). */
  daemon: 'org.lsst.salkafka.dev.daemon',
} as const;

export interface DevMetadata {
  purpose?: string;
  owner?: string;
  /** As written: an ISO date (2021-11-30) or date-time. */
  expires?: string;
  daemon?: string;
}

/** Metadata from a service's labels (map or `KEY=VALUE` list); undefined when it has none. */
export function devMetadata(labels: ReadonlyMap<string, string>): DevMetadata | undefined {
  const m: DevMetadata = {};
  if (labels.has(DEV_LABELS.purpose)) m.purpose = labels.get(DEV_LABELS.purpose);
  if (labels.has(DEV_LABELS.owner)) m.owner = labels.get(DEV_LABELS.owner);
  if (labels.has(DEV_LABELS.expires)) m.expires = labels.get(DEV_LABELS.expires);
  if (labels.has(DEV_LABELS.daemon)) m.daemon = labels.get(DEV_LABELS.daemon);
  return Object.keys(m).length ? m : undefined;
}

/**
 * Milliseconds since the epoch at which an expiry ends. A bare date means the end of that day
 * (UTC): "expires 2021-11-30" still runs on the 30th. Undefined when it is not a date.
 */
export function expiryMs(expires: string | undefined): number | undefined {
  if (!expires) return undefined;
  const text = expires.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const t = Date.parse(`${text}T23:59:59.999Z`);
    return Number.isNaN(t) ? undefined : t;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text)) return undefined;
  const t = Date.parse(text);
  return Number.isNaN(t) ? undefined : t;
}

/** "expired 3 days ago", "expires in 5 h", for the view and messages. */
export function expiresIn(expires: string | undefined, nowMs: number): { expired: boolean; text: string } | undefined {
  const t = expiryMs(expires);
  if (t === undefined) return undefined;
  const d = t - nowMs;
  const span = humanSpan(Math.abs(d));
  return d < 0 ? { expired: true, text: `expired ${span} ago` } : { expired: false, text: `expires in ${span}` };
}

function humanSpan(ms: number): string {
  const h = ms / 3_600_000;
  if (h < 1) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
}
