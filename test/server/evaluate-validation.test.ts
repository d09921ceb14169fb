/**
 * POST /api/evaluate validates a case once, with the engine's generated validator in the service,
 * instead of with the route's zod schema first (`acceptsBody`). Its answers must stay those of the
 * zod route: on random valid cases and mutations of them, a case zod refuses gets the very problem
 * a route validating the body with zod answers (status, code, paths and Dutch messages), and a
 * case zod accepts is decided or refused by the catalogue as the engine says.
 */
import { createRoute } from '@hono/zod-openapi';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { CaseJson } from '../../server/api-schemas.js';
import { json, routeGroup } from '../../server/openapi.js';
import { onError } from '../../server/problems.js';
import { invalidCase } from '../../server/validate.js';
import { differentialInput } from '../support/validator-differential.js';
import { openServer } from './harness.js';

const s = await openServer();
afterAll(async () => {
  await s.service.close();
  await s.store.close();
});

/** The route as it was: the body validated by its zod schema before the handler. */
const byZod = routeGroup();
byZod.onError(onError);
byZod.openapi(
  createRoute({
    method: 'post',
    path: '/api/evaluate',
    request: { body: { required: true, content: json(CaseJson) } },
    bodyError: invalidCase,
    responses: { 200: { description: 'zod accepted the case' } },
  }),
  (c) => c.body(null, 200),
);

const post = (app: { request: typeof s.app.request }, body: string) =>
  app.request('/api/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('POST /api/evaluate validates the case once', () => {
  it('answers as the zod route on 400 random valid and mutated cases', async () => {
    const engine = await s.service.engine();
    let refusedByZod = 0;
    for (const input of fc.sample(differentialInput, { numRuns: 400, seed: 18 })) {
      const body = JSON.stringify(input);
      const res = await s.request('POST', '/api/evaluate', body);
      const zod = await post(byZod, body);
      if (zod.status !== 200) {
        refusedByZod++;
        expect({ status: res.status, body: await res.json() }).toEqual({ status: zod.status, body: await zod.json() });
        continue;
      }
      // zod accepts: the engine decides, or refuses it by the catalogue of the versions in force
      const validation = engine.validate(input);
      if (validation.ok) expect(res.status).toBe(200);
      else {
        expect(res.status).toBe(400);
        expect(await res.json()).toMatchObject({ code: 'INVALID_CASE' });
      }
    }
    // both ways exercised
    expect(refusedByZod).toBeGreaterThan(150);
    expect(refusedByZod).toBeLessThan(390);
  }, 120_000);

  it('still refuses a body over the ceilings before the engine sees it, as INVALID_CASE', async () => {
    const body = JSON.stringify({ type: 'allocation', pad: Array.from({ length: 1001 }, () => 0) });
    const res = await s.request('POST', '/api/evaluate', body);
    const zod = await post(byZod, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(await zod.json());
  });

  it('refuses a large invalid body with bounded work, as the zod route does', async () => {
    // more than FULL_REPORT_VALUES values: the zod route stops at the first issue and says so
    const body = JSON.stringify({ type: 'allocation', notes: Array.from({ length: 900 }, () => [1, 2, 3]) });
    const res = await s.request('POST', '/api/evaluate', body);
    const zod = await post(byZod, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(await zod.json());
  });
});
