/**
 * Reads within scope (decisions, drafts, test cases per role and route), login that resists
 * guessing, writes only from where they belong (media type, Origin, a demo on loopback), and the
 * smaller guards: dates as instants, strict bodies, own-property lookups, safe text.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../../server/auth.js';
import { sha256 } from '../../server/auth.js';
import { unsafeCharacter } from '../../engine/index.js';
import { runRefusedServer } from '../load/server.js';
import { admission, ijsselAllocation, mijovAllocation } from '../support/factories.js';
import { describeAccess, regionalCallers, type AccessRoute } from './access-table.js';
import { bearer, openServer, tokenMaker } from './harness.js';

const ADMIN = 'bootstrap-admin-token-for-access-tests';
const s = await openServer(undefined, { adminToken: ADMIN });
afterAll(() => s.store.close());

const tokens: Record<string, string> = {};

const makeToken = tokenMaker(s, ADMIN);

type Who =
  | 'advisorIJ'
  | 'advisorMJ'
  | 'officerApeldoorn'
  | 'officerZwolle'
  | 'auditor'
  | 'caseSystem'
  | 'caseSystemZwolle'
  | 'admin'
  | 'nobody';
const headersOf = (who: Who) => (who === 'nobody' ? {} : bearer(who === 'admin' ? ADMIN : tokens[who]!));

const ids = {
  apeldoornDecision: '',
  zwolleDecision: '',
  ijsselDraft: '',
  apeldoornDraft: '',
  zwolleDraft: '',
};

async function documentOf(ruleSet: string) {
  const versions = await (await s.request('GET', `/api/rulesets/${ruleSet}/versions`, undefined, bearer(ADMIN))).json();
  const n = versions.versions.at(-1).version;
  return (await s.request('GET', `/api/rulesets/${ruleSet}/versions/${n}`, undefined, bearer(ADMIN))).json();
}

async function draftOf(ruleSet: string, who: Who) {
  const res = await s.request('POST', `/api/rulesets/${ruleSet}/drafts`, await documentOf(ruleSet), headersOf(who));
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()).draftId as string;
}

beforeAll(async () => {
  Object.assign(tokens, await regionalCallers(makeToken));
  tokens.caseSystemZwolle = await makeToken('Zaaksysteem Zwolle', 'case-system');
  ids.apeldoornDecision = (
    await (await s.request('POST', '/api/evaluate', mijovAllocation(), headersOf('caseSystem'))).json()
  ).id;
  ids.zwolleDecision = (
    await (await s.request('POST', '/api/evaluate', ijsselAllocation(), headersOf('caseSystemZwolle'))).json()
  ).id;
  expect(ids.apeldoornDecision).toBeTruthy();
  expect(ids.zwolleDecision).toBeTruthy();
  ids.ijsselDraft = await draftOf('ijsselland', 'advisorIJ');
  ids.apeldoornDraft = await draftOf('apeldoorn', 'officerApeldoorn');
  ids.zwolleDraft = await draftOf('zwolle', 'officerZwolle');
  for (const [ruleSet, who, c] of [
    ['ijsselland', 'advisorIJ', ijsselAllocation()],
    ['apeldoorn', 'officerApeldoorn', mijovAllocation()],
  ] as const) {
    const res = await s.request(
      'POST',
      `/api/rulesets/${ruleSet}/tests`,
      { name: `test ${ruleSet}`, case: c, expected: { outcome: 'granted', codes: [] } },
      headersOf(who),
    );
    expect(res.status, await res.clone().text()).toBe(201);
  }
});

const reads: AccessRoute<Exclude<Who, 'nobody'>>[] = [
  {
    name: "an Apeldoorn decision (GET /api/decisions/{id}), Midden-IJssel/Oost-Veluwe's",
    call: (who) => s.request('GET', `/api/decisions/${ids.apeldoornDecision}`, undefined, headersOf(who)),
    allowed: ['auditor', 'advisorMJ', 'officerApeldoorn', 'caseSystem'],
    denied: ['advisorIJ', 'officerZwolle', 'caseSystemZwolle', 'admin'],
  },
  {
    name: 'a Zwolle decision (GET /api/decisions/{id}), IJsselland',
    call: (who) => s.request('GET', `/api/decisions/${ids.zwolleDecision}`, undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ', 'officerZwolle', 'caseSystemZwolle'],
    denied: ['advisorMJ', 'officerApeldoorn', 'caseSystem', 'admin'],
  },
  {
    name: 'replaying a Zwolle decision',
    call: (who) =>
      s.request('POST', `/api/decisions/${ids.zwolleDecision}/replay`, { against: 'recorded' }, headersOf(who)),
    allowed: ['auditor', 'advisorIJ', 'officerZwolle'],
    denied: ['advisorMJ', 'officerApeldoorn', 'caseSystem', 'caseSystemZwolle', 'admin'],
  },
  {
    name: "an Apeldoorn decision's letter",
    call: (who) => s.request('GET', `/api/decisions/${ids.apeldoornDecision}/motivation`, undefined, headersOf(who)),
    allowed: ['auditor', 'advisorMJ', 'officerApeldoorn', 'caseSystem'],
    denied: ['advisorIJ', 'officerZwolle', 'caseSystemZwolle', 'admin'],
  },
  {
    name: "IJsselland's drafts (GET /api/rulesets/ijsselland/drafts)",
    call: (who) => s.request('GET', '/api/rulesets/ijsselland/drafts', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ'],
    denied: ['advisorMJ', 'officerZwolle', 'caseSystem', 'admin'],
  },
  {
    name: "Zwolle's overlay drafts",
    call: (who) => s.request('GET', '/api/rulesets/zwolle/drafts', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ', 'officerZwolle'],
    denied: ['advisorMJ', 'officerApeldoorn', 'caseSystem', 'admin'],
  },
  {
    name: "a draft of Apeldoorn's overlay (GET …/drafts/{draftId})",
    call: (who) => s.request('GET', `/api/rulesets/apeldoorn/drafts/${ids.apeldoornDraft}`, undefined, headersOf(who)),
    allowed: ['auditor', 'advisorMJ', 'officerApeldoorn'],
    denied: ['advisorIJ', 'officerZwolle', 'caseSystem', 'admin'],
  },
  {
    name: 'a diff against an IJsselland draft',
    call: (who) =>
      s.request('GET', `/api/rulesets/ijsselland/diff?from=1&to=draft:${ids.ijsselDraft}`, undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ'],
    denied: ['advisorMJ', 'officerZwolle', 'caseSystem'],
  },
  {
    name: 'trying a case with an Apeldoorn draft',
    call: (who) =>
      s.request(
        'POST',
        `/api/rulesets/apeldoorn/drafts/${ids.apeldoornDraft}/evaluate`,
        mijovAllocation(),
        headersOf(who),
      ),
    allowed: ['auditor', 'advisorMJ', 'officerApeldoorn'],
    denied: ['advisorIJ', 'officerZwolle', 'caseSystem'],
  },
  {
    name: "IJsselland's test cases (GET /api/rulesets/ijsselland/tests)",
    call: (who) => s.request('GET', '/api/rulesets/ijsselland/tests', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ'],
    denied: ['advisorMJ', 'officerZwolle', 'caseSystem', 'admin'],
  },
  {
    name: "Apeldoorn's test cases",
    call: (who) => s.request('GET', '/api/rulesets/apeldoorn/tests', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorMJ', 'officerApeldoorn'],
    denied: ['advisorIJ', 'officerZwolle', 'caseSystem'],
  },
  {
    name: "running IJsselland's test cases",
    call: (who) => s.request('POST', '/api/rulesets/ijsselland/tests/run?version=1', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ'],
    denied: ['advisorMJ', 'officerZwolle', 'caseSystem', 'admin'],
  },
  {
    name: 'a published version (readable by everyone signed in)',
    call: (who) => s.request('GET', '/api/rulesets/ijsselland/versions/1', undefined, headersOf(who)),
    allowed: ['auditor', 'advisorIJ', 'advisorMJ', 'officerApeldoorn', 'caseSystem', 'admin'],
    denied: [],
  },
];

describeAccess('reading $name', reads);

describe('searching the decision log', () => {
  const search = async (who: Who, query = '') => {
    const res = await s.request('GET', `/api/decisions${query}`, undefined, headersOf(who));
    return { status: res.status, body: await res.json() };
  };
  const idsOf = (body: { items: { id: string }[] }) => body.items.map((i) => i.id).sort();

  it('gives an auditor the whole log', async () => {
    const { body } = await search('auditor');
    expect(idsOf(body)).toEqual([ids.apeldoornDecision, ids.zwolleDecision].sort());
  });

  it("limits a scoped caller's search to their part of the log, whatever they ask", async () => {
    expect(idsOf((await search('advisorIJ')).body)).toEqual([ids.zwolleDecision]);
    expect(idsOf((await search('advisorMJ')).body)).toEqual([ids.apeldoornDecision]);
    expect(idsOf((await search('officerApeldoorn')).body)).toEqual([ids.apeldoornDecision]);
    expect(idsOf((await search('officerZwolle')).body)).toEqual([ids.zwolleDecision]);
    expect(idsOf((await search('caseSystem')).body)).toEqual([ids.apeldoornDecision]);
    expect((await search('caseSystem')).body.total).toBe(1);
    // filters within the scope still work
    expect(idsOf((await search('advisorIJ', '?municipality=zwolle')).body)).toEqual([ids.zwolleDecision]);
    expect(idsOf((await search('caseSystem', '?municipality=zwolle')).body)).toEqual([]);
  });

  it('refuses a filter for another region or municipality', async () => {
    for (const [who, query] of [
      ['advisorIJ', '?region=midden-ijssel-oost-veluwe'],
      ['advisorIJ', '?municipality=apeldoorn'],
      ['officerZwolle', '?municipality=apeldoorn'],
      ['officerZwolle', '?region=midden-ijssel-oost-veluwe'],
    ] as const) {
      const { status, body } = await search(who, query);
      expect(status, `${who} ${query}`).toBe(403);
      expect(body.issues[0].code).toBe('OUT_OF_SCOPE');
    }
  });
});

describe('rule sets with their drafts', () => {
  const draftsSeen = async (who: Who) => {
    const { ruleSets } = await (await s.request('GET', '/api/rulesets', undefined, headersOf(who))).json();
    return (ruleSets as { drafts: { draftId: string }[] }[]).flatMap((r) => r.drafts.map((d) => d.draftId)).sort();
  };

  it('show each caller only the drafts they may read', async () => {
    expect(await draftsSeen('caseSystem')).toEqual([]);
    expect(await draftsSeen('admin')).toEqual([]);
    expect(await draftsSeen('officerZwolle')).toEqual([ids.zwolleDraft]);
    expect(await draftsSeen('advisorIJ')).toEqual([ids.ijsselDraft, ids.zwolleDraft].sort());
    expect(await draftsSeen('advisorMJ')).toEqual([ids.apeldoornDraft]);
    expect(await draftsSeen('auditor')).toEqual([ids.apeldoornDraft, ids.ijsselDraft, ids.zwolleDraft].sort());
    const one = await (
      await s.request('GET', '/api/rulesets/zwolle/versions', undefined, headersOf('caseSystem'))
    ).json();
    expect(one.drafts).toEqual([]);
    expect(one.versions.length).toBeGreaterThan(0);
  });
});

// ---- login --------------------------------------------------------------------------------------

const l = await openServer(undefined, { adminToken: ADMIN, trustProxy: true });
describe('logging in', () => {
  afterAll(() => l.store.close());
  const login = (username: string, password: string, headers: Record<string, string> = {}) =>
    l.request('POST', '/api/session', { username, password }, headers);

  beforeAll(async () => {
    for (const username of ['fenna', 'gert', 'hanna', 'ilse']) {
      const res = await l.request(
        'POST',
        '/api/users',
        { username, password: 'een-lang-wachtwoord', role: 'auditor' },
        bearer(ADMIN),
      );
      expect(res.status).toBe(201);
    }
  });

  it('slows down guessing: after 5 failures a user name waits, 429 with Retry-After, even with the right password', async () => {
    const from = { 'x-forwarded-for': '192.0.2.1' };
    for (let i = 0; i < 5; i++) expect((await login('fenna', `fout-${i}-wachtwoord`, from)).status).toBe(401);
    const refused = await login('fenna', 'een-lang-wachtwoord', from);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await refused.json()).code).toBe('TOO_MANY_ATTEMPTS');
    // from another address the user name still waits; another user name does not
    expect((await login('fenna', 'een-lang-wachtwoord', { 'x-forwarded-for': '192.0.2.2' })).status).toBe(429);
    expect((await login('gert', 'een-lang-wachtwoord', from)).status).toBe(200);
  });

  it('slows down one address trying many user names', async () => {
    const from = { 'x-forwarded-for': '198.51.100.7' };
    for (let i = 0; i < 20; i++) expect((await login(`onbekend${i}`, 'wat-dan-ook-123', from)).status).toBe(401);
    expect((await login('hanna', 'een-lang-wachtwoord', from)).status).toBe(429);
    expect((await login('hanna', 'een-lang-wachtwoord', { 'x-forwarded-for': '198.51.100.8' })).status).toBe(200);
  });

  it('takes as long for an unknown user name as for a wrong password', async () => {
    const time = async (username: string) => {
      const times: number[] = [];
      // four attempts (under the five free ones), alternating addresses; the median counts
      for (let i = 0; i < 4; i++) {
        const t = performance.now();
        expect((await login(username, 'fout-wachtwoord', { 'x-forwarded-for': `203.0.113.${i}` })).status).toBe(401);
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[2]!;
    };
    await time('bestaat-niet'); // warm up
    const known = await time('ilse');
    const unknown = await time('niemand-hier');
    // before: 0.6 ms against 40 ms; now both verify one scrypt hash (a generous margin for a busy machine)
    expect(unknown, `unknown ${unknown} ms, known ${known} ms`).toBeGreaterThan(known / 5);
  });

  it('hashes passwords off the main thread: other requests are answered meanwhile', async () => {
    const started = performance.now();
    const logins = Array.from({ length: 8 }, (_, i) =>
      login(`parallel${i}`, 'fout-wachtwoord', { 'x-forwarded-for': `203.0.113.${100 + i}` }),
    );
    const health = await l.app.request('/api/health');
    const healthAfter = performance.now() - started;
    expect(health.status).toBe(200);
    await Promise.all(logins);
    const allAfter = performance.now() - started;
    expect(healthAfter).toBeLessThan(allAfter / 2);
  });

  it('purges expired sessions', async () => {
    await l.store.accounts.addSession({
      idHash: sha256('oud'),
      username: 'gert',
      csrfToken: 'x',
      createdAt: '2020-01-01T00:00:00.000Z',
      expiresAt: '2020-01-01T08:00:00.000Z',
    });
    expect(await l.store.accounts.session(sha256('oud'))).toBeDefined();
    expect((await login('gert', 'een-lang-wachtwoord', { 'x-forwarded-for': '192.0.2.50' })).status).toBe(200);
    expect(await l.store.accounts.session(sha256('oud'))).toBeUndefined();
  });
});

const p = await openServer(undefined, { adminToken: ADMIN });
describe('changing a password', () => {
  afterAll(() => p.store.close());

  async function logIn(password: string) {
    const res = await p.request('POST', '/api/session', { username: 'jan', password });
    if (res.status !== 200) return { status: res.status, cookie: '', csrf: '' };
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { status: 200, cookie, csrf: (await res.json()).csrfToken as string };
  }

  it('needs the current one, ends the other sessions, and lets an admin reset it', async () => {
    await p.request(
      'POST',
      '/api/users',
      { username: 'jan', password: 'eerste-wachtwoord', role: 'auditor' },
      bearer(ADMIN),
    );
    const first = await logIn('eerste-wachtwoord');
    const second = await logIn('eerste-wachtwoord');
    const change = (body: unknown, who = first) =>
      p.request('PUT', '/api/session/password', body, { cookie: who.cookie, 'x-csrf-token': who.csrf });

    const wrong = await change({ currentPassword: 'niet-het-wachtwoord', newPassword: 'tweede-wachtwoord' });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).code).toBe('PASSWORD_INCORRECT');
    expect((await change({ currentPassword: 'eerste-wachtwoord', newPassword: 'kort' })).status).toBe(400);
    expect((await change({ currentPassword: 'eerste-wachtwoord', newPassword: 'tweede-wachtwoord' })).status).toBe(204);
    // this session goes on, the other one ended; the old password no longer works
    expect((await p.request('GET', '/api/rulesets', undefined, { cookie: first.cookie })).status).toBe(200);
    expect((await p.request('GET', '/api/rulesets', undefined, { cookie: second.cookie })).status).toBe(401);
    expect((await logIn('eerste-wachtwoord')).status).toBe(401);
    expect((await logIn('tweede-wachtwoord')).status).toBe(200);

    // a token has no password to change
    const auditor = await (
      await p.request('POST', '/api/tokens', { name: 'a', role: 'auditor' }, bearer(ADMIN))
    ).json();
    expect(
      (
        await p.request(
          'PUT',
          '/api/session/password',
          { currentPassword: 'x', newPassword: 'derde-wachtwoord' },
          bearer(auditor.token),
        )
      ).status,
    ).toBe(403);

    // an admin sets it, and the user's sessions end
    expect(
      (await p.request('PUT', '/api/users/jan/password', { password: 'derde-wachtwoord' }, bearer(auditor.token)))
        .status,
    ).toBe(403);
    expect(
      (await p.request('PUT', '/api/users/jan/password', { password: 'derde-wachtwoord' }, bearer(ADMIN))).status,
    ).toBe(204);
    expect(
      (await p.request('PUT', '/api/users/niemand/password', { password: 'derde-wachtwoord' }, bearer(ADMIN))).status,
    ).toBe(404);
    expect((await p.request('GET', '/api/rulesets', undefined, { cookie: first.cookie })).status).toBe(401);
    expect((await logIn('derde-wachtwoord')).status).toBe(200);
  });
});

// ---- writes only from where they belong -----------------------------------------------------------

describe('media types and origins', () => {
  it('a demo cannot be taken over from another web page', async () => {
    const demo = await openServer();
    try {
      // what a cross-origin `no-cors` form post can send: text/plain, with the page's Origin
      const plain = await demo.app.request('/api/users', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
        body: JSON.stringify({ username: 'mallory', password: 'overgenomen-demo', role: 'admin' }),
      });
      expect([403, 415]).toContain(plain.status);
      const asJson = await demo.request(
        'POST',
        '/api/tokens',
        { name: 'mallory', role: 'admin' },
        { origin: 'https://evil.example' },
      );
      expect(asJson.status).toBe(403);
      expect((await asJson.json()).code).toBe('CROSS_ORIGIN_REFUSED');
      expect(await demo.store.accounts.any()).toBe(false);
      expect((await (await demo.request('GET', '/api/session')).json()).demo).toBe(true);
      // the demo's own page, and clients without Origin, go ahead
      expect((await demo.request('POST', '/api/evaluate', admission(), { origin: 'http://localhost' })).status).toBe(
        200,
      );
      expect((await demo.request('POST', '/api/evaluate', admission())).status).toBe(200);
      // reads from other pages get nothing a browser would let them see, but the request is fine
      expect((await demo.request('GET', '/api/rulesets', undefined, { origin: 'https://evil.example' })).status).toBe(
        200,
      );
    } finally {
      await demo.store.close();
    }
  });

  it('a demo answers only requests to a loopback host (no DNS rebinding)', async () => {
    const demo = await openServer();
    try {
      const rebound = await demo.app.request('http://evil.example:8787/api/rulesets');
      expect(rebound.status).toBe(403);
      expect((await rebound.json()).code).toBe('DEMO_LOOPBACK_ONLY');
      expect((await demo.app.request('http://127.0.0.1:8787/api/rulesets')).status).toBe(200);
    } finally {
      await demo.store.close();
    }
    expect(['127.0.0.1', 'localhost', '::1', '[::1]', '127.1.2.3'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '192.168.1.10', 'example.org', '::'].some(isLoopback)).toBe(false);
  });

  it('a demo refuses to start on an address other machines reach', () => {
    const run = runRefusedServer({
      HOST: '0.0.0.0',
      RULES_ADMIN_TOKEN: '',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'demo-host-')),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('loopback');
    expect(run.stderr).toContain('HOST=0.0.0.0');
  });

  it('every body must be application/json: 415 otherwise', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const res = await s.app.request('/api/evaluate?dryRun=true', {
        method: 'POST',
        headers: { ...bearer(tokens.auditor!), ...(type ? { 'content-type': type } : {}) },
        body: JSON.stringify(admission()),
      });
      expect(res.status, String(type)).toBe(415);
      const problem = await res.json();
      expect(problem.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const charset = await s.request('POST', '/api/evaluate?dryRun=true', admission(), {
      ...bearer(tokens.auditor!),
      'content-type': 'application/json; charset=utf-8',
    });
    expect(charset.status).toBe(200);
    const doc = await (await s.app.request('/api/openapi.json')).json();
    expect(doc.paths['/api/evaluate'].post.responses['415']).toBeDefined();
  });

  it('login takes JSON from our own pages only (no login CSRF)', async () => {
    const plain = await s.app.request('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ username: 'x', password: 'y' }),
    });
    expect(plain.status).toBe(415);
    const foreign = await s.request(
      'POST',
      '/api/session',
      { username: 'x', password: 'y' },
      { origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).code).toBe('CROSS_ORIGIN_REFUSED');
  });

  it('a cookie session writes only from our own pages; a bearer token is unaffected by Origin', async () => {
    await s.request(
      'POST',
      '/api/users',
      { username: 'kees', password: 'een-lang-wachtwoord', role: 'policy-advisor', scope: 'ijsselland' },
      bearer(ADMIN),
    );
    const login = await s.request(
      'POST',
      '/api/session',
      { username: 'kees', password: 'een-lang-wachtwoord' },
      { origin: 'http://localhost' },
    );
    expect(login.status).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const csrf = (await login.json()).csrfToken;
    const body = await documentOf('ijsselland');
    const foreign = await s.request('POST', '/api/rulesets/ijsselland/drafts', body, {
      cookie,
      'x-csrf-token': csrf,
      origin: 'https://evil.example',
    });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).code).toBe('CROSS_ORIGIN_REFUSED');
    const own = await s.request('POST', '/api/rulesets/ijsselland/drafts', body, {
      cookie,
      'x-csrf-token': csrf,
      origin: 'http://localhost',
    });
    expect(own.status).toBe(201);
    const byToken = await s.request('POST', '/api/rulesets/ijsselland/drafts', body, {
      ...bearer(tokens.advisorIJ!),
      origin: 'https://evil.example',
    });
    expect(byToken.status).toBe(201);
  });
});

// ---- smaller guards ---------------------------------------------------------------------------------

describe('dates, strict bodies, lookups and text', () => {
  it('compares expiresAt as an instant, whatever offset it was given with', async () => {
    const t = await openServer(undefined, { adminToken: ADMIN, clock: { now: () => '2026-03-01T09:45:00.000Z' } });
    try {
      // 10:00 at +03:00 is 07:00Z: expired at 09:45Z, though the text sorts after it
      const created = await t.request(
        'POST',
        '/api/tokens',
        { name: 'verlopen', role: 'auditor', expiresAt: '2026-03-01T10:00:00+03:00' },
        bearer(ADMIN),
      );
      expect(created.status).toBe(201);
      const token = await created.json();
      expect(token.expiresAt).toBe('2026-03-01T07:00:00.000Z');
      expect((await t.request('GET', '/api/rulesets', undefined, bearer(token.token))).status).toBe(401);
      // a token stored with an offset before this change: compared as an instant too
      const raw = (await t.store.accounts.tokens()).find((r) => r.name === 'verlopen')!;
      await t.store.accounts.addToken({
        ...raw,
        id: 'oud',
        tokenHash: sha256('jr_oud'),
        expiresAt: '2026-03-01T10:00:00+03:00',
      });
      expect((await t.request('GET', '/api/rulesets', undefined, bearer('jr_oud'))).status).toBe(401);
      const later = await t.request(
        'POST',
        '/api/tokens',
        { name: 'geldig', role: 'auditor', expiresAt: '2026-03-01T08:00:00-03:00' },
        bearer(ADMIN),
      );
      expect((await t.request('GET', '/api/rulesets', undefined, bearer((await later.json()).token))).status).toBe(200);
    } finally {
      await t.store.close();
    }
  });

  it('refuses unknown fields in every body', async () => {
    const extra = { onbekend: true };
    const draft = await documentOf('ijsselland');
    const cases: [string, string, unknown, Who][] = [
      ['POST', '/api/tokens', { name: 'x', role: 'auditor', ...extra }, 'admin'],
      ['POST', '/api/tokens', { name: 'x', role: 'policy-advisor', scope: 'ijsselland', ...extra }, 'admin'],
      ['POST', '/api/users', { username: 'xx', password: 'een-lang-wachtwoord', role: 'auditor', ...extra }, 'admin'],
      ['POST', '/api/session', { username: 'xx', password: 'y', ...extra }, 'nobody'],
      ['PUT', '/api/users/kees/password', { password: 'een-lang-wachtwoord', ...extra }, 'admin'],
      ['POST', '/api/evaluate?dryRun=true', { ...mijovAllocation(), ...extra }, 'auditor'],
      ['POST', `/api/decisions/${ids.zwolleDecision}/replay`, { against: 'recorded', ...extra }, 'auditor'],
      ['POST', '/api/rulesets/ijsselland/drafts', { ...draft, ...extra }, 'advisorIJ'],
      ['POST', '/api/rulesets/ijsselland/import', { ...draft, ...extra }, 'advisorIJ'],
      [
        'POST',
        `/api/rulesets/ijsselland/drafts/${ids.ijsselDraft}/publish`,
        { validFrom: '2027-01-01', ...extra },
        'advisorIJ',
      ],
      [
        'POST',
        '/api/rulesets/ijsselland/tests',
        { name: 'x', case: ijsselAllocation(), expected: { outcome: 'granted', codes: [] }, ...extra },
        'advisorIJ',
      ],
      ['POST', '/api/rulesets/ijsselland/versions/1/evaluate', { ...ijsselAllocation(), ...extra }, 'auditor'],
      ['POST', '/api/impact', { candidate: { ruleSet: 'apeldoorn', version: 1 }, ...extra }, 'auditor'],
    ];
    for (const [method, path, body, who] of cases) {
      const res = await s.request(method, path, body, headersOf(who));
      expect([400, 422], `${method} ${path}`).toContain(res.status);
      expect(JSON.stringify((await res.json()).issues), `${method} ${path}`).toContain('onbekend');
    }
    expect(await s.store.accounts.user('xx')).toBeUndefined();
  });

  it('looks up schemas and assets as own properties only', async () => {
    for (const path of [
      '/api/schemas/__proto__',
      '/api/schemas/constructor',
      '/api/schemas/toString',
      '/api/docs/assets/__proto__',
      '/api/docs/assets/constructor',
    ]) {
      const res = await s.request('GET', path, undefined, bearer(tokens.auditor!));
      expect(res.status, path).toBe(404);
    }
    expect((await s.request('GET', '/api/schemas/case.schema.json', undefined, bearer(tokens.auditor!))).status).toBe(
      200,
    );
  });

  it('refuses control, bidi-override and zero-width characters in names, codes and texts', async () => {
    expect(unsafeCharacter('gewoon tekst, met é en ü')).toBeUndefined();
    expect(unsafeCharacter('regel één\nregel twee')).toBeUndefined();
    expect(unsafeCharacter('naam\nmet regel', true)).toBe('U+000A');
    expect(unsafeCharacter('abc\u202Efed')).toBe('U+202E');
    expect(unsafeCharacter('a\u200Bb')).toBe('U+200B');
    expect(unsafeCharacter('a\u0007b')).toBe('U+0007');

    const token = await s.request('POST', '/api/tokens', { name: 'Zaak\u202Esysteem', role: 'auditor' }, bearer(ADMIN));
    expect(token.status).toBe(400);
    const tokenProblem = await token.json();
    expect(tokenProblem.issues[0].path).toBe('$.name');
    expect(tokenProblem.issues[0].message).toContain('U+202E');

    const test = await s.request(
      'POST',
      '/api/rulesets/ijsselland/tests',
      { name: 'on\u200Bzichtbaar', case: ijsselAllocation(), expected: { outcome: 'granted', codes: [] } },
      headersOf('advisorIJ'),
    );
    expect(test.status).toBe(400);
    expect((await test.json()).issues[0].path).toBe('$.name');

    const draft = await documentOf('ijsselland');
    draft.rules[0].message = 'Dit wordt \u202Eniet goed getoond';
    draft.name = 'IJssel\u0000land';
    const saved = await s.request('POST', '/api/rulesets/ijsselland/drafts', draft, headersOf('advisorIJ'));
    expect(saved.status).toBe(422);
    const paths = (await saved.json()).issues.map((i: { path: string }) => i.path);
    expect(paths).toContain('$.rules[0].message');
    expect(paths).toContain('$.name');

    const publish = await s.request(
      'POST',
      `/api/rulesets/ijsselland/drafts/${ids.ijsselDraft}/publish`,
      { validFrom: '2027-01-01', changes: 'stil\u2066gezet' },
      headersOf('advisorIJ'),
    );
    expect(publish.status).toBe(400);
    expect((await publish.json()).issues[0].path).toBe('$.changes');
  });
});
