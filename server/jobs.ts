/**
 * The node's side of the jobs in the database (impact analyses and verifications): which jobs this
 * node runs, their heartbeat, and taking over the jobs of nodes that went away.
 *
 * A node holds a job it runs by a lease (`leaseMs`, 10 s by default) that it renews, with the
 * job's progress, a few times per lease. A node that stops (closed, crashed, cut off) stops
 * renewing; once the lease has run out another node claims the job (`Store.jobs.claim`) and runs
 * it again from the beginning — the parameters in the database are all it needs. A node that
 * finds at its heartbeat that it no longer holds a job stops running it, and one asked to cancel
 * a job (from whichever node) does so.
 */
import { randomUUID } from 'node:crypto';
import type { JobEnd, JobKind, JobRow } from './db/jobs.js';
import type { Store } from './db/store.js';

/** A job this node runs. */
export interface LocalRun {
  /** Its progress as JSON, written at each heartbeat. */
  state(): string;
  /** Someone asked to cancel it. */
  cancel(): void;
  /** Stop at once and write nothing: another node holds it now, or this one is closing. */
  abandon(): void;
}

export interface JobBoardOptions {
  /** How long a node holds a job without renewing it (ms, default 10 s). */
  leaseMs?: number;
}

const DEFAULT_LEASE_MS = 10_000;

export class JobBoard {
  /** This node, as the `claimed_by` of the jobs it runs. */
  readonly node = randomUUID();
  readonly leaseMs: number;
  private readonly runs = new Map<string, LocalRun>();
  private readonly resumers = new Map<JobKind, (row: JobRow) => void>();
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly store: Pick<Store, 'jobs'>,
    options: JobBoardOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** The lease of a job claimed or renewed now. */
  leaseUntil(): number {
    return Date.now() + this.leaseMs;
  }

  /** Who runs a job of `kind` that this node takes over; the heartbeat starts with the first kind. */
  onTakeOver(kind: JobKind, resume: (row: JobRow) => void): void {
    this.resumers.set(kind, resume);
    if (this.timer || this.closed) return;
    // a few heartbeats per lease, so that one late beat does not lose a job
    this.timer = setInterval(() => void this.beat(), Math.max(10, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  hold(id: string, run: LocalRun): void {
    this.runs.set(id, run);
  }

  /** Writes how a job this node ran ended; false when another node holds it by now. */
  async finish(id: string, end: JobEnd): Promise<boolean> {
    this.runs.delete(id);
    if (this.closed) return false;
    return this.store.jobs.finish(id, this.node, end);
  }

  /** One heartbeat; never two at once. */
  beat(): Promise<void> {
    this.beating ??= this.beatOnce()
      .catch(() => {
        // the database unreachable for a moment: the next beat tries again, and a lease that
        // runs out meanwhile goes to another node, which is what a lease is for
      })
      .finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async beatOnce(): Promise<void> {
    for (const [id, run] of [...this.runs]) {
      const renewed = await this.store.jobs.renew(id, this.node, this.leaseUntil(), run.state());
      if (this.runs.get(id) !== run) continue; // it ended meanwhile
      if (!renewed) {
        this.runs.delete(id);
        run.abandon();
      } else if (renewed.cancelRequested) run.cancel();
    }
    // take over what nodes that went away left running
    while (!this.closed) {
      const row = await this.store.jobs.claim(this.node, Date.now(), this.leaseUntil());
      if (!row) return;
      if (this.runs.has(row.id)) continue; // its own, renewed late: it runs here already
      this.resumers.get(row.kind)?.(row);
    }
  }

  /** Stops the heartbeat and every job this node runs, writing nothing: other nodes take them over. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.beating;
    for (const run of this.runs.values()) run.abandon();
    this.runs.clear();
  }
}
