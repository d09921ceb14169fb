/**
 * The service behind the routes: the engine over the published versions in the store, drafts,
 * publishing, evaluation with the decision log, replay and impact analysis. Routes only parse,
 * call one method and answer.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  addMonths,
  Case,
  CaseValidationError,
  CompositionError,
  checkExpectation,
  compareDecisions,
  compose,
  composeCandidate,
  contentHash,
  dateOf,
  dayNumber,
  DecisionEngine,
  defaultBackend,
  diffDocuments,
  inForce,
  issuesAgainst,
  issuesFromZod,
  MunicipalityId,
  motivationLetter,
  type Letter,
  nextValidFrom,
  nextVersion,
  recordedComposition,
  regionOf,
  RuleSetDraft,
  RuleSetRepository,
  type RuleSetDocument,
  RuleSetValidationError,
  analyseRuleSet,
  semanticDiff,
  type Finding,
  type SemanticChange,
  versioned,
  canonicalJson,
  reasonsOfRuleIds,
  type Decision,
  type DecisionInLog,
  type TraceMark,
  type EffectiveRuleSet,
  type Outcome,
  type RuleSetRef,
  type Versioned,
} from '../engine/index.js';
import { VerifyJobs } from './audit.js';
import { systemClock, type Clock } from './clock.js';
import {
  AnalysisFailedError,
  ConflictError,
  IncompleteRequestError,
  IntegrityError,
  versionTamperedError,
  InvalidRequestError,
  NotAllowedError,
  NotFoundError,
  PreconditionRequiredError,
  StateConflictError,
} from './errors.js';
import { governanceCheckpointFile } from './audit.js';
import type { GovernanceRow } from './db/governance.js';
import { appendFileSync } from 'node:fs';
import { ImpactJobs, type ImpactLimits } from './impact.js';
import { JobBoard, type JobBoardOptions } from './jobs.js';
import { LogCheckpointer, LogSigner, type CheckpointOptions } from './integrity.js';
import { encodeReasonCodes, type DecisionRow } from './db/log.js';
import { LogWriter, type LogWriterOptions } from './log-writer.js';
import type { Store, StoreTables } from './db/store.js';
import type { Approval, DraftRow, VersionRow } from './db/rulesets.js';
import type { TestCaseRow } from './db/test-cases.js';

export type ReplayTarget = 'recorded' | 'in-force' | { ruleSet: string; version: number };

/**
 * A logged decision as the service gives it: with its trace, stored or rebuilt; a trace that could
 * not be rebuilt (another engine version decides otherwise) is empty and marked.
 */
export type LoggedDecisionRow = Omit<DecisionRow, 'decisionJson'> & { decisionJson: DecisionInLog } & TraceMark;

/**
 * A draft or a published version of a rule set, to try in place of the one in force. A draft is
 * tried as if published from `validFrom` (without it: the draft's own date, else the first date
 * it could be published from).
 */
export type CandidateRef = { draftId: string; validFrom?: string | undefined } | { version: number };

export { systemClock, type Clock };

/** A version is valid from at most this many years after today (the service's clock). */
export const MAX_VALID_FROM_YEARS = 5;
/** A candidate found: the document to try, and for a draft the date it is tried as in force from. */
interface ResolvedCandidate {
  chosen: Versioned;
  from?: string;
}

/** A test case as a request gives it; its case is checked here, so issues read `$.case.…`. */
export interface TestCaseInput {
  name: string;
  case: unknown;
  expected: { outcome: Outcome; codes: string[] };
}

export interface ServiceOptions {
  /**
   * The key that signs the log's checkpoints (server/integrity.ts). `npm start` loads it from
   * LOG_SIGNING_KEY or its key file; without one a fresh key is made that lives as long as the
   * service does (tests, tools), so its checkpoints prove nothing after a restart.
   */
  signer?: LogSigner;
  /** Where and how often checkpoints are written. */
  checkpoints?: CheckpointOptions;
  /** Limits on impact analysis jobs. */
  impact?: ImpactLimits;
  /** Group commit of logged evaluations (server/log-writer.ts). */
  logWriter?: LogWriterOptions;
  /** How jobs are held by the node running them (the lease another node waits out). */
  jobs?: JobBoardOptions;
  /** Worker threads a verification reads the log with (default: one per core for a large log). */
  verifyWorkers?: number;
  /**
   * Four eyes (FOUR_EYES, default on): with accounts a draft is published only by being
   * submitted and then approved by another writer; publishing directly is refused. A demo
   * (no accounts) never needs it.
   */
  fourEyes?: boolean;
}

/** A draft checked for publishing before the transaction that publishes it (see `checkPublishable`). */
interface CheckedPublish {
  ruleSetId: string;
  draftId: string;
  validFrom: string;
  /** The change note the request gave, if any (else the draft's). */
  changes: string | string[] | undefined;
  draft: DraftRow;
  note: string[];
  /** The latest version of every rule set when it was checked. */
  latest: Record<string, number>;
}

/** What an approval keeps of the impact analysis the approver saw. */
export interface ImpactSummary {
  jobId: string;
  processed: number;
  changedCount: number;
  outcomes: { before: Record<string, number>; after: Record<string, number> };
  tariffCents: { before: number; after: number };
  skipped: number;
}

export class RulesService {
  private current: DecisionEngine | undefined;
  /** Set after a publish: the next `engine()` is built over the new versions, keeping its cache. */
  private stale = false;
  /** The rebuild under way, if any (see `engine`). */
  private rebuilding: Promise<DecisionEngine> | undefined;
  /**
   * Published versions (`id@version`) whose stored document no longer hashes to their stored
   * content hash: changed behind the service's back. No decision is made with them.
   */
  private tampered = new Set<string>();
  /**
   * The published versions read before, by `id@version`: the text stored, the hash stored beside
   * it, and the version parsed from that text with the hash of its content. A published version
   * never changes, so after a publish only the new one is parsed and hashed; a version whose stored
   * text or hash is not the one read before (changed behind the service's back) is parsed and
   * hashed again, so that tampering is found as before.
   */
  private readonly known = new Map<string, { text: string; storedHash: string; version: Versioned }>();
  /**
   * The versions the last full read found (`publishedVersions`), with each rule set's latest
   * version number: a candidate is checked against them while those numbers still hold (see
   * `currentVersions`).
   */
  private lastRead: { versions: Versioned[]; latest: Record<string, number> } | undefined;
  /** The jobs (impact analyses, verifications) this node runs, and those it takes over. */
  readonly jobs: JobBoard;
  readonly impact: ImpactJobs;
  readonly checkpointer: LogCheckpointer;
  readonly verification: VerifyJobs;
  readonly fourEyes: boolean;
  private readonly checkpointFile: string | undefined;
  /** Logged evaluations go through it: appends of the same few milliseconds share a commit. */
  readonly logWriter: LogWriter;
  /** The latest version of every rule set in the engine now in use: this node's view, for health. */
  private latest: Record<string, number> = {};
  /** Stops hearing other nodes' publishes (see the constructor). */
  private readonly unwatch: () => void;

