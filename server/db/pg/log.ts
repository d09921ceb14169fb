/**
 * The decision log in PostgreSQL: append-only and hash-chained like the SQLite one (the same
 * `entryHash` over the same stored text), with one chain however many nodes append: each append
 * takes a transaction-scoped advisory lock, reads the head and inserts, so the chain's order is
 * the database's, never a process's memory.
 */
import { and, asc, count, desc, eq, getTableColumns, gt, ilike, lte, sql, type SQL } from 'drizzle-orm';
import {
  appendDecisions,
  type AppendedEntries,
  appendPreparedEntries,
  type ChainEntries,
  checkChain,
  type ChainCheck,
  decodeReasonCodes,
  GENESIS_HASH,
  type DecisionFilter,
  type DecisionListRow,
  type DecisionRow,
  type DecisionSummaryRow,
  filterCondition,
  type NewDecision,
  parsed,
  preparedHash,
  type PreparedEntry,
  rangesUpTo,
  type SeqRange,
  type StoredDecision,
} from '../log.js';
import { timeOrderedUuid } from '../ids.js';
import type { DecisionLogStore } from '../store.js';
import { LOCKS, lockForTransaction, type PgDb } from './connection.js';
import { decisions } from './schema.js';

/** The stored reason codes, decoded as drizzle maps the row. */
const reasonCodeList = sql<string>`${decisions.reasonCodes}`.mapWith(decodeReasonCodes);

export class PgDecisionLog implements DecisionLogStore {
  constructor(private readonly db: PgDb) {}

  async append(entry: NewDecision, at: string): Promise<DecisionRow> {
    const [row] = await this.appendMany([entry], at);
    return row!;
  }

  /** Compact entries (see server/db/log.ts), all in one transaction. */
  async appendMany(entries: readonly NewDecision[], at: string): Promise<DecisionRow[]> {
    return appendDecisions(this.chained, entries, at);
  }

  /** Prepared entries (`prepareEntry`), all in one transaction: a batch's chunk. */
  async appendPrepared(entries: readonly PreparedEntry[], decidedBy: string, at: string): Promise<AppendedEntries> {
    return appendPreparedEntries(this.chained, entries, decidedBy, at);
  }

  /** Chains and inserts `entries` in one transaction; `each` sees every entry as it is inserted. */
  private readonly chained: ChainEntries = (entries, decidedBy, decidedAt, each) =>
    this.db.transaction(async (tx) => {
      // every node's appends queue here until this transaction ends: one head, one chain
      await lockForTransaction(tx, LOCKS.decisionLog);
      let { seq, hash: prevHash } = await new PgDecisionLog(tx).head();
      const rows = entries.map((p, i) => {
        const c = { id: timeOrderedUuid(), decidedAt, decidedBy: decidedBy(i), prevHash };
        const hash = preparedHash(p, c);
        // numbered here, under the lock: no gap even when a transaction rolls back
        seq += 1;
        each(i, c, seq, hash);
        prevHash = hash;
        const { hashed: _hashed, ruleSets, ...columns } = p;
        // the rule sets' text as prepared, not through the column's JSON.stringify again
        return { ...columns, ...c, seq, hash, tariffJson: null, ruleSets: sql`${ruleSets}` };
      });
      // a statement per thousand entries, not a round trip per entry (and within PostgreSQL's
      // 65,535 parameters a statement)
      for (let i = 0; i < rows.length; i += 1000) await tx.insert(decisions).values(rows.slice(i, i + 1000));
      return { seq, hash: prevHash };
    });

  async get(id: string): Promise<DecisionRow | undefined> {
    const [row] = await this.db.select().from(decisions).where(eq(decisions.id, id));
    return row && parsed(row);
  }

  private where(filter: DecisionFilter): SQL | undefined {
    return filterCondition(decisions, filter, ilike);
  }

  async page(
    filter: DecisionFilter,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; items: DecisionListRow[] }> {
    const where = this.where(filter);
    const total = await this.countWhere(where);
    const { caseJson: _case, decisionJson: _decision, ...columns } = getTableColumns(decisions);
    const items = await this.db
      .select({ ...columns, reasonCodes: reasonCodeList })
      .from(decisions)
      .where(where)
      .orderBy(desc(decisions.seq))
      .limit(page.limit)
      .offset(page.offset);
    return { total, items };
  }

