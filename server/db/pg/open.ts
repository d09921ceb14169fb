/**
 * Opening a PostgreSQL database as the store: a connection pool, the migrations (applied by one
 * node at a time), and the table modules over the pool or over a transaction. Any number of API
 * nodes may open the same database: what must happen one at a time (appending to a chain,
 * seeding, migrating) takes PostgreSQL's advisory locks, never a lock of this process.
 */
import { readFileSync } from 'node:fs';
import { count } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { pathFromModule } from '../../../engine/index.js';
import type { Store, StoreTables } from '../store.js';
import { PgAccounts } from './accounts.js';
import { PgCheckpoints } from './checkpoints.js';
import { LOCKS, type PgDb } from './connection.js';
import { PgGovernanceLog } from './governance.js';
import { PgJobs } from './jobs.js';
import { PgDecisionLog } from './log.js';
import { PgRuleSets } from './rulesets.js';
import * as schema from './schema.js';
import { decisions, drafts, ruleSetVersions, testCases, tokens, users } from './schema.js';
import { PgTestCases } from './test-cases.js';
import { watchPublished, type WatchOptions } from './watch.js';

export const PG_MIGRATIONS = pathFromModule('../migrations-pg', import.meta.url);

/**
 * A PostgreSQL database the server cannot use, as one line naming it (without its password) and
 * what to do: what `npm start` prints instead of a stack trace.
 */
export class DatabaseUrlError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DatabaseUrlError';
  }
}

/** The URL with its password hidden, fit for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(ongeldige DATABASE_URL)';
  }
}

/** The table modules over a database or a transaction. */
export function tablesOver(db: PgDb): StoreTables {
  return {
    ruleSets: new PgRuleSets(db),
    log: new PgDecisionLog(db),
    checkpoints: new PgCheckpoints(db),
    accounts: new PgAccounts(db),
    testCases: new PgTestCases(db),
    governance: new PgGovernanceLog(db),
    jobs: new PgJobs(db),
  };
}

/**
 * Applies the migrations that are not applied yet. Nodes starting at once wait for each other
 * on a session advisory lock, so each migration runs once (drizzle's migrator alone would let two
 * nodes both find it missing).
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCKS.migrate]);
    try {
      await migrate(drizzle(client), { migrationsFolder: PG_MIGRATIONS });
      // the service's role reads which migration is applied (/api/health); drizzle's migrator
      // makes its own schema, so no migration file can grant this
      await client.query(`do $$ begin
        if exists (select 1 from pg_roles where rolname = 'jeugdzorg_service') then
          grant usage on schema drizzle to jeugdzorg_service;
          grant select on drizzle.__drizzle_migrations to jeugdzorg_service;
        end if;
      end $$`);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [LOCKS.migrate]);
    }
  } finally {
    client.release();
  }
}

/**
 * Opens the PostgreSQL database at `url` as the store, applying migrations first: as the user of
 * `url`, or as the owner that `migrateAs` names (DATABASE_MIGRATION_URL) so that the service
 * itself runs as a role without the rights to create tables or change the append-only ones.
 * `readonly` opens an already migrated database whose every transaction is read-only, as the
 * impact analysis and verify workers do. Throws DatabaseUrlError when it cannot connect or migrate.
 */
export async function openPostgresStore(
  url: string,
  options: { readonly?: boolean; maxConnections?: number; watch?: WatchOptions; migrateAs?: string } = {},
): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.readonly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A connection the server drops while idle (a restart, a fail-over) is an event on the pool:
  // without a listener it would end the process. The next query takes a fresh connection.
  pool.on('error', () => {});
  try {
    if (options.readonly) await pool.query('select 1');
    else if (options.migrateAs) {
      const owner = new pg.Pool({ connectionString: options.migrateAs, max: 1 });
      owner.on('error', () => {});
      try {
        await migratePostgres(owner);
      } finally {
        await owner.end();
      }
      await pool.query('select 1');
    } else await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    const reason = error instanceof Error ? error.message : String(error);
    throw new DatabaseUrlError(
      `Kan de PostgreSQL-database ${redactedUrl(url)} niet openen: ${reason}. Controleer DATABASE_URL (server, gebruiker, wachtwoord en database) en of de gebruiker tabellen mag aanmaken.`,
      { cause: error },
    );
  }
  const db: PgDb = drizzle(pool, { schema });
  const watchers = new Set<() => void>();

  return {
    kind: 'postgres',
    location: { kind: 'postgres', url },
    dataDir: undefined,
    ...tablesOver(db),

    transaction<T>(fn: (tx: StoreTables) => Promise<T>): Promise<T> {
      return db.transaction((tx) => fn(tablesOver(tx)));
    },

    watchPublished(onChange: () => void): () => void {
      const stop = watchPublished(url, pool, onChange, options.watch);
      watchers.add(stop);
      return () => {
        watchers.delete(stop);
        stop();
      };
    },

    async schemaVersion(): Promise<string> {
      const { rows } = await pool.query<{ created_at: string }>(
        'select created_at from drizzle.__drizzle_migrations order by created_at desc limit 1',
      );
      const last = rows[0]?.created_at;
      if (last === undefined) return 'none';
      const journal = JSON.parse(readFileSync(`${PG_MIGRATIONS}/meta/_journal.json`, 'utf8')) as {
        entries: { when: number; tag: string }[];
      };
      // a migration newer than this build (another node already upgraded): its time, for lack of a name
      return journal.entries.find((e) => e.when === Number(last))?.tag ?? `onbekend (${last})`;
    },

    async counts(): Promise<Record<string, number>> {
      const n = async (
        t: typeof decisions | typeof drafts | typeof ruleSetVersions | typeof testCases | typeof tokens | typeof users,
      ) => (await db.select({ n: count() }).from(t))[0]?.n ?? 0;
      return {
        decisions: await n(decisions),
        drafts: await n(drafts),
        versions: await n(ruleSetVersions),
        testCases: await n(testCases),
        tokens: await n(tokens),
        users: await n(users),
      };
    },

    async close(): Promise<void> {
      for (const stop of watchers) stop();
      watchers.clear();
      await pool.end();
    },
  };
}

/** Whether `url` names a PostgreSQL database (what `DATABASE_URL` selects the store by). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}
