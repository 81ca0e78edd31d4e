// How the producers view and the status bar tell development producers apart: the producer
// facts (labels, domain) the foundation reads from the compose file, as one line of text.
import type { Producer } from '../producers/producerTypes';
import { expiresIn } from './expiry';

export interface DevSummary {
  /** "dev · domain 7 · mreuter · expires in 13 days". */
  text: string;
  expired: boolean;
  owner?: string;
  purpose?: string;
  domainId: number;
}

/** Undefined for production producers (no development label). */
export function devSummary(p: Pick<Producer, 'facts'>, nowMs: number): DevSummary | undefined {
  const f = p.facts;
  if (!f?.dev.marked) return undefined;
  const left = expiresIn(f.dev.expires?.at, nowMs);
  const parts = ['dev', `domain ${f.domainId}`];
  if (f.dev.owner) parts.push(f.dev.owner);
  parts.push(left ? left.text : f.dev.expires ? `expiry "${f.dev.expires.text}" unreadable` : 'no expiry');
  return { text: parts.join(' · '), expired: left?.expired === true, ...(f.dev.owner ? { owner: f.dev.owner } : {}), ...(f.dev.purpose ? { purpose: f.dev.purpose } : {}), domainId: f.domainId };
}

/** Production producers first, then development ones (each group in the given order). */
export function splitProducers<T extends Pick<Producer, 'facts'>>(producers: readonly T[]): { production: T[]; development: T[] } {
  const production: T[] = [];
  const development: T[] = [];
  for (const p of producers) (p.facts?.dev.marked ? development : production).push(p);
  return { production, development };
}

/** The status bar's words for the expired development producers of every host, or undefined. */
export function expiredText(expired: readonly { alias: string; name: string; summary: DevSummary }[]): { text: string; tooltip: string } | undefined {
  if (!expired.length) return undefined;
  return {
    text: `$(beaker) ${expired.length} expired development producer${expired.length === 1 ? '' : 's'}`,
    tooltip: expired.map((e) => `${e.alias}: ${e.name} (${e.summary.text})`).join('\n') + '\n\nClick to take one down.',
  };
}
