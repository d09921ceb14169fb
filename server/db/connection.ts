/**
 * The connection every table module queries through. Its own module so that the table modules
 * and `open.ts`, which builds them, need not import each other.
 */
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * Runs `fn` in one transaction on `db`: all of it or none of it. better-sqlite3's own transaction
 * rather than drizzle's, so that `fn` keeps using the table modules (and their prepared
 * statements) and a nested call becomes a savepoint. `BEGIN IMMEDIATE`: the write lock is taken
 * at the start, waiting out the busy timeout for it, so a transaction that reads and then writes
 * never finds its snapshot stale when it comes to write (SQLITE_BUSY at once, whatever the timeout).
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}
