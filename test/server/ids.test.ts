/** Log entry ids: UUID v7, so that entries appended together sit side by side in the id index. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedUuid } from '../../server/db/ids.js';

describe('timeOrderedUuid', () => {
  it('gives RFC 9562 version 7 UUIDs that carry their millisecond', () => {
    const now = Date.UTC(2026, 10, 26, 7, 0, 0, 123);
    const id = timeOrderedUuid(now);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('orders ids of later milliseconds after earlier ones, and never repeats one', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => timeOrderedUuid(1_700_000_000_000 + Math.floor(i / 100)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 100; i < ids.length; i += 100) expect(ids[i - 1]! < ids[i]!).toBe(true);
  });
});
