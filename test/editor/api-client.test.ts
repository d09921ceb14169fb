/**
 * The editor's API client is `hc<AppType>`: what its helpers hand the pages is the server's
 * declared response type, not a copy (type-level, checked by `tsc` and vitest), and a refused
 * request becomes an `ApiProblem` with the issues and their JSON paths.
 */
import type { InferResponseType } from 'hono/client';
import type { JSONParsed } from 'hono/utils/types';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import { ApiProblem, read, readWithEtag, type ApiClient, type OkOf } from '../../editor/lib/api.js';
import type { ImpactJob } from '../../editor/lib/impact-job.js';
import type { DraftDocument } from '../../editor/lib/ruleset-store.js';
import { listRuleSets, type RuleSetSummary } from '../../editor/lib/ruleset-versions.js';
import type { RuleSetDraft } from '../../engine/index.js';
import type { ImpactJobView, Problem, RuleSetList } from '../../server/api-schemas.js';
import { useAppClient } from './app-client.js';

type Api = ApiClient['api'];

describe('the types the editor gets from the API', () => {
  it('lists rule sets as GET /api/rulesets declares them', () => {
    type Listed = Awaited<ReturnType<typeof listRuleSets>>;
    expectTypeOf<Listed>().toEqualTypeOf<InferResponseType<Api['rulesets']['$get'], 200>['ruleSets']>();
    expectTypeOf<Listed>().toEqualTypeOf<JSONParsed<z.infer<typeof RuleSetList>>['ruleSets']>();
    expectTypeOf<RuleSetSummary>().toEqualTypeOf<Listed[number]>();
    expectTypeOf<Listed>().not.toBeAny();
  });

  it('reads a draft, an impact job and a problem as the routes declare them', () => {
    expectTypeOf<DraftDocument>().toEqualTypeOf<JSONParsed<RuleSetDraft>>();
    expectTypeOf<ImpactJob>().toEqualTypeOf<JSONParsed<z.infer<typeof ImpactJobView>>>();
    expectTypeOf<ApiProblem['issues']>().toEqualTypeOf<JSONParsed<z.infer<typeof Problem>>['issues']>();
    // a 204 has no body
    expectTypeOf<OkOf<Api['session']['$delete']>>().toEqualTypeOf<null>();
  });
});

const { client } = await useAppClient();

describe('read', () => {
  it('answers the body of a successful request', async () => {
    const sets = await listRuleSets(client);
    expect(sets.map((s) => s.id)).toContain('ijsselland');
  });

  it('answers a draft with its ETag', async () => {
    const document = await read(
      client.api.rulesets[':id'].versions[':n'].$get({ param: { id: 'ijsselland', n: '2' } }),
    );
    const created = await readWithEtag(
      client.api.rulesets[':id'].drafts.$post({ param: { id: 'ijsselland' }, json: document }),
    );
    expect(created.etag).toBe(created.data.etag);
  });

  it('throws a refused request as an ApiProblem with each issue and its JSON path', async () => {
    const document = await read(
      client.api.rulesets[':id'].versions[':n'].$get({ param: { id: 'ijsselland', n: '2' } }),
    );
    const invalid = { ...document, name: 7 } as unknown as typeof document;
    const refused = read(client.api.rulesets[':id'].drafts.$post({ param: { id: 'ijsselland' }, json: invalid }));
    await expect(refused).rejects.toBeInstanceOf(ApiProblem);
    const problem = (await refused.catch((e: unknown) => e)) as ApiProblem;
    expect(problem).toMatchObject({ status: 422, code: 'INVALID_RULE_SET' });
    expect(problem.issues).toContainEqual(expect.objectContaining({ path: '$.name' }));
    expect(problem.message).toContain('$.name');
  });
});
