/**
 * The typed client: `hc<AppType>` knows every route's input and response from the route
 * declarations, so the editor can call the API without copies of its shapes. Type-level
 * assertions (checked by `tsc` in `npm run typecheck`), plus one call through the client.
 */
import { hc, type InferRequestType, type InferResponseType } from 'hono/client';
import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { JSONParsed } from 'hono/utils/types';
import type { z } from 'zod';
import type { Decision, RuleSetDocument, RuleSetDraft } from '../../engine/index.js';
import type { AppType } from '../../server/app.js';
import type { LoggedDecision, Problem, RuleSetList } from '../../server/api-schemas.js';
import { openServer } from './harness.js';

/** What a client reads: the declared schema's type as it comes through JSON. */
type Json<S extends z.ZodType> = JSONParsed<z.infer<S>>;
type Equal<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

type Client = ReturnType<typeof hc<AppType>>;
type Api = Client['api'];

// GET /api/rulesets
type RuleSets = InferResponseType<Api['rulesets']['$get'], 200>;
export type RuleSetsAreTheDeclaredList = Expect<Equal<RuleSets, Json<typeof RuleSetList>>>;

// GET /api/decisions/{id}
type Logged = InferResponseType<Api['decisions'][':id']['$get'], 200>;
export type LoggedIsTheDeclaredEntry = Expect<Equal<Logged, Json<typeof LoggedDecision>>>;
type NotFound = InferResponseType<Api['decisions'][':id']['$get'], 404>;
export type NotFoundIsAProblem = Expect<Equal<NotFound, Json<typeof Problem>>>;

const s = await openServer();
afterAll(() => s.store.close());

describe('hc<AppType>', () => {
  it('types responses with the declared schemas, never any or unknown', () => {
    expectTypeOf<RuleSets['ruleSets'][number]['versions'][number]['status']>().toEqualTypeOf<
      'in-force' | 'scheduled' | 'superseded'
    >();
    expectTypeOf<Logged['outcome']>().toEqualTypeOf<Decision['outcome']>();
    expectTypeOf<Logged>().not.toBeAny();
    expectTypeOf<InferResponseType<Api['rulesets'][':id']['versions'][':n']['$get'], 200>>().toEqualTypeOf<
      JSONParsed<RuleSetDocument>
    >();
    expectTypeOf<
      InferResponseType<Api['rulesets'][':id']['drafts'][':draftId']['$get'], 200>['document']
    >().toEqualTypeOf<JSONParsed<RuleSetDraft>>();
    expectTypeOf<InferResponseType<Api['evaluate']['$post'], 200>['id']>().toEqualTypeOf<string | null>();
  });

  it('types requests: path parameters, queries and JSON bodies', () => {
    type Publish = InferRequestType<Api['rulesets'][':id']['drafts'][':draftId']['publish']['$post']>;
    expectTypeOf<Publish['param']>().toEqualTypeOf<{ id: string; draftId: string }>();
    expectTypeOf<Publish['json']['validFrom']>().toEqualTypeOf<string>();
    type Search = InferRequestType<Api['decisions']['$get']>['query'];
    expectTypeOf<Search['outcome']>().toEqualTypeOf<'granted' | 'rejected' | 'review' | undefined>();
  });

  it('calls the app', async () => {
    const client = hc<AppType>('http://localhost', {
      fetch: (input: RequestInfo | URL, init?: RequestInit) => s.app.request(input, init),
    });
    const res = await client.api.rulesets.$get();
    expect(res.status).toBe(200);
    if (res.status === 200) expect((await res.json()).ruleSets.map((r) => r.id)).toContain('apeldoorn');
    const missing = await client.api.decisions[':id'].$get({ param: { id: 'nope' } });
    expect(missing.status).toBe(404);
    if (missing.status === 404) expect((await missing.json()).code).toBe('DECISION_NOT_FOUND');
  });
});