  constructor(
    readonly store: Store,
    readonly clock: Clock = systemClock,
    options: ServiceOptions = {},
  ) {
    this.jobs = new JobBoard(store, options.jobs);
    this.impact = new ImpactJobs(
      {
        store,
        board: this.jobs,
        clock,
        engine: () => this.engine(),
        candidate: async (c) => {
          if ('draftId' in c) return this.candidate(c.ruleSet, c.draftId);
          await this.engine();
          this.refuseTampered([{ id: c.ruleSet, version: c.version }]);
          return (await this.version(c.ruleSet, c.version)).document;
        },
      },
      options.impact,
    );
    this.checkpointer = new LogCheckpointer(store, options.signer ?? LogSigner.generate(), clock, options.checkpoints);
    this.fourEyes = options.fourEyes ?? true;
    this.checkpointFile = options.checkpoints?.file;
    this.logWriter = new LogWriter(store.log, () => clock.now(), options.logWriter);
    this.verification = new VerifyJobs({
      store,
      board: this.jobs,
      clock,
      task: () => ({ publicKeyPem: this.checkpointer.signer.publicKeyPem, checkpointFile: options.checkpoints?.file }),
      verified: (head) => this.checkpointer.checkpoint(head),
      workers: options.verifyWorkers,
    });
    // another node's publish (PostgreSQL) makes the engine stale as this node's own does: the
    // next request rebuilds it over the versions then in the database
    this.unwatch = store.watchPublished(() => {
      this.stale = true;
    });
  }

  /**
   * At shutdown: no more publishes heard, the jobs this node runs stopped (other nodes, or this
   * one when it starts again, take them over), the appends still waiting written, then a last
   * signed checkpoint of the log. The store is closed by whoever opened it.
   */
  async close(): Promise<void> {
    this.unwatch();
    await this.jobs.close();
    await this.logWriter.flush();
    await this.checkpointer.close();
  }

  /**
   * What `/api/health` reports: the database, its schema version, and the latest version of
   * every rule set as this node decides with it (rebuilt first when a publish made it stale), so
   * that nodes behind one proxy can be compared.
   */
  async health() {
    await this.engine();
    return {
      ok: true as const,
      database: this.store.kind,
      schemaVersion: await this.store.schemaVersion(),
      latestVersions: this.latest,
    };
  }

  /** Published versions whose document was changed after publishing (see `tampered`). */
  async tamperedVersions(): Promise<{ ruleSet: string; version: number }[]> {
    await this.engine();
    return [...this.tampered].map((key) => {
      const [ruleSet, version] = key.split('@');
      return { ruleSet: ruleSet!, version: Number(version) };
    });
  }

  /** Refuses to decide with a version changed after publishing. */
  private refuseTampered(refs: readonly Pick<RuleSetRef, 'id' | 'version'>[]) {
    if (this.tampered.size === 0) return;
    for (const ref of refs) {
      if (this.tampered.has(`${ref.id}@${ref.version}`)) throw versionTamperedError(ref);
    }
  }

  private decideChecked(engine: DecisionEngine, c: Case, effective: EffectiveRuleSet): Promise<Decision> {
    this.refuseTampered(effective.ruleSets);
    return engine.decideWith(c, effective);
  }

  /**
   * The engine over every published version; rebuilt after each publish (with the same bounded
   * cache of compiled rule sets). It evaluates with the compiled backend (evaluation, replay and
   * impact analysis alike) and falls back to json-rules-engine for any rule set the compiler
   * refuses; both decide byte for byte the same.
   */
  async engine(): Promise<DecisionEngine> {
    if (this.current && !this.stale) return this.current;
    // one rebuild at a time: requests that arrive meanwhile wait for it rather than start another
    return (this.rebuilding ??= this.rebuild().finally(() => (this.rebuilding = undefined)));
  }

  private async rebuild(): Promise<DecisionEngine> {
    // a publish while the versions are read marks it stale again: the next call reads them anew
    this.stale = false;
    try {
      const { versions, tampered, latest } = await this.publishedVersions();
      // still in the repository, so that dates pick the version they would; refused when chosen
      this.tampered = tampered;
      const repository = new RuleSetRepository(versions);
      this.latest = latest;
      this.current = this.current
        ? this.current.withRepository(repository)
        : new DecisionEngine(repository, defaultBackend);
      return this.current;
    } catch (error) {
      this.stale = true; // not rebuilt: the next call tries again
      throw error;
    }
  }

  /**
   * Every published version, by rule set and version, hashed (see `known`); those whose document
   * no longer hashes to their stored content hash (`id@version`); and the latest version of each
   * rule set.
   */
  private async publishedVersions(tables: StoreTables = this.store) {
    const versions: Versioned[] = [];
    const tampered = new Set<string>();
    const latest: Record<string, number> = {};
    for (const row of await tables.ruleSets.storedDocuments()) {
      const key = `${row.ruleSetId}@${row.version}`;
      let seen = this.known.get(key);
      if (seen?.text !== row.document || seen.storedHash !== row.contentHash) {
        seen = {
          text: row.document,
          storedHash: row.contentHash,
          version: versioned(JSON.parse(row.document) as RuleSetDocument),
        };
        this.known.set(key, seen);
      }
      versions.push(seen.version);
      if (seen.version.contentHash !== row.contentHash) tampered.add(key);
      // ordered by rule set and version: the last one seen of each is its latest
      latest[row.ruleSetId] = row.version;
    }
    this.lastRead = { versions, latest };
    return { versions, tampered, latest };
  }

  /**
   * The published versions, and the latest version number of each rule set, to check a candidate
   * against: those of the last full read while every rule set's latest version number is still
   * the same — versions are append-only and numbered one after the other, so the same numbers are
   * the same versions — else read in full again. Reading and comparing every stored document
   * takes ~0.3 ms on the thread that answers evaluations; a publish read them three times (the
   * submit's check, the approval's, the engine's rebuild), now once. A version changed behind the
   * service's back is still found by the rebuild, which always reads in full.
   */
  private async currentVersions(tables: StoreTables) {
    const latest = await tables.ruleSets.latestVersions();
    const read = this.lastRead;
    return read && sameVersions(latest, read.latest) ? read : this.publishedVersions(tables);
  }

