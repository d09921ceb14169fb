/**
 * One impact analysis worker: opens the database read-only, builds the engine over the published
 * versions, analyses its range of the log batch by batch and posts a tally per batch.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db/open.js';
import { emptyTally, ImpactAnalysis, type WorkerMessage, type WorkerTask } from './impact.js';
import { RulesService } from './service.js';

const { task } = workerData as { task: WorkerTask };
const store = openDatabase(task.file, { readonly: true });
const analysis = new ImpactAnalysis(new RulesService(store), task.document);
const post = (message: WorkerMessage) => parentPort!.postMessage(message);

for (const batch of store.log.summaries(task.filter, task.batchSize, task.range)) {
  const tally = emptyTally();
  await analysis.batch(batch, tally);
  post({ type: 'tally', tally });
}
store.close();
post({ type: 'done' });
