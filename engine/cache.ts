/**
 * A map that keeps at most `limit` entries and forgets the one used longest ago first. For
 * caches whose keys keep coming (every draft saved and tried adds a composition): without a
 * bound they grow for as long as the process runs.
 */
export class LruCache<K, V> {
  // a Map iterates in insertion order: re-inserting on every hit keeps the least recent first
  private readonly entries = new Map<K, V>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`An LRU cache holds at least 1 entry, not ${limit}.`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
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
