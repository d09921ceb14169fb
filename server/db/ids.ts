/**
 * Ids of log entries: UUID version 7 (RFC 9562), a millisecond timestamp followed by random
 * bits. Entries appended together get neighbouring ids, so the log's unique index on `id` grows
 * at its end instead of touching a random page per entry: with random (v4) ids almost every
 * logged decision rewrote a whole index page into the write-ahead log (BENCHMARKS.md, profile of
 * the batch row). Still a UUID for every reader; ids logged before stay as they are.
 */
import { randomFillSync } from 'node:crypto';

// random bytes drawn in blocks: one system call per 409 ids, not one per id
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomBytes10(target: Buffer): void {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(target, 6, used, used + 10);
  used += 10;
}

/** A UUID v7 for the time `now` (milliseconds since 1970). */
export function timeOrderedUuid(now: number = Date.now()): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  randomBytes10(b);
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
