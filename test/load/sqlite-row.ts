/**
 * What one row of the decision log costs SQLite, apart from everything else a logged case costs:
 * the CPU per row of inserting log-shaped rows into the log's own table (this project's
 * migrations and pragmas), in transactions of 500 as a batch's chunks are, through
 * better-sqlite3's prepared statements — with one row or several rows an INSERT, with or without
 * the table's indexes, with entries of ~1.4 KB or ~0.3 KB. BENCHMARKS.md ("The batch row's
 * profile") has the figures.
 *
 *   npx tsx test/load/sqlite-row.ts [--rows=200000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../server/db/open.js';

const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const rows = Number(option('rows') ?? 200_000);
const CHUNK = 500;

const COLUMNS = [
  'id',
  'municipality',
  'region',
  'case_type',
  'reference_date',
  'outcome',
  'reason_codes',
  'total_cents',
  'case_json',
  'decision_json',
  'tariff_json',
  'rule_sets',
  'decided_at',
  'decided_by',
  'prev_hash',
  'hash',
];
const MUNICIPALITIES = ['GM0200', 'GM0202', 'GM0203', 'GM0213', 'GM0232', 'GM0243'];

interface Variant {
  name: string;
  perStatement: number;
  indexes: boolean;
  /** The characters of the case's and the decision's texts together. */
  textChars: number;
}

function measure(v: Variant): number {
  const dir = mkdtempSync(join(tmpdir(), 'sqlite-row-'));
  const file = join(dir, 'rules.sqlite');
  try {
    // the log's table as the migrations make it, then the file alone, as the batch's appends see it
    void openDatabase(file).close();
    const db = new Database(file);
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -4096');
    if (!v.indexes)
      for (const index of ['decisions_id', 'decisions_municipality_seq', 'decisions_region_seq'])
        db.exec(`DROP INDEX ${index}`);
    const one = `(${COLUMNS.map(() => '?').join(',')})`;
    const insert = db.prepare(
      `INSERT INTO decisions (${COLUMNS.join(',')}) VALUES ${Array.from({ length: v.perStatement }, () => one).join(',')}`,
    );
    const caseJson = JSON.stringify({ type: 'allocation', text: 'c'.repeat(Math.round(v.textChars / 2)) });
    const decisionJson = JSON.stringify({ outcome: 'granted', text: 'd'.repeat(Math.round(v.textChars / 2)) });
    const hash = `sha256:${'ab'.repeat(32)}`;
    let n = 0;
    const start = Date.now();
    const row = () => {
      n++;
      // time-ordered, as the log's ids are (`timeOrderedUuid`): each new id at the index's end
      const time = (start + n).toString(16).padStart(12, '0');
      const id = `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
      const m = MUNICIPALITIES[n % MUNICIPALITIES.length]!;
      return [
        id,
        m,
        'R',
        'allocation',
        '2027-01-01',
        'granted',
        ' OK ',
        100_000,
        caseJson,
        decisionJson,
        null,
        '[]',
      ].concat(['2026-11-26T00:00:00.000Z', 'batch', hash, hash]);
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
  result[v.name] = Math.round(measure(v) * 100) / 100;
  process.stderr.write(`  ${v.name}: ${String(result[v.name])} µs of CPU a row (with its commit)\n`);
}
console.log(JSON.stringify({ rows, chunk: CHUNK, cpuMicrosPerRow: result }));
