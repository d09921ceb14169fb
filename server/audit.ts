/**
 * Verifying the store: every log entry's hash over its stored text, the links between entries,
 * sequence numbers without gaps, the columns beside the texts (tariff copy, outcome, reason
 * codes, …) against what the hashed texts say, every signed checkpoint (database and file)
 * against the log — which finds deleted last entries and recomputed chains — and every
 * published version's document against its content hash.
 *
 * It runs as a job in a worker thread with a read-only connection (server/verify-worker.ts),
 * reporting progress, so the server's thread keeps answering while a large log is read.
 */
import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { canonicalJson, contentHash, regionOf, type Case, type Decision } from '../engine/index.js';
import type { Clock } from './clock.js';
import { governanceHash } from './db/governance.js';
import { encodeReasonCodes, entryHash, GENESIS_HASH } from './db/log.js';
import type { Store, StoreLocation } from './db/store.js';
import { NotFoundError } from './errors.js';
import { CheckpointVerifier, readCheckpointFile, type Checkpoint } from './integrity.js';

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
const BATCH = 1000;

export interface VerifyTask {
  /** The store, which the worker opens for reading. */
  location: StoreLocation;
  publicKeyPem: string;
  checkpointFile?: string | undefined;
}

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

/** The columns beside the texts, as the texts say they should be. */
function columnProblems(row: {
  municipality: string;
  region: string;
  caseType: string;
  referenceDate: string;
  outcome: string;
  reasonCodes: string;
  totalCents: number | null;
  tariffJson: string | null;
  ruleSets: string;
  caseJson: string;
  decisionJson: string;
}): string[] {
  let c: Case;
  let d: Partial<Decision>;
  try {
    c = JSON.parse(row.caseJson) as Case;
    d = JSON.parse(row.decisionJson) as Partial<Decision>;
  } catch {
    return ['case_json of decision_json is geen JSON'];
  }
  const wrong: string[] = [];
  const expect = (column: string, stored: unknown, said: unknown) => {
    if (stored !== said) wrong.push(column);
  };
  expect('municipality', row.municipality, c.municipality);
  let region: string | undefined;
  try {
    region = regionOf(c.municipality);
  } catch {
    region = undefined;
  }
  expect('region', row.region, region);
  expect('case_type', row.caseType, c.type);
  expect('reference_date', row.referenceDate, c.referenceDate);
  expect('outcome', row.outcome, d.outcome);
  // a compact entry's decision names the rules of its reasons; the column is the codes' record
  if (d.reasons !== undefined) expect('reason_codes', row.reasonCodes, encodeReasonCodes(d.reasons.map((r) => r.code)));
  expect('total_cents', row.totalCents, d.tariff?.totalCents ?? null);
  // entries logged before the copy existed have none; the decision text stays the record
  if (row.tariffJson !== null) expect('tariff_json', row.tariffJson, JSON.stringify(d.tariff));
  let ruleSets: unknown;
  try {
    ruleSets = JSON.parse(row.ruleSets);
  } catch {
    ruleSets = undefined;
  }
  // a compact entry's decision keeps no copy of its rule sets: the column is the record
  if (d.ruleSets !== undefined) expect('rule_sets', canonicalJson(ruleSets ?? null), canonicalJson(d.ruleSets));
  return wrong;
}

/**
 * Verifies everything `store` holds (see the module comment). It runs in a worker thread,
 * reporting `progress` after each batch.
 */
