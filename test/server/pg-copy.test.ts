/**
 * Copying a SQLite data folder with decisions into an empty PostgreSQL database: everything
 * arrives byte for byte, both chains verify there, and the copy refuses a database that is not
 * empty and a folder an older server left behind. The folder is built through the API (the test
 * harness) and raw SQL, and read back raw. Skipped unless `TEST_DATABASE_URL` is set.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { governanceHash } from '../../server/db/governance.js';
import { GENESIS_HASH } from '../../server/db/log.js';
import { copyToPostgres } from '../../server/db/pg/copy.js';
import { openPostgresStore } from '../../server/db/pg/open.js';
import { admission, decide, ijsselAllocation } from '../support/factories.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { createTestDatabase, testDatabaseUrl } from '../support/postgres.js';
import { openServer } from './harness.js';

const AT = '2026-01-01T00:00:00.000Z';
const cleanup = cleanupAfterEach();

/** A fresh database, dropped after the test. */
async function database() {
  const db = await createTestDatabase();
  cleanup(db.drop);
  return db.url;
}

/** A data folder as a running region leaves it: published versions, drafts, test cases, decisions, accounts, governance. */
async function dataFolder(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'copy-to-pg-'));
  // `await`: the harness may answer at once or with a promise
  const s = await openServer(dir, { seedTestCases: true });
  try {
    for (let i = 0; i < 40; i++) {
      const res = await s.request('POST', '/api/evaluate', i % 2 ? admission() : ijsselAllocation());
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const overlay = {
      id: 'apeldoorn',
      kind: 'municipality',
      region: 'midden-ijssel-oost-veluwe',
      parameters: { 'admission.minClientsPerYear': 5 },
    };
    const { draftId } = await (await s.request('POST', '/api/rulesets/apeldoorn/drafts', overlay)).json();
    const published = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, {
      validFrom: '2027-01-01',
      changes: 'Minimaal vijf cliënten per jaar.',
    });
    expect(published.status, await published.clone().text()).toBe(201);
    expect((await s.request('POST', '/api/rulesets/apeldoorn/drafts', overlay)).status).toBe(201);
    for (let i = 0; i < 5; i++) await s.request('POST', '/api/evaluate', admission());
  } finally {
    await s.store.close();
  }
  // what the demo API does not make without accounts: added as the service would store them
  const raw = new Database(join(dir, 'rules.sqlite'));
  try {
    raw
      .prepare(
        `insert into users (username, password_hash, role, scope, created_by, created_at) values ('anna', 'scrypt:x', 'policy-advisor', null, 'admin', ?)`,
      )
      .run(AT);
    raw
      .prepare(
        `insert into tokens (id, name, role, scope, token_hash, created_by, created_at) values ('t1', 'zaaksysteem', 'case-system', 'zwolle', 'sha256:t', 'admin', ?)`,
      )
      .run(AT);
    raw
      .prepare(
        `insert into sessions (id_hash, username, csrf_token, created_at, expires_at) values ('s1', 'anna', 'c', ?, ?)`,
      )
      .run(AT, '2026-01-02T00:00:00.000Z');
    let prevHash = GENESIS_HASH;
    for (const [seq, kind] of [
      [1, 'submit'],
      [2, 'approve'],
    ] as const) {
      const row = {
        kind,
        ruleSetId: 'apeldoorn',
        draftId: 'd1',
        draftHash: 'sha256:d',
        by: kind === 'submit' ? 'anna' : 'bram',
        at: AT,
        note: 'Vijf cliënten',
        validFrom: '2027-07-01',
        version: kind === 'approve' ? 4 : null,
        impactJson: kind === 'approve' ? '{"changed":3,"total":45}' : null,
        prevHash,
      };
      prevHash = governanceHash(row);
      raw
        .prepare(
          `insert into governance_log (seq, kind, rule_set_id, draft_id, draft_hash, by, at, note, valid_from, version, impact_json, prev_hash, hash)
           values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(seq, ...Object.values(row), prevHash);
    }
    const head = raw.prepare('select seq, hash from decisions order by seq desc limit 1').get() as {
      seq: number;
      hash: string;
    };
    raw
      .prepare(
        `insert or ignore into log_checkpoints (seq, head_hash, at, key_id, signature) values (?, ?, ?, 'k', 's')`,
      )
      .run(head.seq, head.hash, AT);
  } finally {
    raw.close();
  }
  return dir;
}

const TABLES = [
  'rule_set_versions',
  'drafts',
  'test_cases',
  'tokens',
  'users',
  'sessions',
  'decisions',
  'log_checkpoints',
  'governance_log',
  'governance_checkpoints',
];

/** Every row of every table as text, in a fixed order: what must arrive unchanged. */
function sqliteRows(dir: string): Record<string, unknown[]> {
  const db = new Database(join(dir, 'rules.sqlite'), { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((t) => [
        t,
        (db.prepare(`select * from "${t}"`).all() as Record<string, unknown>[]).map(asText).sort(),
      ]),
    );
  } finally {
    db.close();
  }
}
async function postgresRows(url: string): Promise<Record<string, unknown[]>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const t of TABLES) out[t] = (await client.query(`select * from "${t}"`)).rows.map(asText).sort();
    return out;
  } finally {
    await client.end();
  }
}
/** A row as `column=value` lines, numbers and int8 strings alike. */
function asText(row: Record<string, unknown>): string {
  return Object.keys(row)
    .sort()
    .map((k) => `${k}=${row[k] === null ? 'NULL' : String(row[k])}`)
    .join('\n');
}

describe.skipIf(!testDatabaseUrl)('copying a SQLite data folder into PostgreSQL', () => {
  it('moves every row byte for byte in one go, and both chains verify there', async () => {
    const dir = await dataFolder();
    const url = await database();
    const before = sqliteRows(dir);
    expect(before.decisions).toHaveLength(45);
    expect(before.governance_log).toHaveLength(2);

    const report = await copyToPostgres(dir, url);
    expect(report.counts).toEqual(Object.fromEntries(TABLES.map((t) => [t, before[t]!.length])));
    expect(report.log).toEqual({ ok: true, checked: 45 });
    expect(report.governance).toEqual({ ok: true, checked: 2 });
    expect(await postgresRows(url)).toEqual(before);

    // and the PostgreSQL store carries on the same chain
    const store = await openPostgresStore(url);
    try {
      const head = await store.log.head();
      expect(head.seq).toBe(45);
      const [last] = (await store.log.page({}, { limit: 1, offset: 0 })).items;
      const next = await store.log.append(
        {
          municipality: last!.municipality,
          region: last!.region,
          case: (await store.log.get(last!.id))!.caseJson,
          // a compact entry keeps no trace: the decision whole, decided again
          decision: await decide((await store.log.get(last!.id))!.caseJson),
          decidedBy: 'na-de-kopie',
        },
        AT,
      );
      expect(next).toMatchObject({ seq: 46, prevHash: head.hash });
      expect(await store.log.verifyChain()).toEqual({ ok: true, checked: 46 });
      expect((await store.governance.head()).seq).toBe(2);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('refuses a database that is not empty, and changes nothing in it', async () => {
    const dir = await dataFolder();
    const url = await database();
    await copyToPostgres(dir, url);
    const copied = await postgresRows(url);
    await expect(copyToPostgres(dir, url)).rejects.toThrow(/is niet leeg \(tabel rule_set_versions heeft \d+ rijen\)/);
    expect(await postgresRows(url)).toEqual(copied);
  }, 60_000);

  it('refuses a data folder whose database an older server left behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'copy-to-pg-old-'));
    new Database(join(dir, 'rules.sqlite')).close();
    await expect(copyToPostgres(dir, await database())).rejects.toThrow(/Start de server eenmaal met deze map/);
    await expect(copyToPostgres(join(dir, 'nergens'), testDatabaseUrl!)).rejects.toThrow(/Geen database gevonden/);
  });

  it('runs as `npm run db:copy-to-postgres`, printing the counts and the verified chains', async () => {
    const dir = await dataFolder();
    const url = await database();
    const out = execFileSync('npx', ['tsx', 'server/scripts/copy-to-postgres.ts', dir, url], { encoding: 'utf8' });
    expect(out).toContain('decisions: 45');
    expect(out).toContain('Beslissingenlog: keten klopt (45 regels).');
    expect(out).toContain('Governance-log: keten klopt (2 regels).');
    expect(out).toContain(':***@');
  }, 60_000);
});
