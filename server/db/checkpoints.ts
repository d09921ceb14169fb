/** Signed checkpoints of the decision log (see server/integrity.ts): append-only, by sequence number. */
import { asc, desc, sql } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { logCheckpoints } from './schema.js';

export type Checkpoint = typeof logCheckpoints.$inferSelect;

export class Checkpoints {
  constructor(private readonly c: Conn) {}

  /**
   * The insert of the checkpoint signed every hundred logged decisions, prepared once: built per
   * call it cost ~0.25 ms on the thread that answers evaluations, twenty times a second at
   * 2,000/s. Made on first use, after the migrations have shaped the tables.
   */
  private prepared?: ReturnType<Checkpoints['prepare']>;

  private prepare() {
    return {
      add: this.c.db
        .insert(logCheckpoints)
        .values({
          seq: sql.placeholder('seq'),
          headHash: sql.placeholder('headHash'),
          at: sql.placeholder('at'),
          keyId: sql.placeholder('keyId'),
          signature: sql.placeholder('signature'),
        })
        .onConflictDoNothing()
        .prepare(),
    };
  }

  private get statements() {
    return (this.prepared ??= this.prepare());
  }

  /** Stores a checkpoint; false when one for its sequence number is there already. */
  async add(checkpoint: Checkpoint): Promise<boolean> {
    return this.c.run(() => this.statements.add.run(checkpoint).changes === 1);
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
