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
import {
  composeCandidate,
  CompositionError,
  OUTCOMES,
  parseCase,
  recordedComposition,
  versioned,
  type Case,
  type Decision,
  type DecisionEngine,
  type EffectiveRuleSet,
  type Outcome,
  type RuleSetDocument,
  type Versioned,
} from '../engine/index.js';
import type { Clock } from './clock.js';
import type { DecisionFilter, DecisionSummaryRow, SeqRange } from './db/log.js';
import type { JobEnd, JobRow } from './db/jobs.js';
import type { Store, StoreLocation } from './db/store.js';
import { NotFoundError, TooManyJobsError } from './errors.js';
import type { JobBoard } from './jobs.js';
import { MAX_WORKERS, workerPool } from './worker-pool.js';

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
/**
 * Decisions per batch: enough that the cost per query and per message is small, few enough that
 * a batch's rows die young in the garbage collector instead of being promoted (reading the log
 * in batches of 5,000 cost 6.1 µs a row, of 500 3.6 µs).
 */
const BATCH = 500;
/** Below this many decisions a worker costs more to start than it saves. */
const PARALLEL_FROM = 20_000;

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

/** The versions a logged decision used, as a key. */
function versionsKey(row: DecisionSummaryRow): string {
  let key = '';
  for (const r of row.ruleSets) key += `${r.contentHash}|`;
  return key;
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
    const key = `${versionsKey(row)}|${c.municipality}`;
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
      const pair = versionsKey(row);
      let after: Decision;
      try {
        if (this.refused.has(pair)) throw this.refused.get(pair);
        // the logged text may omit what the schema defaults (fields left out of the request):
        // parsed again, the case is what was decided. By the engine's generated validator, not
        // zod (a seventh of the work): equal to zod's parse, and the case was valid when logged
        const parsed = parseCase(JSON.parse(row.caseJson));
        if (!parsed.ok)
          throw new Error(`De vastgelegde casus van beslissing ${row.id} past niet (meer) in het schema.`);
        const c = parsed.case;
        // no trace: only the outcome, reasons and tariff are compared
        after = await this.engine.decideWith(c, this.compose(c, row), { trace: false });
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
        // the column verify holds equal to the tariff's total: no parse of the tariff per decision
        totalCents: row.totalCents,
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

/** What impact jobs need of the server: the store, the jobs board, the clock, the engine and a candidate's document. */
export interface ImpactDependencies {
  store: Pick<Store, 'location' | 'log' | 'jobs'>;
  board: JobBoard;
  clock: Clock;
  /** The engine over the published versions now. */
  engine(): Promise<DecisionEngine>;
  /** The document of a draft or a published version; throws NotFoundError when there is none. */
  candidate(candidate: ImpactRequest['candidate']): Promise<RuleSetDocument>;
}

/** What a job needs to run, on whichever node: kept with it in the database. */
interface ImpactParams {
  document: RuleSetDocument;
  filter: DecisionFilter;
  workers: number;
  batchSize: number;
}

/** A job's progress as the database keeps it: everything but the changed decisions (its result). */
const stateOf = ({ changed: _changed, ...job }: ImpactJob) => JSON.stringify(job);

/** A job as the database has it (another node runs or ran it). */
function fromRow(row: JobRow): ImpactJob {
  const state = JSON.parse(row.state) as Omit<ImpactJob, 'changed'>;
  return {
    ...state,
    status: row.status,
    changed: row.result === null ? [] : (JSON.parse(row.result) as ChangedDecision[]),
    ...(row.error !== null && { error: row.error }),
    ...(row.finishedAt !== null && { finishedAt: row.finishedAt }),
  };
}

/**
 * Impact analysis jobs, kept in the database: started on one node, which runs them in its worker
 * threads; read and cancelled from any; run again by another node when theirs goes away (see
 * server/jobs.ts). Jobs this node runs are read from memory, live.
 */
export class ImpactJobs {
  /** The jobs this node runs, updated as they go. */
  private readonly local = new Map<string, { job: ImpactJob; stop: (why: 'cancel' | 'abandon') => void }>();
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
    deps.board.onTakeOver('impact', (row) => void this.takeOver(row));
    void this.warmWorkers();
  }

  /**
   * A log large enough for worker threads: they start now, in the background and at low priority,
   * so that the first job (and the first verification, which uses the same pool) does not spend
   * a second or two loading code into them. A small log starts none: tests make many servers.
   */
  private async warmWorkers() {
    try {
      if ((await this.deps.store.log.head()).seq >= this.limits.parallelFrom)
        workerPool().warm(Math.min(this.limits.threads, MAX_WORKERS));
    } catch {
      // the store closed already: nothing to warm for
    }
  }

  /** Forgets finished jobs older than `keepForMs`, and the oldest beyond `keepFinished`. */
  private prune(): Promise<void> {
    const before = new Date(Date.parse(this.deps.clock.now()) - this.limits.keepForMs).toISOString();
    return this.deps.store.jobs.prune('impact', this.limits.keepFinished, before);
  }

  /**
   * Starts a job and returns it once it runs; `done` resolves when it ends (tests await it).
   * Refused (TOO_MANY_JOBS) beyond the limits on running jobs per user and in all (over every
   * node), and when a log that needs worker threads finds none free on this node.
   */
  async start(
    request: ImpactRequest,
    options: ImpactOptions = {},
    startedBy: JobOwner = { name: 'system', role: 'system', scope: null },
  ): Promise<{ job: ImpactJob; done: Promise<ImpactJob> }> {
    await this.prune();
    const document = await this.deps.candidate(request.candidate);
    const filter: DecisionFilter =
      document.kind === 'region'
        ? { ...request.filter, region: document.id }
        : { ...request.filter, municipality: document.id };
    const total = await this.deps.store.log.count(filter);
    const wanted =
      options.workers ?? (total >= this.limits.parallelFrom ? Math.min(this.limits.threads, MAX_WORKERS) : 1);
    let workers = wanted;
    // an explicit number of workers (tests, benchmarks) is taken as given
    if (wanted > 1 && options.workers === undefined) {
      // threads bounded by this node's cores over every job it runs: a large log waits for free ones
      const free = this.limits.threads - this.threadsInUse();
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
    const params: ImpactParams = { document, filter, workers, batchSize: options.batchSize ?? BATCH };
    const refused = await this.deps.store.jobs.add(
      {
        id: job.id,
        kind: 'impact',
        ownerName: startedBy.name,
        ownerRole: startedBy.role,
        ownerScope: startedBy.scope,
        params: JSON.stringify(params),
        state: stateOf(job),
        claimedBy: this.deps.board.node,
        leaseUntil: this.deps.board.leaseUntil(),
        startedAt: job.startedAt,
      },
      { perOwner: this.limits.perUser, total: this.limits.running },
    );
    if (refused === 'owner')
      throw busy(
        `${startedBy.name} heeft al ${this.limits.perUser} impactanalyses lopen; wacht tot er een klaar is of breek er een af.`,
      );
    if (refused === 'total')
      throw busy(
        `Er lopen al ${this.limits.running} impactanalyses; probeer het over ${RETRY_AFTER_SECONDS} seconden opnieuw.`,
      );
    return { job, done: this.run(job, params) };
  }

  private threadsInUse(): number {
    return [...this.local.values()].reduce((n, { job }) => n + (job.workers > 1 ? job.workers : 0), 0);
  }

  /** Runs a job that another node started and left: again from the beginning. */
  private async takeOver(row: JobRow): Promise<void> {
    const before = fromRow(row);
    if (row.cancelRequested) {
      await this.deps.board.finish(row.id, {
        status: 'cancelled',
        state: row.state,
        result: row.result,
        error: null,
        finishedAt: this.deps.clock.now(),
      });
      return;
    }
    const params = JSON.parse(row.params) as ImpactParams;
    // this node's cores, which may be fewer than those of the node that started it
    const workers = params.workers > 1 ? Math.max(2, Math.min(params.workers, this.limits.threads)) : 1;
    const job: ImpactJob = {
      ...before,
      ...emptyTally(),
      status: 'running',
      workers,
    };
    await this.run(job, { ...params, workers });
  }

  /** Runs a job on this node, holding it on the board until it ends, and writes how it ended. */
  private run(job: ImpactJob, params: ImpactParams): Promise<ImpactJob> {
    let stopped: 'cancel' | 'abandon' | undefined;
    const stoppers: (() => void)[] = [];
    const stop = (why: 'cancel' | 'abandon') => {
      stopped ??= why;
      for (const s of stoppers) s();
    };
    const control: RunControl = {
      stopped: () => stopped !== undefined,
      onStop: (s) => stoppers.push(s),
    };
    this.local.set(job.id, { job, stop });
    this.deps.board.hold(job.id, {
      state: () => stateOf(job),
      cancel: () => stop('cancel'),
      abandon: () => stop('abandon'),
    });
    const running = params.workers > 1 ? this.runInWorkers(job, params, control) : this.runHere(job, params, control);
    return running
      .then(
        () => {
          job.status = stopped === undefined ? 'done' : 'cancelled';
        },
        (error: unknown) => {
          job.status = stopped === undefined ? 'failed' : 'cancelled';
          if (stopped === undefined) job.error = error instanceof Error ? error.message : String(error);
        },
      )
      .then(async () => {
        if (stopped === 'abandon') {
          // another node holds it now (or will): it is no longer this node's to end
          job.status = 'running';
          this.local.delete(job.id);
          return job;
        }
        job.finishedAt = this.deps.clock.now();
        try {
          await this.deps.board.finish(job.id, {
            status: job.status as JobEnd['status'],
            state: stateOf(job),
            result: JSON.stringify(job.changed),
            error: job.error ?? null,
            finishedAt: job.finishedAt,
          });
        } finally {
          this.local.delete(job.id);
        }
        return job;
      });
  }

  /** On the server's thread, yielding between batches so requests (progress, cancel) get in. */
  private async runHere(job: ImpactJob, params: ImpactParams, control: RunControl) {
    const analysis = new ImpactAnalysis(await this.deps.engine(), params.document);
    for await (const batch of this.deps.store.log.summaries(params.filter, params.batchSize)) {
      if (control.stopped()) return;
      await analysis.batch(batch, job);
      await yieldToEventLoop();
    }
  }

  /**
   * In worker threads of the process's pool, each over its own range of the log with its own
   * read-only connection. Changed decisions arrive per worker and are put back in log order at the end.
   */
  private async runInWorkers(job: ImpactJob, params: ImpactParams, control: RunControl) {
    const { document, filter, batchSize } = params;
    const ranges = await this.deps.store.log.seqRanges(filter, params.workers);
    const parts = ranges.map(() => emptyTally());
    const runs = ranges.map((range, k) =>
      workerPool().run<WorkerMessage>(
        'impact',
        { location: this.deps.store.location, document, filter, range, batchSize } satisfies WorkerTask,
        (message) => {
          if (message.type === 'done') return;
          addTally(parts[k]!, message.tally);
          // the running totals, with changed decisions in the order they arrive
          addTally(job, message.tally);
        },
      ),
    );
    const stopAll = () => {
      for (const r of runs) r.stop();
    };
    control.onStop(stopAll);
    try {
      await Promise.all(runs.map((r) => r.done));
    } catch (error) {
      // one range failed: the others' results would say nothing
      stopAll();
      throw error;
    }
    if (control.stopped()) return;
    job.changed = parts.flatMap((p) => p.changed).slice(0, MAX_CHANGED_KEPT);
  }

  /** A job, from any node: live when this node runs it, else as the database has it. */
  async get(id: string): Promise<ImpactJob> {
    await this.prune();
    const local = this.local.get(id);
    if (local) return local.job;
    const row = await this.deps.store.jobs.get(id);
    if (!row || row.kind !== 'impact')
      throw new NotFoundError('IMPACT_JOB_NOT_FOUND', `Impactanalyse ${id} bestaat niet.`);
    return fromRow(row);
  }

  /** Cancels a job: at once when this node runs it, else at the next heartbeat of the node that does. */
  async cancel(id: string): Promise<ImpactJob> {
    const local = this.local.get(id);
    if (local) {
      local.stop('cancel');
      return local.job;
    }
    const job = await this.get(id);
    if (job.status === 'running') await this.deps.store.jobs.requestCancel(id);
    return job;
  }
}

/** How a running job learns that it is to stop. */
interface RunControl {
  stopped(): boolean;
  onStop(stop: () => void): void;
}

const busy = (message: string) => new TooManyJobsError('TOO_MANY_JOBS', message, RETRY_AFTER_SECONDS);
