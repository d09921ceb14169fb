/**
 * Checkpoints of the embedded database's WAL off the server's main thread. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold: with 16 KiB pages and group
 * commit that was a pause of 10–20 ms on the thread that serves HTTP every half second or so at
 * 2,000 logged evaluations a second — most of `POST /api/evaluate`'s p95 and p99 (BENCHMARKS.md).
 * Here the server's connection never checkpoints; a thread with its own connection
 * (wal-checkpointer.mjs) does, PASSIVE, every `intervalMs`, which SQLite lets run beside commits.
 * Should that thread fail, the connection checkpoints itself again as before.
 *
 * A PASSIVE checkpoint alone does not keep the WAL small under steady load: SQLite starts the WAL
 * again from its beginning only at a commit that finds every frame copied, and with commits every
 * few milliseconds a checkpoint never ends before the next one. Measured at 1,000 logged
 * evaluations a second (16 KiB pages, ~40 KB of WAL a decision) it grew by ~41 MB a second, to
 * 1.2 GB in 30 s, and would fill the disk in a long day. So once the WAL holds `restartBytes`,
 * the log's next append waits (`beforeAppend`: its promise, never the event loop) while the thread
 * copies what is left — the pages changed since its last run, a few milliseconds' work — and the
 * append's commit then starts the WAL again. `journal_size_limit` is as large, so that commit has
 * little or nothing to cut off the file. A reader in the middle of a read at that commit (a verify
 * under way reads all the time) keeps the WAL from starting again; it is then tried again at most
 * every `RETRY_MS`.
 *
 * The WAL then grows past the limit (by ~50 MB a second at 1,000 logged evaluations a second), and
 * the commit that starts it again cuts the file back, on the thread that answers, freeing the
 * page cache of all it cuts: 20–35 ms for 70–120 MB, the slowest stretch of the API's answers
 * while verify ran (BENCHMARKS.md). So after each checkpoint the limit is set to at most
 * `CUT_STEP_BYTES` below the file's size, which the thread reports with the checkpoint: the commit
 * after a catch-up (appends held meanwhile) cuts just that; one that starts the WAL again after a
 * periodic checkpoint, also what the WAL grew since the checkpoint before (one interval's
 * appends). The file shrinks back to the limit over the next few starts.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own default: a checkpoint once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;
const INTERVAL_MS = 100;
/**
 * The size (bytes) a start of the WAL cuts the file back to, or `restartBytes` when that is larger:
 * at most `CUT_STEP_BYTES` a start when the file has grown far past it.
 */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/**
 * The WAL size (bytes) at which appends wait for it to be emptied and started again: at 2,000
 * logged evaluations a second about every four seconds. At 64 MB (every second or so) the waits
 * added ~1 ms to the p99 of `POST /api/evaluate` at that rate; at 256 MB they were lost in the noise.
 */
const RESTART_BYTES = 256 * 1024 * 1024;
/**
 * The most one start of the WAL cuts off the file (bytes): a few milliseconds of freeing the page
 * cache, on the thread that answers.
 */
const CUT_STEP_BYTES = 16 * 1024 * 1024;
/** How long after one try to empty the WAL the next may be made (milliseconds). */
const RETRY_MS = 1000;
/** An append waits at most this long for a catch-up (milliseconds): a stuck disk stops no append. */
const CATCH_UP_WAIT_MS = 1000;

/** What the last checkpoint did: WAL frames in the log, and how many of them are in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * What the thread posts (wal-checkpointer.mjs), with the catch-up's id when it answers one: a
 * checkpoint's result and the WAL file's size then, or a checkpoint that failed.
 */
type ThreadMessage = { id?: number } & (
  ({ type: 'checkpointed'; walBytes: number } & CheckpointResult) | { type: 'failed'; message: string; code?: string }
);

/** When the thread checkpoints and empties the WAL; the defaults are the server's. */
export interface WalCheckpointerOptions {
  /** Between two checkpoints (milliseconds). */
  intervalMs?: number;
  /** The WAL size (bytes) at which appends wait for the WAL to be emptied. */
  restartBytes?: number;
  /** Between two tries to empty it (milliseconds). */
  retryMs?: number;
  /** The size (bytes) a start of the WAL cuts the file back to (`journal_size_limit`). */
  sizeLimitBytes?: number;
  /** The most one start of the WAL cuts off the file (bytes). */
  cutStepBytes?: number;
}

