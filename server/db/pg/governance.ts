/**
 * The governance chain in PostgreSQL: every submit, approval and rejection of a draft,
 * append-only and hash-chained, with its signed checkpoints. Appends from every node take one
 * advisory lock, so they form one chain.
 */
import { asc, desc, eq } from 'drizzle-orm';
import {
  governanceHash,
  type GovernanceCheckpoint,
  type GovernanceRow,
  type NewGovernanceEvent,
} from '../governance.js';
import { GENESIS_HASH } from '../log.js';
import type { GovernanceStore } from '../store.js';
import { LOCKS, lockForTransaction, type PgDb } from './connection.js';
import { governanceCheckpoints, governanceLog } from './schema.js';

export class PgGovernanceLog implements GovernanceStore {
  constructor(private readonly db: PgDb) {}

  /** Appends an event chained to the last one (in the caller's transaction, or one of its own). */
  async append(event: NewGovernanceEvent): Promise<GovernanceRow> {
    return this.db.transaction(async (tx) => {
      await lockForTransaction(tx, LOCKS.governanceLog);
      const head = await new PgGovernanceLog(tx).head();
      const row = { ...event, prevHash: head.hash };
      const hash = governanceHash(row);
      // numbered here, under the lock: no gap even when a transaction rolls back
      const seq = head.seq + 1;
      await tx.insert(governanceLog).values({ ...row, seq, hash });
      return { ...row, seq, hash };
    });
  }

  async all(): Promise<GovernanceRow[]> {
    return this.db.select().from(governanceLog).orderBy(asc(governanceLog.seq));
  }

  async list(filter: { ruleSetId?: string | undefined; draftId?: string | undefined } = {}): Promise<GovernanceRow[]> {
    const where = filter.draftId
      ? eq(governanceLog.draftId, filter.draftId)
      : filter.ruleSetId
        ? eq(governanceLog.ruleSetId, filter.ruleSetId)
        : undefined;
    return this.db.select().from(governanceLog).where(where).orderBy(desc(governanceLog.seq));
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const [row] = await this.db
      .select({ seq: governanceLog.seq, hash: governanceLog.hash })
      .from(governanceLog)
      .orderBy(desc(governanceLog.seq))
      .limit(1);
    return row ?? { seq: 0, hash: GENESIS_HASH };
  }

  async addCheckpoint(checkpoint: GovernanceCheckpoint): Promise<boolean> {
    const added = await this.db
      .insert(governanceCheckpoints)
      .values(checkpoint)
      .onConflictDoNothing()
      .returning({ seq: governanceCheckpoints.seq });
    return added.length === 1;
  }

  async checkpoints(): Promise<GovernanceCheckpoint[]> {
    return this.db.select().from(governanceCheckpoints).orderBy(asc(governanceCheckpoints.seq));
  }
}
