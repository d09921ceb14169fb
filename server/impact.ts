/**
 * Impact analysis: re-decide logged decisions with a candidate (a draft or a version) in place of
 * the version they used, and count what changes. Runs as a job that reports progress and can be
 * cancelled; decisions stream from the store in batches, so memory stays flat as the log grows.
 * A large log is split into ranges analysed by worker threads side by side (one per core), which
 * also keeps the server's own thread free to answer evaluations meanwhile.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import {
  Case,
  composeCandidate,
  CompositionError,
  OUTCOMES,
  recordedComposition,
  versioned,
  type Decision,
  type DecisionEngine,
  type EffectiveRuleSet,
  type Outcome,
  type RuleSetDocument,
  type Tariff,
  type Versioned,
} from '../engine/index.js';
import type { Clock } from './clock.js';
import type { DecisionFilter, DecisionSummaryRow, SeqRange } from './db/log.js';
import type { Store, StoreLocation } from './db/store.js';
import { NotFoundError, TooManyJobsError } from './errors.js';

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

/** What analysing some decisions found; a job adds up the tallies of its batches. */
export interface ImpactTally {
  processed: number;
  outcomes: { before: Record<Outcome, number>; after: Record<Outcome, number> };
  tariffCents: { before: number; after: number };
  changedCount: number;
  /** Changed decisions in log order (at most MAX_CHANGED_KEPT per job). */
  changed: ChangedDecision[];
  /** Decisions the candidate cannot be combined with (e.g. an overlay that does not fit the regional version they used). */
  skipped: number;
  skippedReason?: string;
}

/** Who started a job: what it is kept against (limits) and who may see it (see routes/impact.ts). */
export interface JobOwner {
  name: string;
  role: string;
  scope: string | null;
}

export interface ImpactJob extends ImpactTally {
  id: string;
  startedBy: JobOwner;
  status: 'running' | 'done' | 'cancelled' | 'failed';
  total: number;
  candidate: ImpactRequest['candidate'];
  /** How many worker threads analyse the log (1: the server's own thread). */
  workers: number;
  error?: string;
  startedAt: string;
  finishedAt?: string;
}

/** Limits on impact analysis jobs, so that a few requests cannot take the server's memory and cores. */
export interface ImpactLimits {
  /** Running jobs per user (default 2). */
  perUser?: number;
  /** Running jobs in all (default 4). */
  running?: number;
  /** Worker threads in all, over every running job (default: the cores). */
  threads?: number;
  /** Finished jobs kept to read back (default 20, the oldest go first)… */
  keepFinished?: number;
  /** …and for at most this long after they finished (default an hour). */
  keepForMs?: number;
  /** Logs of this many decisions or more are split over worker threads (default 20,000). */
  parallelFrom?: number;
}

/** How long a refused caller is asked to wait before starting another job. */
const RETRY_AFTER_SECONDS = 10;

export interface ImpactOptions {
  /** Decisions read and decided per batch; progress and cancelling happen between batches. */
  batchSize?: number;
  /**
   * Worker threads; by default one per free core (up to MAX_WORKERS) for logs of PARALLEL_FROM
   * decisions or more. Given explicitly (tests, benchmarks), the limit on threads does not apply.
   */
  workers?: number;
}

/** At most this many changed decisions are kept for paging; the counts cover all of them. */
const MAX_CHANGED_KEPT = 50_000;
const BATCH = 500;
/** Below this many decisions a worker costs more to start than it saves. */
const PARALLEL_FROM = 20_000;
const MAX_WORKERS = 4;

const zeroOutcomes = () => Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>;

export function emptyTally(): ImpactTally {
  return {
    processed: 0,
    outcomes: { before: zeroOutcomes(), after: zeroOutcomes() },
    tariffCents: { before: 0, after: 0 },
    changedCount: 0,
    changed: [],
    skipped: 0,
  };
}

