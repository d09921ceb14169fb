/**
 * Jobs in PostgreSQL (see `../jobs.ts`): any number of nodes add, run and read them. Adding
 * within the limits takes an advisory lock, so two nodes cannot both find room for one more; a
 * node takes over a job whose lease ran out with `FOR UPDATE SKIP LOCKED`, so two nodes never
 * take the same one and neither waits for the other.
 */
import { and, asc, count, desc, eq, lt, ne, notInArray, sql } from 'drizzle-orm';
import {
  heldBy,
  runningOf,
  type JobEnd,
  type JobKind,
  type JobRefusal,
  type JobRoom,
  type JobRow,
  type NewJob,
} from '../jobs.js';
import type { JobStore } from '../store.js';
import { LOCKS, lockForTransaction, type PgDb } from './connection.js';
import { jobs } from './schema.js';

export class PgJobs implements JobStore {
  constructor(private readonly db: PgDb) {}

  async add(job: NewJob, room: JobRoom): Promise<JobRefusal | undefined> {
    return this.db.transaction(async (tx) => {
      await lockForTransaction(tx, LOCKS.jobs);
      const running = async (owner?: string) =>
        (
          await tx
            .select({ n: count() })
            .from(jobs)
            .where(runningOf(jobs, job.kind, owner))
        )[0]?.n ?? 0;
      if ((await running(job.ownerName)) >= room.perOwner) return 'owner';
      if ((await running()) >= room.total) return 'total';
      await tx.insert(jobs).values({ ...job, status: 'running' });
      return undefined;
    });
  }

  async get(id: string): Promise<JobRow | undefined> {
    const [row] = await this.db.select().from(jobs).where(eq(jobs.id, id));
    return row;
  }

  async running(kind: JobKind): Promise<JobRow[]> {
    return this.db.select().from(jobs).where(runningOf(jobs, kind)).orderBy(asc(jobs.startedAt));
  }

  async renew(
    id: string,
    node: string,
    leaseUntil: number,
    state: string,
  ): Promise<{ cancelRequested: boolean } | undefined> {
    const [row] = await this.db
      .update(jobs)
      .set({ leaseUntil, state })
      .where(heldBy(jobs, id, node))
      .returning({ cancelRequested: jobs.cancelRequested });
    return row;
  }

  async finish(id: string, node: string, end: JobEnd): Promise<boolean> {
    const done = await this.db
      .update(jobs)
      .set(end)
      .where(heldBy(jobs, id, node))
      .returning({ id: jobs.id });
    return done.length === 1;
  }

  async requestCancel(id: string): Promise<void> {
    await this.db
      .update(jobs)
      .set({ cancelRequested: true })
      .where(and(eq(jobs.id, id), eq(jobs.status, 'running')));
  }

  async claim(node: string, now: number, leaseUntil: number): Promise<JobRow | undefined> {
    // the row stays locked by this statement until it commits: another node's claim skips it
    const expired = this.db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(eq(jobs.status, 'running'), lt(jobs.leaseUntil, now)))
      .orderBy(asc(jobs.startedAt))
      .limit(1)
      .for('update', { skipLocked: true });
    const [row] = await this.db
      .update(jobs)
      .set({ claimedBy: node, leaseUntil, attempts: sql`${jobs.attempts} + 1` })
      .where(and(eq(jobs.id, sql`(${expired})`), lt(jobs.leaseUntil, now)))
      .returning();
    return row;
  }

  async prune(kind: JobKind, keep: number, finishedBefore: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const finished = and(eq(jobs.kind, kind), ne(jobs.status, 'running'));
      await tx.delete(jobs).where(and(finished, lt(jobs.finishedAt, finishedBefore)));
      const kept = (
        await tx.select({ id: jobs.id }).from(jobs).where(finished).orderBy(desc(jobs.finishedAt)).limit(keep)
      ).map((r) => r.id);
      await tx.delete(jobs).where(and(finished, kept.length > 0 ? notInArray(jobs.id, kept) : undefined));
    });
  }
}
