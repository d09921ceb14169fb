/**
 * The connection every table module queries through, and the gate that keeps one request's
 * writes out of another's open transaction on it. Its own module so that the table modules and
 * `open.ts`, which builds them, need not import each other.
 *
 * The gate orders one process. Between the processes of a server of several on one data folder
 * (`WEB_CONCURRENCY`), SQLite's write lock does: every transaction that writes begins with
 * `BEGIN IMMEDIATE` (`inTransaction` here, `Store.transaction` in `open.ts`) and waits out the
 * busy timeout for it, and what it reads to write (a chain's head, the next version number)
 * it reads inside it, never from memory.
 */
import type Database from 'better-sqlite3';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type * as schema from './schema.js';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/**
 * A table module's view of the database: the connection, and when it may use it. The store's own
 * tables wait while a transaction (`Store.transaction`) is open, since on one connection their
 * statements would land inside it and be committed or rolled back with it; the tables a
 * transaction hands its body run at once.
 */
export interface Conn {
  readonly db: Db;
  /** Runs `fn` (synchronous statements) now, or once no one else's transaction is open. */
  run<T>(fn: () => T): T | Promise<T>;
}

/**
 * The open transaction of a connection, if any. better-sqlite3 is synchronous, so an `async`
 * transaction body gives other requests the event loop between its statements: they wait on
 * `ended` until it commits or rolls back. Whether one is open is checked in the same tick as the
 * statements run, never across an `await`, so none can begin in between.
 */
export class TransactionGate {
  private ended: Promise<void> | undefined;

  /** Nothing open: a field test and `fn`, so the logged evaluation's path stays as cheap as it was. */
  run<T>(fn: () => T): T | Promise<T> {
    return this.ended ? this.ended.then(() => this.run(fn)) : fn();
  }

  /**
   * Runs `body` as the only transaction: waits for the one open, then `begin()` (synchronously,
   * in the tick that found none open), `body`, and `commit()`, or `rollback()` when it throws.
   */
  async exclusive<T>(begin: () => void, body: () => Promise<T>, commit: () => void, rollback: () => void): Promise<T> {
    while (this.ended) await this.ended;
    begin();
    let end!: () => void;
    this.ended = new Promise((resolve) => (end = resolve));
    try {
      const result = await body();
      commit();
      return result;
    } catch (error) {
      rollback();
      throw error;
    } finally {
      this.ended = undefined;
      end();
    }
  }
}

/** The view of a transaction's body: it holds the connection, so it never waits. */
export const immediately = (db: Db): Conn => ({ db, run: (fn) => fn() });

/**
 * Runs `fn` atomically on `db`, synchronously: better-sqlite3's own transaction, which becomes a
 * savepoint inside one already open (a table module's own atomic step inside `Store.transaction`).
 * `BEGIN IMMEDIATE`: the write lock is taken at the start, waiting out the busy timeout for it,
 * so a transaction that reads and then writes never finds its snapshot stale when it comes to
 * write (SQLITE_BUSY at once, whatever the timeout).
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.$client.transaction(fn).immediate();
}
