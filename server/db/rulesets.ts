/** Rule set versions (published, append-only) and drafts (replaced only with their current ETag). */
import { randomUUID } from 'node:crypto';
import { and, asc, desc, eq, max, sql } from 'drizzle-orm';
import { contentHash, type RuleSetDocument, type RuleSetDraft } from '../../engine/index.js';
import { inTransaction, type Conn } from './connection.js';
import { placeholders, preparedOnce } from './prepared.js';
import { drafts, ruleSetVersions } from './schema.js';
import { VersionExistsError } from '../errors.js';

export type VersionRow = typeof ruleSetVersions.$inferSelect;
export type DraftRow = typeof drafts.$inferSelect;
/** Who submitted and approved a published change, and its note (null: published without review, as seeding). */
export type Approval = { submittedBy: string; approvedBy: string; changeNote: string } | null;

/** The row of a version as both stores insert it: the document, its columns and its content hash. */
export function newVersionRow(
  document: RuleSetDocument,
  publishedBy: string,
  publishedAt: string,
  approval: Approval,
): VersionRow {
  return {
    ruleSetId: document.id,
    version: document.version,
    kind: document.kind,
    region: document.region,
    validFrom: document.validFrom,
    document,
    contentHash: contentHash(document),
    publishedBy,
    publishedAt,
    submittedBy: approval?.submittedBy ?? null,
    approvedBy: approval?.approvedBy ?? null,
    changeNote: approval?.changeNote ?? null,
  };
}

/** The row of a new draft as both stores insert it: a fresh id and ETag, being edited. */
export function newDraftRow(document: RuleSetDraft, baseVersion: number | null, by: string, at: string): DraftRow {
  return {
    id: randomUUID(),
    ruleSetId: document.id,
    baseVersion,
    document,
    etag: newEtag(),
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
    status: 'editing',
    submittedBy: null,
    submittedAt: null,
    submittedValidFrom: null,
    changeNote: null,
    rejectedBy: null,
    rejectedAt: null,
    rejectionComment: null,
  };
}

/**
 * What each change of a draft sets, the same in both stores; each store adds the condition on
 * the draft's status (and ETag) that makes the change one compare-and-swap.
 */
export const draftChanges = {
  replaced: (document: RuleSetDraft, by: string, at: string) => ({
    document,
    etag: newEtag(),
    updatedBy: by,
    updatedAt: at,
  }),
  submitted: (by: string, at: string, validFrom: string, changeNote: string) => ({
    status: 'submitted' as const,
    submittedBy: by,
    submittedAt: at,
    submittedValidFrom: validFrom,
    changeNote,
  }),
  rejected: (by: string, at: string, comment: string) => ({
    status: 'editing' as const,
    etag: newEtag(),
    rejectedBy: by,
    rejectedAt: at,
    rejectionComment: comment,
  }),
};

/** A fresh ETag: a quoted random UUID, as HTTP's strong ETags are written. */
function newEtag(): string {
  return `"${randomUUID()}"`;
}

export class RuleSets {
  constructor(private readonly c: Conn) {}

  private get db() {
    return this.c.db;
  }

