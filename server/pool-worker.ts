/**
 * The entry of a pooled worker thread (server/worker-pool.ts; server/worker.boot.mjs has lowered
 * its scheduling priority): runs the tasks it is sent one after the other, posting each task's
 * messages and then that it ended. A task that throws ends with its error; the thread stays for
 * the next.
 */
import { parentPort } from 'node:worker_threads';
import { analyseRange } from './impact-worker.js';
import type { WorkerTask } from './impact.js';
import type { VerifyTask } from './audit.js';
import { verifyRange } from './verify-worker.js';
import type { PoolMessage, PoolTaskKind } from './worker-pool.js';

const port = parentPort!;
const post = (message: PoolMessage) => port.postMessage(message);
const forward = (message: unknown) => post({ type: 'message', message });

port.on('message', ({ kind, task }: { kind: PoolTaskKind; task: unknown }) => {
  const running =
    kind === 'impact' ? analyseRange(task as WorkerTask, forward) : verifyRange(task as VerifyTask, forward);
  running.then(
    () => post({ type: 'end' }),
    (error: unknown) => post({ type: 'end', error: error instanceof Error ? error.message : String(error) }),
  );
});
