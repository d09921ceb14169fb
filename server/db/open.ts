/**
 * Opening the embedded SQLite database: pragmas, migrations, and the table modules over one
 * connection. All SQL lives in `server/db/`, behind drizzle; nothing SQLite-specific leaks out,
 * so another driver (PostgreSQL) can give the same `Store` later.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { count } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { pathFromModule } from '../../engine/index.js';
import { Accounts } from './accounts.js';
import { immediately, TransactionGate, type Conn, type Db } from './connection.js';
import { DataDirLockedError, joinDataDirLock, lockDataDir } from './lock.js';
import { Checkpoints } from './checkpoints.js';
import { DecisionLog } from './log.js';
import { Jobs } from './jobs.js';
import { GovernanceLog } from './governance.js';
import { RuleSets } from './rulesets.js';
import * as schema from './schema.js';
import { decisions, drafts, ruleSetVersions, testCases, tokens, users } from './schema.js';
import type { Store, StoreTables } from './store.js';
import { TestCases } from './test-cases.js';
import { startWalCheckpointer, type WalCheckpointer, type WalCheckpointerOptions } from './wal-checkpointer.js';
import { pollPublished } from './watch.js';

const MIGRATIONS = pathFromModule('./migrations', import.meta.url);

/** The embedded SQLite store, with what only a file database can do. */
export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  readonly location: { kind: 'sqlite'; file: string };
  /** The database file, for workers and tools that open it themselves. */
  readonly file: string;
  /** The thread that checkpoints the WAL, when opened with `backgroundCheckpoints`. */
  readonly walCheckpointer: WalCheckpointer | undefined;
  /** A consistent copy of the whole database, taken while it is in use (`VACUUM INTO`). */
  backup(target: string): Promise<void>;
}

/**
 * A data folder the server cannot use, as one line naming the path and what to do: what
 * `npm start` prints instead of a stack trace.
 */
export class DataDirError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DataDirError';
  }
}

/** How a process opens a data folder: as the server's only process, or as one of several. */
export interface DataDirOptions {
  /**
   * This process is a worker of a server of several processes (`WEB_CONCURRENCY`) and `primary`
   * is the process that holds the folder's lock and has applied the migrations: join its lock
   * (see `joinDataDirLock`) instead of taking it, and migrate nothing.
   */
  primary?: number | undefined;
  /**
   * Checkpoint the WAL on a thread of its own instead of inside commits (see
   * `startWalCheckpointer`): what a server wants, whose commits are on the thread that answers.
   * The thread's options instead of `true` change its timing (tests).
   */
  backgroundCheckpoints?: boolean | WalCheckpointerOptions | undefined;
}

/**
 * Opens (creating if needed) `<dataDir>/rules.sqlite` in WAL mode and applies migrations, after
 * taking the folder's lock (`server.lock`): one server writes one database (a server of several
 * processes joins its primary's lock instead, see `DataDirOptions`). Throws DataDirError (a
 * folder that cannot be created or written, a database that cannot be opened, another server
 * on the folder) with a message fit to show as it is.
 */
export function openDataDir(dataDir: string, options: DataDirOptions = {}): SqliteStore {
  const dir = resolve(dataDir);
  let unlock: (() => void) | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    if (options.primary === undefined) unlock = lockDataDir(dir);
    else joinDataDirLock(dir, options.primary);
    const store = openDatabase(join(dir, 'rules.sqlite'), {
      migrate: options.primary === undefined,
      backgroundCheckpoints: options.backgroundCheckpoints,
    });
    const release = unlock;
    return {
      ...store,
      dataDir: dir,
      async close() {
        await store.close();
        release?.();
      },
    } satisfies SqliteStore;
  } catch (error) {
    unlock?.();
    if (error instanceof DataDirLockedError) throw new DataDirError(error.message, { cause: error });
    const reason = error instanceof Error ? error.message : String(error);
    throw new DataDirError(
      `Kan de database niet openen in ${dir}: ${reason}. Kies met DATA_DIR een map waarin de server mag schrijven.`,
      { cause: error },
    );
  }
}

/**
 * Opens a database file and applies migrations. `readonly` opens an existing, migrated database
 * for reading only, as impact analysis workers do beside the server's own connection (WAL lets
 * them read while it writes); `migrate: false` one that another process has migrated.
 */
