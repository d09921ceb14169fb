/**
 * All SQL lives here, behind drizzle: opening the embedded SQLite database, migrations, rule set
 * versions and drafts, and the hash-chained decision log. Nothing SQLite-specific leaks out of
 * this module, so another driver (PostgreSQL) can implement the same `Store` later.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { and, asc, count, desc, eq, getTableColumns, gt, gte, isNull, like, lte, sql, type SQL } from 'drizzle-orm';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { canonicalJson, contentHash } from '../../engine/canonical.js';
import { pathFromModule } from '../../engine/loader.js';
import type { Case, Decision, LoggedDecision, RuleSetDocument, RuleSetRef } from '../../engine/schema.js';
import * as schema from './schema.js';
import { decisions, drafts, ruleSetVersions, sessions, testCases, tokens, users } from './schema.js';

const MIGRATIONS = pathFromModule('./migrations', import.meta.url);
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

export type VersionRow = typeof ruleSetVersions.$inferSelect;
export type DraftRow = typeof drafts.$inferSelect;
/** A log entry as stored: case and decision as the JSON text its hash covers. */
export type StoredDecision = typeof decisions.$inferSelect;
/** A log entry with its case and decision parsed. */
export type DecisionRow = Omit<StoredDecision, 'caseJson' | 'decisionJson'> & {
  caseJson: Case;
  /** Entries logged before decisions recorded `engine` and `illustrative` lack them. */
  decisionJson: LoggedDecision;
};
/** Log entries with `after < seq <= until`. */
export interface SeqRange {
  after: number;
  until: number;
}

/** A logged decision as impact analysis reads it (see `iterateSummaries`). */
export type DecisionSummaryRow = Pick<
  StoredDecision,
  'seq' | 'id' | 'municipality' | 'referenceDate' | 'outcome' | 'reasonCodes' | 'caseJson' | 'ruleSets'
> & { tariffJson: string };
export type TestCaseRow = typeof testCases.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export interface DecisionFilter {
  municipality?: string | undefined;
  region?: string | undefined;
  outcome?: string | undefined;
  reasonCode?: string | undefined;
  /** Reference dates from / to (inclusive, ISO). */
  from?: string | undefined;
  to?: string | undefined;
}

export interface NewDecision {
  municipality: string;
  region: string;
  case: Case;
  decision: Decision;
  decidedBy: string;
}

/**
 * The hash of a log entry: its fields in canonical JSON, then the case and decision texts exactly
 * as stored, chained to the previous entry's hash. Hashing the stored bytes means verifying the
 * chain needs no parsing, and no re-serialisation can hide a change.
 */
export function entryHash(row: Omit<StoredDecision, 'seq' | 'hash'>): string {
  const fields = canonicalJson({
    id: row.id,
    municipality: row.municipality,
    region: row.region,
    caseType: row.caseType,
    referenceDate: row.referenceDate,
    outcome: row.outcome,
    reasonCodes: row.reasonCodes,
    totalCents: row.totalCents,
    ruleSets: row.ruleSets,
    decidedAt: row.decidedAt,
    decidedBy: row.decidedBy,
    prevHash: row.prevHash,
  });
  return `sha256:${createHash('sha256').update(fields).update('\n').update(row.caseJson).update('\n').update(row.decisionJson).digest('hex')}`;
}

function parsed(row: StoredDecision): DecisionRow {
  return { ...row, caseJson: JSON.parse(row.caseJson) as Case, decisionJson: JSON.parse(row.decisionJson) as LoggedDecision };
}

export class Store {
  readonly db: BetterSQLite3Database<typeof schema>;

  private constructor(
    private readonly sqlite: Database.Database,
    /** The database file, for workers that open it themselves (impact analysis). */
    readonly file: string,
  ) {
    this.db = drizzle(sqlite, { schema });
  }

  /**
   * The statements of every evaluation (token lookup, chaining and appending a decision),
   * prepared once: building and preparing them per request cost more than running them. Made
   * on first use, after the migrations have shaped the tables.
   */
  private hot?: ReturnType<Store['prepareHot']>;

