/**
 * The governance chain: every submit, approval and rejection of a draft, append-only and
 * hash-chained (a chain of its own beside the decision log), with its signed checkpoints.
 */
import { createHash } from 'node:crypto';
import { asc, desc, eq } from 'drizzle-orm';
import { canonicalJson } from '../../engine/index.js';
import { checkpointInsert } from './checkpoints.js';
import { inTransaction, type Conn } from './connection.js';
import { GENESIS_HASH } from './log.js';
import { placeholders, preparedOnce } from './prepared.js';
import { governanceCheckpoints, governanceLog } from './schema.js';

export type GovernanceRow = typeof governanceLog.$inferSelect;
export type GovernanceCheckpoint = typeof governanceCheckpoints.$inferSelect;
export type NewGovernanceEvent = Omit<GovernanceRow, 'seq' | 'prevHash' | 'hash'>;

/** The hash of a governance entry: every field but `seq` and `hash`, in canonical JSON. */
export function governanceHash(row: Omit<GovernanceRow, 'seq' | 'hash'>): string {
  const fields = canonicalJson({
    kind: row.kind,
    ruleSetId: row.ruleSetId,
    draftId: row.draftId,
    draftHash: row.draftHash,
    by: row.by,
    at: row.at,
    note: row.note,
    validFrom: row.validFrom,
    version: row.version,
    impactJson: row.impactJson,
    prevHash: row.prevHash,
  });
  return `sha256:${createHash('sha256').update(fields).digest('hex')}`;
}

export class GovernanceLog {
  constructor(private readonly c: Conn) {}

  private get db() {
    return this.c.db;
  }

  /**
   * The statements of a submit's and an approval's transaction, prepared once: built per call
   * they cost ~0.25 ms each on the thread that answers evaluations, inside the transaction that
   * holds back the decision log's commits. Made on first use, after the migrations have shaped
   * the tables (see prepared.ts).
   */
  private readonly statements = preparedOnce(() => ({
    head: this.db
      .select({ seq: governanceLog.seq, hash: governanceLog.hash })
      .from(governanceLog)
      .orderBy(desc(governanceLog.seq))
      .limit(1)
      .prepare(),
    insert: this.db
      .insert(governanceLog)
      .values(placeholders(governanceLog, ['seq']))
      .returning({ seq: governanceLog.seq })
      .prepare(),
    addCheckpoint: checkpointInsert(this.db, governanceCheckpoints),
  }));

  /** Appends an event chained to the last one (in the caller's transaction, or one of its own). */
  async append(event: NewGovernanceEvent): Promise<GovernanceRow> {
    return this.c.run(() => inTransaction(this.db, () => this.appendNow(event)));
  }

  private appendNow(event: NewGovernanceEvent): GovernanceRow {
    const prevHash = this.headNow().hash;
    const row = { ...event, prevHash };
    const hash = governanceHash(row);
    const { seq } = this.statements().insert.get({ ...row, hash })!;
    return { ...row, seq, hash };
  }

  /** Every entry, oldest first (the chain is small: a few per published version). */
  async all(): Promise<GovernanceRow[]> {
    return this.c.run(() => this.db.select().from(governanceLog).orderBy(asc(governanceLog.seq)).all());
  }

  /** Entries newest first, of one rule set when given. */
  async list(filter: { ruleSetId?: string | undefined; draftId?: string | undefined } = {}): Promise<GovernanceRow[]> {
    return this.c.run(() => this.listNow(filter));
  }

  private listNow(filter: { ruleSetId?: string | undefined; draftId?: string | undefined }): GovernanceRow[] {
    const q = this.db.select().from(governanceLog);
    const where = filter.draftId
      ? eq(governanceLog.draftId, filter.draftId)
      : filter.ruleSetId
        ? eq(governanceLog.ruleSetId, filter.ruleSetId)
        : undefined;
    return (where ? q.where(where) : q).orderBy(desc(governanceLog.seq)).all();
  }

  async head(): Promise<{ seq: number; hash: string }> {
    return this.c.run(() => this.headNow());
  }

  private headNow(): { seq: number; hash: string } {
    return this.statements().head.get() ?? { seq: 0, hash: GENESIS_HASH };
  }

  async addCheckpoint(checkpoint: GovernanceCheckpoint): Promise<boolean> {
    return this.c.run(() => this.statements().addCheckpoint.run(checkpoint).changes === 1);
  }

  async checkpoints(): Promise<GovernanceCheckpoint[]> {
    return this.c.run(() => this.db.select().from(governanceCheckpoints).orderBy(asc(governanceCheckpoints.seq)).all());
  }
}
