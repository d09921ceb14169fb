/**
 * What the PostgreSQL store guarantees below the code, on a real server: the database itself
 * refuses to change published versions and the logs (raw SQL, bypassing the store), the
 * service's role holds no right to, and several store instances — "nodes" — on one database
 * keep one hash chain and one ETag per draft. Skipped unless `TEST_DATABASE_URL` is set.
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { regionOf } from '../../engine/compose.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import type { Case, Decision } from '../../engine/schema.js';
import type { NewDecision } from '../../server/db/log.js';
import { openPostgresStore } from '../../server/db/pg/open.js';
import type { Store } from '../../server/db/store.js';
import { apeldoornRenewal, decide } from '../support/factories.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { createTestDatabase, testDatabaseUrl } from '../support/postgres.js';

const AT = '2026-01-01T00:00:00.000Z';
const zwolle = loadRuleSetFiles(DEFAULT_RULES_DIR).find((f) => f.document.id === 'zwolle')!.document;

const cleanup = cleanupAfterEach();

/** A fresh database, dropped after the test. */
async function database() {
  const db = await createTestDatabase();
  cleanup(db.drop);
  return db.url;
}
async function node(url: string, options?: Parameters<typeof openPostgresStore>[1]): Promise<Store> {
  const s = await openPostgresStore(url, options);
  cleanup(() => s.close());
  return s;
}
async function raw(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  cleanup(() => client.end());
  return client;
}

let template: { case: Case; decision: Decision };
beforeAll(async () => {
  const c = apeldoornRenewal(12) as Case;
  template = { case: c, decision: await decide(c) };
});
const entry = (by: string): NewDecision => ({
  municipality: template.case.municipality,
  region: regionOf(template.case.municipality),
  case: template.case,
  decision: template.decision,
  decidedBy: by,
});

describe.skipIf(!testDatabaseUrl)('PostgreSQL: append-only in the database itself', () => {
  it.each([
    ['the decision log', 'decisions', 'append-only', "update decisions set decided_by = 'mallory'"],
    ['the decision log', 'decisions', 'append-only', 'delete from decisions'],
    ['the decision log', 'decisions', 'append-only', 'truncate decisions'],
    ['a published version', 'rule_set_versions', 'immutable', "update rule_set_versions set published_by = 'mallory'"],
    ['a published version', 'rule_set_versions', 'immutable', 'delete from rule_set_versions'],
    ['a published version', 'rule_set_versions', 'immutable', 'truncate rule_set_versions cascade'],
    ['a log checkpoint', 'log_checkpoints', 'append-only', "update log_checkpoints set signature = 'x'"],
    ['a log checkpoint', 'log_checkpoints', 'append-only', 'delete from log_checkpoints'],
    ['the governance log', 'governance_log', 'append-only', "update governance_log set note = 'x'"],
    ['the governance log', 'governance_log', 'append-only', 'truncate governance_log'],
    ['a governance checkpoint', 'governance_checkpoints', 'append-only', 'delete from governance_checkpoints'],
  ])('refuses to change %s (%s) by raw SQL: %s', async (_what, table, message, statement) => {
    const url = await database();
    const s = await node(url);
    await s.ruleSets.insertVersion(zwolle, 'anna', AT);
    await s.log.append(entry('node'), AT);
    await s.checkpoints.add({ seq: 1, headHash: 'h', at: AT, keyId: 'k', signature: 's' });
    await s.governance.append({
      kind: 'submit',
      ruleSetId: 'zwolle',
      draftId: 'd',
      draftHash: 'h',
      by: 'anna',
      at: AT,
      note: 'n',
      validFrom: null,
      version: null,
      impactJson: null,
    });
    await s.governance.addCheckpoint({ seq: 1, headHash: 'h', at: AT, keyId: 'k', signature: 's' });
    const client = await raw(url);
    const before = (await client.query(`select count(*)::int as n, md5(string_agg(t::text, '')) as h from ${table} t`))
      .rows[0];
    await expect(client.query(statement)).rejects.toThrow(message);
    const after = (await client.query(`select count(*)::int as n, md5(string_agg(t::text, '')) as h from ${table} t`))
      .rows[0];
    expect(after).toEqual(before);
    expect(before.n).toBe(1);
    expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 1 });
  });

  it('lets drafts change (they are not append-only)', async () => {
    const s = await node(await database());
    const draft = await s.ruleSets.createDraft(zwolle, 1, 'anna', AT);
    expect(await s.ruleSets.deleteDraft(draft.id)).toBe(true);
  });

  it('gives the service role reading and adding, never changing, on the append-only tables', async () => {
    const url = await database();
    await node(url);
    const client = await raw(url);
    const { rows: mayCreate } = await client.query(
      'select rolsuper or rolcreaterole as ok from pg_roles where rolname = current_user',
    );
    if (!mayCreate[0].ok) return; // the README's GRANTs then apply
    const rights = async (table: string) =>
      (
        await client.query(
          `select array_agg(p order by p) as rights from unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) p
           where has_table_privilege('jeugdzorg_service', $1, p)`,
          [table],
        )
      ).rows[0].rights;
    for (const table of [
      'decisions',
      'rule_set_versions',
      'log_checkpoints',
      'governance_log',
      'governance_checkpoints',
    ])
      expect(await rights(table)).toEqual(['INSERT', 'SELECT']);
    expect(await rights('drafts')).toEqual(['DELETE', 'INSERT', 'SELECT', 'UPDATE']);
    // and as that role, a change is refused for want of the right, before any trigger runs
    await client.query('set role jeugdzorg_service');
    await expect(client.query('delete from decisions')).rejects.toThrow(/permission denied/);
    await client.query('reset role');
  });

  it('reads the tariff out of the decision text for entries logged before the tariff copy', async () => {
    const url = await database();
    const s = await node(url);
    const logged = await s.log.append(entry('node'), AT);
    const client = await raw(url);
    // an old entry: the same columns, tariff_json left empty (inserting is allowed)
    await client.query(
      `insert into decisions (seq, id, municipality, region, case_type, reference_date, outcome, reason_codes, total_cents,
         case_json, decision_json, tariff_json, rule_sets, decided_at, decided_by, prev_hash, hash)
       select 2, 'old', municipality, region, case_type, reference_date, outcome, reason_codes, total_cents,
         case_json, decision_json, null, rule_sets, decided_at, decided_by, hash, 'sha256:x' from decisions`,
    );
    const summaries = [];
    for await (const batch of s.log.summaries({})) summaries.push(...batch);
    // neither keeps a copy (a compact entry never does): both read it from the decision text
    expect(logged.tariffJson).toBeNull();
    const tariff = JSON.stringify(template.decision.tariff ?? null);
    expect(summaries.map((r) => r.tariffJson)).toEqual([tariff, tariff]);
    expect(JSON.parse(summaries[1]!.tariffJson)).toEqual(template.decision.tariff ?? null);
  });
});