  private prepareHot() {
    const p = sql.placeholder;
    return {
      tokenByHash: this.db
        .select()
        .from(tokens)
        .where(eq(tokens.tokenHash, p('hash')))
        .prepare(),
      lastHash: this.db
        .select({ hash: decisions.hash })
        .from(decisions)
        .orderBy(desc(decisions.seq))
        .limit(1)
        .prepare(),
      appendDecision: this.db
        .insert(decisions)
        .values({
          id: p('id'),
          municipality: p('municipality'),
          region: p('region'),
          caseType: p('caseType'),
          referenceDate: p('referenceDate'),
          outcome: p('outcome'),
          reasonCodes: p('reasonCodes'),
          totalCents: p('totalCents'),
          caseJson: p('caseJson'),
          decisionJson: p('decisionJson'),
          tariffJson: p('tariffJson'),
          ruleSets: p('ruleSets'),
          decidedAt: p('decidedAt'),
          decidedBy: p('decidedBy'),
          prevHash: p('prevHash'),
          hash: p('hash'),
        })
        .returning({ seq: decisions.seq })
        .prepare(),
    };
  }

  private get statements() {
    return (this.hot ??= this.prepareHot());
  }

  /** Opens (creating if needed) `<dataDir>/rules.sqlite` in WAL mode and applies migrations. */
  static open(dataDir: string): Store {
    mkdirSync(dataDir, { recursive: true });
    return Store.openFile(join(dataDir, 'rules.sqlite'));
  }

  /**
   * Opens a database file. `readonly` opens an existing, migrated database for reading only, as
   * impact analysis workers do beside the server's own connection (WAL lets them read while it
   * writes).
   */
  static openFile(file: string, options: { readonly?: boolean } = {}): Store {
    if (options.readonly) {
      const sqlite = new Database(file, { readonly: true, fileMustExist: true });
      sqlite.pragma('busy_timeout = 5000');
      return new Store(sqlite, file);
    }
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    const store = new Store(sqlite, file);
    migrate(store.db, { migrationsFolder: MIGRATIONS });
    return store;
  }

  close() {
    this.sqlite.close();
  }

