/** Signed checkpoints of the decision log (see server/integrity.ts): append-only, by sequence number. */
import { asc, desc } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { logCheckpoints } from './schema.js';

export type Checkpoint = typeof logCheckpoints.$inferSelect;

export class Checkpoints {
  constructor(private readonly c: Conn) {}

  /** Stores a checkpoint; false when one for its sequence number is there already. */
  async add(checkpoint: Checkpoint): Promise<boolean> {
    return this.c.run(
      () => this.c.db.insert(logCheckpoints).values(checkpoint).onConflictDoNothing().run().changes === 1,
    );
  }

  /** Every checkpoint, oldest first. */
  async all(): Promise<Checkpoint[]> {
    return this.c.run(() => this.c.db.select().from(logCheckpoints).orderBy(asc(logCheckpoints.seq)).all());
  }

  /** A page of checkpoints, newest first. */
  async page(page: { limit: number; offset: number }): Promise<Checkpoint[]> {
    return this.c.run(() =>
      this.c.db
        .select()
        .from(logCheckpoints)
        .orderBy(desc(logCheckpoints.seq))
        .limit(page.limit)
        .offset(page.offset)
        .all(),
    );
  }

  async latest(): Promise<Checkpoint | undefined> {
    return this.c.run(() => this.c.db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.seq)).limit(1).get());
  }
}