function addTally(into: ImpactTally, tally: ImpactTally) {
  into.processed += tally.processed;
  into.skipped += tally.skipped;
  into.skippedReason ??= tally.skippedReason;
  for (const o of OUTCOMES) {
    into.outcomes.before[o] += tally.outcomes.before[o];
    into.outcomes.after[o] += tally.outcomes.after[o];
  }
  into.tariffCents.before += tally.tariffCents.before;
  into.tariffCents.after += tally.tariffCents.after;
  into.changedCount += tally.changedCount;
  const room = MAX_CHANGED_KEPT - into.changed.length;
  if (room > 0) into.changed.push(...tally.changed.slice(0, room));
}

/**
 * Re-decides a stream of logged decisions with one candidate: what the server's thread and each
 * worker run, over an engine of the published versions. The candidate is hashed once and composed
 * (by the engine's `composeCandidate`) once per regional/overlay version pair.
 */
export class ImpactAnalysis {
  private readonly candidate: Versioned;
  /** Compositions by the versions a decision used and its municipality: a handful per job. */
  private readonly compositions = new Map<string, EffectiveRuleSet>();
  private readonly refused = new Map<string, CompositionError>();

  constructor(
    private readonly engine: DecisionEngine,
    document: RuleSetDocument,
  ) {
    this.candidate = versioned(document);
  }

  /** The candidate in place of the version of its rule set that a logged decision used. */
  private compose(c: Case, row: DecisionSummaryRow): EffectiveRuleSet {
    const key = `${row.ruleSets.map((r) => r.contentHash).join('|')}|${c.municipality}`;
    let effective = this.compositions.get(key);
    if (!effective) {
      const { repository } = this.engine;
      const base = recordedComposition(row.ruleSets, (ref) => {
        const found = repository.find(ref.id, ref.version);
        // published versions never change nor go away: a decision cannot name one that is not there
        if (!found) throw new Error(`Versie ${ref.version} van ${ref.id} ontbreekt.`);
        return found;
      });
      effective = composeCandidate(c, base, this.candidate);
      this.compositions.set(key, effective);
    }
    return effective;
  }

  async batch(rows: readonly DecisionSummaryRow[], tally: ImpactTally): Promise<void> {
    for (const row of rows) {
      const pair = row.ruleSets.map((r) => r.contentHash).join('|');
      let after: Decision;
      try {
        if (this.refused.has(pair)) throw this.refused.get(pair);
        const c = Case.parse(JSON.parse(row.caseJson));
        after = await this.engine.decideWith(c, this.compose(c, row));
      } catch (error) {
        if (!(error instanceof CompositionError)) throw error;
        this.refused.set(pair, error);
        tally.skipped += 1;
        tally.skippedReason ??= error.message;
        tally.processed += 1;
        continue;
      }
      const before = {
        outcome: row.outcome as Outcome,
        codes: row.reasonCodes,
        totalCents: (JSON.parse(row.tariffJson) as Tariff | null)?.totalCents ?? null,
      };
      const a = {
        outcome: after.outcome,
        codes: after.reasons.map((r) => r.code),
        totalCents: after.tariff?.totalCents ?? null,
      };
      tally.outcomes.before[before.outcome] += 1;
      tally.outcomes.after[a.outcome] += 1;
      tally.tariffCents.before += before.totalCents ?? 0;
      tally.tariffCents.after += a.totalCents ?? 0;
      // what a person would call a change: outcome, reasons or tariff (not the versions or trace)
      if (
        before.outcome !== a.outcome ||
        before.codes.join() !== a.codes.join() ||
        row.tariffJson !== JSON.stringify(after.tariff)
      ) {
        tally.changedCount += 1;
        if (tally.changed.length < MAX_CHANGED_KEPT) {
          tally.changed.push({
            decisionId: row.id,
            municipality: row.municipality,
            referenceDate: row.referenceDate,
            before,
            after: a,
          });
        }
      }
      tally.processed += 1;
    }
  }
}

/** What a worker is given (see impact-worker.ts). */
export interface WorkerTask {
  /** The store, which the worker opens for reading. */
  location: StoreLocation;
  document: RuleSetDocument;
  filter: DecisionFilter;
  range: SeqRange;
  batchSize: number;
}

