/**
 * The service behind the routes: the engine over the published versions in the store, drafts,
 * publishing, evaluation with the decision log, replay and impact analysis. Routes only parse,
 * call one method and answer.
 */
import { compareDecisions, diffDocuments } from '../engine/compare.js';
import {
  compose,
  inForce,
  regionOf,
  RuleSetRepository,
  validateOverlay,
  versioned,
  type EffectiveRuleSet,
  type Versioned,
} from '../engine/compose.js';
import { dayNumber } from '../engine/dates.js';
import { compiledBackend } from '../engine/backends/compiled.js';
import { jsonRulesEngineBackend } from '../engine/backends/json-rules-engine.js';
import { DecisionEngine, fallbackBackend } from '../engine/decide.js';
import { issuesAgainst } from '../engine/validate-case.js';
import { CaseValidationError, CompositionError, issuesFromZod } from '../engine/errors.js';
import {
  Case,
  MunicipalityId,
  RuleSetDraft,
  type Decision,
  type MunicipalityOverlay,
  type RegionRuleSet,
  type RuleSetDocument,
  type RuleSetRef,
} from '../engine/schema.js';
import { ImpactJobs } from './impact.js';
import { ProblemError } from './problems.js';
import type { DecisionRow } from './db/log.js';
import type { Store } from './db/open.js';
import type { DraftRow, VersionRow } from './db/rulesets.js';
import type { TestCaseRow } from './db/test-cases.js';

export type ReplayTarget = 'recorded' | 'in-force' | { ruleSet: string; version: number };

export interface Clock {
  now(): string;
}
export const systemClock: Clock = { now: () => new Date().toISOString() };

export class RulesService {
  private engineCache: DecisionEngine | undefined;
  readonly impact: ImpactJobs;

  constructor(
    readonly store: Store,
    readonly clock: Clock = systemClock,
  ) {
    this.impact = new ImpactJobs(this);
  }

  /**
   * The engine over every published version; rebuilt after each publish. It evaluates with the
   * compiled backend (evaluation, replay and impact analysis alike) and falls back to
   * json-rules-engine for any rule set the compiler refuses; both decide byte for byte the same.
   */
  engine(): DecisionEngine {
    this.engineCache ??= new DecisionEngine(
      new RuleSetRepository(this.store.ruleSets.versions().map((v) => v.document)),
      fallbackBackend(compiledBackend, jsonRulesEngineBackend),
    );
    return this.engineCache;
  }

  // ---- versions ------------------------------------------------------------------------------

