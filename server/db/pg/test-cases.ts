/** Test cases saved with a rule set, in PostgreSQL. */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { TestCaseRow } from '../test-cases.js';
import type { TestCaseStore } from '../store.js';
import { byBytes, LOCKS, lockForTransaction, type PgDb } from './connection.js';
import { testCases } from './schema.js';

export class PgTestCases implements TestCaseStore {
  constructor(private readonly db: PgDb) {}

  async list(ruleSetId: string): Promise<TestCaseRow[]> {
    return this.db
      .select()
      .from(testCases)
      .where(eq(testCases.ruleSetId, ruleSetId))
      .orderBy(asc(byBytes(testCases.createdAt)), asc(byBytes(testCases.name)));
  }

  async add(row: Omit<TestCaseRow, 'id'>): Promise<TestCaseRow> {
    const full = { id: randomUUID(), ...row };
    await this.db.insert(testCases).values(full);
    return full;
  }

  async get(ruleSetId: string, id: string): Promise<TestCaseRow | undefined> {
    const [row] = await this.db
      .select()
      .from(testCases)
      .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)));
    return row;
  }

  async update(
    ruleSetId: string,
    id: string,
    change: Pick<TestCaseRow, 'name' | 'caseJson' | 'expectedOutcome' | 'expectedCodes'>,
  ): Promise<TestCaseRow | undefined> {
    const [row] = await this.db
      .update(testCases)
      .set(change)
      .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
      .returning();
    return row;
  }

  async seedIfEmpty(rows: readonly Omit<TestCaseRow, 'id'>[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      await lockForTransaction(tx, LOCKS.seed);
      const [any] = await tx.select({ id: testCases.id }).from(testCases).limit(1);
      if (any) return 0;
      const cases = new PgTestCases(tx);
      for (const row of rows) await cases.add(row);
      return rows.length;
    });
  }

  async delete(ruleSetId: string, id: string): Promise<boolean> {
    const deleted = await this.db
      .delete(testCases)
      .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
      .returning({ id: testCases.id });
    return deleted.length === 1;
  }
}