  /**
   * The statements of publishing (a versions page, a draft, the latest versions, the stored
   * documents the engine is rebuilt from, a new draft, a new version), prepared once. An officer's
   * publish reads a draft seven times and the versions a dozen; drizzle's query builder, rebuilt on
   * each call, cost 60–250 µs a statement on the thread that answers evaluations, the prepared
   * statement 6–20 µs (see prepared.ts).
   */
  private readonly statements = preparedOnce(() => {
    const ruleSetId = sql.placeholder('ruleSetId');
    const ofRuleSet = eq(ruleSetVersions.ruleSetId, ruleSetId);
    return {
      versions: this.db
        .select()
        .from(ruleSetVersions)
        .orderBy(asc(ruleSetVersions.ruleSetId), asc(ruleSetVersions.version))
        .prepare(),
      storedDocuments: this.db
        .select({
          ruleSetId: ruleSetVersions.ruleSetId,
          version: ruleSetVersions.version,
          // the text as stored, not through the JSON column's parsing
          document: sql<string>`${ruleSetVersions.document}`,
          contentHash: ruleSetVersions.contentHash,
        })
        .from(ruleSetVersions)
        .orderBy(asc(ruleSetVersions.ruleSetId), asc(ruleSetVersions.version))
        .prepare(),
      versionsOf: this.db
        .select()
        .from(ruleSetVersions)
        .where(ofRuleSet)
        .orderBy(asc(ruleSetVersions.version))
        .prepare(),
      latestVersion: this.db
        .select()
        .from(ruleSetVersions)
        .where(ofRuleSet)
        .orderBy(desc(ruleSetVersions.version))
        .limit(1)
        .prepare(),
      latestVersions: this.db
        .select({ id: ruleSetVersions.ruleSetId, version: max(ruleSetVersions.version) })
        .from(ruleSetVersions)
        .groupBy(ruleSetVersions.ruleSetId)
        .prepare(),
      version: this.db
        .select()
        .from(ruleSetVersions)
        .where(and(ofRuleSet, eq(ruleSetVersions.version, sql.placeholder('version'))))
        .prepare(),
      drafts: this.db.select().from(drafts).orderBy(asc(drafts.createdAt)).prepare(),
      draftsOf: this.db
        .select()
        .from(drafts)
        .where(eq(drafts.ruleSetId, ruleSetId))
        .orderBy(asc(drafts.createdAt))
        .prepare(),
      draft: this.db
        .select()
        .from(drafts)
        .where(eq(drafts.id, sql.placeholder('id')))
        .prepare(),
      // the writes of a publish, with every column a placeholder
      insertVersion: this.db.insert(ruleSetVersions).values(placeholders(ruleSetVersions)).prepare(),
      insertDraft: this.db.insert(drafts).values(placeholders(drafts)).prepare(),
      deleteDraft: this.db
        .delete(drafts)
        .where(eq(drafts.id, sql.placeholder('id')))
        .prepare(),
    };
  });

  /** Every published version, by rule set and version number. */
  async versions(): Promise<VersionRow[]> {
    return this.c.run(() => this.statements().versions.all());
  }

  /**
   * Every published version's document as the text stored, with the content hash stored beside
   * it: what verifying the store compares, without trusting the text to parse.
   */
  async storedDocuments(): Promise<{ ruleSetId: string; version: number; document: string; contentHash: string }[]> {
    return this.c.run(() => this.statements().storedDocuments.all());
  }

  /** The published versions of one rule set, oldest first. */
  async versionsOf(ruleSetId: string): Promise<VersionRow[]> {
    return this.c.run(() => this.statements().versionsOf.all({ ruleSetId }));
  }

  /** The latest published version of one rule set, without reading the ones before it. */
  async latestVersion(ruleSetId: string): Promise<VersionRow | undefined> {
    return this.c.run(() => this.statements().latestVersion.get({ ruleSetId }));
  }

  /**
   * The latest version number of every rule set. Versions are append-only and numbered one after
   * the other, so equal numbers mean the same published versions: what a publish checked before
   * its transaction compares inside it, instead of checking the whole repository again.
   */
  async latestVersions(): Promise<Record<string, number>> {
    return this.c.run(() => {
      const rows = this.statements().latestVersions.all();
      return Object.fromEntries(rows.map((r) => [r.id, r.version ?? 0]));
    });
  }

  async version(ruleSetId: string, version: number): Promise<VersionRow | undefined> {
    return this.c.run(() => this.statements().version.get({ ruleSetId, version }));
  }

