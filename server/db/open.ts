/**
 * Opening the embedded SQLite database: pragmas, migrations, and the table modules over one
 * connection. All SQL lives in `server/db/`, behind drizzle; nothing SQLite-specific leaks out,
 * so another driver (PostgreSQL) can give the same `Store` later.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { count } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { pathFromModule } from '../../engine/index.js';
import { Accounts } from './accounts.js';
import { inTransaction, type Db } from './connection.js';
import { DataDirLockedError, lockDataDir } from './lock.js';
import { Checkpoints } from './checkpoints.js';
import { DecisionLog } from './log.js';
import { GovernanceLog } from './governance.js';
import { RuleSets } from './rulesets.js';
import * as schema from './schema.js';
import { decisions, drafts, ruleSetVersions, testCases, tokens, users } from './schema.js';
import { TestCases } from './test-cases.js';

const MIGRATIONS = pathFromModule('./migrations', import.meta.url);

/** An open database: its table modules, and what spans them. */
export type Store = ReturnType<typeof openDatabase>;

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

/**
 * Opens (creating if needed) `<dataDir>/rules.sqlite` in WAL mode and applies migrations, after
 * taking the folder's lock (`server.lock`): one process writes one database. Throws DataDirError
 * (a folder that cannot be created or written, a database that cannot be opened, another server
 * on the folder) with a message fit to show as it is.
 */
export function openDataDir(dataDir: string): Store {
  const dir = resolve(dataDir);
  let unlock: (() => void) | undefined;
  try {
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
    const store = openDatabase(join(dir, 'rules.sqlite'));
    const close = store.close;
    return Object.assign(store, {
      dataDir: dir,
      close() {
        close();
        unlock!();
      },
    });
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
 * them read while it writes).
 */
export function openDatabase(file: string, options: { readonly?: boolean } = {}) {
  let sqlite: Database.Database;
  if (options.readonly) {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
    sqlite.pragma('busy_timeout = 5000');
  } else {
    sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
  }
  const db: Db = drizzle(sqlite, { schema });
  if (!options.readonly) migrate(db, { migrationsFolder: MIGRATIONS });
  return {
    /** The data folder (set by `openDataDir`; a database opened by its file has none). */
    dataDir: undefined as string | undefined,
    /** The database file, for workers that open it themselves (impact analysis). */
    file,
    db,
    ruleSets: new RuleSets(db),
    log: new DecisionLog(db),
    checkpoints: new Checkpoints(db),
    accounts: new Accounts(db),
    testCases: new TestCases(db),
    governance: new GovernanceLog(db),

    /** Runs `fn` in one transaction: all of it or none of it. */
    transaction<T>(fn: () => T): T {
      return inTransaction(db, fn);
    },

    /** A consistent copy of the whole database, taken while it is in use (`VACUUM INTO`). */
    backup(target: string) {
      sqlite.prepare('VACUUM INTO ?').run(target);
    },

    /** Row counts of every table: what the fuzz tests compare before and after a refused request. */
    counts(): Record<string, number> {
      const n = (
        t: typeof decisions | typeof drafts | typeof ruleSetVersions | typeof testCases | typeof tokens | typeof users,
      ) => db.select({ n: count() }).from(t).get()?.n ?? 0;
      return {
        decisions: n(decisions),
        drafts: n(drafts),
        versions: n(ruleSetVersions),
        testCases: n(testCases),
        tokens: n(tokens),
        users: n(users),
      };
    },

    close() {
      sqlite.close();
    },
  };
}
