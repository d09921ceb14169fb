/**
 * Bounded work per request: a body of many invalid items is refused cheaply, with a problem
 * document that lists at most 50 issues and counts the rest; a valid-from date far in the future
 * is refused naming `$.validFrom`, never answered 500.
 */
import { describe, expect, it } from 'vitest';
import { MAX_ISSUES } from '../../engine/index.js';
import { JSON_CEILINGS } from '../../server/validate.js';
import { ijsselAllocation } from '../support/factories.js';
import { openServer, serverPool } from './harness.js';

const pool = serverPool();
const server = (options: Parameters<typeof openServer>[1] = {}) => pool(undefined, options);

/** `count` copies of `{}` as JSON text, without building the array in memory twice. */
const emptyObjects = (count: number) => `[${'{},'.repeat(count - 1)}{}]`;

/** CPU time (user + system, ms) the request took in this process, and its answer. */
async function measured(request: () => Promise<Response>) {
  const start = process.cpuUsage();
  const res = await request();
  const text = await res.text();
  const used = process.cpuUsage(start);
  const cpuMs = (used.user + used.system) / 1000;
  if (process.env.BOUNDS_VERBOSE) console.log(`${cpuMs} ms CPU, ${text.length} bytes`);
  return { res, text, cpuMs };
}

// Wide margins: these catch a stall (seconds, as before), not a slow machine.
const CPU_CEILING_MS = 250;
const BODY_CEILING_BYTES = 64 * 1024;

describe('a 1 MiB body of invalid items', () => {
  it('refuses 349,000 existing allocations on a dry run with 400, cheaply and with a small problem', async () => {
    const s = await server();
    const valid = JSON.stringify(ijsselAllocation());
    const body = `${valid.slice(0, -1)},"existingAllocations":${emptyObjects(349_000)}}`;
    expect(body.length).toBeGreaterThan(1_000_000);
    expect(body.length).toBeLessThan(1024 * 1024);
    const { res, text, cpuMs } = await measured(() => s.request('POST', '/api/evaluate?dryRun=true', body));
    expect(res.status, text.slice(0, 500)).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(text.length).toBeLessThan(BODY_CEILING_BYTES);
    expect(cpuMs).toBeLessThan(CPU_CEILING_MS);
    const problem = JSON.parse(text);
    expect(problem.code).toBe('INVALID_CASE');
    expect(problem.issues.length).toBeLessThanOrEqual(MAX_ISSUES);
    expect(problem.issues[0]).toMatchObject({ path: '$.existingAllocations', code: 'too_big' });
  });

  it('refuses a region draft of 330,000 empty rules with 422, cheaply and with a small problem', async () => {
    const s = await server();
    const region = await (await s.request('GET', '/api/rulesets/ijsselland/versions/2')).json();
    const { version: _v, validFrom: _f, rules: _r, ...draft } = region;
    const body = `${JSON.stringify(draft).slice(0, -1)},"rules":${emptyObjects(330_000)}}`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const { res, text, cpuMs } = await measured(() => s.request('POST', '/api/rulesets/ijsselland/drafts', body));
    expect(res.status, text.slice(0, 500)).toBe(422);
    expect(text.length).toBeLessThan(BODY_CEILING_BYTES);
    expect(cpuMs).toBeLessThan(CPU_CEILING_MS);
    const problem = JSON.parse(text);
    expect(problem.code).toBe('INVALID_RULE_SET');
    expect(problem.issues.length).toBeLessThanOrEqual(MAX_ISSUES);
    expect(problem.issues[0]).toMatchObject({ path: '$.rules', code: 'too_big' });
  });

  it('refuses 300,000 invalid conditions within the bounds (500 rules of 12 groups of 50) cheaply', async () => {
    const s = await server();
    const group = `{"all":${emptyObjects(50)}}`;
    const rule = `{"conditions":{"all":[${Array(12).fill(group).join(',')}]}}`;
    const body = `{"kind":"region","id":"ijsselland","fundingModel":"output","rules":[${Array(500).fill(rule).join(',')}]}`;
    expect(body.length).toBeLessThan(1024 * 1024);
    const { res, text, cpuMs } = await measured(() => s.request('POST', '/api/rulesets/ijsselland/drafts', body));
    expect(res.status).toBe(422);
    expect(text.length).toBeLessThan(BODY_CEILING_BYTES);
    expect(cpuMs).toBeLessThan(CPU_CEILING_MS);
    const problem = JSON.parse(text);
    expect(problem.issues.length).toBeGreaterThan(0);
    expect(problem.issues.at(-1)).toMatchObject({ path: '$', message: expect.stringContaining('stopte') });
  });

  it('refuses a record of 60,000 invalid parameters before validating it', async () => {
    const s = await server();
    const entries = Array.from({ length: 60_000 }, (_, i) => `"a.b${i}":{}`).join(',');
    const body = `{"kind":"region","id":"ijsselland","parameters":{${entries}}}`;
    const { res, text, cpuMs } = await measured(() => s.request('POST', '/api/rulesets/ijsselland/drafts', body));
    expect(res.status).toBe(422);
    expect(text.length).toBeLessThan(BODY_CEILING_BYTES);
    expect(cpuMs).toBeLessThan(CPU_CEILING_MS);
    expect(JSON.parse(text).issues).toEqual([expect.objectContaining({ path: '$.parameters', code: 'too_big' })]);
    expect(JSON.parse(text).issues[0].message).toContain(String(JSON_CEILINGS.objectKeys));
  });

  it('refuses a text of 900,000 characters with its path, and does not echo it', async () => {
    const s = await server();
    const body = JSON.stringify(ijsselAllocation({ youth: { birthDate: 'x'.repeat(900_000) } }));
    const { res, text, cpuMs } = await measured(() => s.request('POST', '/api/evaluate?dryRun=true', body));
    expect(res.status).toBe(400);
    expect(text.length).toBeLessThan(BODY_CEILING_BYTES);
    expect(cpuMs).toBeLessThan(CPU_CEILING_MS);
    expect(JSON.parse(text).issues[0]).toMatchObject({ path: '$.youth.birthDate', code: 'too_big' });
  });

  it('lists at most 50 issues and counts the rest, in the issues and in the detail', async () => {
    const s = await server();
    // 100 allocations (the bound) with an unknown field each: 100 issues
    const allocations = Array.from({ length: 100 }, () => ({ startDate: '2026-01-01', colour: 'blauw' }));
    const res = await s.request(
      'POST',
      '/api/evaluate?dryRun=true',
      ijsselAllocation({ existingAllocations: allocations }),
    );
    expect(res.status).toBe(400);
    const problem = await res.json();
    expect(problem.issues).toHaveLength(MAX_ISSUES);
    expect(problem.omittedIssues).toBe(100 - MAX_ISSUES);
    expect(problem.issues[0]).toMatchObject({ path: '$.existingAllocations[0].colour' });
    expect(problem.detail.split('\n')).toHaveLength(MAX_ISSUES + 1);
    expect(problem.detail).toContain(`nog ${100 - MAX_ISSUES} problemen`);
  });

  it('cuts a long key in a path, so that 50 issues stay small', async () => {
    const s = await server();
    const allocations = Array.from({ length: 100 }, (_, i) => ({
      startDate: '2026-01-01',
      [`${i}${'k'.repeat(9_000)}`]: 1,
    }));
    const res = await s.request(
      'POST',
      '/api/evaluate?dryRun=true',
      ijsselAllocation({ existingAllocations: allocations }),
    );
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(BODY_CEILING_BYTES);
    expect(JSON.parse(text).omittedIssues).toBe(50);
  });
});