  // ---- versions ------------------------------------------------------------------------------

  /**
   * Rule sets with their versions, each with the range it is valid for; only `ruleSetId` when
   * given (reading one rule set's versions, not every rule set's documents).
   */
  async ruleSets(ruleSetId?: string) {
    const byId = new Map<string, VersionRow[]>();
    const drafts = new Map<string, DraftRow[]>();
    for (const d of await this.store.ruleSets.drafts(ruleSetId))
      drafts.set(d.ruleSetId, [...(drafts.get(d.ruleSetId) ?? []), d]);
    const versions = ruleSetId ? this.store.ruleSets.versionsOf(ruleSetId) : this.store.ruleSets.versions();
    for (const v of await versions) byId.set(v.ruleSetId, [...(byId.get(v.ruleSetId) ?? []), v]);
    const today = dateOf(this.clock.now());
    return [...byId.entries()].map(([id, rows]) => {
      const first = rows[0]!;
      const current = inForce(
        rows.map((r) => ({ document: r.document, contentHash: r.contentHash })),
        today,
      );
      return {
        id,
        kind: first.kind,
        region: first.region,
        name: first.document.name ?? id,
        versions: rows.map((r, i) => ({
          version: r.version,
          validFrom: r.validFrom,
          validUntil: rows[i + 1]?.validFrom ?? null,
          status:
            current?.document.version === r.version
              ? ('in-force' as const)
              : dayNumber(r.validFrom) > dayNumber(today)
                ? ('scheduled' as const)
                : ('superseded' as const),
          contentHash: r.contentHash,
          publishedBy: r.publishedBy,
          publishedAt: r.publishedAt,
          submittedBy: r.submittedBy,
          approvedBy: r.approvedBy,
          changeNote: r.changeNote,
        })),
        drafts: (drafts.get(id) ?? []).map(draftSummary),
      };
    });
  }

  async version(id: string, version: number): Promise<VersionRow> {
    const row = await this.store.ruleSets.version(id, version);
    if (!row) throw new NotFoundError('VERSION_NOT_FOUND', `Regelset ${id} heeft geen versie ${version}.`);
    return row;
  }

  /** Which versions are in force for a municipality on a date. */
  async effective(municipality: string, date: string) {
    const id = MunicipalityId.safeParse(municipality);
    if (!id.success) throw new NotFoundError('UNKNOWN_MUNICIPALITY', `Onbekende gemeente ${municipality}.`);
    const effective = (await this.engine()).repository.effectiveOn(id.data, date);
    if (!effective)
      throw new NotFoundError('NO_RULE_SET_IN_FORCE', `Op ${date} gold voor ${municipality} nog geen regelset.`);
    return {
      municipality,
      region: regionOf(id.data),
      date,
      ruleSets: effective.ruleSets,
      parameters: effective.parameters,
    };
  }

  // ---- drafts --------------------------------------------------------------------------------

  /** A draft document for `ruleSetId`, or INVALID_RULE_SET naming every invalid path. */
  private parseDraft(ruleSetId: string, body: unknown): RuleSetDraft {
    const parsed = RuleSetDraft.safeParse(body);
    if (!parsed.success) throw new RuleSetValidationError('De regelset is niet geldig.', issuesFromZod(parsed.error));
    if (parsed.data.id !== ruleSetId) {
      throw new RuleSetValidationError(`Het document hoort bij ${parsed.data.id}, niet bij ${ruleSetId}.`, [
        { path: '$.id', message: `Verwacht ${ruleSetId}.`, code: 'invalid_value' },
      ]);
    }
    return parsed.data;
  }

  /**
   * Stores a draft. It may leave out `version` and `validFrom` (publishing sets them) and, for an
   * overlay, everything but `id`, `kind` and `region`; a whole exported file works as well.
   */
  async createDraft(ruleSetId: string, body: unknown, by: string): Promise<DraftRow> {
    const document = this.parseDraft(ruleSetId, body);
    const latest = await this.store.ruleSets.latestVersion(ruleSetId);
    return this.store.ruleSets.createDraft(document, latest?.version ?? null, by, this.clock.now());
  }

  async draft(ruleSetId: string, draftId: string, tables: StoreTables = this.store): Promise<DraftRow> {
    const row = await tables.ruleSets.draft(draftId);
    if (!row || row.ruleSetId !== ruleSetId)
      throw new NotFoundError('DRAFT_NOT_FOUND', `Concept ${draftId} van ${ruleSetId} bestaat niet.`);
    return row;
  }

  async replaceDraft(
    ruleSetId: string,
    draftId: string,
    ifMatch: string | undefined,
    body: unknown,
    by: string,
  ): Promise<DraftRow> {
    const current = await this.draft(ruleSetId, draftId);
    refuseSubmitted(current);
    if (!ifMatch) {
      throw new PreconditionRequiredError(
        'PRECONDITION_REQUIRED',
        'Stuur de ETag van het concept mee in If-Match, zodat u niet over het werk van een ander heen schrijft.',
        { etag: current.etag },
      );
    }
    const document = this.parseDraft(ruleSetId, body);
    const updated = await this.store.ruleSets.replaceDraft(draftId, ifMatch, document, by, this.clock.now());
    if (!updated) {
      const now = await this.store.ruleSets.draft(draftId);
      if (now) refuseSubmitted(now);
      throw new ConflictError(
        'DRAFT_CHANGED',
        'Iemand anders heeft dit concept intussen opgeslagen. Laad het opnieuw of vergelijk de versies.',
        { etag: now?.etag, updatedBy: now?.updatedBy, updatedAt: now?.updatedAt },
      );
    }
    return updated;
  }

  /**
   * A draft as the version it would become, to evaluate or analyse: its own version and date when
   * it has them, else the next version number and the first date it could be published from.
   */
  async candidate(ruleSetId: string, draftId: string, validFrom?: string): Promise<RuleSetDocument> {
    const { document } = await this.draft(ruleSetId, draftId);
    return {
      ...document,
      version: document.version ?? ((await this.store.ruleSets.latestVersion(ruleSetId))?.version ?? 0) + 1,
      validFrom: validFrom ?? (await this.draftValidFrom(ruleSetId, document.validFrom)),
    };
  }

