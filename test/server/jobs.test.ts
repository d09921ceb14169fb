/**
 * Jobs in the embedded SQLite database: one process holds it, so a job outlives its process only
 * across a restart — the job the stopped server left running is taken over by the next one on
 * the same data folder once its lease has run out, and finishes there.
 */
import { describe, expect, it } from 'vitest';
import type { ImpactRequest } from '../../server/impact.js';
import { apeldoornRenewal } from '../support/factories.js';
import { openServer } from './harness.js';

const renewal = (clientsLastYear: number) => apeldoornRenewal(clientsLastYear);
const request: ImpactRequest = { candidate: { ruleSet: 'apeldoorn', version: 2 }, filter: {} };
const jobs = { leaseMs: 300 };

describe('jobs in the embedded database', () => {
  it('finishes after a restart the impact job the stopped server left running', async () => {
    const first = await openServer(undefined, { service: { jobs } });
    for (let i = 0; i < 40; i++)
      expect((await first.request('POST', '/api/evaluate', renewal(i % 8))).status).toBe(200);
    const alone = await (await first.service.impact.start(request, { workers: 1 })).done;
    const { job } = await first.service.impact.start(request, { workers: 2, batchSize: 1 });
    await first.service.close();
    await first.store.close();

    const second = await openServer(first.dataDir, { service: { jobs } });
    try {
      let seen: Record<string, unknown> = {};
      for (let tries = 0; tries < 400; tries++) {
        const res = await second.request('GET', `/api/impact/${job.id}?limit=100`);
        expect(res.status).toBe(200);
        seen = (await res.json()) as Record<string, unknown>;
        if (seen.status !== 'running') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(seen).toMatchObject({
        status: 'done',
        processed: 40,
        changedCount: alone.changedCount,
        outcomes: alone.outcomes,
      });
      expect(await second.store.jobs.get(job.id)).toMatchObject({
        claimedBy: second.service.jobs.node,
        attempts: 2,
      });
    } finally {
      await second.service.close();
      await second.store.close();
    }
  }, 60_000);
});
