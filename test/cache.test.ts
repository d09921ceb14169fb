import { describe, expect, it } from 'vitest';
import { LruCache } from '../engine/cache.js';

describe('LruCache', () => {
  it('forgets the entry used longest ago, counting gets as uses', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now more recent than b
    cache.set('c', 3);
    expect(cache.has('b')).toBe(false);
    expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([1, 3, 2]);
    cache.get('a');
    cache.set('d', 4); // c was used longest ago
    expect([cache.has('a'), cache.has('c'), cache.has('d')]).toEqual([true, false, true]);
  });

  it('replaces a value without growing, and makes a missing one once', () => {
    const cache = new LruCache<string, number>(1);
    cache.set('a', 1);
    cache.set('a', 2);
    expect([cache.get('a'), cache.size]).toEqual([2, 1]);
    let made = 0;
    expect(cache.getOrSet('b', () => ++made)).toBe(1);
    expect(cache.getOrSet('b', () => ++made)).toBe(1);
    expect([made, cache.has('a')]).toEqual([1, false]);
    expect(() => new LruCache(0)).toThrow(RangeError);
  });
});
