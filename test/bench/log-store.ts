/**
 * The bench's only direct access to the store, run as a process of its own before and after the
 * server: `seed` fills a data folder's log with N logged decisions fast (as the API would log
 * them, in transactions of 5,000), and `size` measures what the log takes on disk. Everything
 * else in the bench goes through HTTP.
 *
 *   npx tsx test/bench/log-store.ts seed --data-dir=… --decisions=100000
 *   npx tsx test/bench/log-store.ts size --data-dir=…
 *
 * The `await`s on the store's calls are there for the asynchronous store contract
 * (server/db/store.ts); on a synchronous store they cost nothing.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { DecisionEngine, defaultBackend, regionOf, RuleSetRepository, type Case } from '../../engine/index.js';
import type { NewDecision } from '../../server/db/log.js';
import { openDataDir } from '../../server/db/open.js';
import { seedFromRules } from '../../server/seed.js';
import { admissionCase, mijovAllocationCase } from '../support/arbitraries.js';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

/**
 * Fills the log with `decisions` decisions of Apeldoorn (a pool of 2,000 random valid cases,
 * decided with the stored versions, repeated), decided on 2026-06-01: what the impact bench
 * analyses a draft of Apeldoorn's overlay over and what verify reads.
 */
async function seed(dataDir: string, decisions: number) {
  const store = await openDataDir(dataDir);
  await seedFromRules(store, '2026-01-01T00:00:00.000Z');
  const versions = await store.ruleSets.versions();
  const engine = new DecisionEngine(new RuleSetRepository(versions.map((v) => v.document)), defaultBackend);
  const pool: NewDecision[] = [];
  for (const c of fc.sample(fc.oneof(mijovAllocationCase, admissionCase), { numRuns: 2000, seed: 11 })) {
    const apeldoorn = { ...c, municipality: 'apeldoorn' } as Case;
    if (!engine.validate(apeldoorn).ok) continue;
    pool.push({
      municipality: 'apeldoorn',
      region: regionOf('apeldoorn'),
      case: apeldoorn,
      decision: await engine.decide(apeldoorn),
      decidedBy: 'bench',
    });
  }
  const started = Date.now();
  let lastReport = started;
  for (let done = 0; done < decisions; done += 5000) {
    const batch = Array.from({ length: Math.min(5000, decisions - done) }, (_, i) => pool[(done + i) % pool.length]!);
    await store.log.appendMany(batch, '2026-06-01T00:00:00.000Z');
    if (Date.now() - lastReport > 5000) {
      lastReport = Date.now();
      process.stderr.write(
        `  seeding the log: ${(done + batch.length).toLocaleString('en')} / ${decisions.toLocaleString('en')}\n`,
      );
    }
  }
  const seconds = (Date.now() - started) / 1000;
  await store.close();
  return { decisions, seconds: Math.round(seconds * 10) / 10, distinctCases: pool.length };
}

/**
 * What the log takes on disk, after a WAL checkpoint (the server stopped): the pages of every
 * table whose name starts with `decision` and of their indexes, from SQLite's `dbstat`, over the
 * log's entries; and the whole file's pages in use over the same entries (rule sets, accounts and
 * checkpoints included: negligible beside a large log, not beside a small one).
 */
function size(dataDir: string) {
  const db = new Database(join(dataDir, 'rules.sqlite'));
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    const free = db.pragma('freelist_count', { simple: true }) as number;
    const entries = (db.prepare('SELECT count(*) AS n FROM decisions').get() as { n: number }).n;
    const objects = db
      .prepare(
        `SELECT s.tbl_name AS tableName, d.name AS name, sum(d.pgsize) AS bytes
           FROM dbstat d JOIN sqlite_schema s ON s.name = d.name
          GROUP BY d.name`,
      )
      .all() as { tableName: string; name: string; bytes: number }[];
    const tables: Record<string, number> = {};
    for (const o of objects) tables[o.tableName] = (tables[o.tableName] ?? 0) + o.bytes;
    const logBytes = Object.entries(tables)
      .filter(([table]) => table.startsWith('decision'))
      .reduce((sum, [, bytes]) => sum + bytes, 0);
    const fileBytes = (pages - free) * pageSize;
    return {
      entries,
      bytesPerDecision: entries ? Math.round(logBytes / entries) : 0,
      fileBytesPerDecision: entries ? Math.round(fileBytes / entries) : 0,
      logBytes,
      fileBytes,
      measuredBy:
        "SQLite dbstat after a WAL checkpoint: pages of the tables named decision* and their indexes over the log's entries (fileBytesPerDecision: all pages in use)",
      tables,
    };
  } finally {
    db.close();
  }
}

const [command] = process.argv.slice(2);
const dataDir = option('data-dir');
if (!dataDir || (command !== 'seed' && command !== 'size'))
  throw new Error('gebruik: log-store.ts seed|size --data-dir=… [--decisions=N]');
const result = command === 'seed' ? await seed(dataDir, Number(option('decisions') ?? 100_000)) : size(dataDir);
console.log(JSON.stringify(result));
