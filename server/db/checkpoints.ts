/** Signed checkpoints of the decision log (see server/integrity.ts): append-only, by sequence number. */
import { asc, desc } from 'drizzle-orm';
import type { Db } from './connection.js';
import { logCheckpoints } from './schema.js';

export type Checkpoint = typeof logCheckpoints.$inferSelect;

export class Checkpoints {
  constructor(private readonly db: Db) {}

  /** Stores a checkpoint; false when one for its sequence number is there already. */
  add(checkpoint: Checkpoint): boolean {
    return this.db.insert(logCheckpoints).values(checkpoint).onConflictDoNothing().run().changes === 1;
  }

  /** Every checkpoint, oldest first. */
  all(): Checkpoint[] {
    return this.db.select().from(logCheckpoints).orderBy(asc(logCheckpoints.seq)).all();
  }

  /** A page of checkpoints, newest first. */
  page(page: { limit: number; offset: number }): Checkpoint[] {
    return this.db
      .select()
      .from(logCheckpoints)
      .orderBy(desc(logCheckpoints.seq))
      .limit(page.limit)
      .offset(page.offset)
      .all();
  }

  latest(): Checkpoint | undefined {
    return this.db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.seq)).limit(1).get();
  }
}
