/** Signed checkpoints of the decision log in PostgreSQL: append-only, by sequence number. */
import { asc, desc } from 'drizzle-orm';
import type { Checkpoint } from '../checkpoints.js';
import type { CheckpointStore } from '../store.js';
import type { PgDb } from './connection.js';
import { logCheckpoints } from './schema.js';

export class PgCheckpoints implements CheckpointStore {
  constructor(private readonly db: PgDb) {}

  /** Stores a checkpoint; false when one for its sequence number is there already (another node's). */
  async add(checkpoint: Checkpoint): Promise<boolean> {
    const added = await this.db
      .insert(logCheckpoints)
      .values(checkpoint)
      .onConflictDoNothing()
      .returning({ seq: logCheckpoints.seq });
    return added.length === 1;
  }

  async all(): Promise<Checkpoint[]> {
    return this.db.select().from(logCheckpoints).orderBy(asc(logCheckpoints.seq));
  }

  async page(page: { limit: number; offset: number }): Promise<Checkpoint[]> {
    return this.db
      .select()
      .from(logCheckpoints)
      .orderBy(desc(logCheckpoints.seq))
      .limit(page.limit)
      .offset(page.offset);
  }

  async latest(): Promise<Checkpoint | undefined> {
    const [row] = await this.db.select().from(logCheckpoints).orderBy(desc(logCheckpoints.seq)).limit(1);
    return row;
  }
}
