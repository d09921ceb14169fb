/**
 * A map that keeps at most `limit` entries and forgets the one used longest ago first. For
 * caches whose keys keep coming (every draft saved and tried adds a composition): without a
 * bound they grow for as long as the process runs.
 */
export class LruCache<K, V> {
  // each entry remembers when it was last used: a hit writes one number (re-inserting into the Map
  // on every hit cost a delete and a set per decision); eviction, rare, looks for the oldest
  private readonly entries = new Map<K, { value: V; used: number }>();
  private clock = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`An LRU cache holds at least 1 entry, not ${limit}.`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    entry.used = ++this.clock;
    return entry.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    const entry = this.entries.get(key);
    if (entry) {
      entry.value = value;
      entry.used = ++this.clock;
      return;
    }
    this.entries.set(key, { value, used: ++this.clock });
    if (this.entries.size > this.limit) this.evictOldest();
  }

  private evictOldest(): void {
    let oldest: K | undefined;
    let oldestUse = Infinity;
    for (const [key, { used }] of this.entries) {
      if (used < oldestUse) {
        oldestUse = used;
        oldest = key;
      }
    }
    this.entries.delete(oldest as K);
  }

  /** The value for `key`, made with `make` (and kept) when there is none. */
  getOrSet(key: K, make: () => V): V {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
    }
    return value;
  }
}
