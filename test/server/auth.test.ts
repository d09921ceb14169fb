/**
 * Who may do what, per role and scope, for every route group: allowed, 401 without identity,
 * 403 with the wrong one — as problem documents. Runs the real app with RULES_ADMIN_TOKEN set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admission, mijovAllocation } from '../support/factories.js';
import { describeAccess, regionalCallers, type AccessRoute } from './access-table.js';
import { bearer, openServer, tokenMaker } from './harness.js';

const ADMIN = 'bootstrap-admin-token-for-tests';
// publishing directly, as before four eyes (test/server/governance.test.ts covers submit and approve)
const s = await openServer(undefined, { adminToken: ADMIN, service: { fourEyes: false } });
afterAll(() => s.store.close());

const tokens: Record<string, string> = {};

const makeToken = tokenMaker(s, ADMIN);

let decisionId = '';
beforeAll(async () => {
  Object.assign(tokens, await regionalCallers(makeToken));
  const res = await s.request('POST', '/api/evaluate', mijovAllocation(), bearer(tokens.caseSystem!));
  decisionId = (await res.json()).id;
});

async function apeldoornDocument() {
  return (await s.request('GET', '/api/rulesets/apeldoorn/versions/2', undefined, bearer(tokens.auditor!))).json();
}
async function ijsselDocument() {
  return (await s.request('GET', '/api/rulesets/ijsselland/versions/2', undefined, bearer(tokens.auditor!))).json();
}

type Who = keyof typeof tokens | 'admin' | 'nobody';
const headersOf = (who: Who) => (who === 'nobody' ? {} : bearer(who === 'admin' ? ADMIN : tokens[who]!));

const routes: AccessRoute<Exclude<Who, 'nobody'>>[] = [
  {
    name: 'logging a decision (POST /api/evaluate)',
    call: (who) => s.request('POST', '/api/evaluate', mijovAllocation(), headersOf(who)),
    allowed: ['caseSystem'],
    denied: ['auditor', 'advisorMJ', 'officerApeldoorn', 'admin'],
  },
  {
    name: 'trying a case (POST /api/evaluate?dryRun=true)',
    call: (who) => s.request('POST', '/api/evaluate?dryRun=true', mijovAllocation(), headersOf(who)),
    allowed: ['caseSystem', 'auditor', 'advisorIJ', 'officerZwolle'],
    denied: [],
  },
  {
    name: 'searching the decision log (GET /api/decisions), each within their part of it',
    call: (who) => s.request('GET', '/api/decisions', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorMJ', 'advisorIJ', 'officerApeldoorn', 'caseSystem'],
    denied: ['admin'],
  },
  {
    name: 'replaying a decision (Apeldoorn, in Midden-IJssel/Oost-Veluwe)',
    call: (who) => s.request('POST', `/api/decisions/${decisionId}/replay`, { against: 'recorded' }, headersOf(who)),
    allowed: ['auditor', 'advisorMJ', 'officerApeldoorn'],
    denied: ['caseSystem', 'advisorIJ', 'officerZwolle', 'admin'],
  },
  {
    name: 'verifying the log',
    call: (who) => s.request('GET', '/api/audit/verify', undefined, headersOf(who)),
    allowed: ['auditor'],
    denied: ['caseSystem', 'officerZwolle'],
  },
  {
    name: 'reading rule sets',
    call: (who) => s.request('GET', '/api/rulesets', undefined, headersOf(who)),
    allowed: ['auditor', 'caseSystem', 'officerZwolle', 'advisorIJ'],
    denied: [],
  },
  {
    name: 'a draft of the IJsselland rule set',
    call: async (who) => s.request('POST', '/api/rulesets/ijsselland/drafts', await ijsselDocument(), headersOf(who)),
    allowed: ['advisorIJ'],
    denied: ['advisorMJ', 'officerZwolle', 'auditor', 'caseSystem', 'admin'],
  },
  {
    name: "a draft of Apeldoorn's overlay",
    call: async (who) => s.request('POST', '/api/rulesets/apeldoorn/drafts', await apeldoornDocument(), headersOf(who)),
    allowed: ['officerApeldoorn'],
    denied: ['officerZwolle', 'advisorIJ', 'auditor', 'caseSystem'],
  },
  {
    name: 'an impact analysis',
    call: (who) =>
      s.request('POST', '/api/impact', { candidate: { ruleSet: 'apeldoorn', version: 2 } }, headersOf(who)),
    allowed: ['auditor', 'officerApeldoorn', 'advisorMJ'],
    denied: ['caseSystem', 'officerZwolle', 'advisorIJ'],
  },
  {
    name: 'saving a test case with the IJsselland rule set',
    call: (who) =>
      s.request(
        'POST',
        '/api/rulesets/ijsselland/tests',
        { name: 'x', case: mijovAllocation(), expected: { outcome: 'granted', codes: [] } },
        headersOf(who),
      ),
    allowed: ['advisorIJ'],
    denied: ['advisorMJ', 'auditor', 'caseSystem', 'officerZwolle'],
  },
  {
    name: 'reading which versions are in force for a municipality',
    call: (who) => s.request('GET', '/api/municipalities/zwolle/effective?date=2026-01-01', undefined, headersOf(who)),
    allowed: ['caseSystem', 'auditor', 'officerApeldoorn'],
    denied: [],
  },
  {
    name: 'creating users',
    call: (who) =>
      s.request(
        'POST',
        '/api/users',
        { username: `u${Math.random().toString(36).slice(2, 8)}`, password: 'lang-genoeg-wachtwoord', role: 'auditor' },
        headersOf(who),
      ),
    allowed: ['admin'],
    denied: ['auditor', 'advisorIJ', 'officerApeldoorn'],
  },
  {
    name: 'creating tokens',
    call: (who) => s.request('POST', '/api/tokens', { name: 'x', role: 'auditor' }, headersOf(who)),
    allowed: ['admin'],
    denied: ['auditor', 'advisorIJ', 'caseSystem'],
  },
];

describeAccess('$name', routes);

describe('publishing', () => {
  it('is refused to an auditor and records the advisor who published', async () => {
    const draft = await (
      await s.request('POST', '/api/rulesets/ijsselland/drafts', await ijsselDocument(), bearer(tokens.advisorIJ!))
    ).json();
    const byAuditor = await s.request(
      'POST',
      `/api/rulesets/ijsselland/drafts/${draft.draftId}/publish`,
      { validFrom: '2026-12-01' },
      bearer(tokens.auditor!),
    );
    expect(byAuditor.status).toBe(403);
    const byAdvisor = await s.request(
      'POST',
      `/api/rulesets/ijsselland/drafts/${draft.draftId}/publish`,
      { validFrom: '2026-12-01' },
      bearer(tokens.advisorIJ!),
    );
    expect(byAdvisor.status).toBe(201);
    expect((await byAdvisor.json()).publishedBy).toBe('Anna (RSJ IJsselland)');
  });

  it("refuses a municipality officer another municipality's overlay", async () => {
    const draft = await (
      await s.request(
        'POST',
        '/api/rulesets/apeldoorn/drafts',
        await apeldoornDocument(),
        bearer(tokens.officerApeldoorn!),
      )
    ).json();
    const res = await s.request(
      'POST',
      `/api/rulesets/apeldoorn/drafts/${draft.draftId}/publish`,
      { validFrom: '2026-12-01' },
      bearer(tokens.officerZwolle!),
    );
    expect(res.status).toBe(403);
  });

  it('records the case system with every logged decision', async () => {
    const logged = await (
      await s.request('GET', `/api/decisions/${decisionId}`, undefined, bearer(tokens.auditor!))
    ).json();
    expect(logged.decidedBy).toBe('Zaaksysteem Apeldoorn');
  });
});

describe('tokens', () => {
  it('are shown once and stored only as a hash', async () => {
    const list = await (await s.request('GET', '/api/tokens', undefined, bearer(ADMIN))).json();
    expect(JSON.stringify(list)).not.toContain(tokens.auditor);
    const raw = JSON.stringify(await s.store.accounts.tokens());
    expect(raw).not.toContain(tokens.auditor);
  });

  it('stop working when revoked or expired', async () => {
    const token = await makeToken('tijdelijk', 'auditor');
    expect((await s.request('GET', '/api/rulesets', undefined, bearer(token))).status).toBe(200);
    const id = (await (await s.request('GET', '/api/tokens', undefined, bearer(ADMIN))).json()).tokens.find(
      (t: { name: string }) => t.name === 'tijdelijk',
    ).id;
    expect((await s.request('DELETE', `/api/tokens/${id}`, undefined, bearer(ADMIN))).status).toBe(204);
    expect((await s.request('GET', '/api/rulesets', undefined, bearer(token))).status).toBe(401);
    const expired = await makeToken('verlopen', 'auditor', undefined, '2020-01-01T00:00:00Z');
    expect((await s.request('GET', '/api/rulesets', undefined, bearer(expired))).status).toBe(401);
    expect((await s.request('GET', '/api/rulesets', undefined, { authorization: 'Basic abc' })).status).toBe(401);
  });

  it('need the right scope for the role', async () => {
    const res = await s.request(
      'POST',
      '/api/tokens',
      { name: 'x', role: 'municipality-officer', scope: 'ijsselland' },
      bearer(ADMIN),
    );
    expect(res.status).toBe(400);
    expect((await res.json()).issues[0].path).toBe('$.scope');
  });
});

describe('editor sessions', () => {
  it('log in with a cookie (HttpOnly, SameSite) and need the CSRF token for writes', async () => {
    expect(
      (
        await s.request(
          'POST',
          '/api/users',
          { username: 'carla', password: 'een-lang-wachtwoord', role: 'municipality-officer', scope: 'apeldoorn' },
          bearer(ADMIN),
        )
      ).status,
    ).toBe(201);
    expect((await s.request('POST', '/api/session', { username: 'carla', password: 'fout-wachtwoord!' })).status).toBe(
      401,
    );
    const login = await s.request('POST', '/api/session', { username: 'carla', password: 'een-lang-wachtwoord' });
    expect(login.status).toBe(200);
    const cookies = login.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('jr_session='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    const { csrfToken } = await login.json();
    const cookie = cookies.map((c) => c.split(';')[0]).join('; ');

    expect((await (await s.request('GET', '/api/session', undefined, { cookie })).json()).user).toMatchObject({
      name: 'carla',
      role: 'municipality-officer',
    });
    const body = await apeldoornDocument();
    const withoutCsrf = await s.request('POST', '/api/rulesets/apeldoorn/drafts', body, { cookie });
    expect(withoutCsrf.status).toBe(403);
    expect((await withoutCsrf.json()).code).toBe('CSRF_TOKEN_INVALID');
    const withCsrf = await s.request('POST', '/api/rulesets/apeldoorn/drafts', body, {
      cookie,
      'x-csrf-token': csrfToken,
    });
    expect(withCsrf.status).toBe(201);

    expect((await s.request('DELETE', '/api/session', undefined, { cookie, 'x-csrf-token': csrfToken })).status).toBe(
      204,
    );
    expect((await s.request('GET', '/api/rulesets', undefined, { cookie })).status).toBe(401);
  });
});

describe('a local demo', () => {
  it('lets everything through while there are no accounts, and stops once there are', async () => {
    const demo = await openServer();
    try {
      expect(await (await demo.request('GET', '/api/session')).json()).toMatchObject({ demo: true });
      expect((await demo.request('POST', '/api/evaluate', admission())).status).toBe(200);
      const created = await demo.request('POST', '/api/tokens', { name: 'eerste beheerder', role: 'admin' });
      expect(created.status).toBe(201);
      expect((await demo.request('GET', '/api/rulesets')).status).toBe(401);
      expect((await demo.request('GET', '/api/rulesets', undefined, bearer((await created.json()).token))).status).toBe(
        200,
      );
    } finally {
      await demo.store.close();
    }
  });
});
