/**
 * What one row of the decision log costs SQLite, apart from everything else a logged case costs:
 * the CPU per row of inserting rows as the log inserts them (`insertSql`, `insertValues`) into the
 * log's own table (this project's migrations and pragmas), in transactions of 500 as a batch's
 * chunks are, through better-sqlite3's prepared statements — with one row or several rows an
 * INSERT, with or without the table's indexes, with entries of ~1.4 KB or ~0.3 KB.
 * BENCHMARKS.md ("The batch row's profile") has the figures.
 *
 *   npx tsx test/load/sqlite-row.ts [--rows=200000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { timeOrderedUuid } from '../../server/db/ids.js';
import { insertSql, insertValues, type PreparedEntry } from '../../server/db/log.js';
import { openDatabase } from '../../server/db/open.js';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rows = Number(option('rows') ?? 200_000);
const CHUNK = 500;
/** Municipalities the rows spread over, as a batch's cases do: each has its leaf in the index. */
const MUNICIPALITIES = ['GM0200', 'GM0202', 'GM0203', 'GM0213', 'GM0232', 'GM0243'];

interface Variant {
  name: string;
  perStatement: number;
  indexes: boolean;
  /** The characters of the case's and the decision's texts together. */
  textChars: number;
}

async function measure(v: Variant): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-row-'));
  const file = join(dir, 'rules.sqlite');
  try {
    // the log's table as the migrations make it, then the file alone, as the batch's appends see it
    await openDatabase(file).close();
    const db = new Database(file);
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -4096');
    if (!v.indexes) {
      const indexes = db
        .prepare<[], { name: string }>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decisions' AND sql IS NOT NULL",
        )
        .all();
      for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
    }
    const insert = db.prepare(insertSql(v.perStatement));
    const half = Math.round(v.textChars / 2);
    const entry = (municipality: string): PreparedEntry => ({
      municipality,
      region: 'R',
      caseType: 'allocation',
      referenceDate: '2027-01-01',
      outcome: 'granted',
      reasonCodes: ' OK ',
      totalCents: 100_000,
      caseJson: JSON.stringify({ type: 'allocation', text: 'c'.repeat(half) }),
      decisionJson: JSON.stringify({ outcome: 'granted', text: 'd'.repeat(half) }),
      ruleSets: '[]',
      hashed: ['', '', ''],
    });
    const entries = MUNICIPALITIES.map(entry);
    const hash = `sha256:${'ab'.repeat(32)}`;
    let n = 0;
    // the row as the log inserts it (`insertValues`), with a time-ordered id as the log's are
    const row = () => {
      const c = { id: timeOrderedUuid(), decidedAt: '2026-11-26T00:00:00.000Z', decidedBy: 'batch', prevHash: hash };
      return insertValues(entries[n++ % entries.length]!, c, hash);
    };
    // every statement's values made before the clock starts: only SQLite's work (and the driver's
    // binding) is counted
    const statements = (count: number) =>
      Array.from({ length: count / v.perStatement }, () => Array.from({ length: v.perStatement }, row).flat());
    const chunk = db.transaction((values: unknown[][]) => {
      for (const one of values) insert.run(one);
    });
    // the first 100,000 rows warm the code and the table up, uncounted
    for (let i = 0; i < 100_000 / CHUNK; i++) chunk(statements(CHUNK));
    const chunks = Array.from({ length: rows / CHUNK }, () => statements(CHUNK));
    const before = process.cpuUsage();
    for (const values of chunks) chunk(values);
    const used = process.cpuUsage(before);
    db.close();
    return (used.user + used.system) / rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const variants: Variant[] = [
  { name: 'one row an INSERT', perStatement: 1, indexes: true, textChars: 1100 },
  { name: '25 rows an INSERT', perStatement: 25, indexes: true, textChars: 1100 },
  { name: '100 rows an INSERT', perStatement: 100, indexes: true, textChars: 1100 },
  { name: 'without the indexes', perStatement: 1, indexes: false, textChars: 1100 },
  { name: 'entries of ~0.3 KB', perStatement: 1, indexes: true, textChars: 60 },
];
const result: Record<string, number> = {};
for (const v of variants) {
  result[v.name] = Math.round((await measure(v)) * 100) / 100;
  process.stderr.write(`  ${v.name}: ${String(result[v.name])} µs of CPU a row (with its commit)\n`);
}
console.log(JSON.stringify({ rows, chunk: CHUNK, cpuMicrosPerRow: result }));
