/**
 * One impact analysis worker: opens the database read-only, builds the engine over the published
 * versions (no service: it only reads), analyses its range of the log batch by batch with the
 * engine's candidate composition and posts a tally per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DecisionEngine, defaultBackend, RuleSetRepository } from '../engine/index.js';
import { openStoreForReading } from './db/connect.js';
import { emptyTally, ImpactAnalysis, type WorkerMessage, type WorkerTask } from './impact.js';

const { task } = workerData as { task: WorkerTask };
const store = await openStoreForReading(task.location);
// the same backend as the server's engine, so workers decide exactly as the server's thread does
const engine = new DecisionEngine(
  new RuleSetRepository((await store.ruleSets.versions()).map((v) => v.document)),
  defaultBackend,
);
const analysis = new ImpactAnalysis(engine, task.document);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

for await (const batch of store.log.summaries(task.filter, task.batchSize, task.range)) {
  const tally = emptyTally();
  await analysis.batch(batch, tally);
  post({ type: 'tally', tally });
}
await store.close();
post({ type: 'done' });
