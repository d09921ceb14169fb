/**
 * One impact analysis task, run in a pooled worker thread (server/pool-worker.ts): opens the
 * database read-only, builds the engine over the published versions (no service: it only reads;
 * built per task, since versions may have been published since the last), analyses its range of
 * the log batch by batch with the engine's candidate composition and posts a tally per batch.
 */
import { DecisionEngine, defaultBackend, RuleSetRepository } from '../engine/index.js';
import { openStoreForReading } from './db/connect.js';
import { emptyTally, ImpactAnalysis, type WorkerMessage, type WorkerTask } from './impact.js';

export async function analyseRange(task: WorkerTask, post: (message: WorkerMessage) => void): Promise<void> {
  const store = await openStoreForReading(task.location);
  try {
    // the same backend as the server's engine, so workers decide exactly as the server's thread does
    const engine = new DecisionEngine(
      new RuleSetRepository((await store.ruleSets.versions()).map((v) => v.document)),
      defaultBackend,
    );
    const analysis = new ImpactAnalysis(engine, task.document);
    for await (const batch of store.log.summaries(task.filter, task.batchSize, task.range)) {
      const tally = emptyTally();
      await analysis.batch(batch, tally);
      post({ type: 'tally', tally });
    }
  } finally {
    await store.close();
  }
  post({ type: 'done' });
}