  /** Rule sets with their versions, each with the range it is valid for. */
  ruleSets() {
    const byId = new Map<string, VersionRow[]>();
    for (const v of this.store.ruleSets.versions()) byId.set(v.ruleSetId, [...(byId.get(v.ruleSetId) ?? []), v]);
    const today = this.clock.now().slice(0, 10);
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
        })),
        drafts: this.store.ruleSets.drafts(id).map(draftSummary),
      };
    });
  }

  version(id: string, version: number): VersionRow {
    const row = this.store.ruleSets.version(id, version);
    if (!row) throw new ProblemError(404, 'VERSION_NOT_FOUND', `Regelset ${id} heeft geen versie ${version}.`);
    return row;
  }

  /** Which versions are in force for a municipality on a date. */
  effective(municipality: string, date: string) {
    const id = MunicipalityId.safeParse(municipality);
    if (!id.success) throw new ProblemError(404, 'UNKNOWN_MUNICIPALITY', `Onbekende gemeente ${municipality}.`);
    const effective = this.engine().repository.effectiveOn(id.data, date);
    if (!effective)
      throw new ProblemError(404, 'NO_RULE_SET_IN_FORCE', `Op ${date} gold voor ${municipality} nog geen regelset.`);
    return {
      municipality,
      region: regionOf(id.data),
      date,
      ruleSets: effective.ruleSets,
      parameters: effective.parameters,
    };
  }

  // ---- drafts --------------------------------------------------------------------------------

  /** A draft document for `ruleSetId`, or INVALID_RULE_SET (422) naming every invalid path. */
  private parseDraft(ruleSetId: string, body: unknown): RuleSetDraft {
    const parsed = RuleSetDraft.safeParse(body);
    if (!parsed.success)
      throw new ProblemError(422, 'INVALID_RULE_SET', 'De regelset is niet geldig.', issuesFromZod(parsed.error));
    if (parsed.data.id !== ruleSetId) {
      throw new ProblemError(
        422,
        'INVALID_RULE_SET',
        `Het document hoort bij ${parsed.data.id}, niet bij ${ruleSetId}.`,
        [{ path: '$.id', message: `Verwacht ${ruleSetId}.`, code: 'invalid_value' }],
      );
    }
    return parsed.data;
  }

  /**
   * Stores a draft. It may leave out `version` and `validFrom` (publishing sets them) and, for an
   * overlay, everything but `id`, `kind` and `region`; a whole exported file works as well.
   */
  createDraft(ruleSetId: string, body: unknown, by: string): DraftRow {
    const document = this.parseDraft(ruleSetId, body);
    const latest = this.store.ruleSets.versionsOf(ruleSetId).at(-1);
    return this.store.ruleSets.createDraft(document, latest?.version ?? null, by, this.clock.now());
  }

  draft(ruleSetId: string, draftId: string): DraftRow {
    const row = this.store.ruleSets.draft(draftId);
    if (!row || row.ruleSetId !== ruleSetId)
      throw new ProblemError(404, 'DRAFT_NOT_FOUND', `Concept ${draftId} van ${ruleSetId} bestaat niet.`);
    return row;
  }

  replaceDraft(ruleSetId: string, draftId: string, ifMatch: string | undefined, body: unknown, by: string): DraftRow {
    const current = this.draft(ruleSetId, draftId);
    if (!ifMatch) {
      throw new ProblemError(
        428,
        'PRECONDITION_REQUIRED',
        'Stuur de ETag van het concept mee in If-Match, zodat u niet over het werk van een ander heen schrijft.',
        [],
        { etag: current.etag },
      );
    }
    const document = this.parseDraft(ruleSetId, body);
    const updated = this.store.ruleSets.replaceDraft(draftId, ifMatch, document, by, this.clock.now());
    if (!updated) {
      const now = this.store.ruleSets.draft(draftId);
      throw new ProblemError(
        412,
        'DRAFT_CHANGED',
        'Iemand anders heeft dit concept intussen opgeslagen. Laad het opnieuw of vergelijk de versies.',
        [],
        {
          etag: now?.etag,
          updatedBy: now?.updatedBy,
          updatedAt: now?.updatedAt,
        },
      );
    }
    return updated;
  }

  /**
   * A draft as the version it would become, to evaluate or analyse: its own version and date when
   * it has them, else the next version number and the first date it could be published from.
   */
  candidate(ruleSetId: string, draftId: string): RuleSetDocument {
    const { document } = this.draft(ruleSetId, draftId);
    return {
      ...document,
      version: document.version ?? (this.store.ruleSets.versionsOf(ruleSetId).at(-1)?.version ?? 0) + 1,
      validFrom: document.validFrom ?? this.nextValidFrom(ruleSetId),
    };
  }

  deleteDraft(ruleSetId: string, draftId: string) {
    this.draft(ruleSetId, draftId);
    this.store.ruleSets.deleteDraft(draftId);
  }

  /**
   * Checks a candidate document as it would be published from `validFrom`: the whole set of
   * versions (every overlay that builds on a region, every region an overlay builds on) must
   * still compose. Returns the repository it would give.
   */
  validateCandidate(document: RuleSetDraft, validFrom: string): RuleSetRepository {
    const existing = this.store.ruleSets.versionsOf(document.id);
    const latest = existing.at(-1);
    if (latest && dayNumber(validFrom) <= dayNumber(latest.validFrom)) {
      throw new ProblemError(
        422,
        'VALID_FROM_TOO_EARLY',
        `validFrom moet een datum zijn als 2026-01-01, na de geldigheidsdatum van de laatst gepubliceerde versie (${latest.validFrom}).`,
        [{ path: '$.validFrom', message: `Kies een datum na ${latest.validFrom}.`, code: 'VALID_FROM_TOO_EARLY' }],
      );
    }
    const candidate = { ...document, version: (latest?.version ?? 0) + 1, validFrom } as RuleSetDocument;
    const all = [...this.store.ruleSets.versions().map((v) => v.document), candidate];
    if (candidate.kind === 'municipality') {
      const regions = all.filter((d): d is RegionRuleSet => d.kind === 'region' && d.id === candidate.region);
      const region = inForce(regions.map(versioned), validFrom)?.document;
      if (region) {
        const issues = validateOverlay(candidate, region);
        if (issues.length > 0)
          throw new CompositionError(
            issues[0]!.code,
            `Overlay ${candidate.id} past niet binnen ${region.id} versie ${region.version}.`,
            issues,
          );
      }
    }
    return new RuleSetRepository(all);
  }

  validateDraft(ruleSetId: string, draftId: string, validFrom?: string) {
    const draft = this.draft(ruleSetId, draftId);
    const date = validFrom ?? this.nextValidFrom(ruleSetId);
    this.validateCandidate(draft.document, date);
    return { valid: true as const, validFrom: date };
  }

  private nextValidFrom(ruleSetId: string): string {
    const latest = this.store.ruleSets.versionsOf(ruleSetId).at(-1);
    const today = this.clock.now().slice(0, 10);
    if (!latest || dayNumber(today) > dayNumber(latest.validFrom)) return today;
    const next = new Date((dayNumber(latest.validFrom) + 1) * 86_400_000).toISOString().slice(0, 10);
    return next;
  }

  /**
   * Publishes a draft as the next version, valid from `validFrom`; the draft is consumed. The
   * change note comes with the request or, without one, from the draft; one of them is needed.
   */
  publish(ruleSetId: string, draftId: string, validFrom: string, by: string, changes?: string | string[]): VersionRow {
    return this.store.transaction(() => {
      const draft = this.draft(ruleSetId, draftId);
      const note = changes === undefined ? draft.document.changes : typeof changes === 'string' ? [changes] : changes;
      if (note.length === 0)
        throw new ProblemError(
          422,
          'CHANGES_MISSING',
          'Beschrijf wat deze versie verandert: geef "changes" mee bij het publiceren, of vul ze in het concept in.',
          [{ path: '$.changes', message: 'Beschrijf wat er verandert.', code: 'CHANGES_MISSING' }],
        );
      this.validateCandidate(draft.document, validFrom);
      const version = (this.store.ruleSets.versionsOf(ruleSetId).at(-1)?.version ?? 0) + 1;
      const row = this.store.ruleSets.insertVersion(
        { ...draft.document, version, validFrom, changes: note },
        by,
        this.clock.now(),
      );
      this.store.ruleSets.deleteDraft(draftId);
      this.engineCache = undefined;
      return row;
    });
  }

  /** A structural diff between two versions, or a draft (`draft:<id>`) and any version. */
  diff(ruleSetId: string, from: string, to: string) {
    const resolve = (ref: string) => {
      if (ref.startsWith('draft:')) return this.draft(ruleSetId, ref.slice('draft:'.length)).document;
      const n = Number(ref);
      if (!Number.isInteger(n))
        throw new ProblemError(400, 'INVALID_QUERY', `Gebruik een versienummer of draft:<id>, niet ${ref}.`, [
          { path: '$.query.from', message: ref, code: 'invalid_value' },
        ]);
      return this.version(ruleSetId, n).document;
    };
    const before = resolve(from);
    const after = resolve(to);
    return { ruleSet: ruleSetId, from, to, changes: diffDocuments(before, after) };
  }

  // ---- evaluation and the decision log -----------------------------------------------------------

  /**
   * Decides a case and, unless it is a dry run, logs it. Returns the response as JSON text too:
   * the decision is serialised once, for the log and the answer alike (its trace makes it the
   * largest thing an evaluation writes).
   */
  async evaluate(input: unknown, options: { dryRun: boolean; by: string }) {
    const engine = this.engine();
    const validation = engine.validate(input);
    if (!validation.ok) throw new CaseValidationError(validation.issues);
    const decision = await engine.decideWith(validation.case, validation.effective);
    const decisionJson = JSON.stringify(decision);
    // `{ id, ...decision }` as text: the same bytes JSON.stringify would give
    const answer = (id: string | null) => ({ id, json: `{"id":${JSON.stringify(id)},${decisionJson.slice(1)}` });
    if (options.dryRun) return answer(null);
    // the log keeps the case as received (it passed validation, so it parses again on replay)
    const row = this.store.log.append(
      {
        municipality: validation.case.municipality,
        region: regionOf(validation.case.municipality),
        case: input as Case,
        decision,
        decidedBy: options.by,
      },
      this.clock.now(),
      decisionJson,
    );
    return answer(row.id);
  }

  /**
   * Decides a case with a draft or a version in place of the one in force for the case's date
   * (test bench, saved test cases). Nothing is logged.
   */
  async evaluateWith(
    ruleSetId: string,
    candidate: { draftId: string } | { version: number },
    input: unknown,
  ): Promise<Decision> {
    const document =
      'draftId' in candidate
        ? this.candidate(ruleSetId, candidate.draftId)
        : this.version(ruleSetId, candidate.version).document;
    const engine = this.engine();
    const parsed = Case.safeParse(input);
    if (!parsed.success) throw new CaseValidationError(issuesFromZod(parsed.error));
    const c = parsed.data;
    const region = regionOf(c.municipality);
    const inForceRegion = inForce(engine.repository.regionVersions(region), c.referenceDate);
    const inForceOverlay = inForce(engine.repository.overlayVersions(c.municipality), c.referenceDate);
    let regionVersion = inForceRegion as Versioned<RegionRuleSet> | undefined;
    let overlay = inForceOverlay;
    if (document.kind === 'region') {
      if (document.id !== region)
        throw new ProblemError(422, 'VERSION_NOT_APPLICABLE', `${c.municipality} hoort niet bij ${document.id}.`, [
          { path: '$.municipality', message: `Kies een gemeente van ${document.name}.`, code: 'invalid_value' },
        ]);
      regionVersion = versioned(document);
    } else {
      if (document.id !== c.municipality)
        throw new ProblemError(
          422,
          'VERSION_NOT_APPLICABLE',
          `Deze overlay is van ${document.id}, de casus van ${c.municipality}.`,
          [{ path: '$.municipality', message: `Verwacht ${document.id}.`, code: 'invalid_value' }],
        );
      overlay = versioned(document);
    }
    if (!regionVersion)
      throw new CaseValidationError([
        {
          path: '$.referenceDate',
          message: `Op ${c.referenceDate} gold nog geen regelset voor ${region}.`,
          code: 'NO_RULE_SET_IN_FORCE',
        },
      ]);
    const effective = compose(regionVersion, overlay);
    // the same checks as a live evaluation, against the candidate's catalogue
    const issues = issuesAgainst(c, effective);
    if (issues.length > 0) throw new CaseValidationError(issues);
    return engine.decideWith(c, effective);
  }

  testCases(ruleSetId: string) {
    return this.store.testCases.list(ruleSetId).map(testCaseView);
  }

  addTestCase(
    ruleSetId: string,
    body: { name: string; case: unknown; expected: { outcome: string; codes: string[] } },
    by: string,
  ) {
    const parsed = Case.safeParse(body.case);
    if (!parsed.success) throw new CaseValidationError(issuesFromZod(parsed.error, ['case']));
    return testCaseView(
      this.store.testCases.add({
        ruleSetId,
        name: body.name,
        caseJson: body.case,
        expectedOutcome: body.expected.outcome,
        expectedCodes: body.expected.codes,
        createdBy: by,
        createdAt: this.clock.now(),
      }),
    );
  }

  deleteTestCase(ruleSetId: string, id: string) {
    if (!this.store.testCases.delete(ruleSetId, id))
      throw new ProblemError(404, 'TEST_CASE_NOT_FOUND', `Testgeval ${id} bestaat niet.`);
  }

  /** Runs every saved test case of a rule set against a draft or version: a green/red list. */
  async runTestCases(ruleSetId: string, candidate: { draftId: string } | { version: number }) {
    const results = [];
    for (const t of this.store.testCases.list(ruleSetId)) {
      try {
        const decision = await this.evaluateWith(ruleSetId, candidate, t.caseJson);
        const codes = decision.reasons.map((r) => r.code);
        const pass =
          decision.outcome === t.expectedOutcome &&
          t.expectedCodes.every((code) => codes.includes(code)) &&
          codes.every((code) => t.expectedCodes.includes(code));
        results.push({ ...testCaseView(t), actual: { outcome: decision.outcome, codes }, pass });
      } catch (error) {
        results.push({
          ...testCaseView(t),
          actual: null,
          pass: false,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return { passed: results.filter((r) => r.pass).length, failed: results.filter((r) => !r.pass).length, results };
  }

  decision(id: string): DecisionRow {
    const row = this.store.log.get(id);
    if (!row) throw new ProblemError(404, 'DECISION_NOT_FOUND', `Beslissing ${id} staat niet in het logboek.`);
    return row;
  }

  private versioned(id: string, version: number): Versioned {
    const row = this.version(id, version);
    return { document: row.document, contentHash: row.contentHash };
  }

  /** Re-decides a logged case against the recorded versions, those in force now, or a chosen version. */
  async replay(id: string, against: ReplayTarget) {
    const row = this.decision(id);
    const original = row.decisionJson;
    const c = Case.parse(row.caseJson);
    const replayed = await this.decideAgainst(c, original.ruleSets, against);
    return { original, replayed, ...compareDecisions(original, replayed) };
  }

  /** Decides a logged case with another composition of versions (replay, impact analysis). */
  async decideAgainst(
    c: Case,
    /** The versions the logged decision used. */
    recorded: readonly RuleSetRef[],
    against: ReplayTarget | { candidate: Versioned },
    /** Compositions already made, by the hashes they combine: impact analysis passes one per job. */
    compositions?: Map<string, EffectiveRuleSet>,
  ): Promise<Decision> {
    const engine = this.engine();
    if (against === 'in-force') return engine.decide(c);
    const [regionRef, overlayRef] = recorded;
    const key = `${regionRef!.contentHash}|${overlayRef?.contentHash ?? ''}|${c.municipality}`;
    let effective = compositions?.get(key);
    if (!effective) {
      let region = this.versioned(regionRef!.id, regionRef!.version) as Versioned<RegionRuleSet>;
      let overlay = overlayRef
        ? (this.versioned(overlayRef.id, overlayRef.version) as Versioned<MunicipalityOverlay>)
        : undefined;
      if (against !== 'recorded') {
        const chosen = 'candidate' in against ? against.candidate : this.versioned(against.ruleSet, against.version);
        if (chosen.document.kind === 'region' && chosen.document.id === region.document.id)
          region = chosen as Versioned<RegionRuleSet>;
        else if (chosen.document.kind === 'municipality' && chosen.document.id === c.municipality)
          overlay = chosen as Versioned<MunicipalityOverlay>;
        else {
          throw new ProblemError(
            422,
            'VERSION_NOT_APPLICABLE',
            `${chosen.document.id} versie ${chosen.document.version} hoort niet bij deze beslissing (gemeente ${c.municipality}).`,
          );
        }
      }
      effective = compose(region, overlay);
      compositions?.set(key, effective);
    }
    return engine.decideWith(c, effective);
  }
}

function testCaseView(t: TestCaseRow) {
  return {
    id: t.id,
    ruleSetId: t.ruleSetId,
    name: t.name,
    case: t.caseJson,
    expected: { outcome: t.expectedOutcome, codes: t.expectedCodes },
    createdBy: t.createdBy,
    createdAt: t.createdAt,
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
  };
}
