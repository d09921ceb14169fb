/**
 * The rule set module on every store (see stores.ts): seeding once, published versions that
 * never change, and drafts replaced only by a writer who holds their current ETag.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { freshStores, storeFactories } from './stores.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import { openDataDir } from '../../server/db/open.js';
import { VersionExistsError } from '../../server/errors.js';

const AT = '2026-01-01T00:00:00.000Z';
const documents = loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document);
const zwolle = documents.find((d) => d.id === 'zwolle' && d.version === 1)!;

describe.each(storeFactories)('on $name', (factory) => {
  const store = freshStores(factory);

  describe('versions', () => {
    it('seeds an empty store once', async () => {
      const s = await store();
      expect(await s.ruleSets.seedIfEmpty(documents, AT)).toBe(documents.length);
      expect(await s.ruleSets.seedIfEmpty(documents, AT)).toBe(0);
      expect(await s.ruleSets.versions()).toHaveLength(documents.length);
      expect(await s.ruleSets.version('zwolle', 1)).toMatchObject({ publishedBy: 'seed:rules/', document: zwolle });
    });

    it("names the latest version of every rule set and reads one rule set's latest, none before the first", async () => {
      const s = await store();
      expect(await s.ruleSets.latestVersions()).toEqual({});
      await s.ruleSets.seedIfEmpty(documents, AT);
      const latest = await s.ruleSets.latestVersions();
      expect(latest).toMatchObject({ apeldoorn: 2, zwolle: 1, 'midden-ijssel-oost-veluwe': 2 });
      expect(Object.keys(latest).sort()).toEqual([...new Set(documents.map((d) => d.id))].sort());
      await s.ruleSets.insertVersion({ ...zwolle, version: 2, validFrom: '2027-01-01' }, 'anna', AT);
      expect(await s.ruleSets.latestVersions()).toEqual({ ...latest, zwolle: 2 });
      expect(await s.ruleSets.latestVersion('zwolle')).toMatchObject({ version: 2, validFrom: '2027-01-01' });
      expect(await s.ruleSets.latestVersion('zwolle')).toEqual((await s.ruleSets.versionsOf('zwolle')).at(-1));
      expect(await s.ruleSets.latestVersion('nowhere')).toBeUndefined();
    });

    it('refuses to publish a version number twice', async () => {
      const s = await store();
      await s.ruleSets.insertVersion(zwolle, 'anna', AT);
      await expect(s.ruleSets.insertVersion(zwolle, 'anna', AT)).rejects.toThrow(VersionExistsError);
      expect((await s.ruleSets.versionsOf('zwolle')).map((v) => v.publishedBy)).toEqual(['anna']);
    });
  });

  describe('drafts', () => {
    it('replaces a draft with its current ETag and gives it a new one', async () => {
      const s = await store();
      const draft = await s.ruleSets.createDraft(zwolle, 1, 'anna', AT);
      const changed = { ...zwolle, changes: ['nieuw'] };
      const replaced = await s.ruleSets.replaceDraft(draft.id, draft.etag, changed, 'bram', '2026-01-02T00:00:00.000Z');
      expect(replaced).toMatchObject({ document: changed, updatedBy: 'bram', createdBy: 'anna' });
      expect(replaced!.etag).not.toBe(draft.etag);
      expect(await s.ruleSets.draft(draft.id)).toEqual(replaced);
    });

    it('refuses a stale ETag and keeps the draft as it was', async () => {
      const s = await store();
      const draft = await s.ruleSets.createDraft(zwolle, 1, 'anna', AT);
      const first = await s.ruleSets.replaceDraft(draft.id, draft.etag, { ...zwolle, changes: ['anna'] }, 'anna', AT);
      // a second writer read the draft before the first one saved
      expect(
        await s.ruleSets.replaceDraft(draft.id, draft.etag, { ...zwolle, changes: ['bram'] }, 'bram', AT),
      ).toBeUndefined();
      expect(await s.ruleSets.draft(draft.id)).toEqual(first);
      expect(await s.ruleSets.replaceDraft(draft.id, '"made-up"', zwolle, 'bram', AT)).toBeUndefined();
    });

    it('replaces nothing for a draft that does not exist, and deletes a draft once', async () => {
      const s = await store();
      expect(await s.ruleSets.replaceDraft('nope', '"x"', zwolle, 'anna', AT)).toBeUndefined();
      const draft = await s.ruleSets.createDraft(zwolle, null, 'anna', AT);
      expect((await s.ruleSets.drafts('zwolle')).map((d) => d.id)).toEqual([draft.id]);
      expect(await s.ruleSets.drafts('apeldoorn')).toEqual([]);
      expect(await s.ruleSets.deleteDraft(draft.id)).toBe(true);
      expect(await s.ruleSets.deleteDraft(draft.id)).toBe(false);
      expect(await s.ruleSets.drafts()).toEqual([]);
    });

    it('publishes and deletes the draft in one transaction, or neither', async () => {
      const s = await store();
      const draft = await s.ruleSets.createDraft(zwolle, null, 'anna', AT);
      await s.ruleSets.insertVersion(zwolle, 'anna', AT);
      await expect(
        s.transaction(async (tx) => {
          await tx.ruleSets.deleteDraft(draft.id);
          await tx.ruleSets.insertVersion(zwolle, 'anna', AT); // taken already: the whole publish fails
        }),
      ).rejects.toThrow(VersionExistsError);
      expect(await s.ruleSets.draft(draft.id)).toBeDefined();
    });
  });
});

describe('published versions in SQLite', () => {
  it('are refused a change by the database itself', async () => {
    const s = openDataDir(mkdtempSync(join(tmpdir(), 'store-rulesets-')));
    try {
      await s.ruleSets.insertVersion(zwolle, 'anna', AT);
      const raw = new Database(s.file);
      try {
        expect(() => raw.prepare("UPDATE rule_set_versions SET published_by = 'mallory'").run()).toThrow(/immutable/);
      } finally {
        raw.close();
      }
      expect((await s.ruleSets.versionsOf('zwolle')).map((v) => v.publishedBy)).toEqual(['anna']);
    } finally {
      await s.close();
    }
  });
});
