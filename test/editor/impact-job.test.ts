// @vitest-environment jsdom
/**
 * createImpactJob against a real app: it follows a job until it is done, pages through the
 * changed decisions, cancels a running job, and its polling timer ends with its owner.
 */
import { createRoot } from 'solid-js';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createImpactJob } from '../../editor/lib/impact-job.js';
import type { ImpactJob } from '../../server/impact.js';
import { crisisCase } from '../support/factories.js';
import { crisisDraft, useAppClient } from './app-client.js';

const { server, client } = await useAppClient();
const DECISIONS = 40;
let draftId: string;

beforeAll(async () => {
  // every logged crisis of 30 days is a review now, and would be granted with a 35-day maximum
  for (let i = 0; i < DECISIONS; i++) await server.request('POST', '/api/evaluate', crisisCase);
  draftId = await crisisDraft(server, 35);
});
afterEach(() => vi.restoreAllMocks());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('createImpactJob', () => {
  it('follows a job until it is done and shows the decisions the draft changes', async () => {
    await createRoot(async (dispose) => {
      const impact = createImpactJob(client, { pollMs: 5 });
      await impact.start({ ruleSet: 'ijsselland', draftId }, { from: '', to: '' });
      await vi.waitFor(() => expect(impact.job()?.status).toBe('done'));
      expect(impact.job()).toMatchObject({
        total: DECISIONS,
        processed: DECISIONS,
        progress: 1,
        changedCount: DECISIONS,
        outcomes: { before: { review: DECISIONS }, after: { granted: DECISIONS } },
      });
      expect(impact.job()!.changed).toHaveLength(DECISIONS);
      expect(impact.running()).toBe(false);
      expect(impact.error()).toBeNull();
      dispose();
    });
  });

  it('pages through the changed decisions', async () => {
    await createRoot(async (dispose) => {
      const impact = createImpactJob(client, { pollMs: 5, pageSize: 15 });
      await impact.start({ ruleSet: 'ijsselland', draftId });
      await vi.waitFor(() => expect(impact.job()?.status).toBe('done'));
      const first = impact.job()!.changed.map((c) => c.decisionId);
      expect(first).toHaveLength(15);
      await impact.showChanges(30);
      expect(impact.offset()).toBe(30);
      const last = impact.job()!.changed.map((c) => c.decisionId);
      expect(last).toHaveLength(DECISIONS - 30);
      expect(last.some((id) => first.includes(id))).toBe(false);
      dispose();
    });
  });

  it('passes the date period on and leaves out empty bounds', async () => {
    await createRoot(async (dispose) => {
      const impact = createImpactJob(client, { pollMs: 5 });
      await impact.start({ ruleSet: 'ijsselland', draftId }, { from: '2027-01-01', to: '' });
      await vi.waitFor(() => expect(impact.job()?.status).toBe('done'));
      expect(impact.job()).toMatchObject({ total: 0, progress: 1, changedCount: 0 });
      dispose();
    });
  });

  it('cancels a running job, and the polling shows it cancelled', async () => {
    // one decision per batch, so the job is still running when the cancel arrives
    const impactService = server.service.impact;
    const start = impactService.start.bind(impactService);
    vi.spyOn(impactService, 'start').mockImplementation((request) => start(request, { batchSize: 1 }));
    await createRoot(async (dispose) => {
      const impact = createImpactJob(client, { pollMs: 5 });
      await impact.start({ ruleSet: 'ijsselland', draftId });
      expect(impact.running()).toBe(true);
      await impact.cancel();
      await vi.waitFor(() => expect(impact.job()?.status).toBe('cancelled'));
      expect(impact.job()!.processed).toBeLessThan(DECISIONS);
      dispose();
    });
  });

  it('stops polling when its owner is disposed', async () => {
    // a job the server reports as running for ever
    const impactService = server.service.impact;
    const get = impactService.get.bind(impactService);
    vi.spyOn(impactService, 'get').mockImplementation(async (id): Promise<ImpactJob> => ({
      ...(await get(id)),
      status: 'running',
    }));
    // the client's requests reach the app through `app.request`: count the polls of the job there
    const requests = vi.spyOn(server.app, 'request');
    const polls = () =>
      requests.mock.calls.filter(([input, init]) => String(input).includes('/api/impact/') && init?.method === 'GET')
        .length;
    await createRoot(async (dispose) => {
      const impact = createImpactJob(client, { pollMs: 5 });
      await impact.start({ ruleSet: 'ijsselland', draftId });
      await vi.waitFor(() => expect(polls()).toBeGreaterThanOrEqual(3));
      dispose();
    });
    const atDispose = polls();
    await sleep(50);
    // a poll already on its way when the owner went was counted then, and schedules no other
    expect(polls()).toBe(atDispose);
  });

  it('shows a refused start as its error', async () => {
    await createRoot(async (dispose) => {
      const impact = createImpactJob(client);
      await impact.start({ ruleSet: 'ijsselland', draftId: 'no-such-draft' });
      expect(impact.job()).toBeNull();
      expect(impact.error()).toMatchObject({ name: 'ApiProblem', status: 404 });
      dispose();
    });
  });
});
