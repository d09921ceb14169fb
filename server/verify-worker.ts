/**
 * One verification task of the store (server/audit.ts), run in a pooled worker thread
 * (server/pool-worker.ts): opens the database read-only (no lock: the server holds it), verifies
 * its range of the log — and, when asked, the checkpoints, the published versions and the
 * governance chain — posting progress and what it found.
 */
import { signedCheckpoints, verifyLogRange, verifyRest, type VerifyMessage, type VerifyTask } from './audit.js';
import { openStoreForReading } from './db/connect.js';
import { CheckpointVerifier } from './integrity.js';

export async function verifyRange(task: VerifyTask, post: (message: VerifyMessage) => void): Promise<void> {
  const store = await openStoreForReading(task.location);
  try {
    const options = { verifier: new CheckpointVerifier(task.publicKeyPem), checkpointFile: task.checkpointFile };
    const rest = task.rest ? await verifyRest(store, options) : undefined;
    // every worker checks its entries against the signed checkpoints; the one doing the rest reports on them
    const signed = rest?.checkpoints ?? (await signedCheckpoints(store, options, () => {}));
    const range = await verifyLogRange(store, task.range, signed, (checked) => post({ type: 'progress', checked }));
    post({ type: 'done', range, rest });
  } finally {
    await store.close();
  }
}