  /**
   * The date a draft is meant to be in force from: its own, when it lies after the latest
   * published version's (a draft started from a version still carries that version's date), else
   * the first date it could be published from.
   */
  private async draftValidFrom(ruleSetId: string, own: string | undefined): Promise<string> {
    const latest = (await this.store.ruleSets.latestVersion(ruleSetId))?.validFrom;
    return own !== undefined && (latest === undefined || dayNumber(own) > dayNumber(latest))
      ? own
      : this.nextValidFrom(ruleSetId);
  }

  async deleteDraft(ruleSetId: string, draftId: string): Promise<void> {
    refuseSubmitted(await this.draft(ruleSetId, draftId));
    await this.store.ruleSets.deleteDraft(draftId);
  }

  /**
   * Checks a candidate document as it would be published from `validFrom` (see the engine's
   * `nextVersion`). Returns the repository it would give.
   */
  async validateCandidate(
    document: RuleSetDraft,
    validFrom: string,
    tables: StoreTables = this.store,
  ): Promise<RuleSetRepository> {
    return (await this.checkCandidate(document, validFrom, tables)).repository;
  }

  /**
   * `validateCandidate`, with the latest version of every rule set it was checked against: a
   * publish compares them inside its transaction (see `publishChecked`).
   */
  private async checkCandidate(document: RuleSetDraft, validFrom: string, tables: StoreTables = this.store) {
    this.checkValidFromNotTooLate(validFrom);
    const { versions, latest } = await this.currentVersions(tables);
    return { repository: nextVersion(versions, document, validFrom).repository, latest };
  }

  async validateDraft(ruleSetId: string, draftId: string, validFrom?: string) {
    const draft = await this.draft(ruleSetId, draftId);
    const date = validFrom ?? (await this.nextValidFrom(ruleSetId));
    await this.validateCandidate(draft.document, date);
    return { valid: true as const, validFrom: date };
  }

  /**
   * A version may be valid from at most `MAX_VALID_FROM_YEARS` years after today (the service's
   * clock): rules are not published for a distant future, and a far date (9999-12-31) would leave
   * no date for any later version.
   */
  private checkValidFromNotTooLate(validFrom: string) {
    const latest = addMonths(dateOf(this.clock.now()), 12 * MAX_VALID_FROM_YEARS);
    if (dayNumber(validFrom) > dayNumber(latest))
      throw new CompositionError(
        'VALID_FROM_TOO_LATE',
        `validFrom ligt te ver in de toekomst: kies een datum tot en met ${latest} (hoogstens ${MAX_VALID_FROM_YEARS} jaar na vandaag).`,
        [{ path: '$.validFrom', message: `Kies een datum tot en met ${latest}.`, code: 'VALID_FROM_TOO_LATE' }],
      );
  }

  private async nextValidFrom(ruleSetId: string): Promise<string> {
    return nextValidFrom((await this.store.ruleSets.latestVersion(ruleSetId))?.validFrom, dateOf(this.clock.now()));
  }

  /**
   * Publishes a draft as the next version, valid from `validFrom`; the draft is consumed. The
   * change note comes with the request or, without one, from the draft; one of them is needed.
   */
  async publish(
    ruleSetId: string,
    draftId: string,
    validFrom: string,
    by: string,
    changes?: string | string[],
  ): Promise<VersionRow> {
    const checked = await this.checkPublishable(ruleSetId, draftId, validFrom, changes);
    return this.store.transaction((tx) => this.publishChecked(tx, checked, by, null));
  }

  /**
   * A draft checked as the next version of its rule set from `validFrom`, before the publishing
   * transaction: checking the whole repository takes milliseconds, and on SQLite an open
   * transaction holds back every logged evaluation's commit meanwhile.
   */
  private async checkPublishable(
    ruleSetId: string,
    draftId: string,
    validFrom: string,
    changes: string | string[] | undefined,
    tables: StoreTables = this.store,
  ): Promise<CheckedPublish> {
    const draft = await this.draft(ruleSetId, draftId, tables);
    const note = changes === undefined ? draft.document.changes : typeof changes === 'string' ? [changes] : changes;
    if (note.length === 0)
      throw new IncompleteRequestError(
        'CHANGES_MISSING',
        'Beschrijf wat deze versie verandert: geef "changes" mee bij het publiceren, of vul ze in het concept in.',
        [{ path: '$.changes', message: 'Beschrijf wat er verandert.', code: 'CHANGES_MISSING' }],
      );
    const { latest } = await this.checkCandidate(draft.document, validFrom, tables);
    return { ruleSetId, draftId, validFrom, changes, draft, note, latest };
  }

  /**
   * Inside the publishing transaction: the checked draft stored as the next version and consumed.
   * When the draft or any rule set's versions changed since the check (another publish, on this
   * node or another), it is checked again here, against what the transaction sees.
   */
  private async publishChecked(
    tx: StoreTables,
    checked: CheckedPublish,
    by: string,
    approval: Approval,
  ): Promise<VersionRow> {
    const { ruleSetId, draftId, validFrom } = checked;
    const current = await this.draft(ruleSetId, draftId, tx);
    const unchanged =
      current.etag === checked.draft.etag && sameVersions(await tx.ruleSets.latestVersions(), checked.latest);
    const { draft, note, latest } = unchanged
      ? checked
      : await this.checkPublishable(ruleSetId, draftId, validFrom, checked.changes, tx);
    const version = (latest[ruleSetId] ?? 0) + 1;
    const document = { ...draft.document, version, validFrom, changes: note } as RuleSetDocument;
    const row = await tx.ruleSets.insertVersion(document, by, this.clock.now(), approval);
    await tx.ruleSets.deleteDraft(draftId);
    this.stale = true;
    return row;
  }

  // ---- release governance: semantic diff, analysis, four eyes ---------------------------------

  /** Whether publishing needs a submit and an approval by another writer for this caller. */
  fourEyesFor(principal: { via: string }): boolean {
    return this.fourEyes && principal.via !== 'demo';
  }

  /** The latest published document of a rule set, or the one in force on `date` when there is one. */
  private async versionOn(ruleSetId: string, date?: string): Promise<RuleSetDocument | undefined> {
    const rows = await this.store.ruleSets.versionsOf(ruleSetId);
    if (date) {
      const found = inForce(
        rows.map((r) => ({ document: r.document, contentHash: r.contentHash })),
        date,
      );
      if (found) return found.document;
    }
    return rows.at(-1)?.document;
  }

