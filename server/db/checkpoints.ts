/** Signed checkpoints of the decision log (see server/integrity.ts): append-only, by sequence number. */
import { asc, desc } from 'drizzle-orm';
import type { Conn, Db } from './connection.js';
import { placeholders, preparedOnce } from './prepared.js';
import { governanceCheckpoints, logCheckpoints } from './schema.js';

export type Checkpoint = typeof logCheckpoints.$inferSelect;

/**
 * The prepared insert of a signed checkpoint into either chain's table (the decision log's or the
 * governance log's, the same columns): a checkpoint already there for its number is kept.
 */
export function checkpointInsert(db: Db, table: typeof logCheckpoints | typeof governanceCheckpoints) {
  return db.insert(table).values(placeholders(table)).onConflictDoNothing().prepare();
}

export class Checkpoints {
  constructor(private readonly c: Conn) {}

  /**
   * The insert of the checkpoint signed every hundred logged decisions, prepared once: built per
   * call it cost ~0.25 ms on the thread that answers evaluations, twenty times a second at
   * 2,000/s (see prepared.ts).
   */
  private readonly statements = preparedOnce(() => ({ add: checkpointInsert(this.c.db, logCheckpoints) }));

  /** Stores a checkpoint; false when one for its sequence number is there already. */
  async add(checkpoint: Checkpoint): Promise<boolean> {
    return this.c.run(() => this.statements().add.run(checkpoint).changes === 1);
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
