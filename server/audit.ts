/**
 * Verifying the store: every log entry's hash over its stored text, the links between entries,
 * sequence numbers without gaps, the columns beside the texts (tariff copy, outcome, reason
 * codes, …) against what the hashed texts say, every signed checkpoint (database and file)
 * against the log — which finds deleted last entries and recomputed chains — and every
 * published version's document against its content hash.
 *
 * It runs as a job in pooled worker threads with read-only connections (server/verify-worker.ts),
 * reporting progress, so the server's thread keeps answering while a large log is read.
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { contentHash } from '../engine/index.js';
import type { Clock } from './clock.js';
import { governanceHash } from './db/governance.js';
import type { JobRow } from './db/jobs.js';
import { CanonicalRuleSets, entryFieldsText, GENESIS_HASH, hashOfEntry, type SeqRange } from './db/log.js';
import type { Store, StoreLocation } from './db/store.js';
import { EntryColumns } from './entry-columns.js';
import { NotFoundError } from './errors.js';
import { CheckpointVerifier, readCheckpointFile, type Checkpoint } from './integrity.js';
import type { JobBoard } from './jobs.js';
import { MAX_WORKERS, workerPool, type PoolRun } from './worker-pool.js';

export type ProblemKind =
  | 'entry-hash'
  | 'chain-link'
  | 'sequence-gap'
  | 'column'
  | 'checkpoint-signature'
  | 'checkpoint-mismatch'
  | 'checkpoint-missing'
  | 'truncated'
  | 'rewritten'
  | 'version-content'
  | 'governance';

export interface IntegrityProblem {
  kind: ProblemKind;
  message: string;
  seq?: number | undefined;
  id?: string | undefined;
  ruleSet?: string | undefined;
  version?: number | undefined;
}

export interface VerifyResult {
  ok: boolean;
  /** Log entries read. */
  checked: number;
  /** The last entry read. */
  head: { seq: number; hash: string };
  /** The first problem (for clients that show one). */
  firstBroken?: { id: string; seq: number; reason: string } | undefined;
  /** The problems found, at most MAX_PROBLEMS; `problemCount` counts them all. */
  problems: IntegrityProblem[];
  problemCount: number;
  checkpoints: { checked: number; latest: { seq: number; at: string } | null };
  versions: { checked: number; tampered: { ruleSet: string; version: number }[] };
  /** The governance chain (submits, approvals, rejections) and its checkpoints. */
  governance: { checked: number; head: { seq: number; hash: string }; checkpoints: number };
}

const MAX_PROBLEMS = 100;
/**
 * Entries read per query: enough that the cost per query is small, few enough that a batch's rows
 * die young in the garbage collector instead of being promoted (reading the log in batches of
 * 5,000 cost 6.1 µs a row, of 500 3.6 µs).
 */
const BATCH = 500;

/** The governance chain's checkpoint file beside the decision log's. */
export function governanceCheckpointFile(checkpointFile: string): string {
  return checkpointFile.replace(/(\.jsonl)?$/, '.governance.jsonl');
}

/** The governance chain: each entry's hash and link, and every signed checkpoint of it. */
async function verifyGovernance(
  store: Pick<Store, 'governance'>,
  options: { verifier: CheckpointVerifier; checkpointFile?: string | undefined },
  report: (p: IntegrityProblem) => void,
): Promise<VerifyResult['governance']> {
  const rows = await store.governance.all();
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  const hashAt = new Map<number, string>();
  for (const row of rows) {
    const at = { seq: row.seq, id: `governance ${row.seq}` };
    if (row.seq !== prevSeq + 1)
      report({ kind: 'governance', ...at, message: `Governance: na regel ${prevSeq} volgt regel ${row.seq}.` });
    if (row.prevHash !== prevHash)
      report({
        kind: 'governance',
        ...at,
        message: `Governance-regel ${row.seq}: prevHash past niet bij de vorige regel.`,
      });
    if (governanceHash(row) !== row.hash)
      report({ kind: 'governance', ...at, message: `Governance-regel ${row.seq}: de inhoud past niet bij de hash.` });
    hashAt.set(row.seq, row.hash);
    prevHash = row.hash;
    prevSeq = row.seq;
  }
  const fromFile = options.checkpointFile
    ? readCheckpointFile(governanceCheckpointFile(options.checkpointFile)).checkpoints
    : [];
  const checkpoints = [...(await store.governance.checkpoints()), ...fromFile];
  for (const c of checkpoints) {
    const where = { kind: 'governance' as const, seq: c.seq, id: `governance-controlepunt ${c.seq}` };
    if (!options.verifier.valid(c, 'governance'))
      report({ ...where, message: `Governance-controlepunt ${c.seq} heeft geen geldige handtekening.` });
    else if (c.seq > prevSeq)
      report({
        ...where,
        message: `Het governance-controlepunt van ${c.at} noemt regel ${c.seq}, maar de keten eindigt bij regel ${prevSeq}: er zijn regels verwijderd.`,
      });
    else if (c.seq > 0 && hashAt.get(c.seq) !== c.headHash)
      report({
        ...where,
        message: `Governance-regel ${c.seq} past niet bij het ondertekende controlepunt: herschreven.`,
      });
  }
  return { checked: rows.length, head: { seq: prevSeq, hash: prevHash }, checkpoints: checkpoints.length };
}