  /** The draft's changes against its base version (or the latest published), as Dutch sentences. */
  async draftChanges(ruleSetId: string, draftId: string): Promise<SemanticChange[]> {
    const draft = await this.draft(ruleSetId, draftId);
    const base =
      (draft.baseVersion !== null
        ? (await this.store.ruleSets.version(ruleSetId, draft.baseVersion))?.document
        : undefined) ?? (await this.versionOn(ruleSetId));
    const region = draft.document.kind === 'municipality' ? await this.versionOn(draft.document.region) : undefined;
    return semanticDiff(base, draft.document, region?.kind === 'region' ? { region } : {});
  }

  /**
   * The static analysis of a draft as it would be published from `validFrom` (its submitted date,
   * else the next one possible): a region with the overlays in force then, an overlay with its
   * region's version then; `RULE_UNTESTED` against the rules the saved test cases fire.
   */
  async analyseDraft(ruleSetId: string, draftId: string, validFrom?: string) {
    const draft = await this.draft(ruleSetId, draftId);
    const date = validFrom ?? draft.submittedValidFrom ?? (await this.nextValidFrom(ruleSetId));
    const tests = await this.runTestCases(ruleSetId, { draftId });
    // the rules the test cases fire, from the run itself (a case that cannot be decided fires none)
    const firedRuleIds = new Set(tests.results.flatMap((r) => r.ruleIds));
    const document = draft.document;
    let findings: Finding[];
    if (document.kind === 'region') {
      const ids = [...new Set((await this.store.ruleSets.versions()).map((v) => v.ruleSetId))];
      const overlays = (await Promise.all(ids.map((id) => this.versionOn(id, date))))
        .filter((d): d is Extract<RuleSetDocument, { kind: 'municipality' }> => d?.kind === 'municipality')
        .filter((d) => d.region === document.id);
      await yieldToEventLoop(); // the analysis alone takes a millisecond or two
      findings = analyseRuleSet(document, {
        overlays,
        ...(tests.results.length > 0 && { firedRuleIds }),
      }).findings;
    } else {
      const region = await this.versionOn(document.region, date);
      await yieldToEventLoop(); // the analysis alone takes a millisecond or two
      findings =
        region?.kind === 'region'
          ? analyseRuleSet(document, { region, ...(tests.results.length > 0 && { firedRuleIds }) }).findings
          : [];
    }
    return { findings, tests };
  }

  /**
   * Submits a draft for approval with its valid-from date and change note: checked as it would be
   * published, refused (ANALYSIS_FAILED) while the analysis has an error or a test case fails,
   * then frozen and logged in the governance chain.
   */
  async submit(ruleSetId: string, draftId: string, validFrom: string, changeNote: string, by: string) {
    const draft = await this.draft(ruleSetId, draftId);
    refuseSubmitted(draft);
    await this.validateCandidate(draft.document, validFrom);
    // each phase of a submit takes a millisecond or more: between them, the thread answers evaluations
    await yieldToEventLoop();
    const { findings, tests } = await this.analyseDraft(ruleSetId, draftId, validFrom);
    const errors = findings.filter((f) => f.severity === 'error');
    const failed = tests.results.filter((r) => !r.pass);
    if (errors.length > 0 || failed.length > 0)
      throw new AnalysisFailedError(
        'ANALYSIS_FAILED',
        `Het concept kan niet ter goedkeuring worden aangeboden: ${[
          errors.length > 0 ? `${errors.length} fout(en) in de analyse` : '',
          failed.length > 0 ? `${failed.length} testgeval(len) falen` : '',
        ]
          .filter(Boolean)
          .join(' en ')}.`,
        [
          ...errors.map((f) => ({
            path: f.ruleId ? `$.rules['${f.ruleId}']` : f.parameter ? `$.parameters['${f.parameter}']` : '$',
            message: f.message,
            code: f.code,
          })),
          ...failed.map((t) => ({
            path: `$.tests['${t.id}']`,
            message: `Testgeval "${t.name}" faalt${'error' in t && t.error ? `: ${t.error}` : ''}.`,
            code: 'TEST_FAILED',
          })),
        ],
        { findings: errors, failedTests: failed.map((t) => ({ id: t.id, name: t.name, actual: t.actual })) },
      );
    await yieldToEventLoop();
    const at = this.clock.now();
    return this.store.transaction(async (tx) => {
      const current = await this.draft(ruleSetId, draftId, tx);
      refuseSubmitted(current);
      if (current.etag !== draft.etag || !(await tx.ruleSets.submitDraft(draftId, by, at, validFrom, changeNote)))
        throw new ConflictError(
          'DRAFT_CHANGED',
          'Het concept is intussen gewijzigd. Controleer het en bied het opnieuw aan.',
          {
            etag: current.etag,
            updatedBy: current.updatedBy,
            updatedAt: current.updatedAt,
          },
        );
      await this.governanceEvent(tx, {
        kind: 'submit',
        ruleSetId,
        draftId,
        draftHash: contentHash(current.document),
        by,
        at,
        note: changeNote,
        validFrom,
        version: null,
        impactJson: null,
      });
      return this.draft(ruleSetId, draftId, tx);
    });
  }

  /** A submitted draft, or 409 DRAFT_NOT_SUBMITTED. */
  private async submitted(
    ruleSetId: string,
    draftId: string,
  ): Promise<DraftRow & { submittedBy: string; submittedValidFrom: string; changeNote: string }> {
    const draft = await this.draft(ruleSetId, draftId);
    if (draft.status !== 'submitted' || !draft.submittedBy || !draft.submittedValidFrom || draft.changeNote === null)
      throw new StateConflictError('DRAFT_NOT_SUBMITTED', 'Dit concept is niet ter goedkeuring aangeboden.', {
        status: draft.status,
      });
    return draft as DraftRow & { submittedBy: string; submittedValidFrom: string; changeNote: string };
  }

