/**
 * Impact analyses and verifications as jobs in the database (see the `jobs` table): started by
 * one node, held by the node running it while it renews its lease, read by any. In the embedded
 * SQLite default a transaction (`BEGIN IMMEDIATE`: the database's one write lock, also among the
 * processes of a server of several) is the whole of the locking; `pg/jobs.ts` claims with
 * `FOR UPDATE SKIP LOCKED` among several nodes.
 */
import { and, asc, count, desc, eq, lt, ne, notInArray, type Column, type SQL } from 'drizzle-orm';
import { inTransaction, type Conn } from './connection.js';
import { jobs } from './schema.js';

export type JobRow = typeof jobs.$inferSelect;
export type JobKind = JobRow['kind'];
export type JobStatus = JobRow['status'];
/** A job as it starts: running, held by the node that starts it. */
export type NewJob = Omit<JobRow, 'result' | 'error' | 'finishedAt' | 'cancelRequested' | 'attempts' | 'status'>;

/** The columns the conditions below read, as both stores' tables name them. */
type JobColumns = Record<'id' | 'kind' | 'status' | 'ownerName' | 'claimedBy', Column>;

/** The running jobs of a kind, of one owner when named: what the limits count (`JobRoom`). */
export function runningOf(t: JobColumns, kind: JobKind, owner?: string): SQL | undefined {
  return and(eq(t.kind, kind), eq(t.status, 'running'), owner === undefined ? undefined : eq(t.ownerName, owner));
}

/** A job that `node` holds: running, and claimed by it (not taken over by another since). */
export function heldBy(t: JobColumns, id: string, node: string): SQL | undefined {
  return and(eq(t.id, id), eq(t.claimedBy, node), eq(t.status, 'running'));
}

/** How many running jobs of a kind may be there when one more starts: per owner and in all. */
export interface JobRoom {
  perOwner: number;
  total: number;
}

/** Why a job was not added: its owner runs enough already, or everyone together does. */
export type JobRefusal = 'owner' | 'total';

/** How a job ended, as the node that ran it writes it. */
export interface JobEnd {
  status: Exclude<JobStatus, 'running'>;
  state: string;
  result: string | null;
  error: string | null;
  finishedAt: string;
}

export class Jobs {
  constructor(private readonly c: Conn) {}

  private get db() {
    return this.c.db;
  }

  /** Adds a running job unless the limits of its kind are reached; then says which. */
  async add(job: NewJob, room: JobRoom): Promise<JobRefusal | undefined> {
    return this.c.run(() =>
      inTransaction(this.db, () => {
        const running = (owner?: string) =>
          this.db
            .select({ n: count() })
            .from(jobs)
            .where(runningOf(jobs, job.kind, owner))
            .get()?.n ?? 0;
        if (running(job.ownerName) >= room.perOwner) return 'owner';
        if (running() >= room.total) return 'total';
        this.db
          .insert(jobs)
          .values({ ...job, status: 'running' })
          .run();
        return undefined;
      }),
    );
  }

  async get(id: string): Promise<JobRow | undefined> {
    return this.c.run(() => this.db.select().from(jobs).where(eq(jobs.id, id)).get());
  }

  /** The running jobs of a kind, oldest first. */
  async running(kind: JobKind): Promise<JobRow[]> {
    return this.c.run(() =>
      this.db.select().from(jobs).where(runningOf(jobs, kind)).orderBy(asc(jobs.startedAt)).all(),
    );
  }

  /**
   * The heartbeat of the node running a job: its lease renewed and its progress written.
   * Undefined when the node no longer holds it (another took it over, or it ended).
   */
  async renew(
    id: string,
    node: string,
    leaseUntil: number,
    state: string,
  ): Promise<{ cancelRequested: boolean } | undefined> {
    return this.c.run(
      () =>
        this.db
          .update(jobs)
          .set({ leaseUntil, state })
          .where(heldBy(jobs, id, node))
          .returning({ cancelRequested: jobs.cancelRequested })
          .get() ?? undefined,
    );
  }

  /** Ends a job the node holds; false when it holds it no longer (then nothing is written). */
  async finish(id: string, node: string, end: JobEnd): Promise<boolean> {
    return this.c.run(
      () =>
        this.db
          .update(jobs)
          .set(end)
          .where(heldBy(jobs, id, node))
          .run().changes === 1,
    );
  }

  /** Asks the node running a job to stop it (it reads this at its next heartbeat). */
  async requestCancel(id: string): Promise<void> {
    await this.c.run(() =>
      this.db
        .update(jobs)
        .set({ cancelRequested: true })
        .where(and(eq(jobs.id, id), eq(jobs.status, 'running')))
        .run(),
    );
  }

  /**
   * Takes over one running job whose lease ran out before `now` (its node went away): now held by
   * `node` until `leaseUntil`. The transaction holds SQLite's write lock from its start, so no other process claims at once.
   */
  async claim(node: string, now: number, leaseUntil: number): Promise<JobRow | undefined> {
    return this.c.run(() =>
      inTransaction(this.db, () => {
        const found = this.db
          .select({ id: jobs.id, attempts: jobs.attempts })
          .from(jobs)
          .where(and(eq(jobs.status, 'running'), lt(jobs.leaseUntil, now)))
          .orderBy(asc(jobs.startedAt))
          .limit(1)
          .get();
        if (!found) return undefined;
        return this.db
          .update(jobs)
          .set({ claimedBy: node, leaseUntil, attempts: found.attempts + 1 })
          .where(eq(jobs.id, found.id))
          .returning()
          .get();
      }),
    );
  }

  /** Forgets finished jobs of a kind that finished before `finishedBefore`, and all but the newest `keep`. */
  async prune(kind: JobKind, keep: number, finishedBefore: string): Promise<void> {
    await this.c.run(() =>
      inTransaction(this.db, () => {
        const finished = and(eq(jobs.kind, kind), ne(jobs.status, 'running'));
        this.db
          .delete(jobs)
          .where(and(finished, lt(jobs.finishedAt, finishedBefore)))
          .run();
        const kept = this.db
          .select({ id: jobs.id })
          .from(jobs)
          .where(finished)
          .orderBy(desc(jobs.finishedAt))
          .limit(keep)
          .all()
          .map((r) => r.id);
        this.db
          .delete(jobs)
          .where(and(finished, kept.length > 0 ? notInArray(jobs.id, kept) : undefined))
          .run();
      }),
    );
  }
}
