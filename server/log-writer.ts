/**
 * Group commit for the decision log: appends that arrive within a short window share one
 * transaction, one chain update and one sync to disk (`log.appendMany`), and each caller's promise
 * settles only after that transaction has committed — an answered decision is in the database.
 *
 * The first append of a group opens a window (`windowMs`, 1 ms unless `GROUP_COMMIT_MS` says
 * otherwise) that closes early once `maxEntries` are waiting. One group is written at a time:
 * appends that arrive while a group commits wait for it and go together in the next one, so under
 * load the commit itself is the window and a group grows with the load, without a timer's delay.
 *
 * The window is what an evaluation waits at a moderate load, so it is most of the median's
 * latency: at 1,000 and 2,000 logged evaluations a second a 2 ms window gave p50 2.9–3.3 ms and
 * p99 7.3–9.4 ms, 1 ms p50 2.3–2.5 and p99 5.6–8.2 ms for ~5% more of the server's CPU, and a
 * window of 0 (the requests read in one turn of the event loop) p50 1.5–1.9 ms for ~20% more CPU:
 * a commit for every few evaluations (BENCHMARKS.md).
 */
import type { DecisionRow, NewDecision } from './db/log.js';
import type { DecisionLogStore } from './db/store.js';
import { wholeNumberFromEnv } from './env.js';

/** How long the first append of a group waits for others, by default (milliseconds). */
export const LOG_WRITER_WINDOW_MS = 1;
/** The longest window `GROUP_COMMIT_MS` may ask for: beyond it every answer would wait too long. */
export const LOG_WRITER_MAX_WINDOW_MS = 50;

/**
 * The window `GROUP_COMMIT_MS` asks for: the default when unset or empty, a whole number of
 * milliseconds from 0 to `LOG_WRITER_MAX_WINDOW_MS`, else undefined (the server refuses to start).
 */
export function windowFromEnv(value: string | undefined): number | undefined {
  return wholeNumberFromEnv(value, { min: 0, max: LOG_WRITER_MAX_WINDOW_MS, fallback: LOG_WRITER_WINDOW_MS });
}
/** A group commits at once when this many appends wait, by default. */
export const LOG_WRITER_MAX_ENTRIES = 256;

export interface LogWriterOptions {
  /** How long the first append of a group waits for others (milliseconds; 0: this turn of the event loop). */
  windowMs?: number;
  /** A group commits at once when this many appends wait. */
  maxEntries?: number;
}

interface Waiting {
  entry: NewDecision;
  resolve: (row: DecisionRow) => void;
  reject: (error: unknown) => void;
}

export class LogWriter {
  private waiting: Waiting[] = [];
  /** Closes the window of the group gathering now: a timer, or (a window of 0) the next turn of the event loop. */
  private timer: { close: () => void } | undefined;
  /** The group being written, if any. */
  private writing: Promise<void> | undefined;
  private readonly windowMs: number;
  private readonly maxEntries: number;

  constructor(
    private readonly log: Pick<DecisionLogStore, 'appendMany'>,
    /** The time a group is logged at (its entries' `decidedAt`). */
    private readonly now: () => string,
    options: LogWriterOptions = {},
  ) {
    this.windowMs = options.windowMs ?? LOG_WRITER_WINDOW_MS;
    this.maxEntries = options.maxEntries ?? LOG_WRITER_MAX_ENTRIES;
  }

  /** Appends `entry` with the next group; resolves with its row once the group has committed. */
  append(entry: NewDecision): Promise<DecisionRow> {
    return new Promise<DecisionRow>((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      if (this.writing) return; // the group after the one being written; it starts when that ends
      if (this.waiting.length >= this.maxEntries) this.writeNow();
      else this.timer ??= this.openWindow();
    });
  }

  /** Waits until everything appended so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.writing || this.waiting.length > 0) {
      if (!this.writing) this.writeNow();
      await this.writing;
    }
  }

  private openWindow(): { close: () => void } {
    if (this.windowMs > 0) {
      const timeout = setTimeout(() => this.writeNow(), this.windowMs);
      return { close: () => clearTimeout(timeout) };
    }
    // after the I/O callbacks of this turn: the requests read in it go together
    const immediate = setImmediate(() => this.writeNow());
    return { close: () => clearImmediate(immediate) };
  }

  private writeNow(): void {
    this.timer?.close();
    this.timer = undefined;
    if (this.writing || this.waiting.length === 0) return;
    const group = this.waiting.splice(0, this.maxEntries);
    this.writing = this.write(group).finally(() => {
      this.writing = undefined;
      // those that came while it committed: at once, the commit was their window
      if (this.waiting.length > 0) this.writeNow();
    });
  }

  private async write(group: Waiting[]): Promise<void> {
    try {
      const rows = await this.log.appendMany(
        group.map((w) => w.entry),
        this.now(),
      );
      group.forEach((w, i) => w.resolve(rows[i]!));
    } catch (error) {
      // the transaction rolled back: none of the group is logged, and each caller hears so
      for (const w of group) w.reject(error);
    }
  }
}
