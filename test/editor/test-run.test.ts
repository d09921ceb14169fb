// @vitest-environment jsdom
/** createTestRun against a real app: the saved test cases, then pass or fail per candidate. */
import { createRoot } from 'solid-js';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestRun } from '../../editor/lib/test-run.js';
import { crisisCase } from '../support/factories.js';
import { crisisDraft, useAppClient } from './app-client.js';

const { server, client } = await useAppClient();

beforeAll(async () => {
  const res = await server.request('POST', '/api/rulesets/ijsselland/tests', {
    name: 'Crisis van 30 dagen',
    case: crisisCase,
    expected: { outcome: 'review', codes: ['CRISIS_TOO_LONG'] },
  });
  expect(res.status).toBe(201);
});

describe('createTestRun', () => {
  it('lists the saved test cases, not yet run', async () => {
    await createRoot(async (dispose) => {
      const tests = createTestRun(client, 'ijsselland');
      await vi.waitFor(() => expect(tests.testCases()).toHaveLength(1));
      expect(tests.result()).toBeNull();
      expect(tests.rows()).toMatchObject([
        { name: 'Crisis van 30 dagen', expected: { outcome: 'review' }, pass: undefined, actual: null },
      ]);
      dispose();
    });
  });

  it('passes the test case on the published version', async () => {
    await createRoot(async (dispose) => {
      const tests = createTestRun(client, 'ijsselland');
      await tests.run({ version: 2 });
      expect(tests.error()).toBeNull();
      expect(tests.result()).toMatchObject({ passed: 1, failed: 0 });
      expect(tests.rows()).toMatchObject([{ pass: true, actual: { outcome: 'review' } }]);
      dispose();
    });
  });

  it('fails the test case on a draft that grants a 30-day crisis', async () => {
    const draftId = await crisisDraft(server, 35);
    await createRoot(async (dispose) => {
      const tests = createTestRun(client, 'ijsselland');
      await tests.run({ draftId });
      expect(tests.result()).toMatchObject({ passed: 0, failed: 1 });
      expect(tests.rows()).toMatchObject([{ pass: false, actual: { outcome: 'granted' } }]);
      dispose();
    });
  });

  it('fails each test case on a draft that does not exist, with the reason', async () => {
    await createRoot(async (dispose) => {
      const tests = createTestRun(client, 'ijsselland');
      await tests.run({ draftId: 'no-such-draft' });
      expect(tests.error()).toBeNull();
      expect(tests.result()).toMatchObject({
        passed: 0,
        failed: 1,
        results: [{ actual: null, error: expect.any(String) }],
      });
      dispose();
    });
  });

  it('shows a refused run as its error and keeps the last result', async () => {
    await createRoot(async (dispose) => {
      const tests = createTestRun(client, 'ijsselland');
      await tests.run({ version: 2 });
      await tests.run({ version: 0 });
      expect(tests.error()).toMatchObject({ name: 'ApiProblem', status: 400 });
      expect(tests.result()).toMatchObject({ passed: 1, failed: 0 });
      dispose();
    });
  });
});