  /**
   * Approves a submitted draft and publishes it, with its change note, submitter and approver.
   * With four eyes the submitter may not approve (403 FOUR_EYES_REQUIRED). The summary of the
   * impact job the approver saw (`impactJobId`) is kept with the approval.
   */
  async approve(
    ruleSetId: string,
    draftId: string,
    by: string,
    options: { fourEyes: boolean; impactJobId?: string | undefined },
  ) {
    const draft = await this.submitted(ruleSetId, draftId);
    if (options.fourEyes && draft.submittedBy === by)
      throw new NotAllowedError(
        'FOUR_EYES_REQUIRED',
        `${by} heeft dit concept zelf aangeboden; een ander met schrijfrechten op ${ruleSetId} moet het goedkeuren.`,
      );
    const impact = options.impactJobId ? await this.impactSummary(ruleSetId, draftId, options.impactJobId) : null;
    const checked = await this.checkPublishable(ruleSetId, draftId, draft.submittedValidFrom, draft.changeNote);
    await yieldToEventLoop();
    return this.store.transaction(async (tx) => {
      const row = await this.publishChecked(tx, checked, by, {
        submittedBy: draft.submittedBy,
        approvedBy: by,
        changeNote: draft.changeNote,
      });
      await this.governanceEvent(tx, {
        kind: 'approve',
        ruleSetId,
        draftId,
        draftHash: contentHash(draft.document),
        by,
        at: row.publishedAt,
        note: draft.changeNote,
        validFrom: row.validFrom,
        version: row.version,
        impactJson: impact ? JSON.stringify(impact) : null,
      });
      return row;
    });
  }

  /** Returns a submitted draft to editing with the comment; logged in the governance chain. */
  async reject(ruleSetId: string, draftId: string, by: string, comment: string) {
    const draft = await this.submitted(ruleSetId, draftId);
    const at = this.clock.now();
    return this.store.transaction(async (tx) => {
      if (!(await tx.ruleSets.rejectDraft(draftId, by, at, comment)))
        throw new StateConflictError('DRAFT_NOT_SUBMITTED', 'Dit concept is niet (meer) ter goedkeuring aangeboden.');
      await this.governanceEvent(tx, {
        kind: 'reject',
        ruleSetId,
        draftId,
        draftHash: contentHash(draft.document),
        by,
        at,
        note: comment,
        validFrom: draft.submittedValidFrom,
        version: null,
        impactJson: null,
      });
      return this.draft(ruleSetId, draftId, tx);
    });
  }

  /** What an impact job found, as kept with an approval; only a finished job of this draft. */
  private async impactSummary(ruleSetId: string, draftId: string, jobId: string): Promise<ImpactSummary | null> {
    let job;
    try {
      job = await this.impact.get(jobId);
    } catch {
      return null;
    }
    const c = job.candidate;
    if (job.status !== 'done' || !('draftId' in c) || c.draftId !== draftId || c.ruleSet !== ruleSetId) return null;
    return {
      jobId: job.id,
      processed: job.processed,
      changedCount: job.changedCount,
      outcomes: job.outcomes,
      tariffCents: job.tariffCents,
      skipped: job.skipped,
    };
  }

  /** Appends to the governance chain and signs its new head (rare events: each one is signed). */
  private async governanceEvent(
    tx: StoreTables,
    event: Omit<GovernanceRow, 'seq' | 'prevHash' | 'hash'>,
  ): Promise<GovernanceRow> {
    const row = await tx.governance.append(event);
    const checkpoint = this.checkpointer.signer.sign(row, event.at, 'governance');
    await tx.governance.addCheckpoint(checkpoint);
    if (this.checkpointFile) {
      try {
        appendFileSync(governanceCheckpointFile(this.checkpointFile), `${JSON.stringify(checkpoint)}\n`);
      } catch (error) {
        console.error(`Kan het governance-controlepunt niet schrijven: ${(error as Error).message}`);
      }
    }
    return row;
  }

  /** The governance events, newest first: of one rule set or draft when given. */
  async governanceEvents(filter: { ruleSetId?: string | undefined; draftId?: string | undefined } = {}) {
    return (await this.store.governance.list(filter)).map(governanceView);
  }

  /** A structural diff between two versions, or a draft (`draft:<id>`) and any version. */
  async diff(ruleSetId: string, from: string, to: string) {
    const resolve = async (ref: string) => {
      if (ref.startsWith('draft:')) return (await this.draft(ruleSetId, ref.slice('draft:'.length))).document;
      const n = Number(ref);
      if (!Number.isInteger(n))
        throw new InvalidRequestError('INVALID_QUERY', `Gebruik een versienummer of draft:<id>, niet ${ref}.`, [
          { path: '$.query.from', message: ref, code: 'invalid_value' },
        ]);
      return (await this.version(ruleSetId, n)).document;
    };
    const before = await resolve(from);
    const after = await resolve(to);
    return { ruleSet: ruleSetId, from, to, changes: diffDocuments(before, after) };
  }

  // ---- evaluation and the decision log -----------------------------------------------------------

  /**
   * Decides a case and, unless it is a dry run, logs it (group-committed: answered once its entry
   * has committed). Returns the response as JSON text too: the engine writes the traced decision
   * as text (the compiled backend without building the trace), and the log, which keeps no
   * trace, gets the decision without one.
   */
  async evaluate(input: unknown, options: { dryRun: boolean; by: string }) {
    const engine = await this.engine();
    const validation = engine.validate(input);
    if (!validation.ok) throw new CaseValidationError(validation.issues);
    this.refuseTampered(validation.effective.ruleSets);
    const { decision, json: decisionJson } = await engine.decideWithJson(validation.case, validation.effective);
    if (options.dryRun) return evaluated(null, decisionJson);
    // the log keeps the case as received (it passed validation, so it parses again on replay)
    const row = await this.logWriter.append({
      municipality: validation.case.municipality,
      region: regionOf(validation.case.municipality),
      case: input as Case,
      decision,
      decidedBy: options.by,
    });
    this.checkpointer.appended(row);
    return evaluated(row.id, decisionJson);
  }

  /**
   * Decides a case with a draft or a version in place of the one in force for the case's date
   * (test bench, saved test cases). Nothing is logged. A draft is tried as if in force from its
   * valid-from date: the case keeps its own reference date (ages, periods, entry dates), and the
   * draft is composed with the other rule set (region or overlay) in force on the later of that
   * date and the draft's valid-from, as it would be once published.
   */
  async evaluateWith(ruleSetId: string, candidate: CandidateRef, input: unknown): Promise<Decision> {
    return this.decideCandidate(await this.resolveCandidate(ruleSetId, candidate), input);
  }

  private async resolveCandidate(ruleSetId: string, candidate: CandidateRef): Promise<ResolvedCandidate> {
    if ('draftId' in candidate) {
      const chosen = versioned(await this.candidate(ruleSetId, candidate.draftId, candidate.validFrom));
      return { chosen, from: chosen.document.validFrom };
    }
    return { chosen: await this.published(ruleSetId, candidate.version) };
  }

