/**
 * Random and malformed input thrown at the API (fast-check): never a 500, always a problem
 * document, and a refused request never changes a row.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../engine/canonical.js';
import { anyValidCase } from '../support/arbitraries.js';
import { openServer } from './harness.js';

const s = await openServer();
afterAll(() => s.store.close());
const runs = Number(process.env.PROPERTY_RUNS ?? 100);

/** Everything a refused request must leave as it was: row counts and every published version. */
async function snapshot() {
  return {
    counts: await s.store.counts(),
    versions: contentHash((await s.store.ruleSets.versions()).map((v) => [v.ruleSetId, v.version, v.contentHash])),
    chain: await s.store.log.verifyChain(),
  };
}

async function refusedCleanly(res: Response, before: Awaited<ReturnType<typeof snapshot>>) {
  expect(res.status, await res.clone().text()).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.code).toMatch(/^[A-Z_0-9]+$/);
    for (const issue of problem.issues) expect(issue.path).toMatch(/^\$/);
    expect(await snapshot()).toEqual(before);
  }
}

/** Mutates a JSON document at a random place: a random value, a removed key or an extra one. */
const mutation = fc.record({
  pick: fc.nat(),
  key: fc.string({ maxLength: 6 }),
  value: fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }),
  extra: fc.boolean(),
});
function mutate(doc: unknown, m: { pick: number; key: string; value: unknown; extra: boolean }): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const objects: Record<string, unknown>[] = [];
  const walk = (v: unknown) => {
    if (v && typeof v === 'object') {
      if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(copy);
  const target = objects[m.pick % objects.length]!;
  const keys = Object.keys(target);
  if (m.extra || keys.length === 0) target[`x${m.key}`] = m.value ?? 1;
  else if (m.value === undefined) delete target[keys[m.pick % keys.length]!];
  else target[keys[m.pick % keys.length]!] = m.value;
  return copy;
}

const bodies = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string(),
  fc.constantFrom(
    '{',
    '[1,',
    '{"a":}',
    'null',
    '"x"',
    '1e999',
    '{"__proto__":{"x":1}}',
    '['.repeat(100) + ']'.repeat(100),
  ),
  anyValidCase.chain((c) => mutation.map((m) => JSON.stringify(mutate(c, m)))),
);

describe('random input at the API', () => {
  it('evaluate never fails with a 500 and never logs a refused case', async () => {
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const before = await snapshot();
        await refusedCleanly(await s.request('POST', '/api/evaluate', body), before);
      }),
      { numRuns: runs * 2 },
    );
  });

  it('mutated rule sets and overlays as drafts are stored whole or refused without a trace', async () => {
    const region = await (await s.request('GET', '/api/rulesets/ijsselland/versions/2')).json();
    const overlay = await (await s.request('GET', '/api/rulesets/apeldoorn/versions/2')).json();
    await fc.assert(
      fc.asyncProperty(fc.boolean(), mutation, async (isRegion, m) => {
        const before = await snapshot();
        const id = isRegion ? 'ijsselland' : 'apeldoorn';
        const res = await s.request(
          'POST',
          `/api/rulesets/${id}/drafts`,
          JSON.stringify(mutate(isRegion ? region : overlay, m)),
        );
        await refusedCleanly(res, before);
        if (res.status === 201) {
          // an accepted draft may still be refused at publishing: then nothing is published
          const { draftId } = await res.json();
          const beforePublish = await snapshot();
          const published = await s.request('POST', `/api/rulesets/${id}/drafts/${draftId}/publish`, {
            validFrom: '2030-01-01',
          });
          if (published.status !== 201) await refusedCleanly(published, beforePublish);
          else expect((await snapshot()).counts.versions).toBe(beforePublish.counts.versions! + 1);
          await s.request('DELETE', `/api/rulesets/${id}/drafts/${draftId}`);
        }
      }),
      { numRuns: runs },
    );
  });

  it('random bodies at every write route are refused cleanly', async () => {
    const draft = await (
      await s.request(
        'POST',
        '/api/rulesets/zwolle/drafts',
        await (await s.request('GET', '/api/rulesets/zwolle/versions/1')).json(),
      )
    ).json();
    const routes = [
      ['PUT', `/api/rulesets/zwolle/drafts/${draft.draftId}`, { 'if-match': draft.etag }],
      ['POST', `/api/rulesets/zwolle/drafts/${draft.draftId}/publish`, {}],
      ['POST', '/api/impact', {}],
      ['POST', '/api/rulesets/zwolle/tests', {}],
      ['POST', '/api/decisions/nope/replay', {}],
      ['POST', '/api/tokens', {}],
      ['POST', '/api/session', {}],
    ] as const;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), bodies, async ([method, path, headers], body) => {
        const before = await snapshot();
        const res = await s.request(method, path, body, { ...headers });
        if (res.status >= 400 || method === 'PUT')
          await refusedCleanly(res, res.status >= 400 ? before : await snapshot());
      }),
      { numRuns: runs * 2 },
    );
  });

  it('random query strings on the log are refused or answered, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom('municipality', 'region', 'outcome', 'reasonCode', 'from', 'to', 'limit', 'offset', 'x'),
          fc.string({ maxLength: 12 }),
        ),
        async (query) => {
          const res = await s.request('GET', `/api/decisions?${new URLSearchParams(query)}`);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: runs },
    );
  });

  it('refuses JSON nested deeper than the limit', async () => {
    const deep = '{"a":'.repeat(40) + '1' + '}'.repeat(40);
    const res = await s.request('POST', '/api/evaluate', deep);
    expect(res.status).toBe(400);
    expect((await res.json()).code).toBe('JSON_TOO_DEEP');
  });
});

describe('concurrent writers on one draft', () => {
  it('let exactly one win per ETag', async () => {
    const document = await (await s.request('GET', '/api/rulesets/hattem/versions/1')).json();
    const created = await s.request('POST', '/api/rulesets/hattem/drafts', document);
    const { draftId } = await created.json();
    const etag = created.headers.get('etag')!;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.request(
          'PUT',
          `/api/rulesets/hattem/drafts/${draftId}`,
          { ...document, changes: [`schrijver ${i}`] },
          { 'if-match': etag, 'x-user': `schrijver-${i}` },
        ),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    const winner = results.findIndex((r) => r.status === 200);
    const stored = await (await s.request('GET', `/api/rulesets/hattem/drafts/${draftId}`)).json();
    expect(stored.document.changes).toEqual([`schrijver ${winner}`]);
  });
});