  /** Publishes a document as the version it names, with its content hash. */
  async insertVersion(
    document: RuleSetDocument,
    publishedBy: string,
    publishedAt: string,
    approval: Approval = null,
  ): Promise<VersionRow> {
    return this.c.run(() => this.insertVersionNow(document, publishedBy, publishedAt, approval));
  }

  private insertVersionNow(
    document: RuleSetDocument,
    publishedBy: string,
    publishedAt: string,
    approval: Approval = null,
  ): VersionRow {
    const row = newVersionRow(document, publishedBy, publishedAt, approval);
    try {
      this.statements().insertVersion.run(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY')
        throw new VersionExistsError(row.ruleSetId, row.version);
      throw error;
    }
    return row;
  }

  /** Fills an empty store with the given documents (first start); returns how many it added. */
  async seedIfEmpty(documents: readonly RuleSetDocument[], at: string): Promise<number> {
    return this.c.run(() => {
      return inTransaction(this.db, () => {
        const any = this.db.select({ id: ruleSetVersions.ruleSetId }).from(ruleSetVersions).limit(1).get();
        if (any) return 0;
        for (const d of documents) this.insertVersionNow(d, 'seed:rules/', at);
        return documents.length;
      });
    });
  }

  /** Drafts, oldest first; of one rule set when `ruleSetId` is given. */
  async drafts(ruleSetId?: string): Promise<DraftRow[]> {
    return this.c.run(() =>
      ruleSetId ? this.statements().draftsOf.all({ ruleSetId }) : this.statements().drafts.all(),
    );
  }

  async draft(id: string): Promise<DraftRow | undefined> {
    return this.c.run(() => this.draftNow(id));
  }

  private draftNow(id: string): DraftRow | undefined {
    return this.statements().draft.get({ id });
  }

  /** A new draft with a fresh id and ETag. */
  async createDraft(document: RuleSetDraft, baseVersion: number | null, by: string, at: string): Promise<DraftRow> {
    return this.c.run(() => {
      const row = newDraftRow(document, baseVersion, by, at);
      this.statements().insertDraft.run(row);
      return row;
    });
  }

  /**
   * Replaces a draft only when `ifMatch` is its current ETag (compare-and-swap in one statement,
   * so two writers with the same ETag cannot both win). Returns the new row, or undefined when
   * the ETag was stale.
   */
  async replaceDraft(
    id: string,
    ifMatch: string,
    document: RuleSetDraft,
    by: string,
    at: string,
  ): Promise<DraftRow | undefined> {
    return this.c.run(() => {
      const result = this.db
        .update(drafts)
        .set(draftChanges.replaced(document, by, at))
        .where(and(eq(drafts.id, id), eq(drafts.etag, ifMatch), eq(drafts.status, 'editing')))
        .run();
      return result.changes === 1 ? this.draftNow(id) : undefined;
    });
  }

  /** Freezes a draft for approval (only one still being edited); false when it was not. */
  async submitDraft(id: string, by: string, at: string, validFrom: string, changeNote: string): Promise<boolean> {
    return this.c.run(() => {
      return (
        this.db
          .update(drafts)
          .set(draftChanges.submitted(by, at, validFrom, changeNote))
          .where(and(eq(drafts.id, id), eq(drafts.status, 'editing')))
          .run().changes === 1
      );
    });
  }

  /** Returns a submitted draft to editing with the rejection's comment; a fresh ETag. */
  async rejectDraft(id: string, by: string, at: string, comment: string): Promise<boolean> {
    return this.c.run(() => {
      return (
        this.db
          .update(drafts)
          .set(draftChanges.rejected(by, at, comment))
          .where(and(eq(drafts.id, id), eq(drafts.status, 'submitted')))
          .run().changes === 1
      );
    });
  }

  /** Deletes a draft; false when there was none. */
  async deleteDraft(id: string): Promise<boolean> {
    return this.c.run(() => {
      return this.statements().deleteDraft.run({ id }).changes === 1;
    });
  }
}
