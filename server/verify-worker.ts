/**
 * One verification of the store (server/audit.ts), in a worker thread: opens the database
 * read-only (no lock: the server holds it), verifies, posts progress and the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { verifyStore, type VerifyMessage, type VerifyTask } from './audit.js';
import { openStoreForReading } from './db/connect.js';
import { CheckpointVerifier } from './integrity.js';

const { task } = workerData as { task: VerifyTask };
const post = (message: VerifyMessage) => parentPort!.postMessage(message);
const store = await openStoreForReading(task.location);
try {
  const result = await verifyStore(
    store,
    { verifier: new CheckpointVerifier(task.publicKeyPem), checkpointFile: task.checkpointFile },
    (processed, total) => post({ type: 'progress', processed, total }),
  );
  post({ type: 'result', result });
} finally {
  await store.close();
}