  async count(filter: DecisionFilter): Promise<number> {
    return this.countWhere(this.where(filter));
  }

  private async countWhere(where: SQL | undefined): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(decisions).where(where);
    return row?.n ?? 0;
  }

  /** Runs `page(after)` until it comes back empty: the log streams in batches. */
  private async *inBatches<T extends { seq: number }>(
    page: (after: number) => Promise<T[]>,
    after = 0,
  ): AsyncGenerator<T[]> {
    for (;;) {
      const batch = await page(after);
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.seq;
    }
  }

  async *summaries(
    filter: DecisionFilter,
    batchSize = 1000,
    range: SeqRange = { after: 0, until: Number.MAX_SAFE_INTEGER },
  ): AsyncGenerator<DecisionSummaryRow[]> {
    const columns = {
      seq: decisions.seq,
      id: decisions.id,
      municipality: decisions.municipality,
      referenceDate: decisions.referenceDate,
      outcome: decisions.outcome,
      reasonCodes: reasonCodeList,
      totalCents: decisions.totalCents,
      caseJson: decisions.caseJson,
      ruleSets: decisions.ruleSets,
      // entries logged before the tariff copy existed: read it from the decision itself. `json`,
      // not `jsonb`: `->` then gives the stored text of the tariff, as SQLite's json_extract does
      tariffJson: sql<string>`coalesce(${decisions.tariffJson}, (${decisions.decisionJson}::json -> 'tariff')::text, 'null')`,
    };
    yield* this.inBatches(
      (after) =>
        this.db
          .select(columns)
          .from(decisions)
          .where(and(this.where(filter), gt(decisions.seq, after), lte(decisions.seq, range.until)))
          .orderBy(asc(decisions.seq))
          .limit(batchSize),
      range.after,
    );
  }

  async seqRanges(filter: DecisionFilter, parts: number): Promise<SeqRange[]> {
    const where = this.where(filter);
    if (where === undefined) return rangesUpTo((await this.head()).seq, parts);
    const total = await this.countWhere(where);
    const bounds = [0];
    for (let k = 1; k < parts; k++) {
      const offset = Math.floor((k * total) / parts) - 1;
      const [row] =
        offset < 0
          ? []
          : await this.db
              .select({ seq: decisions.seq })
              .from(decisions)
              .where(where)
              .orderBy(asc(decisions.seq))
              .limit(1)
              .offset(offset);
      bounds.push(Math.max(row?.seq ?? 0, bounds.at(-1)!));
    }
    bounds.push(Number.MAX_SAFE_INTEGER);
    return bounds.slice(1).map((until, k) => ({ after: bounds[k]!, until }));
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const [row] = await this.db
      .select({ seq: decisions.seq, hash: decisions.hash })
      .from(decisions)
      .orderBy(desc(decisions.seq))
      .limit(1);
    return row ?? { seq: 0, hash: GENESIS_HASH };
  }

  async *storedText(
    batchSize = 1000,
    /** Only entries with `after < seq <= until`: one verifying worker's part of the log. */
    range: SeqRange = { after: 0, until: Number.MAX_SAFE_INTEGER },
  ): AsyncGenerator<(Omit<StoredDecision, 'ruleSets'> & { ruleSets: string })[]> {
    yield* this.inBatches(
      (after) =>
        this.db
          .select({ ...getTableColumns(decisions), ruleSets: sql<string>`${decisions.ruleSets}` })
          .from(decisions)
          .where(and(gt(decisions.seq, after), lte(decisions.seq, range.until)))
          .orderBy(asc(decisions.seq))
          .limit(batchSize),
      range.after,
    );
  }

  private stored(batchSize: number): AsyncGenerator<StoredDecision[]> {
    return this.inBatches((after) =>
      this.db.select().from(decisions).where(gt(decisions.seq, after)).orderBy(asc(decisions.seq)).limit(batchSize),
    );
  }

  async verifyChain(): Promise<ChainCheck> {
    return checkChain(this.stored(2000));
  }
}
