/**
 * The rule set module on a real temporary SQLite file: seeding once, published versions that
 * never change, and drafts replaced only by a writer who holds their current ETag.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import { openDataDir, type Store } from '../../server/db/open.js';

const AT = '2026-01-01T00:00:00.000Z';
const documents = loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document);
const zwolle = documents.find((d) => d.id === 'zwolle' && d.version === 1)!;

const opened: Store[] = [];
function store() {
  const s = openDataDir(mkdtempSync(join(tmpdir(), 'store-rulesets-')));
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

describe('versions', () => {
  it('seeds an empty store once', () => {
    const s = store();
    expect(s.ruleSets.seedIfEmpty(documents, AT)).toBe(documents.length);
    expect(s.ruleSets.seedIfEmpty(documents, AT)).toBe(0);
    expect(s.ruleSets.versions()).toHaveLength(documents.length);
    expect(s.ruleSets.version('zwolle', 1)).toMatchObject({ publishedBy: 'seed:rules/', document: zwolle });
  });

  it('refuses to publish a version number twice and to change a published version', () => {
    const s = store();
    s.ruleSets.insertVersion(zwolle, 'anna', AT);
    expect(() => s.ruleSets.insertVersion(zwolle, 'anna', AT)).toThrow(/UNIQUE/);
    const raw = new Database(s.file);
    try {
      expect(() => raw.prepare("UPDATE rule_set_versions SET published_by = 'mallory'").run()).toThrow(/immutable/);
    } finally {
      raw.close();
    }
    expect(s.ruleSets.versionsOf('zwolle').map((v) => v.publishedBy)).toEqual(['anna']);
  });
});

describe('drafts', () => {
  it('replaces a draft with its current ETag and gives it a new one', () => {
    const s = store();
    const draft = s.ruleSets.createDraft(zwolle, 1, 'anna', AT);
    const changed = { ...zwolle, changes: ['nieuw'] };
    const replaced = s.ruleSets.replaceDraft(draft.id, draft.etag, changed, 'bram', '2026-01-02T00:00:00.000Z');
    expect(replaced).toMatchObject({ document: changed, updatedBy: 'bram', createdBy: 'anna' });
    expect(replaced!.etag).not.toBe(draft.etag);
    expect(s.ruleSets.draft(draft.id)).toEqual(replaced);
  });

  it('refuses a stale ETag and keeps the draft as it was', () => {
    const s = store();
    const draft = s.ruleSets.createDraft(zwolle, 1, 'anna', AT);
    const first = s.ruleSets.replaceDraft(draft.id, draft.etag, { ...zwolle, changes: ['anna'] }, 'anna', AT);
    // a second writer read the draft before the first one saved
    expect(s.ruleSets.replaceDraft(draft.id, draft.etag, { ...zwolle, changes: ['bram'] }, 'bram', AT)).toBeUndefined();
    expect(s.ruleSets.draft(draft.id)).toEqual(first);
    expect(s.ruleSets.replaceDraft(draft.id, '"made-up"', zwolle, 'bram', AT)).toBeUndefined();
  });

  it('replaces nothing for a draft that does not exist, and deletes a draft once', () => {
    const s = store();
    expect(s.ruleSets.replaceDraft('nope', '"x"', zwolle, 'anna', AT)).toBeUndefined();
    const draft = s.ruleSets.createDraft(zwolle, null, 'anna', AT);
    expect(s.ruleSets.drafts('zwolle').map((d) => d.id)).toEqual([draft.id]);
    expect(s.ruleSets.drafts('apeldoorn')).toEqual([]);
    expect(s.ruleSets.deleteDraft(draft.id)).toBe(true);
    expect(s.ruleSets.deleteDraft(draft.id)).toBe(false);
    expect(s.ruleSets.drafts()).toEqual([]);
  });

  it('publishes and deletes the draft in one transaction, or neither', () => {
    const s = store();
    const draft = s.ruleSets.createDraft(zwolle, null, 'anna', AT);
    s.ruleSets.insertVersion(zwolle, 'anna', AT);
    expect(() =>
      s.transaction(() => {
        s.ruleSets.deleteDraft(draft.id);
        s.ruleSets.insertVersion(zwolle, 'anna', AT); // taken already: the whole publish fails
      }),
    ).toThrow(/UNIQUE/);
    expect(s.ruleSets.draft(draft.id)).toBeDefined();
  });
});
