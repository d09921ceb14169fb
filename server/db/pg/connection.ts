/**
 * The connection every PostgreSQL table module queries through: the pool's database or an open
 * transaction (drizzle's transaction is a database too, and nests as a savepoint). Its own module
 * so that the table modules and `open.ts`, which builds them, need not import each other.
 */
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type PgDb = PgDatabase<NodePgQueryResultHKT, typeof schema>;

/**
 * Keys of the transaction-scoped advisory locks (`pg_advisory_xact_lock`) that serialise what
 * must happen one at a time across every node on the database: appending to each hash chain,
 * seeding an empty store, and applying migrations (a session lock, see `open.ts`).
 */
export const LOCKS = {
  decisionLog: 7_401_001,
  governanceLog: 7_401_002,
  seed: 7_401_003,
  migrate: 7_401_004,
  jobs: 7_401_005,
} as const;

/** Holds `key` until the transaction `db` is in ends: every node waits its turn. */
export async function lockForTransaction(db: PgDb, key: number): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${key})`);
}

/**
 * A text column ordered by its bytes (`COLLATE "C"`), as SQLite orders text: the database's own
 * collation (often a language's) would sort ids with hyphens and capitals differently.
 */
export function byBytes(column: AnyColumn): SQL {
  return sql`${column} collate "C"`;
}
