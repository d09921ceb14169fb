/** Rule set versions (published, append-only) and drafts (replaced only with their current ETag), in PostgreSQL. */
import { and, asc, desc, eq, max, sql } from 'drizzle-orm';
import type { RuleSetDocument, RuleSetDraft } from '../../../engine/index.js';
import {
  draftChanges,
  newDraftRow,
  newVersionRow,
  type Approval,
  type DraftRow,
  type VersionRow,
} from '../rulesets.js';
import type { RuleSetStore } from '../store.js';
import { byBytes, LOCKS, lockForTransaction, type PgDb } from './connection.js';
import { drafts, ruleSetVersions } from './schema.js';
import { notifyPublished } from './watch.js';
import { VersionExistsError } from '../../errors.js';

export class PgRuleSets implements RuleSetStore {
  constructor(private readonly db: PgDb) {}

  async versions(): Promise<VersionRow[]> {
    return this.db
      .select()
      .from(ruleSetVersions)
      .orderBy(asc(byBytes(ruleSetVersions.ruleSetId)), asc(ruleSetVersions.version));
  }

  async storedDocuments(): Promise<{ ruleSetId: string; version: number; document: string; contentHash: string }[]> {
    return this.db
      .select({
        ruleSetId: ruleSetVersions.ruleSetId,
        version: ruleSetVersions.version,
        // the text as stored, not parsed: verifying compares it with the content hash
        document: sql<string>`${ruleSetVersions.document}`,
        contentHash: ruleSetVersions.contentHash,
      })
      .from(ruleSetVersions)
      .orderBy(asc(byBytes(ruleSetVersions.ruleSetId)), asc(ruleSetVersions.version));
  }

  async versionsOf(ruleSetId: string): Promise<VersionRow[]> {
    return this.db
      .select()
      .from(ruleSetVersions)
      .where(eq(ruleSetVersions.ruleSetId, ruleSetId))
      .orderBy(asc(ruleSetVersions.version));
  }

  async latestVersion(ruleSetId: string): Promise<VersionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(ruleSetVersions)
      .where(eq(ruleSetVersions.ruleSetId, ruleSetId))
      .orderBy(desc(ruleSetVersions.version))
      .limit(1);
    return row;
  }

  async latestVersions(): Promise<Record<string, number>> {
    const rows = await this.db
      .select({ id: ruleSetVersions.ruleSetId, version: max(ruleSetVersions.version) })
      .from(ruleSetVersions)
      .groupBy(ruleSetVersions.ruleSetId);
    return Object.fromEntries(rows.map((r) => [r.id, r.version ?? 0]));
  }

  async version(ruleSetId: string, version: number): Promise<VersionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(ruleSetVersions)
      .where(and(eq(ruleSetVersions.ruleSetId, ruleSetId), eq(ruleSetVersions.version, version)));
    return row;
  }

  async insertVersion(
    document: RuleSetDocument,
    publishedBy: string,
    publishedAt: string,
    approval: Approval = null,
  ): Promise<VersionRow> {
    const row = newVersionRow(document, publishedBy, publishedAt, approval);
    try {
      await this.db.insert(ruleSetVersions).values(row);
      // heard by every node when this transaction commits (server/db/pg/watch.ts)
      await notifyPublished(this.db, row.ruleSetId, row.version);
    } catch (error) {
      // drizzle wraps the driver's error; 23505 is PostgreSQL's unique_violation
      if ((error as { cause?: { code?: string } }).cause?.code === '23505')
        throw new VersionExistsError(row.ruleSetId, row.version);
      throw error;
    }
    return row;
  }

  async seedIfEmpty(documents: readonly RuleSetDocument[], at: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      // nodes starting at once on an empty database: one seeds, the others then find it seeded
      await lockForTransaction(tx, LOCKS.seed);
      const [any] = await tx.select({ id: ruleSetVersions.ruleSetId }).from(ruleSetVersions).limit(1);
      if (any) return 0;
      const sets = new PgRuleSets(tx);
      for (const d of documents) await sets.insertVersion(d, 'seed:rules/', at);
      return documents.length;
    });
  }

  async drafts(ruleSetId?: string): Promise<DraftRow[]> {
    return this.db
      .select()
      .from(drafts)
      .where(ruleSetId ? eq(drafts.ruleSetId, ruleSetId) : undefined)
      .orderBy(asc(byBytes(drafts.createdAt)));
  }

  async draft(id: string): Promise<DraftRow | undefined> {
    const [row] = await this.db.select().from(drafts).where(eq(drafts.id, id));
    return row;
  }

  async createDraft(document: RuleSetDraft, baseVersion: number | null, by: string, at: string): Promise<DraftRow> {
    const row = newDraftRow(document, baseVersion, by, at);
    await this.db.insert(drafts).values(row);
    return row;
  }

  /**
   * Replaces a draft only when `ifMatch` is its current ETag: one conditional UPDATE, so of two
   * writers with the same ETag on any nodes only one matches the row (the other's UPDATE waits
   * for the row lock, then finds the ETag changed). Undefined when the ETag was stale.
   */
  async replaceDraft(
    id: string,
    ifMatch: string,
    document: RuleSetDraft,
    by: string,
    at: string,
  ): Promise<DraftRow | undefined> {
    const [row] = await this.db
      .update(drafts)
      .set(draftChanges.replaced(document, by, at))
      .where(and(eq(drafts.id, id), eq(drafts.etag, ifMatch), eq(drafts.status, 'editing')))
      .returning();
    return row;
  }

  async submitDraft(id: string, by: string, at: string, validFrom: string, changeNote: string): Promise<boolean> {
    const changed = await this.db
      .update(drafts)
      .set(draftChanges.submitted(by, at, validFrom, changeNote))
      .where(and(eq(drafts.id, id), eq(drafts.status, 'editing')))
      .returning({ id: drafts.id });
    return changed.length === 1;
  }

  async rejectDraft(id: string, by: string, at: string, comment: string): Promise<boolean> {
    const changed = await this.db
      .update(drafts)
      .set(draftChanges.rejected(by, at, comment))
      .where(and(eq(drafts.id, id), eq(drafts.status, 'submitted')))
      .returning({ id: drafts.id });
    return changed.length === 1;
  }

  async deleteDraft(id: string): Promise<boolean> {
    const deleted = await this.db.delete(drafts).where(eq(drafts.id, id)).returning({ id: drafts.id });
    return deleted.length === 1;
  }
}
