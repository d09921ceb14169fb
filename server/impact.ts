/**
 * Impact analysis: re-decide logged decisions with a candidate (a draft or a version) in place of
 * the version they used, and count what changes. Runs as a job that reports progress and can be
 * cancelled; decisions stream from the store in batches, so memory stays flat as the log grows.
 */
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { versioned, type EffectiveRuleSet } from '../engine/compose.js';
import { CompositionError } from '../engine/errors.js';
import { Case, OUTCOMES, type Decision, type Outcome, type RuleSetDocument } from '../engine/schema.js';
import type { DecisionFilter } from './db/store.js';
import { ProblemError } from './problems.js';
import type { RulesService } from './service.js';

export interface ImpactRequest {
  candidate: { draftId: string; ruleSet: string } | { ruleSet: string; version: number };
  filter: DecisionFilter;
}

export interface ChangedDecision {
  decisionId: string;
  municipality: string;
  referenceDate: string;
  before: { outcome: Outcome; codes: string[]; totalCents: number | null };
  after: { outcome: Outcome; codes: string[]; totalCents: number | null };
}

export interface ImpactJob {
  id: string;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  processed: number;
  total: number;
  candidate: ImpactRequest['candidate'];
  outcomes: { before: Record<Outcome, number>; after: Record<Outcome, number> };
  tariffCents: { before: number; after: number };
  changedCount: number;
  changed: ChangedDecision[];
  /** Decisions the candidate cannot be combined with (e.g. an overlay that does not fit the regional version they used). */
  skipped: number;
  skippedReason?: string;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

/** At most this many changed decisions are kept for paging; the counts cover all of them. */
const MAX_CHANGED_KEPT = 50_000;
const BATCH = 500;

const summary = (d: Decision) => ({
  outcome: d.outcome,
  codes: d.reasons.map((r) => r.code),
  totalCents: d.tariff?.totalCents ?? null,
});

const zeroOutcomes = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

export class ImpactJobs {
  private readonly jobs = new Map<string, ImpactJob>();
  private readonly cancelled = new Set<string>();

  constructor(private readonly service: RulesService) {}

  /** Starts a job and returns it at once; `done` resolves when it ends (tests await it). */
  start(request: ImpactRequest, batchSize = BATCH): { job: ImpactJob; done: Promise<ImpactJob> } {
    const document = this.candidateDocument(request);
    const filter: DecisionFilter =
      document.kind === 'region'
        ? { ...request.filter, region: document.id }
        : { ...request.filter, municipality: document.id };
    const job: ImpactJob = {
      id: randomUUID(),
      status: 'running',
      processed: 0,
      total: this.service.store.countDecisions(filter),
      candidate: request.candidate,
      outcomes: { before: zeroOutcomes(), after: zeroOutcomes() },
      tariffCents: { before: 0, after: 0 },
      changedCount: 0,
      changed: [],
      skipped: 0,
      startedAt: this.service.clock.now(),
    };
    this.jobs.set(job.id, job);
    const done = this.run(job, document, filter, batchSize).then(
      () => job,
      (error: unknown) => {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        return job;
      },
    );
    return { job, done };
  }

  private candidateDocument(request: ImpactRequest): RuleSetDocument {
    const c = request.candidate;
    if ('draftId' in c) return this.service.draft(c.ruleSet, c.draftId).document;
    return this.service.version(c.ruleSet, c.version).document;
  }

  private async run(job: ImpactJob, document: RuleSetDocument, filter: DecisionFilter, batchSize: number) {
    // hash the candidate once and compose it once per regional/overlay version pair, not per decision
    const candidate = versioned(document);
    const compositions = new Map<string, EffectiveRuleSet>();
    const refused = new Map<string, CompositionError>();
    for (const batch of this.service.store.iterateDecisions(filter, batchSize)) {
      if (this.cancelled.has(job.id)) {
        job.status = 'cancelled';
        job.finishedAt = this.service.clock.now();
        return;
      }
      for (const row of batch) {
        const before = row.decisionJson;
        const pair = before.ruleSets.map((r) => r.contentHash).join('|');
        let after;
        try {
          if (refused.has(pair)) throw refused.get(pair);
          after = await this.service.decideAgainst(Case.parse(row.caseJson), before, { candidate }, compositions);
        } catch (error) {
          if (!(error instanceof CompositionError)) throw error;
          refused.set(pair, error);
          job.skipped += 1;
          job.skippedReason ??= error.message;
          job.processed += 1;
          continue;
        }
        job.outcomes.before[before.outcome] += 1;
        job.outcomes.after[after.outcome] += 1;
        job.tariffCents.before += before.tariff?.totalCents ?? 0;
        job.tariffCents.after += after.tariff?.totalCents ?? 0;
        // what a person would call a change: outcome, reasons or tariff (not the versions or trace)
        const b = summary(before);
        const a = summary(after);
        if (
          b.outcome !== a.outcome ||
          b.codes.join() !== a.codes.join() ||
          JSON.stringify(before.tariff) !== JSON.stringify(after.tariff)
        ) {
          job.changedCount += 1;
          if (job.changed.length < MAX_CHANGED_KEPT) {
            job.changed.push({
              decisionId: row.id,
              municipality: row.municipality,
              referenceDate: row.referenceDate,
              before: b,
              after: a,
            });
          }
        }
        job.processed += 1;
      }
      // let requests (progress polls, cancel) in between batches
      await yieldToEventLoop();
    }
    job.status = 'done';
    job.finishedAt = this.service.clock.now();
  }

  get(id: string): ImpactJob {
    const job = this.jobs.get(id);
    if (!job) throw new ProblemError(404, 'IMPACT_JOB_NOT_FOUND', `Impactanalyse ${id} bestaat niet.`);
    return job;
  }

  cancel(id: string): ImpactJob {
    const job = this.get(id);
    if (job.status === 'running') this.cancelled.add(id);
    return job;
  }
}
