// Fixed-capacity FIFO: pushing past capacity overwrites the oldest item, so memory stays flat
// however long a log is followed. With a weight budget (bytes of a log line, say) the oldest
// items are also dropped while the total weight is over it: bounded in bytes, not just items.
// The newest item is always kept.

export interface RingBufferBudget<T> {
  maxWeight: number;
  weigh: (item: T) => number;
}

export class RingBuffer<T> {
  private items: (T | undefined)[];
  private head = 0; // index of the oldest item
  private count = 0;
  private droppedTotal = 0;
  private weightTotal = 0;

  constructor(
    private cap: number,
    private readonly budget?: RingBufferBudget<T>,
  ) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`RingBuffer capacity must be a positive integer, got ${cap}`);
    this.items = new Array<T | undefined>(cap);
  }

  /** Total weight of the items kept (0 without a budget). */
  get weight(): number {
    return this.weightTotal;
  }

  get capacity(): number {
    return this.cap;
  }
  get size(): number {
    return this.count;
  }
  /** Items overwritten since creation. */
  get dropped(): number {
    return this.droppedTotal;
  }

  push(item: T): void {
    if (this.count === this.cap) this.dropOldest();
    this.items[(this.head + this.count) % this.cap] = item;
    this.count++;
    if (this.budget) {
      this.weightTotal += this.budget.weigh(item);
      while (this.count > 1 && this.weightTotal > this.budget.maxWeight) this.dropOldest();
    }
  }

  private dropOldest(): void {
    const old = this.items[this.head] as T;
    if (this.budget) this.weightTotal -= this.budget.weigh(old);
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.cap;
    this.count--;
    this.droppedTotal++;
  }

  /** Item `i` counted from the oldest (0) to the newest (size - 1). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.head + i) % this.cap];
  }

  last(): T | undefined {
    return this.count === 0 ? undefined : this.at(this.count - 1);
  }

  /** The newest `n` items (all when n is omitted), oldest first. */
  toArray(n = this.count): T[] {
    const take = Math.min(n, this.count);
    const out = new Array<T>(take);
    const first = this.count - take;
    for (let i = 0; i < take; i++) out[i] = this.items[(this.head + first + i) % this.cap] as T;
    return out;
  }

  /** Inserts before item `i` (oldest = 0); when full, the oldest item goes. Rare: O(size). */
  insertAt(i: number, item: T): void {
    const all = this.toArray();
    all.splice(Math.max(0, Math.min(i, all.length)), 0, item);
    const dropped = this.droppedTotal;
    this.clear();
    for (const x of all) this.push(x);
    this.droppedTotal = dropped + Math.max(0, all.length - this.cap);
  }

  clear(): void {
    this.items = new Array<T | undefined>(this.cap);
    this.head = 0;
    this.count = 0;
    this.weightTotal = 0;
  }

  /** Changes the capacity, keeping the newest items. */
  resize(cap: number): void {
    if (cap === this.cap) return;
    const keep = this.toArray(cap);
    this.droppedTotal += this.count - keep.length;
    this.cap = cap;
    this.items = new Array<T | undefined>(cap);
    this.head = 0;
    this.count = 0;
    this.weightTotal = 0;
    for (const k of keep) this.push(k);
  }
}
