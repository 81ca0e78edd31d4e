// Development-producer metadata, kept as compose labels on the service (and so on its container):
// why it exists, who owns it, and until when. One place defines the keys; every reader and
// writer (provisioning, take-down, the tree) goes through here. Parsing never throws: a bad value
// is reported as invalid, the producer is still shown.

export const DEV_LABEL_PREFIX = 'org.lsst.efd.salkafka.';
export const DEV_LABELS = {
  purpose: `${DEV_LABEL_PREFIX}purpose`,
  owner: `${DEV_LABEL_PREFIX}owner`,
  /** An ISO 8601 date (2026-12-31) or date-time; the producer may be taken down after it. */
  expires: `${DEV_LABEL_PREFIX}expires`,
} as const;

export type DevLabelKey = keyof typeof DEV_LABELS;

export interface DevMetadata {
  /** True when any of the keys is present (a producer someone marked as development). */
  marked: boolean;
  purpose?: string;
  owner?: string;
  /** The expiry as written, and as a time when it parses. */
  expires?: { text: string; at?: Date };
  /** Values that are present but unusable, in words (for the tree's tooltip / lint). */
  invalid: string[];
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const MAX_TEXT = 200;

/** The moment an ISO date / date-time names (a date alone: the end of that day, UTC). */
export function parseExpiry(text: string): Date | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  // Reject 2026-02-31 and the like (Date rolls them over).
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  if (h === undefined) return new Date(date.getTime() + 86_400_000 - 1);
  const t = new Date(text.trim().replace(' ', 'T') + (m[7] ? '' : 'Z'));
  return Number.isNaN(t.getTime()) ? undefined : t;
}

/** Reads the development labels from a label map (compose `labels:` or a container's Labels). */
export function parseDevLabels(labels: Readonly<Record<string, unknown>> | undefined): DevMetadata {
  const out: DevMetadata = { marked: false, invalid: [] };
  if (!labels) return out;
  const text = (key: DevLabelKey): string | undefined => {
    const v = labels[DEV_LABELS[key]];
    if (v === undefined || v === null) return undefined;
    out.marked = true;
    if (typeof v !== 'string' && typeof v !== 'number') {
      out.invalid.push(`${DEV_LABELS[key]} is not a text value`);
      return undefined;
    }
    const s = String(v).trim();
    if (!s) {
      out.invalid.push(`${DEV_LABELS[key]} is empty`);
      return undefined;
    }
    if (s.length > MAX_TEXT || /[\u0000-\u001f\u007f]/.test(s)) {
      out.invalid.push(`${DEV_LABELS[key]} is longer than ${MAX_TEXT} characters or holds control characters`);
      return undefined;
    }
    return s;
  };
  const purpose = text('purpose');
  if (purpose !== undefined) out.purpose = purpose;
  const owner = text('owner');
  if (owner !== undefined) out.owner = owner;
  const expires = text('expires');
  if (expires !== undefined) {
    const at = parseExpiry(expires);
    out.expires = at ? { text: expires, at } : { text: expires };
    if (!at) out.invalid.push(`${DEV_LABELS.expires} "${expires}" is not an ISO date (e.g. 2026-12-31)`);
  }
  return out;
}

/** The labels to write for a development producer (values as given; the caller validates). */
export function devLabels(meta: { purpose: string; owner: string; expires: string }): Record<string, string> {
  return { [DEV_LABELS.purpose]: meta.purpose, [DEV_LABELS.owner]: meta.owner, [DEV_LABELS.expires]: meta.expires };
}