/** What a worker reports: a tally per batch, then that it is done. */
export type WorkerMessage = { type: 'tally'; tally: ImpactTally } | { type: 'done' };

const WORKER_BOOT = new URL('./worker.boot.mjs', import.meta.url);

/** What impact jobs need of the server: the store, the clock, the engine and a candidate's document. */
export interface ImpactDependencies {
  store: Pick<Store, 'location' | 'log'>;
  clock: Clock;
  /** The engine over the published versions now. */
  engine(): Promise<DecisionEngine>;
  /** The document of a draft or a published version; throws NotFoundError when there is none. */
  candidate(candidate: ImpactRequest['candidate']): Promise<RuleSetDocument>;
}

export class ImpactJobs {
  private readonly jobs = new Map<string, ImpactJob>();
  private readonly cancellers = new Map<string, () => void>();
  private readonly limits: Required<ImpactLimits>;

  constructor(
    private readonly deps: ImpactDependencies,
    limits: ImpactLimits = {},
  ) {
    this.limits = {
      perUser: limits.perUser ?? 2,
      running: limits.running ?? 4,
      threads: limits.threads ?? availableParallelism(),
      keepFinished: limits.keepFinished ?? 20,
      keepForMs: limits.keepForMs ?? 60 * 60 * 1000,
      parallelFrom: limits.parallelFrom ?? PARALLEL_FROM,
    };
  }

  private runningJobs(): ImpactJob[] {
    return [...this.jobs.values()].filter((j) => j.status === 'running');
  }

  /** Forgets finished jobs older than `keepForMs`, and the oldest beyond `keepFinished`. */
  private prune() {
    const now = Date.parse(this.deps.clock.now());
    const finished = [...this.jobs.values()]
      .filter((j) => j.status !== 'running')
      .sort((a, b) => (a.finishedAt ?? '').localeCompare(b.finishedAt ?? ''));
    finished.forEach((job, i) => {
      const expired = now - Date.parse(job.finishedAt ?? job.startedAt) > this.limits.keepForMs;
      if (expired || i < finished.length - this.limits.keepFinished) this.jobs.delete(job.id);
    });
  }

  /**
   * Starts a job and returns it once it runs; `done` resolves when it ends (tests await it).
   * Refused (TOO_MANY_JOBS) beyond the limits on running jobs per user and in all, and when a log
   * that needs worker threads finds none free.
   */
  async start(
    request: ImpactRequest,
    options: ImpactOptions = {},
    startedBy: JobOwner = { name: 'system', role: 'system', scope: null },
  ): Promise<{ job: ImpactJob; done: Promise<ImpactJob> }> {
    this.prune();
    const busy = (message: string) => new TooManyJobsError('TOO_MANY_JOBS', message, RETRY_AFTER_SECONDS);
    const refuseBeyondLimits = () => {
      const running = this.runningJobs();
      if (running.filter((j) => j.startedBy.name === startedBy.name).length >= this.limits.perUser)
        throw busy(
          `${startedBy.name} heeft al ${this.limits.perUser} impactanalyses lopen; wacht tot er een klaar is of breek er een af.`,
        );
      if (running.length >= this.limits.running)
        throw busy(
          `Er lopen al ${this.limits.running} impactanalyses; probeer het over ${RETRY_AFTER_SECONDS} seconden opnieuw.`,
        );
      return running;
    };
    refuseBeyondLimits();
    const document = await this.deps.candidate(request.candidate);
    const filter: DecisionFilter =
      document.kind === 'region'
        ? { ...request.filter, region: document.id }
        : { ...request.filter, municipality: document.id };
    const total = await this.deps.store.log.count(filter);
    // again, in the tick that registers the job: others may have started while the store answered
    const running = refuseBeyondLimits();
    const wanted =
      options.workers ?? (total >= this.limits.parallelFrom ? Math.min(this.limits.threads, MAX_WORKERS) : 1);
    let workers = wanted;
    // an explicit number of workers (tests, benchmarks) is taken as given
    if (wanted > 1 && options.workers === undefined) {
      // threads bounded by the cores over every running job: a large log waits for free ones
      const free = this.limits.threads - running.reduce((n, j) => n + (j.workers > 1 ? j.workers : 0), 0);
      if (free < 2)
        throw busy(
          `Alle rekenthreads zijn bezet door andere impactanalyses; probeer het over ${RETRY_AFTER_SECONDS} seconden opnieuw.`,
        );
      workers = Math.min(wanted, free);
    }
    const job: ImpactJob = {
      id: randomUUID(),
      startedBy,
      status: 'running',
      total,
      candidate: request.candidate,
      workers,
      ...emptyTally(),
      startedAt: this.deps.clock.now(),
    };
    this.jobs.set(job.id, job);
    const batchSize = options.batchSize ?? BATCH;
    const run =
      workers > 1
        ? this.runInWorkers(job, document, filter, batchSize)
        : this.runHere(job, document, filter, batchSize);
    const done = run.then(
      () => {
        job.finishedAt = this.deps.clock.now();
        this.cancellers.delete(job.id);
        return job;
      },
      (error: unknown) => {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        job.finishedAt = this.deps.clock.now();
        this.cancellers.delete(job.id);
        return job;
      },
    );
    return { job, done };
  }