export async function verifyStore(
  store: Pick<Store, 'log' | 'checkpoints' | 'ruleSets' | 'governance'>,
  options: { verifier: CheckpointVerifier; checkpointFile?: string | undefined },
  progress: (processed: number, total: number) => void = () => {},
): Promise<VerifyResult> {
  const problems: IntegrityProblem[] = [];
  let problemCount = 0;
  const report = (p: IntegrityProblem) => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  // ---- checkpoints: the database's and the file's, each signed, the same where both have one
  const bySeq = new Map<number, Checkpoint>();
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
  if (options.checkpointFile) {
    const { checkpoints, unreadable } = readCheckpointFile(options.checkpointFile);
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
  const checkpoints = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const signedAt = new Map(checkpoints.map((c) => [c.seq, c]));

  // ---- the log, oldest first
  const total = await store.log.count({});
  let checked = 0;
  let prevHash = GENESIS_HASH;
  let prevSeq = 0;
  for await (const batch of store.log.storedText(BATCH)) {
    for (const row of batch) {
      const at = { seq: row.seq, id: row.id };
      if (row.seq !== prevSeq + 1)
        report({
          kind: 'sequence-gap',
          ...at,
          message:
            row.seq > prevSeq + 1
              ? `Na regel ${prevSeq} volgt regel ${row.seq}: ${row.seq - prevSeq - 1} regel(s) ontbreken.`
              : `Regel ${row.seq} staat niet op zijn plaats.`,
        });
      if (row.prevHash !== prevHash)
        report({ kind: 'chain-link', ...at, message: 'prevHash past niet bij de vorige regel.' });
      const stored = { ...row, ruleSets: JSON.parse(row.ruleSets) as never };
      let hashOk: boolean;
      try {
        hashOk = entryHash(stored) === row.hash;
      } catch {
        hashOk = false;
      }
      if (!hashOk) report({ kind: 'entry-hash', ...at, message: 'De inhoud past niet bij de hash van de regel.' });
      const wrong = columnProblems(row);
      if (wrong.length > 0)
        report({
          kind: 'column',
          ...at,
          message: `Kolom(men) ${wrong.join(', ')} wijken af van de beslissing en de casus die de hash dekt.`,
        });
      const signed = signedAt.get(row.seq);
      if (signed && signed.headHash !== row.hash)
        report({
          kind: 'rewritten',
          ...at,
          message: `Regel ${row.seq} heeft een andere hash dan het ondertekende controlepunt van ${signed.at}: het logboek is herschreven.`,
        });
      prevHash = row.hash;
      prevSeq = row.seq;
      checked += 1;
    }
    progress(checked, Math.max(total, checked));
  }
  for (const c of checkpoints) {
    if (c.seq > prevSeq)
      report({
        kind: 'truncated',
        seq: c.seq,
        message: `Het ondertekende controlepunt van ${c.at} noemt regel ${c.seq}, maar het logboek eindigt bij regel ${prevSeq}: er zijn regels verwijderd.`,
      });
    else if (c.seq === 0 && c.headHash !== GENESIS_HASH)
      report({ kind: 'checkpoint-mismatch', seq: 0, message: 'Controlepunt 0 noemt niet het begin van de keten.' });
  }

  // ---- published versions against their content hash
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

  const governance = await verifyGovernance(store, options, report);

  const first = problems[0];
  const latest = checkpoints.at(-1);
  return {
    ok: problemCount === 0,
    checked,
    head: { seq: prevSeq, hash: prevHash },
    ...(first && {
      firstBroken: {
        id: first.id ?? (first.seq !== undefined ? `controlepunt ${first.seq}` : 'controlepunten'),
        seq: first.seq ?? 0,
        reason: first.message,
      },
    }),
    problems,
    problemCount,
    checkpoints: { checked: checkpoints.length, latest: latest ? { seq: latest.seq, at: latest.at } : null },
    versions: { checked: versions.length, tampered },
    governance,
  };
}

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

/** What a verify worker reports. */
export type VerifyMessage =
  { type: 'progress'; processed: number; total: number } | { type: 'result'; result: VerifyResult };

const WORKER_BOOT = new URL('./worker.boot.mjs', import.meta.url);
/** Finished jobs kept, newest first. */
const KEEP_FINISHED = 10;

export interface VerifyDependencies {
  store: Pick<Store, 'location'>;
  clock: Clock;
  task(): Omit<VerifyTask, 'location'>;
  /** The log verified intact up to `head`: sign it. */
  verified(head: { seq: number; hash: string }): Promise<unknown>;
}

/**
 * Verification jobs: one at a time (a second request joins the running one), each in a worker
 * thread; a few finished ones are kept to read back.
 */
export class VerifyJobs {
  private readonly jobs = new Map<string, { job: VerifyJob; done: Promise<VerifyJob> }>();
  private running: { job: VerifyJob; done: Promise<VerifyJob> } | undefined;

  constructor(private readonly deps: VerifyDependencies) {}

  /** Starts a verification, or returns the one running. */
  start(by: string): { job: VerifyJob; done: Promise<VerifyJob> } {
    if (this.running) return this.running;
    const job: VerifyJob = {
      id: randomUUID(),
      status: 'running',
      processed: 0,
      total: 0,
      startedBy: by,
      startedAt: this.deps.clock.now(),
    };
    const done = this.run(job).then(
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
        return job;
      },
      (error: unknown) => {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
        return job;
      },
    );
    const entry = {
      job,
      done: done.finally(() => {
        job.finishedAt = this.deps.clock.now();
        this.running = undefined;
        this.prune();
      }),
    };
    this.running = entry;
    this.jobs.set(job.id, entry);
    return entry;
  }

  private run(job: VerifyJob): Promise<VerifyResult> {
    const task: VerifyTask = { location: this.deps.store.location, ...this.deps.task() };
    const thread = new Worker(WORKER_BOOT, { workerData: { entry: './verify-worker.ts', task } });
    return new Promise<VerifyResult>((resolve, reject) => {
      let result: VerifyResult | undefined;
      thread.on('message', (message: VerifyMessage) => {
        if (message.type === 'progress') {
          job.processed = message.processed;
          job.total = message.total;
        } else result = message.result;
      });
      thread.on('error', reject);
      thread.on('exit', (code) =>
        result ? resolve(result) : reject(new Error(`De controle van het logboek stopte onverwacht (code ${code}).`)),
      );
    });
  }

  private prune() {
    const finished = [...this.jobs.values()].filter((e) => e.job.status !== 'running');
    for (const e of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(e.job.id);
  }

  get(id: string): VerifyJob {
    const entry = this.jobs.get(id);
    if (!entry) throw new NotFoundError('VERIFY_JOB_NOT_FOUND', `Controle ${id} bestaat niet (meer).`);
    return entry.job;
  }
}