/** Collects problems: all of them counted, the first MAX_PROBLEMS kept. */
class Problems {
  readonly list: IntegrityProblem[] = [];
  count = 0;

  readonly report = (p: IntegrityProblem) => {
    this.count += 1;
    if (this.list.length < MAX_PROBLEMS) this.list.push(p);
  };

  add(list: readonly IntegrityProblem[], count: number) {
    this.count += count;
    this.list.push(...list.slice(0, MAX_PROBLEMS - this.list.length));
  }
}

export interface VerifyOptions {
  verifier: CheckpointVerifier;
  checkpointFile?: string | undefined;
}

/** The signed checkpoints, the database's and the file's, each signed, the same where both have one. */
export async function signedCheckpoints(
  store: Pick<Store, 'checkpoints'>,
  options: VerifyOptions,
  report: (p: IntegrityProblem) => void,
): Promise<Checkpoint[]> {
  const bySeq = new Map<number, Checkpoint>();
  // the file before the database: a checkpoint is written to the file only once the database
  // has it (LogCheckpointer), so every one read from the file is in the database read after it,
  // unless it was deleted there. The other way round, one signed in between (the server goes on
  // logging during a verification) was reported as missing from the database.
  const fromFile = options.checkpointFile ? readCheckpointFile(options.checkpointFile) : undefined;
  const inDatabase = await store.checkpoints.all();
  for (const c of inDatabase) {
    if (!options.verifier.valid(c)) {
      report({
        kind: 'checkpoint-signature',
        seq: c.seq,
        message: `Controlepunt ${c.seq} in de database heeft geen geldige handtekening van sleutel ${options.verifier.keyId}.`,
      });
      continue;
    }
    bySeq.set(c.seq, c);
  }
  if (fromFile) {
    const { checkpoints, unreadable } = fromFile;
    for (const line of unreadable)
      report({
        kind: 'checkpoint-signature',
        message: `Regel ${line} van ${options.checkpointFile} is geen controlepunt.`,
      });
    for (const c of checkpoints) {
      if (!options.verifier.valid(c)) {
        report({
          kind: 'checkpoint-signature',
          seq: c.seq,
          message: `Controlepunt ${c.seq} in ${options.checkpointFile} heeft geen geldige handtekening van sleutel ${options.verifier.keyId}.`,
        });
        continue;
      }
      const known = bySeq.get(c.seq);
      if (!known) {
        if (!inDatabase.some((d) => d.seq === c.seq))
          report({
            kind: 'checkpoint-missing',
            seq: c.seq,
            message: `Controlepunt ${c.seq} staat in ${options.checkpointFile} maar niet (meer) in de database.`,
          });
        bySeq.set(c.seq, c);
      } else if (known.headHash !== c.headHash) {
        report({
          kind: 'checkpoint-mismatch',
          seq: c.seq,
          message: `Controlepunt ${c.seq} in de database noemt een andere kop dan dat in ${options.checkpointFile}.`,
        });
      }
    }
  }
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** What verifying one range of the log found, and its ends, to be joined to its neighbours'. */
export interface RangeVerification {
  checked: number;
  /** The range's first entry, whose link the range before must hold (null: the range is empty). */
  first: { seq: number; id: string; prevHash: string } | null;
  /** The range's last entry. */
  last: { seq: number; hash: string } | null;
  problems: IntegrityProblem[];
  problemCount: number;
}

/**
 * One range of the log (`after < seq <= until`), oldest first: each entry's hash, its columns,
 * its link to the entry before it and the signed checkpoints that name it. The first entry's link
 * is checked only when the range starts the log; otherwise `joinRanges` checks it against the
 * range before, so that ranges can be verified side by side.
 */
export async function verifyLogRange(
  store: Pick<Store, 'log'>,
  range: SeqRange,
  signed: readonly Checkpoint[],
  progress: (checked: number) => void = () => {},
): Promise<RangeVerification> {
  const problems = new Problems();
  const report = problems.report;
  const signedAt = new Map(signed.map((c) => [c.seq, c]));
  let checked = 0;
  let first: RangeVerification['first'] = null;
  // the entry before, as two values rather than an object made per entry; none before the
  // range's first entry unless the range starts the log (`joinRanges` checks that link)
  let prevSeq = range.after === 0 ? 0 : -1;
  let prevHash = GENESIS_HASH;
  const canonicalRuleSets = new CanonicalRuleSets();
  const columns = new EntryColumns();
  for await (const batch of store.log.storedText(BATCH, range)) {
    for (const row of batch) {
      first ??= { seq: row.seq, id: row.id, prevHash: row.prevHash };
      if (prevSeq >= 0) {
        if (row.seq !== prevSeq + 1) report(sequenceGap(prevSeq, row.seq, row.id));
        if (row.prevHash !== prevHash)
          report({ kind: 'chain-link', seq: row.seq, id: row.id, message: 'prevHash past niet bij de vorige regel.' });
      }
      let ruleSets: string | undefined;
      try {
        ruleSets = canonicalRuleSets.of(row.ruleSets);
      } catch {
        ruleSets = undefined; // not JSON: the hash cannot hold, nor the column
      }
      // the same hash as `entryHash` of the entry (a test holds them equal), without its generic walk
      if (ruleSets === undefined || hashOfEntry(entryFieldsText(row, ruleSets), row) !== row.hash)
        report({
          kind: 'entry-hash',
          seq: row.seq,
          id: row.id,
          message: 'De inhoud past niet bij de hash van de regel.',
        });
      const wrong = columns.problems(row, ruleSets);
      if (wrong.length > 0)
        report({
          kind: 'column',
          seq: row.seq,
          id: row.id,
          message: `Kolom(men) ${wrong.join(', ')} wijken af van de beslissing en de casus die de hash dekt.`,
        });
      const c = signedAt.get(row.seq);
      if (c && c.headHash !== row.hash)
        report({
          kind: 'rewritten',
          seq: row.seq,
          id: row.id,
          message: `Regel ${row.seq} heeft een andere hash dan het ondertekende controlepunt van ${c.at}: het logboek is herschreven.`,
        });
      prevSeq = row.seq;
      prevHash = row.hash;
      checked += 1;
    }
    progress(checked);
  }
  return {
    checked,
    first,
    last: checked === 0 ? null : { seq: prevSeq, hash: prevHash },
    problems: problems.list,
    problemCount: problems.count,
  };
}

function sequenceGap(prevSeq: number, seq: number, id: string): IntegrityProblem {
  return {
    kind: 'sequence-gap',
    seq,
    id,
    message:
      seq > prevSeq + 1
        ? `Na regel ${prevSeq} volgt regel ${seq}: ${seq - prevSeq - 1} regel(s) ontbreken.`
        : `Regel ${seq} staat niet op zijn plaats.`,
  };
}

/**
 * Joins ranges verified side by side, in log order: each range's first entry must follow the
 * last entry of the range before (sequence number and link), as it would have read one by one.
 */
function joinRanges(
  parts: readonly RangeVerification[],
  problems: Problems,
): { seq: number; hash: string; checked: number } {
  let head = { seq: 0, hash: GENESIS_HASH };
  let checked = 0;
  parts.forEach((part, k) => {
    const boundary = new Problems();
    if (k > 0 && part.first) {
      const at = { seq: part.first.seq, id: part.first.id };
      if (part.first.seq !== head.seq + 1) boundary.report(sequenceGap(head.seq, part.first.seq, part.first.id));
      if (part.first.prevHash !== head.hash)
        boundary.report({ kind: 'chain-link', ...at, message: 'prevHash past niet bij de vorige regel.' });
    }
    problems.add(boundary.list, boundary.count);
    problems.add(part.problems, part.problemCount);
    if (part.last) head = part.last;
    checked += part.checked;
  });
  return { ...head, checked };
}

/** Published versions against their content hash. */
async function verifyVersions(
  store: Pick<Store, 'ruleSets'>,
  report: (p: IntegrityProblem) => void,
): Promise<VerifyResult['versions']> {
  const tampered: { ruleSet: string; version: number }[] = [];
  const versions = await store.ruleSets.storedDocuments();
  for (const v of versions) {
    let same: boolean;
    try {
      same = contentHash(JSON.parse(v.document)) === v.contentHash;
    } catch {
      same = false;
    }
    if (!same) {
      tampered.push({ ruleSet: v.ruleSetId, version: v.version });
      report({
        kind: 'version-content',
        id: `${v.ruleSetId} v${v.version}`,
        ruleSet: v.ruleSetId,
        version: v.version,
        message: `Het document van ${v.ruleSetId} versie ${v.version} past niet meer bij zijn inhoudshash: het is na publicatie gewijzigd.`,
      });
    }
  }
  return { checked: versions.length, tampered };
}

/** What a verification finds apart from the log's entries, which `verifyLogRange` reads. */
export interface StoreVerification {
  /** The valid signed checkpoints, oldest first, with the problems of those that are not. */
  checkpoints: Checkpoint[];
  checkpointProblems: IntegrityProblem[];
  checkpointProblemCount: number;
  /** The published versions and the governance chain, with their problems. */
  versions: VerifyResult['versions'];
  governance: VerifyResult['governance'];
  otherProblems: IntegrityProblem[];
  otherProblemCount: number;
}

/** The checkpoints, the published versions and the governance chain. */
export async function verifyRest(
  store: Pick<Store, 'checkpoints' | 'ruleSets' | 'governance'>,
  options: VerifyOptions,
): Promise<StoreVerification> {
  const cp = new Problems();
  const checkpoints = await signedCheckpoints(store, options, cp.report);
  const other = new Problems();
  const versions = await verifyVersions(store, other.report);
  const governance = await verifyGovernance(store, options, other.report);
  return {
    checkpoints,
    checkpointProblems: cp.list,
    checkpointProblemCount: cp.count,
    versions,
    governance,
    otherProblems: other.list,
    otherProblemCount: other.count,
  };
}

/**
 * The verification's result from its parts: the checkpoints', the log's ranges' and the rest's.
 * `logEnd` is the log's last entry read after every part was done (default: the last verified).
 * With the log in ranges, the checkpoints are read beside them, and may be read after the last
 * range reached the end: a checkpoint signed meanwhile names an entry appended after this
 * verification read the log — one the log still has (up to `logEnd`), which the next verification
 * covers. Only a checkpoint beyond the log's end says entries were deleted.
 */
export function verifyResult(rest: StoreVerification, ranges: readonly RangeVerification[], logEnd = 0): VerifyResult {
  const problems = new Problems();
  problems.add(rest.checkpointProblems, rest.checkpointProblemCount);
  const head = joinRanges(ranges, problems);
  const end = Math.max(head.seq, logEnd);
  for (const c of rest.checkpoints) {
    if (c.seq > end)
      problems.report({
        kind: 'truncated',
        seq: c.seq,
        message: `Het ondertekende controlepunt van ${c.at} noemt regel ${c.seq}, maar het logboek eindigt bij regel ${end}: er zijn regels verwijderd.`,
      });
    else if (c.seq === 0 && c.headHash !== GENESIS_HASH)
      problems.report({
        kind: 'checkpoint-mismatch',
        seq: 0,
        message: 'Controlepunt 0 noemt niet het begin van de keten.',
      });
  }
  problems.add(rest.otherProblems, rest.otherProblemCount);
  const first = problems.list[0];
  const latest = rest.checkpoints.at(-1);
  return {
    ok: problems.count === 0,
    checked: head.checked,
    head: { seq: head.seq, hash: head.hash },
    ...(first && {
      firstBroken: {
        id: first.id ?? (first.seq !== undefined ? `controlepunt ${first.seq}` : 'controlepunten'),
        seq: first.seq ?? 0,
        reason: first.message,
      },
    }),
    problems: problems.list,
    problemCount: problems.count,
    checkpoints: { checked: rest.checkpoints.length, latest: latest ? { seq: latest.seq, at: latest.at } : null },
    versions: rest.versions,
    governance: rest.governance,
  };
}

/** Verifies everything `store` holds (see the module comment) on one thread, the log as one range. */
export async function verifyStore(
  store: Pick<Store, 'log' | 'checkpoints' | 'ruleSets' | 'governance'>,
  options: VerifyOptions,
  progress: (processed: number, total: number) => void = () => {},
): Promise<VerifyResult> {
  const rest = await verifyRest(store, options);
  const total = await store.log.count({});
  const log = await verifyLogRange(store, WHOLE_LOG, rest.checkpoints, (checked) =>
    progress(checked, Math.max(total, checked)),
  );
  return verifyResult(rest, [log]);
}

const WHOLE_LOG: SeqRange = { after: 0, until: Number.MAX_SAFE_INTEGER };

// ---- jobs -----------------------------------------------------------------------------------------

export interface VerifyJob {
  id: string;
  status: 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  startedBy: string;
  startedAt: string;
  finishedAt?: string;
  result?: VerifyResult;
  error?: string;
}

/** What a verify worker is given: its range of the log, and whether it also verifies the rest. */
export interface VerifyTask {
  /** The store, which the worker opens for reading. */
  location: StoreLocation;
  publicKeyPem: string;
  checkpointFile?: string | undefined;
  range: SeqRange;
  /** The checkpoints' problems, the published versions and the governance chain (one worker does them). */
  rest: boolean;
}

/** What a verify worker reports: entries checked so far, then its range's verification and the rest's. */
export type VerifyMessage =
  | { type: 'progress'; checked: number }
  | { type: 'done'; range: RangeVerification; rest?: StoreVerification | undefined };

/** Finished jobs kept. */
const KEEP_FINISHED = 10;
/** Finished jobs are forgotten after this long. */
const KEEP_FOR_MS = 60 * 60 * 1000;
/** Below this many entries one worker verifies the log: more cost more to start than they save. */
const PARALLEL_FROM = 20_000;
/** How often a caller waiting for a job another node runs looks again. */
const POLL_MS = 100;

export interface VerifyDependencies {
  store: Pick<Store, 'location' | 'log' | 'jobs'>;
  board: JobBoard;
  clock: Clock;
  task(): Pick<VerifyTask, 'publicKeyPem' | 'checkpointFile'>;
  /** The log verified intact up to `head`: sign it. */
  verified(head: { seq: number; hash: string }): Promise<unknown>;
  /** Worker threads to verify the log with (default: one per core, up to MAX_WORKERS, for a large log). */
  workers?: number | undefined;
}

const stateOf = ({ result: _result, ...job }: VerifyJob) => JSON.stringify(job);

function fromRow(row: JobRow): VerifyJob {
  const state = JSON.parse(row.state) as VerifyJob;
  return {
    ...state,
    status: row.status === 'cancelled' ? 'failed' : row.status,
    ...(row.result !== null && { result: JSON.parse(row.result) as VerifyResult }),
    ...(row.error !== null && { error: row.error }),
    ...(row.finishedAt !== null && { finishedAt: row.finishedAt }),
  };
}

/**
 * Verification jobs, kept in the database: one at a time over every node (a second request joins
 * the running one, wherever it runs), each on the node that started it — its log split into
 * ranges verified by worker threads side by side — and run again by another node if that one
 * goes away. A few finished ones are kept to read back.
 */
export class VerifyJobs {
  /** The jobs this node runs, live, with when they end. */
  private readonly local = new Map<string, { job: VerifyJob; done: Promise<VerifyJob> }>();

  constructor(private readonly deps: VerifyDependencies) {
    deps.board.onTakeOver('verify', (row) => {
      const job = { ...fromRow(row), status: 'running' as const, processed: 0 };
      this.run(job);
    });
  }

  private prune(): Promise<void> {
    const before = new Date(Date.parse(this.deps.clock.now()) - KEEP_FOR_MS).toISOString();
    return this.deps.store.jobs.prune('verify', KEEP_FINISHED, before);
  }

  /** Starts a verification, or returns the one running (on whichever node). */
  async start(by: string): Promise<{ job: VerifyJob; done: Promise<VerifyJob> }> {
    await this.prune();
    for (;;) {
      const job: VerifyJob = {
        id: randomUUID(),
        status: 'running',
        processed: 0,
        // the last entry's number, not a count of a million rows on the thread that answers the
        // API: the same for an intact log, and only the progress bar's end otherwise
        total: (await this.deps.store.log.head()).seq,
        startedBy: by,
        startedAt: this.deps.clock.now(),
      };
      const refused = await this.deps.store.jobs.add(
        {
          id: job.id,
          kind: 'verify',
          ownerName: by,
          ownerRole: 'auditor',
          ownerScope: null,
          params: '{}',
          state: stateOf(job),
          claimedBy: this.deps.board.node,
          leaseUntil: this.deps.board.leaseUntil(),
          startedAt: job.startedAt,
        },
        { perOwner: 1, total: 1 },
      );
      if (!refused) return { job, done: this.run(job) };
      const running = (await this.deps.store.jobs.running('verify'))[0];
      // ended in between: start one after all
      if (!running) continue;
      const here = this.local.get(running.id);
      if (here) return here;
      return { job: fromRow(running), done: this.finished(running.id) };
    }
  }

  /** A job another node runs, once it has ended. */
  private async finished(id: string): Promise<VerifyJob> {
    for (;;) {
      const job = await this.get(id);
      if (job.status !== 'running') return job;
      await delay(POLL_MS);
    }
  }

  private run(job: VerifyJob): Promise<VerifyJob> {
    const runs: PoolRun[] = [];
    let abandoned = false;
    this.deps.board.hold(job.id, {
      state: () => stateOf(job),
      // a verification is not cancelled: it ends soon enough, and a half one says nothing
      cancel: () => {},
      abandon: () => {
        abandoned = true;
        for (const r of runs) r.stop();
      },
    });
    const done = this.verify(job, runs)
      .then(
        async (result) => {
          // signed before the job reads as done, so that its checkpoint is there when it does
          if (result.ok)
            await this.deps.verified(result.head).catch((error: unknown) => {
              console.error(
                `Kan geen controlepunt van het gecontroleerde logboek vastleggen: ${(error as Error).message}`,
              );
            });
          job.result = result;
          job.status = 'done';
        },
        (error: unknown) => {
          job.status = 'failed';
          job.error = error instanceof Error ? error.message : String(error);
        },
      )
      .then(async () => {
        if (abandoned) {
          // another node holds it now (or will): it is no longer this node's to end
          job.status = 'running';
          return job;
        }
        job.finishedAt = this.deps.clock.now();
        await this.deps.board.finish(job.id, {
          status: job.status as 'done' | 'failed',
          state: stateOf(job),
          result: job.result ? JSON.stringify(job.result) : null,
          error: job.error ?? null,
          finishedAt: job.finishedAt,
        });
        return job;
      })
      .finally(() => this.local.delete(job.id));
    this.local.set(job.id, { job, done });
    return done;
  }

  /** The log in ranges, one pooled worker thread each; the first also verifies the rest. */
  private async verify(job: VerifyJob, runs: PoolRun[]): Promise<VerifyResult> {
    const { store } = this.deps;
    const parts = this.deps.workers ?? (job.total >= PARALLEL_FROM ? Math.min(availableParallelism(), MAX_WORKERS) : 1);
    const ranges = parts > 1 ? await store.log.seqRanges({}, parts) : [{ after: 0, until: Number.MAX_SAFE_INTEGER }];
    const checked = ranges.map(() => 0);
    const results: (RangeVerification | undefined)[] = ranges.map(() => undefined);
    let rest: StoreVerification | undefined;
    ranges.forEach((range, k) => {
      const task: VerifyTask = { location: store.location, ...this.deps.task(), range, rest: k === 0 };
      runs.push(
        workerPool().run<VerifyMessage>('verify', task, (message) => {
          if (message.type === 'progress') {
            checked[k] = message.checked;
            job.processed = checked.reduce((a, b) => a + b, 0);
            job.total = Math.max(job.total, job.processed);
          } else {
            results[k] = message.range;
            rest ??= message.rest;
          }
        }),
      );
    });
    try {
      await Promise.all(runs.map((r) => r.done));
    } catch (error) {
      // one range failed: the others' results would say nothing
      for (const r of runs) r.stop();
      throw error;
    }
    if (results.some((r) => r === undefined))
      throw new Error('De controle van het logboek stopte voordat elk deel gecontroleerd was.');
    // the log's end now, after the checkpoints were read: see `verifyResult`
    return verifyResult(rest!, results as RangeVerification[], (await store.log.head()).seq);
  }

  /** A job, from any node: live when this node runs it, else as the database has it. */
  async get(id: string): Promise<VerifyJob> {
    const local = this.local.get(id);
    if (local) return local.job;
    const row = await this.deps.store.jobs.get(id);
    if (!row || row.kind !== 'verify')
      throw new NotFoundError('VERIFY_JOB_NOT_FOUND', `Controle ${id} bestaat niet (meer).`);
    return fromRow(row);
  }
}