  /** Runs `fn` in one transaction: all of it or none of it. */
  transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn)();
  }

  /** A consistent copy of the whole database, taken while it is in use (`VACUUM INTO`). */
  backup(file: string) {
    this.sqlite.prepare('VACUUM INTO ?').run(file);
  }

  // ---- rule set versions ------------------------------------------------------------------

  versions(): VersionRow[] {
    return this.db
      .select()
      .from(ruleSetVersions)
      .orderBy(asc(ruleSetVersions.ruleSetId), asc(ruleSetVersions.version))
      .all();
  }

  versionsOf(ruleSetId: string): VersionRow[] {
    return this.db
      .select()
      .from(ruleSetVersions)
      .where(eq(ruleSetVersions.ruleSetId, ruleSetId))
      .orderBy(asc(ruleSetVersions.version))
      .all();
  }

  version(ruleSetId: string, version: number): VersionRow | undefined {
    return this.db
      .select()
      .from(ruleSetVersions)
      .where(and(eq(ruleSetVersions.ruleSetId, ruleSetId), eq(ruleSetVersions.version, version)))
      .get();
  }

  insertVersion(document: RuleSetDocument, publishedBy: string, publishedAt: string): VersionRow {
    const row: VersionRow = {
      ruleSetId: document.id,
      version: document.version,
      kind: document.kind,
      region: document.region,
      validFrom: document.validFrom,
      document,
      contentHash: contentHash(document),
      publishedBy,
      publishedAt,
    };
    this.db.insert(ruleSetVersions).values(row).run();
    return row;
  }

  /** Fills an empty store with the given documents (first start); returns how many it added. */
  seedIfEmpty(documents: readonly RuleSetDocument[], at: string): number {
    return this.transaction(() => {
      const any = this.db.select({ id: ruleSetVersions.ruleSetId }).from(ruleSetVersions).limit(1).get();
      if (any) return 0;
      for (const d of documents) this.insertVersion(d, 'seed:rules/', at);
      return documents.length;
    });
  }

  // ---- drafts ---------------------------------------------------------------------------

  drafts(ruleSetId?: string): DraftRow[] {
    const q = this.db.select().from(drafts);
    return (ruleSetId ? q.where(eq(drafts.ruleSetId, ruleSetId)) : q).orderBy(asc(drafts.createdAt)).all();
  }

  draft(id: string): DraftRow | undefined {
    return this.db.select().from(drafts).where(eq(drafts.id, id)).get();
  }

  createDraft(document: RuleSetDocument, baseVersion: number | null, by: string, at: string): DraftRow {
    const row: DraftRow = {
      id: randomUUID(),
      ruleSetId: document.id,
      baseVersion,
      document,
      etag: newEtag(),
      createdBy: by,
      createdAt: at,
      updatedBy: by,
      updatedAt: at,
    };
    this.db.insert(drafts).values(row).run();
    return row;
  }

  /**
   * Replaces a draft only when `ifMatch` is its current ETag (compare-and-swap in one statement,
   * so two writers with the same ETag cannot both win). Returns the new row, or undefined when
   * the ETag was stale.
   */
  replaceDraft(id: string, ifMatch: string, document: RuleSetDocument, by: string, at: string): DraftRow | undefined {
    const etag = newEtag();
    const result = this.db
      .update(drafts)
      .set({ document, etag, updatedBy: by, updatedAt: at })
      .where(and(eq(drafts.id, id), eq(drafts.etag, ifMatch)))
      .run();
    return result.changes === 1 ? this.draft(id) : undefined;
  }

  deleteDraft(id: string): boolean {
    return this.db.delete(drafts).where(eq(drafts.id, id)).run().changes === 1;
  }

  // ---- accounts ---------------------------------------------------------------------------

  hasAccounts(): boolean {
    return Boolean(
      this.db.select({ id: tokens.id }).from(tokens).limit(1).get() ??
      this.db.select({ u: users.username }).from(users).limit(1).get(),
    );
  }

  addToken(row: TokenRow) {
    this.db.insert(tokens).values(row).run();
  }

  tokenByHash(hash: string): TokenRow | undefined {
    return this.statements.tokenByHash.get({ hash });
  }

  tokens(): TokenRow[] {
    return this.db.select().from(tokens).orderBy(asc(tokens.createdAt)).all();
  }

  revokeToken(id: string, at: string): boolean {
    return (
      this.db
        .update(tokens)
        .set({ revokedAt: at })
        .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
        .run().changes === 1
    );
  }

  addUser(row: UserRow) {
    this.db.insert(users).values(row).run();
  }

  user(username: string): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.username, username)).get();
  }

  /** Disables a user and ends their sessions, in one transaction. */
  disableUser(username: string, at: string): boolean {
    return this.transaction(() => {
      const changed =
        this.db
          .update(users)
          .set({ disabledAt: at })
          .where(and(eq(users.username, username), isNull(users.disabledAt)))
          .run().changes === 1;
      if (changed) this.db.delete(sessions).where(eq(sessions.username, username)).run();
      return changed;
    });
  }

  addSession(row: SessionRow) {
    this.db.insert(sessions).values(row).run();
  }

  session(idHash: string): SessionRow | undefined {
    return this.db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
  }

  deleteSession(idHash: string) {
    this.db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
  }

  /** Row counts of every table: what the fuzz tests compare before and after a refused request. */
  counts(): Record<string, number> {
    const n = (
      t: typeof decisions | typeof drafts | typeof ruleSetVersions | typeof testCases | typeof tokens | typeof users,
    ) => this.db.select({ n: count() }).from(t).get()?.n ?? 0;
    return {
      decisions: n(decisions),
      drafts: n(drafts),
      versions: n(ruleSetVersions),
      testCases: n(testCases),
      tokens: n(tokens),
      users: n(users),
    };
  }

  // ---- test cases ------------------------------------------------------------------------

  testCases(ruleSetId: string): TestCaseRow[] {
    return this.db
      .select()
      .from(testCases)
      .where(eq(testCases.ruleSetId, ruleSetId))
      .orderBy(asc(testCases.createdAt), asc(testCases.name))
      .all();
  }

  addTestCase(row: Omit<TestCaseRow, 'id'>): TestCaseRow {
    const full = { id: randomUUID(), ...row };
    this.db.insert(testCases).values(full).run();
    return full;
  }

  deleteTestCase(ruleSetId: string, id: string): boolean {
    return (
      this.db
        .delete(testCases)
        .where(and(eq(testCases.ruleSetId, ruleSetId), eq(testCases.id, id)))
        .run().changes === 1
    );
  }

  // ---- decision log -----------------------------------------------------------------------

  /** Appends a decision to the log, chained to the previous entry's hash, in one transaction. */
  appendDecision(entry: NewDecision, at: string, decisionJson?: string): DecisionRow {
    return this.appendDecisions([entry], at, decisionJson === undefined ? undefined : [decisionJson])[0]!;
  }

  /** Appends several decisions in one transaction, each chained to the one before. */
  appendDecisions(
    entries: readonly NewDecision[],
    at: string,
    /** The decisions as JSON text, when the caller serialised them already (exactly `JSON.stringify`). */
    decisionJsons?: readonly string[],
  ): DecisionRow[] {
    return this.transaction(() => {
      let prevHash = this.statements.lastHash.get()?.hash ?? GENESIS_HASH;
      return entries.map((entry, i) => {
        const row: Omit<StoredDecision, 'seq' | 'hash'> = {
          id: randomUUID(),
          municipality: entry.municipality,
          region: entry.region,
          caseType: entry.case.type,
          referenceDate: entry.case.referenceDate,
          outcome: entry.decision.outcome,
          reasonCodes: ` ${entry.decision.reasons.map((r) => r.code).join(' ')} `,
          totalCents: entry.decision.tariff?.totalCents ?? null,
          caseJson: JSON.stringify(entry.case),
          decisionJson: decisionJsons?.[i] ?? JSON.stringify(entry.decision),
          tariffJson: JSON.stringify(entry.decision.tariff),
          ruleSets: entry.decision.ruleSets as RuleSetRef[],
          decidedAt: at,
          decidedBy: entry.decidedBy,
          prevHash,
        };
        const hash = entryHash(row);
        prevHash = hash;
        const { seq } = this.statements.appendDecision.get({ ...row, hash })!;
        return { ...row, seq, hash, caseJson: entry.case, decisionJson: entry.decision };
      });
    });
  }

  decision(id: string): DecisionRow | undefined {
    const row = this.db.select().from(decisions).where(eq(decisions.id, id)).get();
    return row && parsed(row);
  }

  private where(filter: DecisionFilter): SQL | undefined {
    return and(
      filter.municipality ? eq(decisions.municipality, filter.municipality) : undefined,
      filter.region ? eq(decisions.region, filter.region) : undefined,
      filter.outcome ? eq(decisions.outcome, filter.outcome) : undefined,
      filter.reasonCode ? like(decisions.reasonCodes, `% ${filter.reasonCode} %`) : undefined,
      filter.from ? gte(decisions.referenceDate, filter.from) : undefined,
      filter.to ? lte(decisions.referenceDate, filter.to) : undefined,
    );
  }

  /** A page of the log for lists: every column but the case and decision themselves. */
  decisions(
    filter: DecisionFilter,
    page: { limit: number; offset: number },
  ): { total: number; items: Omit<StoredDecision, 'caseJson' | 'decisionJson'>[] } {
    const where = this.where(filter);
    const total = this.countWhere(where);
    const { caseJson: _case, decisionJson: _decision, ...columns } = getTableColumns(decisions);
    const items = this.db
      .select(columns)
      .from(decisions)
      .where(where)
      .orderBy(desc(decisions.seq))
      .limit(page.limit)
      .offset(page.offset)
      .all();
    return { total, items };
  }

  countDecisions(filter: DecisionFilter): number {
    return this.countWhere(this.where(filter));
  }

  private countWhere(where: SQL | undefined): number {
    return this.db.select({ n: count() }).from(decisions).where(where).get()?.n ?? 0;
  }

  /**
   * Runs `page(after)` — the next rows with a seq above `after`, in seq order — until it comes
   * back empty: the log streams in batches, never loaded into memory whole.
   */
  private *inBatches<T extends { seq: number }>(page: (after: number) => T[], after = 0): Generator<T[]> {
    for (;;) {
      const batch = page(after);
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.seq;
    }
  }

  /**
   * What impact analysis needs of each matching decision, in batches, oldest first: the case as
   * stored text, the versions it used, and its outcome, reason codes and tariff — never the whole
   * decision with its trace, whose parsing would be most of the work.
   */
  *iterateSummaries(
    filter: DecisionFilter,
    batchSize = 1000,
    /** Only entries with `after < seq <= until`: one worker's part of the log. */
    range: SeqRange = { after: 0, until: Number.MAX_SAFE_INTEGER },
  ): Generator<DecisionSummaryRow[]> {
    const columns = {
      seq: decisions.seq,
      id: decisions.id,
      municipality: decisions.municipality,
      referenceDate: decisions.referenceDate,
      outcome: decisions.outcome,
      reasonCodes: decisions.reasonCodes,
      caseJson: decisions.caseJson,
      ruleSets: decisions.ruleSets,
      // entries logged before the tariff copy existed: read it from the decision itself
      tariffJson: sql<string>`coalesce(${decisions.tariffJson}, json_extract(${decisions.decisionJson}, '$.tariff'), 'null')`,
    };
    yield* this.inBatches(
      (after) =>
        this.db
          .select(columns)
          .from(decisions)
          .where(and(this.where(filter), gt(decisions.seq, after), lte(decisions.seq, range.until)))
          .orderBy(asc(decisions.seq))
          .limit(batchSize)
          .all(),
      range.after,
    );
  }

  /**
   * Splits the matching entries into `parts` ranges of about equal size, in log order, for
   * workers to analyse side by side.
   */
  seqRanges(filter: DecisionFilter, parts: number): SeqRange[] {
    const where = this.where(filter);
    const total = this.countWhere(where);
    const bounds = [0];
    for (let k = 1; k < parts; k++) {
      const offset = Math.floor((k * total) / parts) - 1;
      const row =
        offset < 0
          ? undefined
          : this.db
              .select({ seq: decisions.seq })
              .from(decisions)
              .where(where)
              .orderBy(asc(decisions.seq))
              .limit(1)
              .offset(offset)
              .get();
      bounds.push(Math.max(row?.seq ?? 0, bounds.at(-1)!));
    }
    bounds.push(Number.MAX_SAFE_INTEGER);
    return bounds.slice(1).map((until, k) => ({ after: bounds[k]!, until }));
  }

  /** Matching decisions as stored (JSON text), oldest first, for checks that need the exact bytes. */
  *iterateStored(filter: DecisionFilter, batchSize = 1000): Generator<StoredDecision[]> {
    yield* this.inBatches((after) =>
      this.db
        .select()
        .from(decisions)
        .where(and(this.where(filter), gt(decisions.seq, after)))
        .orderBy(asc(decisions.seq))
        .limit(batchSize)
        .all(),
    );
  }

  /** Recomputes the hash chain; reports the first entry whose hash or link does not hold. */
  verifyChain(): { ok: boolean; checked: number; firstBroken?: { id: string; seq: number; reason: string } } {
    let prev = GENESIS_HASH;
    let checked = 0;
    for (const batch of this.iterateStored({}, 2000)) {
      for (const row of batch) {
        if (row.prevHash !== prev)
          return {
            ok: false,
            checked,
            firstBroken: { id: row.id, seq: row.seq, reason: 'prevHash does not match the previous entry' },
          };
        if (entryHash(row) !== row.hash)
          return {
            ok: false,
            checked,
            firstBroken: { id: row.id, seq: row.seq, reason: 'content does not match its hash' },
          };
        prev = row.hash;
        checked += 1;
      }
    }
    return { ok: true, checked };
  }
}

function newEtag(): string {
  return `"${randomUUID()}"`;
}