  /** On the server's thread, yielding between batches so requests (progress, cancel) get in. */
  private async runHere(job: ImpactJob, document: RuleSetDocument, filter: DecisionFilter, batchSize: number) {
    let cancelled = false;
    this.cancellers.set(job.id, () => (cancelled = true));
    const analysis = new ImpactAnalysis(await this.deps.engine(), document);
    for await (const batch of this.deps.store.log.summaries(filter, batchSize)) {
      if (cancelled) {
        job.status = 'cancelled';
        return;
      }
      await analysis.batch(batch, job);
      await yieldToEventLoop();
    }
    job.status = 'done';
  }

  /**
   * In worker threads, each over its own range of the log with its own read-only connection.
   * Changed decisions arrive per worker and are put back in log order at the end.
   */
  private async runInWorkers(job: ImpactJob, document: RuleSetDocument, filter: DecisionFilter, batchSize: number) {
    const ranges = await this.deps.store.log.seqRanges(filter, job.workers);
    const parts = ranges.map(() => emptyTally());
    const threads = ranges.map(
      (range) =>
        new Worker(WORKER_BOOT, {
          workerData: {
            entry: './impact-worker.ts',
            task: { location: this.deps.store.location, document, filter, range, batchSize } satisfies WorkerTask,
          },
        }),
    );
    this.cancellers.set(job.id, () => {
      job.status = 'cancelled';
      for (const t of threads) void t.terminate();
    });
    try {
      await Promise.all(
        threads.map(
          (thread, k) =>
            new Promise<void>((resolve, reject) => {
              let finished = false;
              thread.on('message', (message: WorkerMessage) => {
                if (message.type === 'done') {
                  finished = true;
                  return;
                }
                addTally(parts[k]!, message.tally);
                // the running totals, with changed decisions in the order they arrive
                addTally(job, message.tally);
              });
              thread.on('error', reject);
              thread.on('exit', (code) => {
                if (finished || job.status === 'cancelled') resolve();
                else reject(new Error(`Een rekenthread van de impactanalyse stopte onverwacht (code ${code}).`));
              });
            }),
        ),
      );
    } finally {
      for (const t of threads) void t.terminate();
    }
    if (job.status === 'cancelled') return;
    job.changed = parts.flatMap((p) => p.changed).slice(0, MAX_CHANGED_KEPT);
    job.status = 'done';
  }

  get(id: string): ImpactJob {
    this.prune();
    const job = this.jobs.get(id);
    if (!job) throw new NotFoundError('IMPACT_JOB_NOT_FOUND', `Impactanalyse ${id} bestaat niet.`);
    return job;
  }

  cancel(id: string): ImpactJob {
    const job = this.get(id);
    if (job.status === 'running') this.cancellers.get(id)?.();
    return job;
  }
}
