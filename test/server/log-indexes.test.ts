/**
 * The log's indexes: the reference date has none (migration 0010 / 0003 on PostgreSQL drops it;
 * every append paid for it, see schema.ts), and filtering by reference date still finds exactly
 * the entries in range — on both stores, and on a log written before the migration, which still
 * verifies after it.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionOf } from '../../engine/compose.js';
import type { Case, Decision } from '../../engine/schema.js';
import type { DecisionFilter, NewDecision } from '../../server/db/log.js';
import { openDataDir } from '../../server/db/open.js';
import type { Store } from '../../server/db/store.js';
import { decide, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { freshStores, storeFactories } from './stores.js';

const AT = '2026-07-01T00:00:00.000Z';

/** The names of the decisions table's indexes, read from the database itself. */
async function decisionIndexes(store: Store): Promise<string[]> {
  if (store.location.kind === 'sqlite') {
    const raw = new Database(store.location.file, { readonly: true });
    try {
      const rows = raw
        .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decisions' AND sql IS NOT NULL`)
        .all() as { name: string }[];
      return rows.map((r) => r.name).sort();
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: store.location.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes WHERE tablename = 'decisions' AND indexname <> 'decisions_pkey'`,
    );
    return rows.map((r) => r.indexname).sort();
  } finally {
    await client.end();
  }
}

const DATES = ['2025-02-01', '2025-12-31', '2026-01-01', '2026-03-15', '2026-06-30', '2026-07-01', '2027-01-10'];
let decided: { case: Case; decision: Decision }[];
beforeAll(async () => {
  decided = [];
  for (const [i, referenceDate] of DATES.entries()) {
    // both regions; the reference date only decides which versions apply
    const c = (i % 2 ? mijovAllocation({ referenceDate }) : ijsselAllocation({ referenceDate })) as Case;
    decided.push({ case: c, decision: await decide(c) });
  }
});
const entries = (): NewDecision[] =>
  decided.map((d) => ({
    municipality: d.case.municipality,
    region: regionOf(d.case.municipality),
    case: d.case,
    decision: d.decision,
    decidedBy: 'index-test',
  }));

describe.each(storeFactories)('the log on $name', (factory) => {
  const store = freshStores(factory);

  it('has no reference-date index, only the id and the (municipality | region, seq) ones', async () => {
    const s = await store();
    expect(await decisionIndexes(s)).toEqual(['decisions_id', 'decisions_municipality_seq', 'decisions_region_seq']);
  });

  it.each<[string, DecisionFilter]>([
    ['in a range', { from: '2025-12-31', to: '2026-06-30' }],
    ['from a day on', { from: '2026-07-01' }],
    ['up to a day', { to: '2026-01-01' }],
    ['in a range and a region', { from: '2026-01-01', to: '2027-12-31', region: 'midden-ijssel-oost-veluwe' }],
  ])('finds by reference date exactly the entries %s', async (_, filter) => {
    const s = await store();
    await s.log.appendMany(entries(), AT);
    const expected = decided
      .filter(
        (d) =>
          (!filter.from || d.case.referenceDate >= filter.from) && (!filter.to || d.case.referenceDate <= filter.to),
      )
      .filter((d) => !filter.region || regionOf(d.case.municipality) === filter.region)
      .map((d) => d.case.referenceDate)
      .reverse(); // newest first
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(DATES.length);
    const { total, items } = await s.log.page(filter, { limit: 50, offset: 0 });
    expect(total).toBe(expected.length);
    expect(items.map((r) => r.referenceDate)).toEqual(expected);
    expect(await s.log.count(filter)).toBe(expected.length);
  });
});

describe('a log written before the reference-date index was dropped', () => {
  it('loses the index on opening, still verifies, and its date filters find the same entries', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'legacy-indexes-'));
    const file = join(dataDir, 'rules.sqlite');
    writeFileSync(file, gunzipSync(readFileSync('test/fixtures/legacy-log/rules.sqlite.gz')));
    const raw = new Database(file, { readonly: true });
    const before = raw.prepare('SELECT reference_date AS date FROM decisions ORDER BY seq').all() as { date: string }[];
    const indexed = raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'decisions_reference_date'`).get();
    raw.close();
    expect(indexed).toBeDefined(); // the fixture predates the migration
    const store = openDataDir(dataDir);
    try {
      expect(await decisionIndexes(store)).not.toContain('decisions_reference_date');
      expect(await store.log.verifyChain()).toEqual({ ok: true, checked: before.length });
      const filter = { from: '2026-03-01', to: '2026-06-30' };
      const inRange = before.filter((r) => r.date >= filter.from && r.date <= filter.to).length;
      expect(inRange).toBeGreaterThan(0);
      expect(inRange).toBeLessThan(before.length);
      expect(await store.log.count(filter)).toBe(inRange);
    } finally {
      await store.close();
    }
  });
});