  private async decideCandidate({ chosen, from }: ResolvedCandidate, input: unknown) {
    const engine = await this.engine();
    const parsed = Case.safeParse(input);
    if (!parsed.success) throw new CaseValidationError(issuesFromZod(parsed.error));
    const c = parsed.data;
    const date = from !== undefined && dayNumber(from) > dayNumber(c.referenceDate) ? from : c.referenceDate;
    const effective = composeCandidate(c, engine.repository.versionsInForce(c.municipality, date), chosen);
    // the same checks as a live evaluation, against the candidate's catalogue
    const issues = issuesAgainst(c, effective);
    if (issues.length > 0) throw new CaseValidationError(issues);
    return this.decideChecked(engine, c, effective);
  }

  async testCases(ruleSetId: string) {
    return (await this.store.testCases.list(ruleSetId)).map(testCaseView);
  }

  async testCase(ruleSetId: string, id: string) {
    return testCaseView(await this.testCaseRow(ruleSetId, id));
  }

  private async testCaseRow(ruleSetId: string, id: string): Promise<TestCaseRow> {
    const row = await this.store.testCases.get(ruleSetId, id);
    if (!row) throw new NotFoundError('TEST_CASE_NOT_FOUND', `Testgeval ${id} bestaat niet.`);
    return row;
  }

  private parseTestCase(body: TestCaseInput) {
    const parsed = Case.safeParse(body.case);
    if (!parsed.success) throw new CaseValidationError(issuesFromZod(parsed.error, ['case']));
    return {
      name: body.name,
      caseJson: body.case,
      expectedOutcome: body.expected.outcome,
      expectedCodes: body.expected.codes,
    };
  }

  async addTestCase(ruleSetId: string, body: TestCaseInput, by: string) {
    return testCaseView(
      await this.store.testCases.add({
        ruleSetId,
        ...this.parseTestCase(body),
        createdBy: by,
        createdAt: this.clock.now(),
      }),
    );
  }

  /** Changes a test case's name, case and expectation. */
  async updateTestCase(ruleSetId: string, id: string, body: TestCaseInput) {
    const change = this.parseTestCase(body);
    const row = await this.store.testCases.update(ruleSetId, id, change);
    if (!row) throw new NotFoundError('TEST_CASE_NOT_FOUND', `Testgeval ${id} bestaat niet.`);
    return testCaseView(row);
  }

  async deleteTestCase(ruleSetId: string, id: string): Promise<void> {
    if (!(await this.store.testCases.delete(ruleSetId, id)))
      throw new NotFoundError('TEST_CASE_NOT_FOUND', `Testgeval ${id} bestaat niet.`);
  }

  /**
   * Runs every saved test case of a rule set against a draft or version: a green/red list, with
   * the rules each case made fire (coverage per rule).
   */
  async runTestCases(ruleSetId: string, candidate: CandidateRef) {
    // a candidate that cannot be found or composed fails each test case, with the reason
    let resolved: ResolvedCandidate | Error;
    try {
      resolved = await this.resolveCandidate(ruleSetId, candidate);
    } catch (error) {
      resolved = error instanceof Error ? error : new Error(String(error));
    }
    const results = [];
    for (const t of await this.store.testCases.list(ruleSetId)) {
      results.push(await this.runOne(resolved, t));
      // a rule set's tests take milliseconds together: between two, the thread answers evaluations
      await yieldToEventLoop();
    }
    return {
      validFrom: resolved instanceof Error ? null : (resolved.from ?? null),
      passed: results.filter((r) => r.pass).length,
      failed: results.filter((r) => !r.pass).length,
      results,
    };
  }

  /** Runs one saved test case against a draft or version. */
  async runTestCase(ruleSetId: string, id: string, candidate: CandidateRef) {
    const row = await this.testCaseRow(ruleSetId, id);
    const resolved = await this.resolveCandidate(ruleSetId, candidate);
    return { validFrom: resolved.from ?? null, ...(await this.runOne(resolved, row)) };
  }

  private async runOne(resolved: ResolvedCandidate | Error, t: TestCaseRow) {
    const view = testCaseView(t);
    try {
      if (resolved instanceof Error) throw resolved;
      const decision = await this.decideCandidate(resolved, t.caseJson);
      return { ...view, ...checkExpectation(decision, view.expected) };
    } catch (error) {
      return {
        ...view,
        actual: null,
        ruleIds: [] as string[],
        pass: false,
        error: errorText(error),
      };
    }
  }

  /**
   * A logged decision, whole. A compact entry (server/db/log.ts) keeps neither its trace nor its
   * reasons' texts: both are rebuilt with the recorded versions — the reasons from the rules the
   * entry names, the trace by deciding the case again — and the trace is used only when the
   * rebuilt outcome, reasons, tariff, illustrative values and municipality code are the stored
   * ones. When they are not: with the engine version that made the decision, the log or the
   * versions no longer hold what was decided (`DECISION_NOT_REPRODUCIBLE`, 500); with another
   * engine version, the stored decision with an empty trace marked `traceReproducible: false` —
   * never a trace the decision was not made by.
   */
  async decision(id: string): Promise<LoggedDecisionRow> {
    const row = await this.store.log.get(id);
    if (!row) throw new NotFoundError('DECISION_NOT_FOUND', `Beslissing ${id} staat niet in het logboek.`);
    const stored = row.decisionJson;
    if (stored.reasonRules === undefined) return { ...row, decisionJson: stored };
    const engine = await this.engine();
    const effective = this.recordedEffective(engine, stored.ruleSets);
    const reasons = reasonsOfRuleIds(effective, stored.reasonRules);
    const notReproducible = (engineVersion: string) =>
      new IntegrityError(
        'DECISION_NOT_REPRODUCIBLE',
        `Beslissing ${id} is met dezelfde engineversie (${engineVersion}) en dezelfde regelsetversies opnieuw genomen en komt niet overeen met het logboek: het logboek of de versies zijn gewijzigd. Controleer het logboek (POST /api/audit/verify).`,
        { decisionId: id, engine: engineVersion },
      );
    // the reasons' codes are in the hashed reason_codes column too: both must tell the same
    if (!reasons || encodeReasonCodes(reasons.map((r) => r.code)) !== encodeReasonCodes(row.reasonCodes))
      throw notReproducible(stored.engine?.version ?? 'onbekend');
    // a decision's fields in the order a decision has them (engine Decision), the trace last
    const decision = {
      outcome: stored.outcome,
      reasons,
      tariff: stored.tariff,
      municipalityCode: stored.municipalityCode,
      ruleSets: stored.ruleSets,
      engine: stored.engine,
      illustrative: stored.illustrative,
    };
    const rebuilt = await this.decideChecked(engine, Case.parse(row.caseJson), effective);
    const what = (d: Omit<DecisionInLog, 'trace'>) =>
      canonicalJson([d.outcome, d.reasons, d.tariff, d.illustrative ?? null, d.municipalityCode ?? null]);
    if (what(rebuilt) === what(decision)) return { ...row, decisionJson: { ...decision, trace: rebuilt.trace } };
    if (rebuilt.engine.version === stored.engine?.version) throw notReproducible(rebuilt.engine.version);
    return { ...row, decisionJson: { ...decision, trace: [] }, traceReproducible: false };
  }

