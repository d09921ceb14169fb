/** Test cases saved with a rule set. */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { inTransaction, type Conn } from './connection.js';
import { testCases } from './schema.js';

export type TestCaseRow = typeof testCases.$inferSelect;

export class TestCases {
  constructor(private readonly c: Conn) {}

  private get db() {
    return this.c.db;
  }

  /** A rule set's test cases, in the order they were saved. */
  async list(ruleSetId: string): Promise<TestCaseRow[]> {
    return this.c.run(() =>
      this.db
        .select()
        .from(testCases)
        .where(eq(testCases.ruleSetId, ruleSetId))
        .orderBy(asc(testCases.createdAt), asc(testCases.name))
        .all(),
    );
  }

  /** Saves a test case under a fresh id. */
  async add(row: Omit<TestCaseRow, 'id'>): Promise<TestCaseRow> {
    return this.c.run(() => this.addNow(row));
  }

  private addNow(row: Omit<TestCaseRow, 'id'>): TestCaseRow {
    const full = { id: randomUUID(), ...row };
    this.db.insert(testCases).values(full).run();
    return full;
  }

  /** A rule set's test case, or undefined when it has none with that id. */
  async get(ruleSetId: string, id: string): Promise<TestCaseRow | undefined> {
    return this.c.run(() => this.getNow(ruleSetId, id));
  }

  private getNow(ruleSetId: string, id: string): TestCaseRow | undefined {
    return this.db
      .select()
      .from(testCases)
      .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
      .get();
  }

  /** Changes a test case's name, case and expectation; undefined when the rule set has no such case. */
  async update(
    ruleSetId: string,
    id: string,
    change: Pick<TestCaseRow, 'name' | 'caseJson' | 'expectedOutcome' | 'expectedCodes'>,
  ): Promise<TestCaseRow | undefined> {
    return this.c.run(() => {
      const { changes } = this.db
        .update(testCases)
        .set(change)
        .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
        .run();
      return changes === 1 ? this.getNow(ruleSetId, id) : undefined;
    });
  }

  /**
   * Saves the test cases shipped with the rule sets (first start) when there are none yet; returns
   * how many it added.
   */
  async seedIfEmpty(rows: readonly Omit<TestCaseRow, 'id'>[]): Promise<number> {
    return this.c.run(() =>
      inTransaction(this.db, () => {
        if (this.db.select({ id: testCases.id }).from(testCases).limit(1).get()) return 0;
        for (const row of rows) this.addNow(row);
        return rows.length;
      }),
    );
  }

  /** Deletes a rule set's test case; false when it has none with that id. */
  async delete(ruleSetId: string, id: string): Promise<boolean> {
    return this.c.run(
      () =>
        this.db
          .delete(testCases)
          .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
          .run().changes === 1,
    );
  }
}
