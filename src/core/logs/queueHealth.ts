// Queue health of one producer, built from its log: per CSC, per topic queue, the latest
// reported fill, the worst level reached and a bounded fill history for the chart.
//
// Caveat shown to users: QueueCapacityChecker only logs when a threshold (10/50/90 of 100) is
// crossed upward, so "latest fill" is the latest *reported* fill; a queue that drained again is
// silent until it next fills. The worst level is therefore the meaningful signal.
import type { Lifecycle, ParsedLine, QueueEvent, QueueKind } from './logTypes';
import { RingBuffer } from './ringBuffer';

export type HealthLevel = 'unknown' | 'ok' | 'warning' | 'critical' | 'dataLoss';

const RANK: Record<HealthLevel, number> = { unknown: 0, ok: 1, warning: 2, critical: 3, dataLoss: 4 };

export function worseOf(a: HealthLevel, b: HealthLevel): HealthLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export function healthRank(level: HealthLevel): number {
  return RANK[level];
}

/** ok < 50 %, warning ≥ 50 %, critical ≥ 90 % of capacity; dataLoss when the queue was full. */
export function levelForQueueEvent(ev: Pick<QueueEvent, 'fill' | 'capacity' | 'full' | 'dataLoss'>): HealthLevel {
  if (ev.full || ev.dataLoss) return 'dataLoss';
  const pct = ev.capacity > 0 ? (ev.fill * 100) / ev.capacity : 0;
  if (pct >= 90) return 'critical';
  if (pct >= 50) return 'warning';
  return 'ok';
}

export interface FillSample {
  /** Milliseconds since the epoch (Docker timestamp when present, else receive time). */
  t: number;
  fill: number;
}

export interface TopicHealth {
  topic: string;
  queue: QueueKind;
  capacity: number;
  latestFill: number;
  latestLevel: HealthLevel;
  worstLevel: HealthLevel;
  worstFill: number;
  /** Times the queue was reported full. */
  fullCount: number;
  lastUpdate: number;
  history: RingBuffer<FillSample>;
}

export interface CscHealth {
  /** "MTHexapod" or "MTHexapod:1"; "(unknown)" when the logger did not name a CSC. */
  key: string;
  worstLevel: HealthLevel;
  topics: Map<string, TopicHealth>;
}

export const UNKNOWN_CSC = '(unknown)';

/** Topic queues kept per producer. The largest real producers have a few hundred topics. */
export const DEFAULT_MAX_TOPICS = 2000;

/** A TopicHealth as plain data (for the tree and the webview): history as an array. */
export type HealthSnapshotTopic = Omit<TopicHealth, 'history'> & { history: FillSample[] };

export interface HealthSnapshot {
  lifecycle?: Lifecycle;
  worstLevel: HealthLevel;
  /** Topic queues dropped to stay within maxTopics ("and N more topics"). */
  droppedTopics: number;
  errorCount: number;
  tracebackCount: number;
  cscs: { key: string; worstLevel: HealthLevel; topics: HealthSnapshotTopic[] }[];
}

export class QueueHealthModel {
  readonly cscs = new Map<string, CscHealth>();
  lifecycle: Lifecycle | undefined;
  lastLifecycleChange = 0;
  errorCount = 0;
  tracebackCount = 0;
  /** Increments on every change that a view would show; lets views skip redundant redraws. */
  version = 0;
  /**
   * Topic queues dropped to stay within maxTopics: a log naming 100k distinct topics (or
   * loggers) cannot grow the model without bound. The least recently reported queue goes first;
   * its level still counts in its CSC's worst level, or in evictedWorstLevel when the CSC went too.
   */
  droppedTopics = 0;
  evictedWorstLevel: HealthLevel = 'unknown';
  /** Every topic in least-recently-reported order: key → [cscKey, topicKey]. */
  private readonly lru = new Map<string, [string, string]>();

  constructor(
    private readonly historyLength = 500,
    readonly maxTopics = DEFAULT_MAX_TOPICS,
  ) {}

  /** Topic queues currently kept, over all CSCs. */
  get topicCount(): number {
    return this.lru.size;
  }

  get worstLevel(): HealthLevel {
    let w: HealthLevel = this.lifecycle === undefined && this.cscs.size === 0 && this.droppedTopics === 0 ? 'unknown' : 'ok';
    for (const c of this.cscs.values()) w = worseOf(w, c.worstLevel);
    return worseOf(w, this.evictedWorstLevel);
  }

