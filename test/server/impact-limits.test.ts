/**
 * Impact analysis jobs are bounded: running jobs per user and in all (429 with Retry-After
 * beyond), worker threads within the cores, finished jobs forgotten after an hour or beyond the
 * number kept, and a job seen only by those whose scope covers its rule set.
 */
import { describe, expect, it } from 'vitest';
import type { ImpactRequest } from '../../server/impact.js';
import { apeldoornRenewal } from '../support/factories.js';
import { bearer, openServer, serverPool, tokenMaker } from './harness.js';

type Server = Awaited<ReturnType<typeof openServer>>;
const pool = serverPool();
const server = (options: Parameters<typeof openServer>[1] = {}) => pool(undefined, options);

const renewal = (clientsLastYear: number) => apeldoornRenewal(clientsLastYear);
const request: ImpactRequest = { candidate: { ruleSet: 'apeldoorn', version: 2 }, filter: {} };
const owner = (name: string) => ({ name, role: 'demo', scope: null });

async function withDecisions(s: Server, n: number) {
  for (let i = 0; i < n; i++) expect((await s.request('POST', '/api/evaluate', renewal(i % 8))).status).toBe(200);
}

describe('limits on impact analysis jobs', () => {
  it('refuses jobs beyond the limit per user and in all with 429 and Retry-After', async () => {
    const s = await server({ service: { impact: { perUser: 1, running: 2 } } });
    await withDecisions(s, 10);
    // two jobs in worker threads: running for a while (a worker takes time to start)
    const anna = await s.service.impact.start(request, { workers: 2, batchSize: 1 }, owner('anna'));
    const bert = await s.service.impact.start(request, { workers: 2, batchSize: 1 }, owner('bert'));

    const mine = await s.request('POST', '/api/impact', request, { 'x-user': 'anna' });
    expect(mine.status).toBe(429);
    expect(mine.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await mine.json()).toMatchObject({ code: 'TOO_MANY_JOBS', detail: expect.stringContaining('anna') });
    const anyone = await s.request('POST', '/api/impact', request, { 'x-user': 'carla' });
    expect(anyone.status).toBe(429);
    expect(anyone.headers.get('retry-after')).toMatch(/^\d+$/);

    s.service.impact.cancel(anna.job.id);
    s.service.impact.cancel(bert.job.id);
    await Promise.all([anna.done, bert.done]);
    expect((await s.request('POST', '/api/impact', request, { 'x-user': 'carla' })).status).toBe(202);
  }, 30_000);

  it('keeps worker threads within the cores over every running job', async () => {
    const s = await server({ service: { impact: { threads: 2, parallelFrom: 1, running: 10, perUser: 10 } } });
    await withDecisions(s, 10);
    const first = await s.service.impact.start(request, { batchSize: 1 }, owner('anna'));
    expect(first.job.workers).toBe(2);
    await expect(s.service.impact.start(request, { batchSize: 1 }, owner('bert'))).rejects.toThrow(/rekenthreads/);
    s.service.impact.cancel(first.job.id);
    await first.done;
    const second = await s.service.impact.start(request, { batchSize: 1 }, owner('bert'));
    s.service.impact.cancel(second.job.id);
    await second.done;
  }, 30_000);

  it('forgets finished jobs beyond the number kept, and after an hour', async () => {
    let now = Date.parse('2026-07-01T10:00:00.000Z');
    const s = await server({
      clock: { now: () => new Date(now).toISOString() },
      service: { impact: { keepFinished: 2 } },
    });
    await withDecisions(s, 3);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      now += 1000;
      ids.push((await (await s.service.impact.start(request, {}, owner('anna'))).done).id);
    }
    expect((await s.request('GET', `/api/impact/${ids[0]}`)).status).toBe(404);
    expect((await s.request('GET', `/api/impact/${ids[2]}`)).status).toBe(200);
    now += 61 * 60 * 1000;
    expect((await s.request('GET', `/api/impact/${ids[2]}`)).status).toBe(404);
  });
});

describe('access to impact jobs by scope', () => {
  it('shows a job to auditors and to the advisor and officer whose scope covers its rule set, to no one else', async () => {
    const ADMIN = 'impact-scope-admin';
    const s = await server({ adminToken: ADMIN });
    const token = tokenMaker(s, ADMIN);
    const who = {
      auditor: await token('Eva', 'auditor'),
      advisorMJ: await token('Bert', 'policy-advisor', 'midden-ijssel-oost-veluwe'),
      advisorIJ: await token('Anna', 'policy-advisor', 'ijsselland'),
      officerApeldoorn: await token('Carla', 'municipality-officer', 'apeldoorn'),
      officerZwolle: await token('Dirk', 'municipality-officer', 'zwolle'),
      caseSystem: await token('Zaaksysteem', 'case-system'),
    };
    const start = await s.request('POST', '/api/impact', request, bearer(who.officerApeldoorn));
    expect(start.status).toBe(202);
    const { id, startedBy } = await start.json();
    expect(startedBy).toBe('Carla');
    const status = async (token: string) =>
      (await s.request('GET', `/api/impact/${id}`, undefined, bearer(token))).status;
    expect(await status(who.auditor)).toBe(200);
    expect(await status(who.advisorMJ)).toBe(200);
    expect(await status(who.officerApeldoorn)).toBe(200);
    expect(await status(who.advisorIJ)).toBe(403);
    expect(await status(who.officerZwolle)).toBe(403);
    expect(await status(who.caseSystem)).toBe(403);
    expect((await s.request('DELETE', `/api/impact/${id}`, undefined, bearer(who.officerZwolle))).status).toBe(403);
  });
});
