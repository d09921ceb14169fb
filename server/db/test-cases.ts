/** Test cases saved with a rule set. */
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from './connection.js';
import { testCases } from './schema.js';

export type TestCaseRow = typeof testCases.$inferSelect;

export class TestCases {
  constructor(private readonly db: Db) {}

  /** A rule set's test cases, in the order they were saved. */
  list(ruleSetId: string): TestCaseRow[] {
    return this.db
      .select()
      .from(testCases)
      .where(eq(testCases.ruleSetId, ruleSetId))
      .orderBy(asc(testCases.createdAt), asc(testCases.name))
      .all();
  }

  /** Saves a test case under a fresh id. */
  add(row: Omit<TestCaseRow, 'id'>): TestCaseRow {
    const full = { id: randomUUID(), ...row };
    this.db.insert(testCases).values(full).run();
    return full;
  }

  /** Deletes a rule set's test case; false when it has none with that id. */
  delete(ruleSetId: string, id: string): boolean {
    return (
      this.db
        .delete(testCases)
        .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
        .run().changes === 1
    );
  }
}