export function openDatabase(
  file: string,
  options: {
    readonly?: boolean;
    migrate?: boolean;
    backgroundCheckpoints?: boolean | WalCheckpointerOptions | undefined;
  } = {},
): SqliteStore {
  let sqlite: Database.Database;
  if (options.readonly) {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
    // a 2 MB page cache, not better-sqlite3's 16 MB: these connections (impact and verify
    // threads) read the log once from end to end, so a cached page is never read again, and each
    // filled its 16 MB — memory that stayed with the process (the C allocator keeps a thread's
    // arena when the thread ends) after every job: ~25 MB of the server's resident memory after
    // one impact analysis and one verify of 100,000 entries, with no job faster for it
    sqlite.pragma('cache_size = -2048');
  } else {
    sqlite = new Database(file);
    // 16 KiB pages for a new database (an existing one keeps its size): a compact log entry is
    // about 1.2 KB, of which 4 KiB pages held three and left a sixth of each page empty (1,577
    // bytes a decision on disk with 4 KiB pages, 1,431 with 16 KiB: BENCHMARKS.md)
    sqlite.pragma('page_size = 16384');
    sqlite.pragma('journal_mode = WAL');
    // NORMAL, not FULL, also for the log's group commits: in WAL mode a committed transaction
    // survives the process being killed (test/server/group-commit-crash.test.ts) and only an
    // operating-system crash or power loss can take back the last commits. Measured on this
    // project's 2-core machine with group commit (2 ms window) at 2,000 appends a second: p50
    // 2 ms with NORMAL, 10 ms with FULL (an fsync a group), beyond the API's p99 target of 10 ms.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    // a 4 MB page cache, not better-sqlite3's 16 MB: appending to the log touches only the right
    // edge of the table and of each index (a leaf per municipality and region, and the pages
    // above them), well under a megabyte; a batch of a million lines filled all 16 MB with pages
    // it never read again (BENCHMARKS.md, the batch's memory)
    sqlite.pragma('cache_size = -4096');
  }
  const db: Db = drizzle(sqlite, { schema });
  if (!options.readonly && options.migrate !== false) migrate(db, { migrationsFolder: MIGRATIONS });
  const checkpointer: WalCheckpointer | undefined =
    options.backgroundCheckpoints && !options.readonly
      ? startWalCheckpointer(sqlite, file, options.backgroundCheckpoints === true ? {} : options.backgroundCheckpoints)
      : undefined;

  const gate = new TransactionGate();
  const own: Conn = { db, run: (fn) => gate.run(fn) };
  const tables = (conn: Conn, beforeAppend?: () => Promise<void> | undefined): StoreTables => ({
    ruleSets: new RuleSets(conn),
    log: new DecisionLog(conn, beforeAppend),
    checkpoints: new Checkpoints(conn),
    accounts: new Accounts(conn),
    testCases: new TestCases(conn),
    governance: new GovernanceLog(conn),
    jobs: new Jobs(conn),
  });
  // one set for transactions' bodies, made once: their prepared statements are the connection's
  const inside = tables(immediately(db));
  /** The publish watchers running, stopped when the database closes. */
  const watching = new Set<() => void>();

  return {
    kind: 'sqlite',
    location: { kind: 'sqlite', file },
    /** The data folder (set by `openDataDir`; a database opened by its file has none). */
    dataDir: undefined,
    file,
    // appends outside a transaction may wait for the WAL to be emptied (see wal-checkpointer.ts)
    ...tables(own, checkpointer && (() => checkpointer.beforeAppend())),

    /**
     * `fn` must use `tx`: the store's own tables, and `transaction` again, wait for this one to
     * end, so from inside it they would wait for themselves (on PostgreSQL they would run
     * outside it). A nested step takes `tx` as a parameter instead (see `RulesService.publish`).
     */
    transaction<T>(fn: (tx: StoreTables) => Promise<T>): Promise<T> {
      return gate.exclusive(
        () => sqlite.exec('BEGIN IMMEDIATE'),
        () => fn(inside),
        () => sqlite.exec('COMMIT'),
        // a failed COMMIT or a statement error may have ended the transaction already
        () => sqlite.inTransaction && sqlite.exec('ROLLBACK'),
      );
    },

    async backup(target: string) {
      await gate.run(() => sqlite.prepare('VACUUM INTO ?').run(target));
    },

    // the other processes of a server of several (WEB_CONCURRENCY) on this data folder
    watchPublished(onChange: () => void) {
      if (options.readonly) return () => {};
      const stop = pollPublished(own, sqlite, onChange);
      watching.add(stop);
      return () => {
        watching.delete(stop);
        stop();
      };
    },

    async schemaVersion() {
      return gate.run(() => appliedMigration(sqlite));
    },

    async counts(): Promise<Record<string, number>> {
      const n = (
        t: typeof decisions | typeof drafts | typeof ruleSetVersions | typeof testCases | typeof tokens | typeof users,
      ) => db.select({ n: count() }).from(t).get()?.n ?? 0;
      return gate.run(() => ({
        decisions: n(decisions),
        drafts: n(drafts),
        versions: n(ruleSetVersions),
        testCases: n(testCases),
        tokens: n(tokens),
        users: n(users),
      }));
    },

    walCheckpointer: checkpointer,

    async close() {
      for (const stop of watching) stop();
      watching.clear();
      await checkpointer?.stop();
      // after an open transaction, never through it
      await gate.run(() => sqlite.close());
    },
  };
}

/** The tag of the last migration applied (drizzle records each one's journal time, not its name). */
function appliedMigration(sqlite: Database.Database): string {
  const row = sqlite
    .prepare('SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1')
    .get() as { at: number | string } | undefined;
  if (!row) return 'none';
  const journal = JSON.parse(readFileSync(join(MIGRATIONS, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number; tag: string }[];
  };
  return journal.entries.find((e) => e.when === Number(row.at))?.tag ?? `unknown-${row.at}`;
}