  /** Feeds one parsed line; returns true if the model changed. */
  apply(line: ParsedLine, receivedAt = Date.now()): boolean {
    if (line.queue) {
      const t = line.tsSec !== undefined ? line.tsSec * 1000 + Math.floor((line.tsNanos ?? 0) / 1e6) : receivedAt;
      const key = line.csc === undefined ? UNKNOWN_CSC : line.cscIndex !== undefined ? `${line.csc}:${line.cscIndex}` : line.csc;
      this.applyQueue(key, line.queue, t);
      return true;
    }
    if (line.lifecycle) {
      // Queue state is deliberately kept across a producer restart ("Creating producers" again):
      // a full queue just before a crash is exactly what the engineer needs to see.
      this.lifecycle = line.lifecycle;
      this.lastLifecycleChange = line.tsSec !== undefined ? line.tsSec * 1000 : receivedAt;
      this.version++;
      return true;
    }
    if (line.traceback === 'start') {
      this.tracebackCount++;
      this.version++;
      return true;
    }
    if (line.level === 'ERROR' || line.level === 'CRITICAL') {
      this.errorCount++;
      this.version++;
      return true;
    }
    return false;
  }

  applyQueue(cscKey: string, ev: QueueEvent, t: number): void {
    let csc = this.cscs.get(cscKey);
    if (!csc) {
      csc = { key: cscKey, worstLevel: 'ok', topics: new Map() };
      this.cscs.set(cscKey, csc);
    }
    const topicKey = `${ev.topic} ${ev.queue}`;
    const lruKey = `${cscKey}\u0000${topicKey}`;
    let topic = csc.topics.get(topicKey);
    this.lru.delete(lruKey);
    this.lru.set(lruKey, [cscKey, topicKey]);
    if (!topic) {
      topic = {
        topic: ev.topic, queue: ev.queue, capacity: ev.capacity, latestFill: 0, latestLevel: 'ok',
        worstLevel: 'ok', worstFill: 0, fullCount: 0, lastUpdate: t, history: new RingBuffer(this.historyLength),
      };
      csc.topics.set(topicKey, topic);
    }
    const level = levelForQueueEvent(ev);
    topic.capacity = ev.capacity;
    topic.latestFill = ev.fill;
    topic.latestLevel = level;
    topic.worstLevel = worseOf(topic.worstLevel, level);
    if (ev.fill > topic.worstFill) topic.worstFill = ev.fill;
    if (ev.full) topic.fullCount++;
    topic.lastUpdate = t;
    topic.history.push({ t, fill: ev.fill });
    csc.worstLevel = worseOf(csc.worstLevel, level);
    while (this.lru.size > this.maxTopics) this.evictOldest();
    this.version++;
  }

  private evictOldest(): void {
    const [key, [cscKey, topicKey]] = this.lru.entries().next().value as [string, [string, string]];
    this.lru.delete(key);
    const csc = this.cscs.get(cscKey);
    if (!csc) return;
    csc.topics.delete(topicKey);
    this.droppedTopics++;
    if (csc.topics.size === 0) {
      this.evictedWorstLevel = worseOf(this.evictedWorstLevel, csc.worstLevel);
      this.cscs.delete(cscKey);
    }
  }

  /** Forget worst levels (user acknowledged them); keeps history. */
  acknowledge(): void {
    this.evictedWorstLevel = 'unknown';
    for (const c of this.cscs.values()) {
      c.worstLevel = 'ok';
      for (const t of c.topics.values()) {
        t.worstLevel = t.latestLevel;
        t.worstFill = t.latestFill;
        c.worstLevel = worseOf(c.worstLevel, t.worstLevel);
      }
    }
    this.version++;
  }

  /** Plain data copy for views and webviews. */
  snapshot(): HealthSnapshot {
    const cscs = [...this.cscs.values()]
      .sort((a, b) => a.key.localeCompare(b.key))
      .map((c) => ({
        key: c.key,
        worstLevel: c.worstLevel,
        topics: [...c.topics.values()]
          .sort((a, b) => a.topic.localeCompare(b.topic) || a.queue.localeCompare(b.queue))
          .map((t) => ({
            topic: t.topic, queue: t.queue, capacity: t.capacity, latestFill: t.latestFill,
            latestLevel: t.latestLevel, worstLevel: t.worstLevel, worstFill: t.worstFill,
            fullCount: t.fullCount, lastUpdate: t.lastUpdate, history: t.history.toArray(),
          })),
      }));
    const snap: HealthSnapshot = {
      worstLevel: this.worstLevel, droppedTopics: this.droppedTopics, errorCount: this.errorCount, tracebackCount: this.tracebackCount, cscs,
    };
    if (this.lifecycle !== undefined) snap.lifecycle = this.lifecycle;
    return snap;
  }
}
