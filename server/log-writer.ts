/**
 * Group commit for the decision log: appends that arrive within a short window share one
 * transaction, one chain update and one sync to disk (`log.appendMany`), and each caller's promise
 * settles only after that transaction has committed — an answered decision is in the database.
 *
 * The first append of a group opens a window (`windowMs`, about 2 ms) that closes early once
 * `maxEntries` are waiting. One group is written at a time: appends that arrive while a group
 * commits wait for it and go together in the next one, so under load the commit itself is the
 * window and a group grows with the load, without a timer's delay.
 */
import type { DecisionRow, NewDecision } from './db/log.js';
import type { DecisionLogStore } from './db/store.js';

/** How long the first append of a group waits for others, by default (milliseconds). */
export const LOG_WRITER_WINDOW_MS = 2;
/** A group commits at once when this many appends wait, by default. */
export const LOG_WRITER_MAX_ENTRIES = 256;

export interface LogWriterOptions {
  /** How long the first append of a group waits for others (milliseconds). */
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
  private timer: NodeJS.Timeout | undefined;
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
      else this.timer ??= setTimeout(() => this.writeNow(), this.windowMs);
    });
  }

  /** Waits until everything appended so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.writing || this.waiting.length > 0) {
      if (!this.writing) this.writeNow();
      await this.writing;
    }
  }

  private writeNow(): void {
    clearTimeout(this.timer);
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
