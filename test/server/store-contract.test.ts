/**
 * The store contract on every store (see stores.ts): SQLite always, PostgreSQL on a fresh
 * database per test when `TEST_DATABASE_URL` is set (CI sets it). What only one store does is
 * tested in `store-*.test.ts` (SQLite files) and `pg-*.test.ts` (PostgreSQL).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import { GENESIS_HASH } from '../../server/db/log.js';
import { collect } from '../support/collect.js';
import { entryTemplate, entryWithCodes, type EntryTemplate } from './log-entries.js';
import { freshStores, storeFactories } from './stores.js';

const AT = '2026-01-01T00:00:00.000Z';
const documents = loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document);
const zwolle = documents.find((d) => d.id === 'zwolle' && d.version === 1)!;

let template: EntryTemplate;
beforeAll(async () => {
  template = await entryTemplate();
});
const entry = (codes: string[]) => entryWithCodes(template, codes, 'pg-store-test');

describe.each(storeFactories)('the store contract on $name', (factory) => {
  const store = freshStores(factory);

  it('reports its kind, location, schema version and counts', async () => {
    const s = await store();
    expect(s.kind).toBe(factory.name);
    expect(s.location.kind).toBe(factory.name);
    expect(s.dataDir === undefined).toBe(factory.name === 'postgres');
    expect(await s.schemaVersion()).toBe(
      factory.name === 'postgres'
        ? '0003_drop_decision_reference_date_index'
        : '0010_drop_decision_reference_date_index',
    );
    expect(await s.counts()).toEqual({ decisions: 0, drafts: 0, versions: 0, testCases: 0, tokens: 0, users: 0 });
  });

  describe('versions', () => {
    it('seeds an empty store once, keeping the documents and their text', async () => {
      const s = await store();
      expect(await s.ruleSets.seedIfEmpty(documents, AT)).toBe(documents.length);
      expect(await s.ruleSets.seedIfEmpty(documents, AT)).toBe(0);
      expect(await s.ruleSets.versions()).toHaveLength(documents.length);
      expect(await s.ruleSets.version('zwolle', 1)).toMatchObject({ publishedBy: 'seed:rules/', document: zwolle });
      const stored = (await s.ruleSets.storedDocuments()).find((d) => d.ruleSetId === 'zwolle' && d.version === 1)!;
      expect(stored.document).toBe(JSON.stringify(zwolle));
    });

    it('orders rule sets by their ids’ bytes, as SQLite does', async () => {
      const s = await store();
      await s.ruleSets.seedIfEmpty(documents, AT);
      const ids = (await s.ruleSets.versions()).map((v) => `${v.ruleSetId}\u0000${String(v.version).padStart(6)}`);
      expect(ids).toEqual([...ids].sort());
    });
  });

  describe('drafts', () => {
    it('submits, rejects and deletes a draft once each', async () => {
      const s = await store();
      const draft = await s.ruleSets.createDraft(zwolle, null, 'anna', AT);
      expect(await s.ruleSets.submitDraft(draft.id, 'anna', AT, '2026-07-01', 'nieuw')).toBe(true);
      expect(await s.ruleSets.submitDraft(draft.id, 'anna', AT, '2026-07-01', 'nieuw')).toBe(false);
      // a submitted draft is frozen
      expect(await s.ruleSets.replaceDraft(draft.id, draft.etag, zwolle, 'anna', AT)).toBeUndefined();
      expect(await s.ruleSets.rejectDraft(draft.id, 'bram', AT, 'nee')).toBe(true);
      expect(await s.ruleSets.rejectDraft(draft.id, 'bram', AT, 'nee')).toBe(false);
      expect(await s.ruleSets.draft(draft.id)).toMatchObject({ status: 'editing', rejectionComment: 'nee' });
      expect((await s.ruleSets.drafts('zwolle')).map((d) => d.id)).toEqual([draft.id]);
      expect(await s.ruleSets.drafts('apeldoorn')).toEqual([]);
      expect(await s.ruleSets.deleteDraft(draft.id)).toBe(true);
      expect(await s.ruleSets.deleteDraft(draft.id)).toBe(false);
    });
  });

  describe('the decision log', () => {
    it('hands every reader lists of reason codes and finds a code only as a whole code', async () => {
      const s = await store();
      const [appended] = await s.log.appendMany([entry(['TOO_FEW_CLIENTS', 'NO_SKJ']), entry([])], AT);
      expect(appended!.reasonCodes).toEqual(['TOO_FEW_CLIENTS', 'NO_SKJ']);
      expect((await s.log.get(appended!.id))!.reasonCodes).toEqual(['TOO_FEW_CLIENTS', 'NO_SKJ']);
      expect((await s.log.get(appended!.id))!.caseJson).toEqual(template.case);
      const page = await s.log.page({}, { limit: 10, offset: 0 });
      expect(page.total).toBe(2);
      expect(page.items.map((r) => r.reasonCodes)).toEqual([[], ['TOO_FEW_CLIENTS', 'NO_SKJ']]);
      expect((await collect(s.log.summaries({}))).flat().map((r) => r.reasonCodes)).toEqual([
        ['TOO_FEW_CLIENTS', 'NO_SKJ'],
        [],
      ]);
      await s.log.appendMany([entry(['TOO_FEW']), entry(['FEW_CLIENTS', 'OTHER'])], AT);
      expect(await s.log.count({ reasonCode: 'TOO_FEW' })).toBe(1);
      expect(await s.log.count({ reasonCode: 'FEW_CLIENTS' })).toBe(1);
      expect(await s.log.count({ reasonCode: 'CLIENTS' })).toBe(0);
      expect(await s.log.count({ municipality: 'apeldoorn', from: '2000-01-01', to: '2100-01-01' })).toBe(4);
      expect(await s.log.count({ municipality: 'zwolle' })).toBe(0);
    });

    it('verifies after appends one at a time and in batches, and appends nothing of a batch that fails', async () => {
      const s = await store();
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 0 });
      expect(await s.log.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
      const first = await s.log.append(entry(['TOO_FEW_CLIENTS']), AT);
      const batch = await s.log.appendMany([entry([]), entry(['NO_SKJ'])], AT);
      const last = await s.log.append(entry(['NO_SKJ']), AT);
      expect([first, ...batch, last].map((r) => r.prevHash).slice(1)).toEqual([first, ...batch].map((r) => r.hash));
      expect([first, ...batch, last].map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(await s.log.head()).toEqual({ seq: 4, hash: last.hash });
      const broken = { ...entry([]), case: { ...template.case, referenceDate: null as unknown as string } };
      await expect(s.log.appendMany([entry([]), broken], AT)).rejects.toThrow();
      expect(await s.log.count({})).toBe(4);
      // the failed batch used no sequence number: the next entry follows without a gap
      expect((await s.log.append(entry([]), AT)).seq).toBe(5);
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 5 });
    });

    it('reads the tariff from the decision for entries logged before the tariff copy', async () => {
      const s = await store();
      const [row] = await s.log.appendMany([entry([])], AT);
      const [summary] = (await collect(s.log.summaries({}))).flat();
      expect(summary!.tariffJson).toBe(JSON.stringify(template.decision.tariff ?? null));
      // the tariff's total from its column, which impact analysis reads instead of parsing the tariff
      expect(summary!.totalCents).toBe(template.decision.tariff?.totalCents ?? null);
      expect(summary!.ruleSets).toEqual(template.decision.ruleSets);
      // a compact entry keeps no copy of its tariff: its decision text is small enough to read it from
      expect(row!.tariffJson).toBeNull();
    });

    it('streams the log in ranges that together hold every matching entry once', async () => {
      const s = await store();
      await s.log.appendMany(
        Array.from({ length: 23 }, (_, i) => entry(i % 3 === 0 ? ['TOO_FEW_CLIENTS'] : [])),
        AT,
      );
      const filter = { reasonCode: 'TOO_FEW_CLIENTS' };
      const ranges = await s.log.seqRanges(filter, 3);
      expect(ranges).toHaveLength(3);
      const parts = await Promise.all(
        ranges.map(async (r) => (await collect(s.log.summaries(filter, 2, r))).flat().map((x) => x.seq)),
      );
      expect(parts.flat()).toEqual((await collect(s.log.summaries(filter))).flat().map((r) => r.seq));
      expect(parts.flat()).toHaveLength(await s.log.count(filter));
      // the exact stored text the hashes cover
      const stored = (await collect(s.log.storedText(5))).flat();
      expect(stored).toHaveLength(23);
      expect(typeof stored[0]!.ruleSets).toBe('string');
      expect(JSON.parse(stored[0]!.ruleSets)).toEqual(template.decision.ruleSets);
    });

    it('rolls back a transaction that throws: no entry, the chain intact', async () => {
      const s = await store();
      await s.log.append(entry([]), AT);
      await expect(
        s.transaction(async (tx) => {
          await tx.log.append(entry([]), AT);
          throw new Error('afgebroken');
        }),
      ).rejects.toThrow('afgebroken');
      expect(await s.log.count({})).toBe(1);
      await s.log.append(entry([]), AT);
      expect(await s.log.verifyChain()).toEqual({ ok: true, checked: 2 });
    });
  });

  describe('checkpoints and governance', () => {
    it('keeps one checkpoint per sequence number, newest first in pages', async () => {
      const s = await store();
      const cp = (seq: number) => ({ seq, headHash: `sha256:${seq}`, at: AT, keyId: 'k', signature: 's' });
      expect(await s.checkpoints.add(cp(1))).toBe(true);
      expect(await s.checkpoints.add(cp(1))).toBe(false);
      expect(await s.checkpoints.add(cp(5))).toBe(true);
      expect((await s.checkpoints.all()).map((c) => c.seq)).toEqual([1, 5]);
      expect((await s.checkpoints.page({ limit: 1, offset: 0 })).map((c) => c.seq)).toEqual([5]);
      expect(await s.checkpoints.latest()).toEqual(cp(5));
    });

    it('chains governance events and lists them by rule set and draft', async () => {
      const s = await store();
      const event = (kind: 'submit' | 'approve', draftId: string) => ({
        kind,
        ruleSetId: 'zwolle',
        draftId,
        draftHash: 'sha256:d',
        by: 'anna',
        at: AT,
        note: 'nieuw',
        validFrom: '2026-07-01',
        version: kind === 'approve' ? 2 : null,
        impactJson: kind === 'approve' ? '{"changed":0}' : null,
      });
      const a = await s.governance.append(event('submit', 'd1'));
      const b = await s.governance.append(event('approve', 'd1'));
      await s.governance.append(event('submit', 'd2'));
      expect(a.prevHash).toBe(GENESIS_HASH);
      expect(b.prevHash).toBe(a.hash);
      expect(await s.governance.head()).toMatchObject({ seq: 3 });
      expect((await s.governance.list({ draftId: 'd1' })).map((e) => e.seq)).toEqual([2, 1]);
      expect(await s.governance.list({ ruleSetId: 'zwolle' })).toHaveLength(3);
      expect(await s.governance.all()).toHaveLength(3);
      expect(await s.governance.addCheckpoint({ seq: 3, headHash: 'h', at: AT, keyId: 'k', signature: 's' })).toBe(
        true,
      );
      expect(await s.governance.addCheckpoint({ seq: 3, headHash: 'h', at: AT, keyId: 'k', signature: 's' })).toBe(
        false,
      );
      expect(await s.governance.checkpoints()).toHaveLength(1);
    });
  });
});
