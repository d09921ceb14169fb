/**
 * Checkpoints of the embedded database's WAL off the server's main thread. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold: with 16 KiB pages and group
 * commit that was a pause of 10–20 ms on the thread that serves HTTP every half second or so at
 * 2,000 logged evaluations a second — most of `POST /api/evaluate`'s p95 and p99 (BENCHMARKS.md).
 * Here the server's connection never checkpoints; a thread with its own connection
 * (wal-checkpointer.mjs) does, PASSIVE, every `intervalMs`, which SQLite lets run beside commits.
 * Should that thread fail, the connection checkpoints itself again as before: the WAL never grows
 * without bound.
 */
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own default: a checkpoint once the WAL holds this many pages. */
const AUTOCHECKPOINT_PAGES = 1000;
const INTERVAL_MS = 100;
/** After a checkpoint has emptied it, the WAL file is cut back to this size (bytes). */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** What the last checkpoint did: WAL frames in the log, and how many of them are in the file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface WalCheckpointer {
  /** The last checkpoint's result (none yet: undefined). */
  readonly last: CheckpointResult | undefined;
  /** Whether the connection checkpoints itself again (the thread failed). */
  readonly fellBack: boolean;
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
  options: { intervalMs?: number } = {},
): WalCheckpointer {
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const worker = new Worker(new URL('./wal-checkpointer.mjs', import.meta.url), {
    workerData: { file, intervalMs: options.intervalMs ?? INTERVAL_MS },
  });
  worker.unref();
  let last: CheckpointResult | undefined;
  let stopping = false;
  let fellBack = false;
  const fallBack = (why: string) => {
    if (stopping || fellBack) return;
    fellBack = true;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    console.error(`De checkpoints van het WAL-bestand gaan weer mee met de commits: ${why}`);
  };
  worker.on('message', (message: { type: string; message?: string } & CheckpointResult) => {
    if (message.type === 'checkpointed')
      last = { busy: message.busy, log: message.log, checkpointed: message.checkpointed };
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
    async stop() {
      if (stopping) return;
      stopping = true;
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