export interface WalCheckpointer {
  /** The last checkpoint's result (none yet: undefined). */
  readonly last: CheckpointResult | undefined;
  /** Whether the connection checkpoints itself again (the thread failed). */
  readonly fellBack: boolean;
  /** How often a catch-up has copied every frame, so that the next commit started the WAL again. */
  readonly emptied: number;
  /**
   * Before the log appends (outside a transaction): nothing while the WAL is small, else a promise
   * that settles once the thread has caught up (or could not, or after `CATCH_UP_WAIT_MS`).
   */
  beforeAppend(): Promise<void> | undefined;
  /** Stops the thread and waits for it; call before closing the connection. */
  stop(): Promise<void>;
}

/**
 * Turns off `sqlite`'s automatic checkpoints and starts the thread that checkpoints `file`
 * instead. The thread does not keep the process alive.
 */
export function startWalCheckpointer(
  sqlite: Database.Database,
  file: string,
  options: WalCheckpointerOptions = {},
): WalCheckpointer {
  const restartBytes = options.restartBytes ?? RESTART_BYTES;
  const retryMs = options.retryMs ?? RETRY_MS;
  sqlite.pragma('wal_autocheckpoint = 0');
  const sizeLimit = options.sizeLimitBytes ?? Math.max(WAL_SIZE_LIMIT, restartBytes);
  const cutStep = options.cutStepBytes ?? CUT_STEP_BYTES;
  let cutTo = sizeLimit;
  sqlite.pragma(`journal_size_limit = ${cutTo}`);
  /**
   * Sets what the next start of the WAL cuts the file (`walBytes` now) back to: the limit, or a
   * step towards it.
   */
  const cutTowardsLimit = (walBytes: number) => {
    const to = Math.max(sizeLimit, walBytes - cutStep);
    if (to === cutTo || !sqlite.open) return;
    cutTo = to;
    sqlite.pragma(`journal_size_limit = ${to}`);
  };
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const worker = new Worker(new URL('./wal-checkpointer.mjs', import.meta.url), {
    workerData: { file, intervalMs: options.intervalMs ?? INTERVAL_MS },
  });
  worker.unref();
  let last: CheckpointResult | undefined;
  let stopping = false;
  let fellBack = false;
  let emptied = 0;
  /** The catch-up asked for and not yet answered. */
  let catchUp: { id: number; done: Promise<void>; settle: () => void } | undefined;
  let nextId = 1;
  let triedAt = -Infinity;
  const settleCatchUp = () => {
    catchUp?.settle();
    catchUp = undefined;
  };
  const fallBack = (why: string) => {
    settleCatchUp();
    if (stopping || fellBack) return;
    fellBack = true;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    console.error(`De checkpoints van het WAL-bestand gaan weer mee met de commits: ${why}`);
  };
  worker.on('message', (message: ThreadMessage) => {
    if (message.type === 'checkpointed') {
      last = { busy: message.busy, log: message.log, checkpointed: message.checkpointed };
      // before a catch-up's append goes on (settled below), so that its commit cuts by this
      cutTowardsLimit(message.walBytes);
      if (message.id !== undefined && message.checkpointed === message.log) emptied += 1;
    }
    if (message.id !== undefined && message.id === catchUp?.id) settleCatchUp();
  });
  worker.on('error', (error) => fallBack(error.message));
  worker.on('exit', (code) => fallBack(`de checkpoint-thread stopte (exit ${code})`));
  return {
    get last() {
      return last;
    },
    get fellBack() {
      return fellBack;
    },
    get emptied() {
      return emptied;
    },
    beforeAppend() {
      if (catchUp) return catchUp.done;
      if (stopping || fellBack || !last || last.log * pageSize < restartBytes) return undefined;
      const now = performance.now();
      if (now - triedAt < retryMs) return undefined;
      triedAt = now;
      let settle!: () => void;
      const done = new Promise<void>((resolve) => (settle = resolve));
      const timeout = setTimeout(settleCatchUp, CATCH_UP_WAIT_MS);
      const id = nextId++;
      catchUp = {
        id,
        done,
        settle: () => {
          clearTimeout(timeout);
          settle();
        },
      };
      worker.postMessage({ type: 'catch-up', id });
      return done;
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      settleCatchUp();
      if (fellBack) return;
      const exited = once(worker, 'exit');
      worker.postMessage('stop');
      // a checkpoint under way finishes first; one that hangs (a stuck disk) is not waited for
      const timeout = setTimeout(() => void worker.terminate(), 5000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