describe.skipIf(!testDatabaseUrl)('PostgreSQL: several nodes on one database', () => {
  it('migrates once when nodes start at the same moment', async () => {
    const url = await database();
    const nodes = await Promise.all([node(url), node(url), node(url)]);
    for (const n of nodes) expect(await n.schemaVersion()).toBe('0003_drop_decision_reference_date_index');
    const client = await raw(url);
    expect((await client.query('select count(*)::int as n from drizzle.__drizzle_migrations')).rows[0].n).toBe(4);
  });

  it('keeps one chain when two nodes append 500 entries each at once', async () => {
    const url = await database();
    const [a, b] = await Promise.all([node(url), node(url)]);
    // each node appends from several concurrent callers, as a loaded API node does
    const appendFrom = (s: Store, by: string) =>
      Promise.all(
        Array.from({ length: 10 }, async () => {
          for (let i = 0; i < 50; i++) await s.log.append(entry(by), AT);
        }),
      );
    await Promise.all([appendFrom(a!, 'node-a'), appendFrom(b!, 'node-b')]);
    expect(await a!.log.count({})).toBe(1000);
    expect(await b!.log.count({ decidedBy: 'node-a' })).toBe(500);
    expect(await b!.log.count({ decidedBy: 'node-b' })).toBe(500);
    expect(await a!.log.verifyChain()).toEqual({ ok: true, checked: 1000 });
    expect((await b!.log.head()).seq).toBe(1000);
  }, 120_000);

  it('lets only one of two nodes replace a draft with the same ETag', async () => {
    const url = await database();
    const [a, b] = await Promise.all([node(url), node(url)]);
    const draft = await a!.ruleSets.createDraft(zwolle, 1, 'anna', AT);
    const results = await Promise.all([
      a!.ruleSets.replaceDraft(draft.id, draft.etag, { ...zwolle, changes: ['anna'] }, 'anna', AT),
      b!.ruleSets.replaceDraft(draft.id, draft.etag, { ...zwolle, changes: ['bram'] }, 'bram', AT),
    ]);
    const winners = results.filter((r) => r !== undefined);
    expect(winners).toHaveLength(1);
    // both nodes see the winner's version and its new ETag; the loser's stale ETag stays refused
    expect(await b!.ruleSets.draft(draft.id)).toEqual(winners[0]);
    expect(await a!.ruleSets.draft(draft.id)).toEqual(winners[0]);
    expect(await b!.ruleSets.replaceDraft(draft.id, draft.etag, zwolle, 'bram', AT)).toBeUndefined();
    expect(await b!.ruleSets.replaceDraft(draft.id, winners[0]!.etag, zwolle, 'bram', AT)).toMatchObject({
      updatedBy: 'bram',
    });
  });

  it('opens read-only for workers: reads, and every write refused by the database', async () => {
    const url = await database();
    const writer = await node(url);
    await writer.log.append(entry('node'), AT);
    const reader = await node(url, { readonly: true });
    expect(await reader.log.verifyChain()).toEqual({ ok: true, checked: 1 });
    // drizzle wraps the database's refusal; its cause is PostgreSQL's own error
    const refused = (await reader.log.append(entry('worker'), AT).catch((e: unknown) => e)) as Error;
    expect(String((refused.cause as Error | undefined)?.message)).toMatch(/read-only transaction/);
    expect(await writer.log.count({})).toBe(1);
  });

  it('says in Dutch which database it cannot open, without its password', async () => {
    const url = new URL(testDatabaseUrl!);
    url.pathname = '/bestaat_niet_' + Date.now();
    const attempt = openPostgresStore(url.toString());
    await expect(attempt).rejects.toThrow(/Kan de PostgreSQL-database .* niet openen.*Controleer DATABASE_URL/);
    if (url.password) {
      const message = ((await attempt.catch((e: unknown) => e)) as Error).message;
      expect(message).toContain(':***@');
      expect(message).not.toContain(`:${url.password}@`);
    }
  });
});
