/**
 * The background checkpointer: a worker thread with a connection of its own that moves the
 * write-ahead log into the database file every few hundred milliseconds (a passive checkpoint,
 * which never blocks the writer). Without it SQLite checkpoints inside whichever commit crosses
 * the threshold, and that evaluation waits for the copy and its fsync.
 */
import { workerData } from 'node:worker_threads';
import { Store } from './store.js';

const { task } = workerData as { task: { file: string; intervalMs: number } };
const store = Store.openFile(task.file, { migrate: false });
setInterval(() => store.checkpoint(), task.intervalMs);
