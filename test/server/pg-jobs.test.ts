/**
 * Impact analyses and verifications as jobs on several nodes — two services with their apps
 * ("nodes") on one real PostgreSQL database: a job started on one node is read and cancelled
 * from the other, the limits hold over both, and a job whose node goes away (closed while it
 * runs, or a lease that ran out) is taken over by the other node and finishes there. Skipped
 * unless `TEST_DATABASE_URL` is set.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { openPostgresStore } from '../../server/db/pg/open.js';
import type { ImpactJob, ImpactRequest } from '../../server/impact.js';
import { RulesService, type ServiceOptions } from '../../server/service.js';
import { apeldoornRenewal } from '../support/factories.js';
import { cleanupAfterEach } from '../support/cleanup.js';
import { createTestDatabase, testDatabaseUrl } from '../support/postgres.js';
import { requestsTo, seedRuleSets, TEST_SIGNER } from './harness.js';

const cleanup = cleanupAfterEach();

/** A short lease, so that a job left behind is taken over within a second. */
const LEASE_MS = 400;

/** A fresh database, dropped after the test. */
async function database() {
  const db = await createTestDatabase();
  cleanup(db.drop);
  return db.url;
}

/** One API node on the database at `url`. */
async function node(url: string, options: ServiceOptions = {}) {
  const store = await openPostgresStore(url);
  await seedRuleSets(store);
  const service = new RulesService(store, undefined, { signer: TEST_SIGNER, jobs: { leaseMs: LEASE_MS }, ...options });
  const app = createApp(service);
  let closed = false;
  /** The node goes away: its jobs stop where they are, nothing more is written. */
  const close = async () => {
    if (closed) return;
    closed = true;
    await service.close();
    await store.close();
  };
  cleanup(close);
  return { store, service, request: requestsTo(app), close };
}

const renewal = (clientsLastYear: number) => apeldoornRenewal(clientsLastYear);
const request: ImpactRequest = { candidate: { ruleSet: 'apeldoorn', version: 2 }, filter: {} };
const owner = (name: string) => ({ name, role: 'demo', scope: null });