  /** The rule set a logged decision was decided by: its recorded versions, composed. */
  private recordedEffective(engine: DecisionEngine, recorded: readonly RuleSetRef[]): EffectiveRuleSet {
    const base = recordedComposition(recorded, (ref) => publishedIn(engine, ref.id, ref.version));
    return compose(base.region!, base.overlay);
  }

  /** A published version with its content hash; throws NotFoundError `VERSION_NOT_FOUND`. */
  private async published(id: string, version: number): Promise<Versioned> {
    return publishedIn(await this.engine(), id, version);
  }

  /**
   * The motivation letter of a logged decision (Awb 3:46), built from the decision as it was
   * logged, dated the day it was made.
   */
  async motivation(id: string): Promise<Letter> {
    const row = await this.decision(id);
    return motivationLetter({
      decision: row.decisionJson,
      case: Case.parse(row.caseJson),
      decisionId: row.id,
      decidedAt: row.decidedAt,
    });
  }

  /** Re-decides a logged case against the recorded versions, those in force now, or a chosen version. */
  async replay(id: string, against: ReplayTarget) {
    const row = await this.decision(id);
    const original = row.decisionJson;
    const c = Case.parse(row.caseJson);
    const replayed = await this.decideAgainst(c, original.ruleSets, against);
    // a trace that could not be rebuilt is no difference to report: the stored decision has none
    const compared = compareDecisions(
      original,
      row.traceReproducible === false ? { ...replayed, trace: [] } : replayed,
    );
    return {
      original,
      replayed,
      ...compared,
      ...(row.traceReproducible === false ? { traceReproducible: false as const } : {}),
    };
  }

  private async decideAgainst(c: Case, recorded: readonly RuleSetRef[], against: ReplayTarget): Promise<Decision> {
    const engine = await this.engine();
    if (against === 'in-force') {
      const validation = engine.validate(c);
      if (!validation.ok) throw new CaseValidationError(validation.issues);
      return this.decideChecked(engine, validation.case, validation.effective);
    }
    const effective =
      against === 'recorded'
        ? this.recordedEffective(engine, recorded)
        : composeCandidate(
            c,
            recordedComposition(recorded, (ref) => publishedIn(engine, ref.id, ref.version)),
            publishedIn(engine, against.ruleSet, against.version),
          );
    return this.decideChecked(engine, c, effective);
  }
}

/** A published version with its content hash; throws NotFoundError `VERSION_NOT_FOUND`. */
function publishedIn(engine: DecisionEngine, id: string, version: number): Versioned {
  const found = engine.repository.find(id, version);
  if (!found) throw new NotFoundError('VERSION_NOT_FOUND', `Regelset ${id} heeft geen versie ${version}.`);
  return found;
}

/**
 * An evaluation's answer: the log id and `{ id, ...decision }` as text, the same bytes
 * JSON.stringify would give, from the decision serialised once. A module function rather than a
 * closure in `evaluate`: tsx names every closure it makes (`__name`), ~1% of a request.
 */
function evaluated(id: string | null, decisionJson: string) {
  return { id, json: `{"id":${JSON.stringify(id)},${decisionJson.slice(1)}` };
}

/** Whether two sets of latest versions (see `RuleSets.latestVersions`) name the same versions. */
function sameVersions(a: Record<string, number>, b: Record<string, number>): boolean {
  const ids = Object.keys(a);
  return ids.length === Object.keys(b).length && ids.every((id) => a[id] === b[id]);
}

/** An error as one line: its message and, for the engine's errors, each issue with its path. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const issues = (error as { issues?: { path: string; message: string }[] }).issues ?? [];
  return [error.message, ...issues.map((i) => `${i.path}: ${i.message}`)].join(' ');
}

function testCaseView(t: TestCaseRow) {
  return {
    id: t.id,
    ruleSetId: t.ruleSetId,
    name: t.name,
    case: t.caseJson,
    expected: { outcome: t.expectedOutcome as Outcome, codes: t.expectedCodes },
    createdBy: t.createdBy,
    createdAt: t.createdAt,
  };
}

/** A submitted draft is frozen until it is approved or rejected. */
function refuseSubmitted(draft: DraftRow) {
  if (draft.status === 'submitted')
    throw new StateConflictError(
      'DRAFT_AWAITING_APPROVAL',
      `Dit concept wacht op goedkeuring (aangeboden door ${draft.submittedBy ?? 'onbekend'}) en kan niet worden gewijzigd. Laat het afwijzen om het weer te bewerken.`,
      { submittedBy: draft.submittedBy, submittedAt: draft.submittedAt },
    );
}

export function governanceView(g: GovernanceRow) {
  return {
    seq: g.seq,
    kind: g.kind,
    ruleSetId: g.ruleSetId,
    draftId: g.draftId,
    draftHash: g.draftHash,
    by: g.by,
    at: g.at,
    note: g.note,
    validFrom: g.validFrom,
    version: g.version,
    impact: g.impactJson === null ? null : (JSON.parse(g.impactJson) as ImpactSummary),
    hash: g.hash,
  };
}

export function draftSummary(d: DraftRow) {
  return {
    draftId: d.id,
    ruleSetId: d.ruleSetId,
    baseVersion: d.baseVersion,
    etag: d.etag,
    createdBy: d.createdBy,
    createdAt: d.createdAt,
    updatedBy: d.updatedBy,
    updatedAt: d.updatedAt,
    status: d.status,
    submittedBy: d.submittedBy,
    submittedAt: d.submittedAt,
    submittedValidFrom: d.submittedValidFrom,
    changeNote: d.changeNote,
    rejectedBy: d.rejectedBy,
    rejectedAt: d.rejectedAt,
    rejectionComment: d.rejectionComment,
  };
}
