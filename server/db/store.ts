/**
 * The store contract: what the service, the workers and the tests may ask of a database,
 * whichever it is. Two implementations keep it: the embedded SQLite default (`open.ts`, one
 * server per data folder, of one process or several) and PostgreSQL (`pg/`, any number of API nodes on one database).
 * Every method is asynchronous because PostgreSQL is; the SQLite modules answer at once.
 *
 * The table modules' shapes are the SQLite classes' public methods with their results made
 * asynchronous (`AsyncOf`), so the two implementations cannot drift apart without tsc noticing.
 */
import type { Accounts } from './accounts.js';
import type { Checkpoints } from './checkpoints.js';
import type { GovernanceLog } from './governance.js';
import type { Jobs } from './jobs.js';
import type { DecisionLog } from './log.js';
import type { RuleSets } from './rulesets.js';
import type { TestCases } from './test-cases.js';

/**
 * A method's result as a promise; a generator's batches as an async iterable. `[R]`: not
 * distributed over a union, so `boolean` becomes `Promise<boolean>`, not `Promise<false> | Promise<true>`.
 */
type AsyncResult<R> = [R] extends [Generator<infer Y, unknown, unknown>]
  ? AsyncIterable<Y>
  : [R] extends [AsyncIterable<unknown>]
    ? R
    : Promise<Awaited<R>>;

/** The public methods of a table module, asynchronous. */
export type AsyncOf<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => AsyncResult<R> : T[K];
};

export type RuleSetStore = AsyncOf<RuleSets>;
export type DecisionLogStore = AsyncOf<DecisionLog>;
export type CheckpointStore = AsyncOf<Checkpoints>;
export type AccountStore = AsyncOf<Accounts>;
export type TestCaseStore = AsyncOf<TestCases>;
export type GovernanceStore = AsyncOf<GovernanceLog>;
export type JobStore = AsyncOf<Jobs>;

/** How a worker thread (impact analysis, verify) opens the same database for reading. */
export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

/** The table modules, as a transaction sees them too. */
export interface StoreTables {
  readonly ruleSets: RuleSetStore;
  readonly log: DecisionLogStore;
  readonly checkpoints: CheckpointStore;
  readonly accounts: AccountStore;
  readonly testCases: TestCaseStore;
  readonly governance: GovernanceStore;
  /** Impact analyses and verifications, run by any node (see `jobs.ts`). */
  readonly jobs: JobStore;
}

export interface Store extends StoreTables {
  readonly kind: 'sqlite' | 'postgres';
  /** Where workers open it (read-only). */
  readonly location: StoreLocation;
  /** The data folder of an embedded database (none for PostgreSQL). */
  readonly dataDir: string | undefined;

  /**
   * Runs `fn` in one transaction: all of it or none of it. `fn` must use the tables it is given
   * (`tx`), not the store's own: on PostgreSQL they run on the transaction's connection. No other
   * write of this process interleaves with an open transaction.
   */
  transaction<T>(fn: (tx: StoreTables) => Promise<T>): Promise<T>;

  /**
   * Calls `onChange` when a version is published by any process on this database, until the
   * returned function is called: what lets a node rebuild its engine after another node's
   * publish. PostgreSQL: `LISTEN/NOTIFY`, polling the latest versions while the listening
   * connection is down and every few seconds anyway. SQLite: polling `PRAGMA data_version` every
   * 100 ms (`watch.ts`), for the other processes of a server of several on one data folder.
   */
  watchPublished(onChange: () => void): () => void;

  /** The applied schema version (the last migration's tag), for `/api/health`. */
  schemaVersion(): Promise<string>;

  /** Row counts of every table: what the fuzz tests compare before and after a refused request. */
  counts(): Promise<Record<string, number>>;

  close(): Promise<void>;
}