async function withDecisions(n: { request: (m: string, p: string, b?: unknown) => Promise<Response> }, count: number) {
  // fifty at a time: they share group commits, so that thousands are logged in seconds
  for (let i = 0; i < count; i += 50) {
    const answers = await Promise.all(
      Array.from({ length: Math.min(50, count - i) }, (_, j) =>
        n.request('POST', '/api/evaluate', renewal((i + j) % 8)),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(200);
  }
}

/** Reads a job through `n`'s API until `until` holds of it. */
async function pollJob(
  n: { request: (m: string, p: string) => Promise<Response> },
  path: string,
  until: (job: Record<string, unknown>) => boolean,
  timeoutMs = 20_000,
): Promise<Record<string, unknown>> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const res = await n.request('GET', path);
    expect(res.status).toBe(200);
    const job = (await res.json()) as Record<string, unknown>;
    if (until(job)) return job;
    if (Date.now() > end) throw new Error(`${path} bleef ${JSON.stringify(job).slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(!testDatabaseUrl)('PostgreSQL: jobs on two nodes', () => {
  it('reads on node B an impact job that node A runs, while it runs and when it is done', async () => {
    const url = await database();
    const a = await node(url);
    const b = await node(url);
    await withDecisions(a, 40);
    const { job, done } = await a.service.impact.start(request, { workers: 2, batchSize: 2 }, owner('anna'));
    const seen = await pollJob(b, `/api/impact/${job.id}`, () => true);
    expect(seen).toMatchObject({ id: job.id, startedBy: 'anna', total: 40, workers: 2 });
    const finished = await done;
    expect(finished).toMatchObject({ status: 'done', processed: 40 });
    const onB = await pollJob(b, `/api/impact/${job.id}?limit=100`, (j) => j.status === 'done');
    expect(onB).toMatchObject({
      status: 'done',
      processed: 40,
      changedCount: finished.changedCount,
      outcomes: finished.outcomes,
      tariffCents: finished.tariffCents,
    });
    expect(onB.changed).toEqual(finished.changed);
  }, 60_000);

  it('cancels from node B a job that node A runs', async () => {
    const url = await database();
    const a = await node(url);
    const b = await node(url);
    // enough rows, read one at a time, that the job outlasts a heartbeat even on warm worker threads
    await withDecisions(a, 3000);
    const { job, done } = await a.service.impact.start(request, { workers: 2, batchSize: 1 }, owner('anna'));
    expect((await b.request('DELETE', `/api/impact/${job.id}`)).status).toBe(200);
    // node A learns it at its next heartbeat
    const finished = await done;
    expect(finished.status).toBe('cancelled');
    expect(finished.processed).toBeLessThan(3000);
    expect((await pollJob(b, `/api/impact/${job.id}`, (j) => j.status !== 'running')).status).toBe('cancelled');
  }, 60_000);

  it('keeps the limits on running jobs over both nodes', async () => {
    const url = await database();
    const a = await node(url, { impact: { perUser: 1, running: 2 } });
    const b = await node(url, { impact: { perUser: 1, running: 2 } });
    await withDecisions(a, 20);
    const first = await a.service.impact.start(request, { workers: 2, batchSize: 1 }, owner('anna'));
    const mine = await b.request('POST', '/api/impact', request, { 'x-user': 'anna' });
    expect(mine.status).toBe(429);
    expect(await mine.json()).toMatchObject({ code: 'TOO_MANY_JOBS', detail: expect.stringContaining('anna') });
    await a.service.impact.cancel(first.job.id);
    await first.done;
    expect((await b.request('POST', '/api/impact', request, { 'x-user': 'anna' })).status).toBe(202);
  }, 60_000);

  it('finishes on node B an impact job whose node A went away while running it', async () => {
    const url = await database();
    const a = await node(url);
    await withDecisions(a, 60);
    // a run that takes a while: worker threads reading one decision per query
    const alone = await (await a.service.impact.start(request, { workers: 1 }, owner('anna'))).done;
    const { job } = await a.service.impact.start(request, { workers: 2, batchSize: 1 }, owner('anna'));
    const b = await node(url);
    await a.close();
    const onB = await pollJob(b, `/api/impact/${job.id}?limit=100`, (j) => j.status !== 'running');
    expect(onB).toMatchObject({ status: 'done', processed: 60, total: 60, workers: 2 });
    // the same findings as a run that was never interrupted
    expect(onB).toMatchObject({
      changedCount: alone.changedCount,
      outcomes: alone.outcomes,
      tariffCents: alone.tariffCents,
      skipped: alone.skipped,
    });
    expect((onB.changed as ImpactJob['changed']).map((c) => c.decisionId)).toEqual(
      alone.changed.map((c) => c.decisionId),
    );
    const row = (await b.store.jobs.get(job.id))!;
    expect(row).toMatchObject({ claimedBy: b.service.jobs.node, attempts: 2, status: 'done' });
  }, 60_000);

  it('takes over a verification whose lease ran out (its node stopped renewing it) and signs what it found', async () => {
    const url = await database();
    const a = await node(url);
    await withDecisions(a, 10);
    // as a node that crashed leaves it: running, held by that node, its lease run out
    await a.store.jobs.add(
      {
        id: 'verify-left-behind',
        kind: 'verify',
        ownerName: 'eva',
        ownerRole: 'auditor',
        ownerScope: null,
        params: '{}',
        state: JSON.stringify({
          id: 'verify-left-behind',
          status: 'running',
          processed: 3,
          total: 10,
          startedBy: 'eva',
          startedAt: '2026-07-01T10:00:00.000Z',
        }),
        claimedBy: 'a-node-that-crashed',
        leaseUntil: Date.now() - 1,
        startedAt: '2026-07-01T10:00:00.000Z',
      },
      { perOwner: 1, total: 1 },
    );
    const b = await node(url);
    // a verification asked for on node A meanwhile joins the one running
    const joined = await a.service.verification.start('bert');
    expect(joined.job.id).toBe('verify-left-behind');
    const job = await pollJob(b, '/api/audit/verify/verify-left-behind', (j) => j.status !== 'running');
    expect(job).toMatchObject({ status: 'done', processed: 10, startedBy: 'eva', result: { ok: true, checked: 10 } });
    expect((await joined.done).status).toBe('done');
    // either live node may take it over; it ran once more, not twice
    const row = (await b.store.jobs.get('verify-left-behind'))!;
    expect([a.service.jobs.node, b.service.jobs.node]).toContain(row.claimedBy);
    expect(row.attempts).toBe(2);
    expect((await b.store.checkpoints.latest())?.seq).toBe(10);
  }, 60_000);

  it('verifies a log written by both nodes in ranges side by side as it does in one', async () => {
    const url = await database();
    const a = await node(url);
    const b = await node(url);
    await Promise.all([withDecisions(a, 30), withDecisions(b, 30)]);
    const verifyIn = (workers: number) =>
      new RulesService(b.store, undefined, { signer: TEST_SIGNER, verifyWorkers: workers });
    const one = verifyIn(1);
    const three = verifyIn(3);
    cleanup(() => one.close());
    cleanup(() => three.close());
    const whole = await (await one.verification.start('eva')).done;
    const ranges = await (await three.verification.start('eva')).done;
    expect(whole.result).toMatchObject({ ok: true, checked: 60 });
    // the same, but for the checkpoint the first verification signed
    const { checkpoints: _c1, ...one1 } = whole.result!;
    const { checkpoints: _c2, ...b3 } = ranges.result!;
    expect(b3).toEqual(one1);
  }, 60_000);
});