describe('a valid-from date far in the future', () => {
  const clock = { now: () => '2026-03-02T09:30:00.000Z' };
  const overlay = {
    id: 'apeldoorn',
    kind: 'municipality',
    region: 'midden-ijssel-oost-veluwe',
    parameters: { 'admission.minClientsPerYear': 5 },
    changes: ['Minimaal vijf cliënten per jaar.'],
  };

  async function draft(s: Awaited<ReturnType<typeof openServer>>) {
    const res = await s.request('POST', '/api/rulesets/apeldoorn/drafts', overlay);
    expect(res.status).toBe(201);
    return ((await res.json()) as { draftId: string }).draftId;
  }

  it.each(['9999-12-31', '2031-03-03'])('refuses %s on validate and on publish, naming $.validFrom', async (date) => {
    const s = await server({ clock });
    const draftId = await draft(s);
    for (const res of [
      await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/validate?validFrom=${date}`),
      await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, { validFrom: date }),
    ]) {
      const text = await res.text();
      expect(res.status, text).toBe(422);
      expect(JSON.parse(text)).toMatchObject({
        code: 'VALID_FROM_TOO_LATE',
        issues: [{ path: '$.validFrom', code: 'VALID_FROM_TOO_LATE' }],
      });
    }
    // nothing was published: validating without a date still works
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/validate`);
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('accepts a date exactly five years after today (the service clock)', async () => {
    const s = await server({ clock });
    const draftId = await draft(s);
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, {
      validFrom: '2031-03-02',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    // the next version could start the day after, beyond the bound: a clear 422, not a 500
    const next = await draft(s);
    const validated = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${next}/validate`);
    expect(validated.status).toBe(422);
    expect(await validated.json()).toMatchObject({ issues: [{ path: '$.validFrom', code: 'VALID_FROM_TOO_LATE' }] });
  });
});
