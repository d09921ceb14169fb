/**
 * Test cases through the API: the ones the regions ship, seeded on first start and passing on the
 * published versions; open, edit, run alone and delete; a draft tried as if in force from its
 * valid-from date; the rules each case made fire.
 */
import { describe, expect, it } from 'vitest';
import { openServer } from './harness.js';
import { crisisCase } from '../support/factories.js';

async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const body = (await res.json()) as T;
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body;
}

/** A draft of IJsselland with crisis.maxDays set to `days`. */
async function crisisDraft(s: Awaited<ReturnType<typeof openServer>>, days: number, validFrom?: string) {
  const v2 = await json<Record<string, unknown> & { parameters: Record<string, { value: unknown }> }>(
    await s.request('GET', '/api/rulesets/ijsselland/versions/2'),
    200,
  );
  v2.parameters['crisis.maxDays']!.value = days;
  const { version: _v, validFrom: _f, ...draft } = v2;
  const body = validFrom ? { ...draft, validFrom } : draft;
  return (await json<{ draftId: string }>(await s.request('POST', '/api/rulesets/ijsselland/drafts', body), 201))
    .draftId;
}

type Run = {
  validFrom: string | null;
  passed: number;
  failed: number;
  results: { id: string; name: string; pass: boolean; ruleIds: string[]; actual: { outcome: string } | null }[];
};

describe('shipped test cases', () => {
  it('are seeded on first start and all pass on the published versions, covering the rules', async () => {
    const s = await openServer(undefined, { seedTestCases: true });
    for (const [id, version] of [
      ['ijsselland', 2],
      ['midden-ijssel-oost-veluwe', 2],
    ] as const) {
      const { testCases } = await json<{ testCases: { createdBy: string }[] }>(
        await s.request('GET', `/api/rulesets/${id}/tests`),
        200,
      );
      expect(testCases.length).toBeGreaterThan(20);
      expect(testCases.every((t) => t.createdBy === 'seed:rules/')).toBe(true);
      const run = await json<Run>(await s.request('POST', `/api/rulesets/${id}/tests/run?version=${version}`), 200);
      expect(run.results.filter((r) => !r.pass).map((r) => r.name)).toEqual([]);
      expect(run.validFrom).toBeNull();
      expect(new Set(run.results.flatMap((r) => r.ruleIds)).size).toBeGreaterThan(8);
    }
    await s.store.close();
  });

  it('show at once which expectations a draft breaks', async () => {
    const s = await openServer(undefined, { seedTestCases: true });
    const draftId = await crisisDraft(s, 35);
    const run = await json<Run>(await s.request('POST', `/api/rulesets/ijsselland/tests/run?draftId=${draftId}`), 200);
    expect(run.results.filter((r) => !r.pass).map((r) => r.name)).toEqual([
      'Crisis (profiel 11) van 29 dagen gaat naar beoordeling',
    ]);
    await s.store.close();
  });
});

describe('a test case', () => {
  it('is opened, edited, run alone and deleted', async () => {
    const s = await openServer();
    const created = await json<{ id: string }>(
      await s.request('POST', '/api/rulesets/ijsselland/tests', {
        name: 'Crisis van 30 dagen',
        case: crisisCase,
        expected: { outcome: 'granted', codes: [] },
      }),
      201,
    );
    const path = `/api/rulesets/ijsselland/tests/${created.id}`;
    expect(await json(await s.request('GET', path), 200)).toMatchObject({
      name: 'Crisis van 30 dagen',
      expected: { outcome: 'granted', codes: [] },
    });

    const failing = await json<Run['results'][number]>(await s.request('POST', `${path}/run?version=2`), 200);
    expect(failing).toMatchObject({
      pass: false,
      actual: { outcome: 'review', codes: ['CRISIS_TOO_LONG'] },
      ruleIds: ['ijsselland.crisis.maximale-duur'],
      validFrom: null,
    });

    const edited = await json(
      await s.request('PUT', path, {
        name: 'Crisis van 30 dagen: beoordeling',
        case: crisisCase,
        expected: { outcome: 'review', codes: ['CRISIS_TOO_LONG'] },
      }),
      200,
    );
    expect(edited).toMatchObject({ id: created.id, name: 'Crisis van 30 dagen: beoordeling' });
    expect(await json(await s.request('POST', `${path}/run?version=2`), 200)).toMatchObject({ pass: true });

    // an invalid case is refused with the path of each issue, and nothing changes
    const refused = await json<{ issues: { path: string }[] }>(
      await s.request('PUT', path, {
        name: 'x',
        case: { type: 'allocation' },
        expected: { outcome: 'review', codes: [] },
      }),
      400,
    );
    expect(refused.issues.map((i) => i.path)).toContain('$.case.municipality');
    expect(await json(await s.request('GET', path), 200)).toMatchObject({ name: 'Crisis van 30 dagen: beoordeling' });

    expect((await s.request('DELETE', path)).status).toBe(204);
    expect((await s.request('GET', path)).status).toBe(404);
    expect(
      (await s.request('PUT', path, { name: 'x', case: crisisCase, expected: { outcome: 'review', codes: [] } }))
        .status,
    ).toBe(404);
    expect((await s.request('POST', `${path}/run?version=2`)).status).toBe(404);
    await s.store.close();
  });

  it('runs a draft as if in force from its valid-from date, or the one the query gives', async () => {
    const s = await openServer();
    const created = await json<{ id: string }>(
      await s.request('POST', '/api/rulesets/ijsselland/tests', {
        name: 'Crisis van 30 dagen',
        case: crisisCase,
        expected: { outcome: 'granted', codes: [] },
      }),
      201,
    );
    const own = await crisisDraft(s, 35, '2027-03-01');
    const run = await json<Run>(await s.request('POST', `/api/rulesets/ijsselland/tests/run?draftId=${own}`), 200);
    expect(run).toMatchObject({ validFrom: '2027-03-01', passed: 1 });
    const chosen = await json<Run['results'][number] & { validFrom: string }>(
      await s.request('POST', `/api/rulesets/ijsselland/tests/${created.id}/run?draftId=${own}&validFrom=2027-07-01`),
      200,
    );
    expect(chosen).toMatchObject({ validFrom: '2027-07-01', pass: true });
    // a draft started from a version still carries that version's date: it is tried from the next one
    const stale = await crisisDraft(s, 35, '2022-01-01');
    const next = await json<Run>(await s.request('POST', `/api/rulesets/ijsselland/tests/run?draftId=${stale}`), 200);
    expect(next.validFrom! > '2022-01-01').toBe(true);
    // a valid-from date belongs to a draft
    expect((await s.request('POST', '/api/rulesets/ijsselland/tests/run?version=2&validFrom=2027-01-01')).status).toBe(
      400,
    );
    await s.store.close();
  });
});
