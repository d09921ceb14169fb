import { existsSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import fc from 'fast-check';
import { regionOf } from '../../engine/compose.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import type { Case } from '../../engine/schema.js';
import { Store, type NewDecision } from '../../server/db/store.js';
import { RulesService } from '../../server/service.js';
import { admissionCase, mijovAllocationCase } from '../support/arbitraries.js';
const dir = process.env.DB ?? '/tmp/impactdb';
const N = Number(process.argv[2] ?? 100000);
const fresh = !existsSync(dir + '/rules.sqlite');
const store = Store.open(dir);
store.seedIfEmpty(
  loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
  '2026-01-01T00:00:00.000Z',
);
const service = new RulesService(store);
const engine = service.engine();
if (fresh) {
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
  for (let done = 0; done < N; done += 5000)
    store.appendDecisions(
      Array.from({ length: Math.min(5000, N - done) }, (_, i) => pool[(done + i) % pool.length]!),
      '2026-06-01T00:00:00.000Z',
    );
}
const current = store.version('apeldoorn', 2)!.document;
const draft = service.createDraft(
  'apeldoorn',
  {
    ...current,
    parameters: { ...current.parameters, 'admission.minClientsPerYear': 3, 'tariff.differentiationPercentage': 3 },
  },
  'bench',
);
const session = new Session();
session.connect();
const prof = process.argv.includes('--prof');
if (prof) {
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
}
const started = process.hrtime.bigint();
const { done } = service.impact.start(
  { candidate: { ruleSet: 'apeldoorn', draftId: draft.id }, filter: {} },
  { workers: Number(process.env.W ?? 2) },
);
const job = await done;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (prof) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync('/tmp/prof2/x.cpuprofile', JSON.stringify(profile));
}
console.log(
  job.status,
  job.processed,
  seconds.toFixed(2),
  's',
  Math.round(job.processed / seconds),
  '/s',
  job.changedCount,
  'changed',
  Math.round(process.memoryUsage().rss / 2 ** 20),
  'MB',
);
