// Text shown for producers in the tree and quick picks. Pure, so it is unit-tested.
import type { HealthLevel } from '../logs/queueHealth';
import type { Producer } from './producerTypes';

/** 3 d 4 h / 5 h 12 m / 7 m / 42 s */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} m`;
  if (m > 0) return `${m} m`;
  return `${s} s`;
}

export function stateLabel(p: Producer): string {
  const base = p.state === 'not-created' ? 'defined, not created' : p.state === 'exited' && p.exitCode !== undefined ? `exited (${p.exitCode})` : p.state;
  return p.orphan ? `orphan, ${base}` : base;
}

/** e.g. "running · up 3 h 12 m · c0035 · 2 restarts" */
export function producerDescription(p: Producer, now: number): string {
  const parts = [stateLabel(p)];
  if ((p.state === 'running' || p.state === 'restarting') && p.startedAt !== undefined) parts.push(`up ${formatDuration(now - p.startedAt)}`);
  else if (p.state === 'exited' && p.finishedAt !== undefined) parts.push(`${formatDuration(now - p.finishedAt)} ago`);
  if (p.imageTag) parts.push(p.imageTag);
  if (p.restartCount) parts.push(`${p.restartCount} restart${p.restartCount === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export const HEALTH_LABEL: Record<HealthLevel, string> = {
  unknown: 'no queue reports',
  ok: 'ok',
  warning: 'warning (≥ 50 %)',
  critical: 'critical (≥ 90 %)',
  dataLoss: 'FULL — data may be lost',
};

/**
 * Overall colour class of a producer: its queue health while it runs; not running is "off",
 * except a crash (non-zero exit, restarting, dead), which is an error in itself.
 */
export type ProducerHealthClass = 'ok' | 'warning' | 'error' | 'off';

export function producerHealthClass(p: Producer, health: HealthLevel | undefined): ProducerHealthClass {
  if (p.state === 'restarting') return 'warning';
  if (p.state === 'dead' || (p.state === 'exited' && p.exitCode !== undefined && p.exitCode !== 0)) return 'error';
  if (p.state !== 'running') return 'off';
  if (health === 'critical' || health === 'dataLoss') return 'error';
  if (health === 'warning') return 'warning';
  return 'ok';
}
