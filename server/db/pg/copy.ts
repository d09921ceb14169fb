/**
 * Copying an embedded SQLite data folder into an empty PostgreSQL database: every table, row for
 * row and byte for byte (the stored texts go across as text, never parsed and re-serialised), in
 * one transaction, so the decision log and the governance chain verify on the other side exactly
 * as they did. The SQLite file is read directly and read-only, in one read transaction (a
 * consistent snapshot even while a server still runs on it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import type { PgTable } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { pathFromModule } from '../../../engine/index.js';
import { governanceHash, type GovernanceRow } from '../governance.js';
import { GENESIS_HASH } from '../log.js';
import { DatabaseUrlError, migratePostgres, openPostgresStore, redactedUrl } from './open.js';
import * as schema from './schema.js';

const SQLITE_JOURNAL = pathFromModule('../migrations/meta/_journal.json', import.meta.url);

/** Every table, in an order that needs nothing not yet copied; the chains by sequence number. */
const TABLES: { table: PgTable; orderBy: string }[] = [
  { table: schema.ruleSetVersions, orderBy: 'rule_set_id, version' },
  { table: schema.drafts, orderBy: 'id' },
  { table: schema.testCases, orderBy: 'id' },
  { table: schema.tokens, orderBy: 'id' },
  { table: schema.users, orderBy: 'username' },
  { table: schema.sessions, orderBy: 'id_hash' },
  { table: schema.decisions, orderBy: 'seq' },
  { table: schema.logCheckpoints, orderBy: 'seq' },
  { table: schema.governanceLog, orderBy: 'seq' },
  { table: schema.governanceCheckpoints, orderBy: 'seq' },
];

/** A copy refused or failed, with a message fit to print as it is. */
export class CopyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CopyError';
  }
}

export interface CopyReport {
  /** Rows copied, by table name. */
  counts: Record<string, number>;
  log: { ok: boolean; checked: number; firstBroken?: { id: string; seq: number; reason: string } };
  governance: { ok: boolean; checked: number; firstBroken?: { seq: number; reason: string } };
}

/** Copies `<dataDir>/rules.sqlite` into the empty PostgreSQL database at `url`, then verifies both chains there. */
export async function copyToPostgres(dataDir: string, url: string): Promise<CopyReport> {
  const file = join(resolve(dataDir), 'rules.sqlite');
  if (!existsSync(file)) throw new CopyError(`Geen database gevonden in ${resolve(dataDir)} (rules.sqlite ontbreekt).`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    assertCurrentSchema(sqlite, file);
    const counts: Record<string, number> = {};
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    pool.on('error', () => {});
    try {
      try {
        await migratePostgres(pool);
      } catch (error) {
        throw new DatabaseUrlError(
          `Kan de PostgreSQL-database ${redactedUrl(url)} niet openen: ${error instanceof Error ? error.message : String(error)}.`,
          { cause: error },
        );
      }
      const db = drizzle(pool);
      // one snapshot of the SQLite file for the whole copy, one transaction on PostgreSQL
      sqlite.exec('BEGIN');
      try {
        await db.transaction(async (tx) => {
          for (const { table } of TABLES) {
            const name = getTableName(table);
            const { rows } = await tx.execute<{ n: number }>(sql`select count(*)::int as n from ${table}`);
            if (rows[0]!.n > 0)
              throw new CopyError(
                `De PostgreSQL-database ${redactedUrl(url)} is niet leeg (tabel ${name} heeft ${rows[0]!.n} rijen). Kopieer alleen naar een lege database.`,
              );
          }
          for (const { table, orderBy } of TABLES)
            counts[getTableName(table)] = await copyTable(sqlite, tx, table, orderBy);
        });
      } finally {
        sqlite.exec('COMMIT');
      }
    } finally {
      await pool.end();
    }
    const store = await openPostgresStore(url);
    try {
      const log = await store.log.verifyChain();
      const governance = verifyGovernanceChain(await store.governance.all());
      return { counts, log, governance };
    } finally {
      await store.close();
    }
  } finally {
    sqlite.close();
  }
}

/**
 * Refuses a data folder whose database an older server left behind (fewer migrations applied
 * than this version has): its tables would lack columns. Starting the server once brings it up to date.
 */
function assertCurrentSchema(sqlite: Database.Database, file: string): void {
  const expected = (JSON.parse(readFileSync(SQLITE_JOURNAL, 'utf8')) as { entries: unknown[] }).entries.length;
  let applied = 0;
  try {
    applied = (sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
  } catch {
    applied = 0;
  }
  if (applied !== expected)
    throw new CopyError(
      `${file} heeft ${applied} van de ${expected} migraties van deze versie. Start de server eenmaal met deze map (DATA_DIR) om de database bij te werken, en kopieer daarna.`,
    );
}

/** Copies one table in batches, in `orderBy` order; how many rows. */
async function copyTable(
  sqlite: Database.Database,
  tx: { execute: (query: ReturnType<typeof sql>) => Promise<unknown> },
  table: PgTable,
  orderBy: string,
): Promise<number> {
  const name = getTableName(table);
  const columns = Object.values(getTableColumns(table)).map((c) => c.name);
  const list = columns.map((c) => `"${c}"`).join(', ');
  // the chains by sequence number from the last one copied (an offset would rescan the log per batch)
  const bySeq = orderBy === 'seq';
  const select = sqlite.prepare(
    bySeq
      ? `select ${list} from "${name}" where seq > ? order by seq limit ?`
      : `select ${list} from "${name}" order by ${orderBy} limit ? offset ?`,
  );
  // stay well below PostgreSQL's 65535 parameters per statement
  const batchSize = Math.floor(20_000 / columns.length);
  let copied = 0;
  let lastSeq = 0;
  for (;;) {
    const rows = (bySeq ? select.all(lastSeq, batchSize) : select.all(batchSize, copied)) as Record<string, unknown>[];
    if (rows.length === 0) return copied;
    await tx.execute(
      sql`insert into ${table} (${sql.join(
        columns.map((c) => sql.identifier(c)),
        sql`, `,
      )}) values ${sql.join(
        rows.map(
          (row) =>
            sql`(${sql.join(
              columns.map((c) => sql`${row[c] ?? null}`),
              sql`, `,
            )})`,
        ),
        sql`, `,
      )}`,
    );
    copied += rows.length;
    if (bySeq) lastSeq = rows.at(-1)!.seq as number;
  }
}

/** The governance chain's links and hashes, as `server/audit.ts` checks them. */
function verifyGovernanceChain(rows: readonly GovernanceRow[]): CopyReport['governance'] {
  let prev = GENESIS_HASH;
  let checked = 0;
  for (const row of rows) {
    const reason =
      row.seq !== checked + 1
        ? 'sequence number does not follow the previous entry'
        : row.prevHash !== prev
          ? 'prevHash does not match the previous entry'
          : governanceHash(row) !== row.hash
            ? 'content does not match its hash'
            : undefined;
    if (reason) return { ok: false, checked, firstBroken: { seq: row.seq, reason } };
    prev = row.hash;
    checked += 1;
  }
  return { ok: true, checked };
}
