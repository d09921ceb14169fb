/**
 * Impact analysis over many logged decisions: time and peak memory. Fills a temporary database
 * with N synthetic logged decisions (random valid cases of Apeldoorn, decided and chained as the
 * API would), then runs an impact job with a draft that changes Apeldoorn's thresholds.
 *
 *   npx tsx test/bench/impact.bench.ts --decisions=100000 [--json]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { regionOf } from '../../engine/compose.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import type { Case } from '../../engine/schema.js';
import type { NewDecision } from '../../server/db/log.js';
import { openDataDir } from '../../server/db/open.js';
import { RulesService } from '../../server/service.js';
import { admissionCase, mijovAllocationCase } from '../support/arbitraries.js';

export async function impactBenchmark(decisions: number) {
  const store = openDataDir(mkdtempSync(join(tmpdir(), 'impact-bench-')));
  await store.ruleSets.seedIfEmpty(
    loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
    '2026-01-01T00:00:00.000Z',
  );
  const service = new RulesService(store);
  const engine = await service.engine();

  // a pool of distinct decided cases of Apeldoorn, repeated to fill the log
  const cases = fc
    .sample(fc.oneof(mijovAllocationCase, admissionCase), { numRuns: 2000, seed: 11 })
    .map((c) => ({ ...c, municipality: 'apeldoorn' }) as Case)
    .filter((c) => engine.validate(c).ok);
  const pool: NewDecision[] = [];
  for (const c of cases)
    pool.push({
      municipality: c.municipality,
      region: regionOf(c.municipality),
      case: c,
      decision: await engine.decide(c),
      decidedBy: 'bench',
    });

  const fillStarted = Date.now();
  for (let done = 0; done < decisions; done += 5000) {
    const batch = Array.from({ length: Math.min(5000, decisions - done) }, (_, i) => pool[(done + i) % pool.length]!);
    await store.log.appendMany(batch, '2026-06-01T00:00:00.000Z');
  }
  const fillSeconds = (Date.now() - fillStarted) / 1000;

  const current = (await store.ruleSets.version('apeldoorn', 2))!.document;
  const draft = await service.createDraft(
    'apeldoorn',
    {
      ...current,
      parameters: { ...current.parameters, 'admission.minClientsPerYear': 3, 'tariff.differentiationPercentage': 3 },
    },
    'bench',
  );

  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const started = process.hrtime.bigint();
  const { done } = await service.impact.start({ candidate: { ruleSet: 'apeldoorn', draftId: draft.id }, filter: {} });
  const job = await done;
  if (job.status !== 'done') throw new Error(`impact job ${job.status}: ${job.error ?? ''}`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  await store.close();
  return {
    decisions: job.processed,
    seconds,
    decisionsPerSecond: Math.round(job.processed / seconds),
    peakRssMb: Math.round(peakRss / 1024 / 1024),
    changed: job.changedCount,
    fillSeconds,
    backend: engine.backend.name,
    workers: job.workers,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv.find((a) => a.startsWith('--decisions='))?.split('=')[1] ?? 100_000);
  const result = await impactBenchmark(n);
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
  else
    console.log(
      `impact analysis (${result.backend}, ${result.workers} worker thread(s)): ${result.decisions} decisions in ${result.seconds.toFixed(1)} s (${result.decisionsPerSecond}/s), peak RSS ${result.peakRssMb} MB, ${result.changed} change; filling the log took ${result.fillSeconds.toFixed(1)} s`,
    );
}
