/**
 * The whole log in ranges for verify's worker threads (`rangesUpTo`): split by sequence number
 * without counting, every entry in exactly one range, ranges about equally wide.
 */
import { describe, expect, it } from 'vitest';
import { rangesUpTo } from '../../server/db/log.js';

/** The ranges a sequence number falls in (`after < seq <= until`). */
const holding = (ranges: { after: number; until: number }[], seq: number) =>
  ranges.filter((r) => r.after < seq && seq <= r.until).length;

describe('rangesUpTo', () => {
  it.each([
    [0, 3],
    [1, 2],
    [2, 3],
    [10, 3],
    [1_000_000, 2],
    [1_000_003, 4],
  ])('puts each of %i entries in exactly one of %i ranges, and later ones in the last', (last, parts) => {
    const ranges = rangesUpTo(last, parts);
    expect(ranges).toHaveLength(parts);
    expect(ranges[0]!.after).toBe(0);
    for (let k = 1; k < parts; k++) expect(ranges[k]!.after).toBe(ranges[k - 1]!.until);
    for (const seq of [1, 2, Math.floor(last / 2), last - 1, last, last + 1, last + 1000].filter((s) => s > 0))
      expect(holding(ranges, seq)).toBe(1);
    // entries appended while verify runs belong to the last range
    expect(ranges.at(-1)!.until).toBe(Number.MAX_SAFE_INTEGER);
    // equal widths: no range more than one entry wider than another (the last counted up to `last`)
    const widths = ranges.map((r, k) => (k === parts - 1 ? last : r.until) - r.after);
    expect(Math.max(...widths) - Math.min(...widths)).toBeLessThanOrEqual(1);
  });
});
