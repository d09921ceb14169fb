/**
 * A draft is work in progress: the contract's minimal overlay is a draft, without a version
 * number or a valid-from date; publishing gives it the next number, the date from the request
 * and a change note from the request or the draft.
 */
import { describe, expect, it } from 'vitest';
import { serverPool } from './harness.js';

const pool = serverPool();
const server = () => pool();

const minimalOverlay = {
  id: 'apeldoorn',
  kind: 'municipality',
  region: 'midden-ijssel-oost-veluwe',
  parameters: { 'admission.minClientsPerYear': 5 },
};

describe('a draft without version or valid-from date', () => {
  it("accepts the contract's minimal overlay with 201, an ETag and a Location", async () => {
    const s = await server();
    const res = await s.request('POST', '/api/rulesets/apeldoorn/drafts', minimalOverlay);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(res.headers.get('etag')).toMatch(/^".+"$/);
    const { draftId, etag } = await res.json();
    expect(etag).toBe(res.headers.get('etag'));
    expect(res.headers.get('location')).toBe(`/api/rulesets/apeldoorn/drafts/${draftId}`);
    const draft = await (await s.request('GET', `/api/rulesets/apeldoorn/drafts/${draftId}`)).json();
    expect(draft.document).toMatchObject({ ...minimalOverlay, changes: [], rules: {} });
    expect(draft.document.version).toBeUndefined();
  });

  it('publishes as the next version, valid from the date and with the change note of the request', async () => {
    const s = await server();
    const { draftId } = await (await s.request('POST', '/api/rulesets/apeldoorn/drafts', minimalOverlay)).json();
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, {
      validFrom: '2027-01-01',
      changes: 'Minimaal vijf cliënten per jaar.',
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toMatchObject({ version: 3, validFrom: '2027-01-01' });
    expect(res.headers.get('location')).toBe('/api/rulesets/apeldoorn/versions/3');
    const version = await (await s.request('GET', '/api/rulesets/apeldoorn/versions/3')).json();
    expect(version).toMatchObject({ ...minimalOverlay, version: 3, validFrom: '2027-01-01' });
    expect(version.changes).toEqual(['Minimaal vijf cliënten per jaar.']);
  });

  it("takes the draft's change note when the request has none", async () => {
    const s = await server();
    const { draftId } = await (
      await s.request('POST', '/api/rulesets/apeldoorn/drafts', { ...minimalOverlay, changes: ['Uit het concept.'] })
    ).json();
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, {
      validFrom: '2027-01-01',
    });
    expect(res.status).toBe(201);
    expect((await (await s.request('GET', '/api/rulesets/apeldoorn/versions/3')).json()).changes).toEqual([
      'Uit het concept.',
    ]);
  });

  it('refuses to publish without any change note, naming $.changes, and leaves the draft', async () => {
    const s = await server();
    const { draftId } = await (await s.request('POST', '/api/rulesets/apeldoorn/drafts', minimalOverlay)).json();
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, {
      validFrom: '2027-01-01',
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = await res.json();
    expect(problem.code).toBe('CHANGES_MISSING');
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(['$.changes']);
    expect((await s.request('GET', `/api/rulesets/apeldoorn/drafts/${draftId}`)).status).toBe(200);
    expect((await s.request('GET', '/api/rulesets/apeldoorn/versions/3')).status).toBe(404);
  });

  it('still requires a valid-from date to publish', async () => {
    const s = await server();
    const { draftId } = await (await s.request('POST', '/api/rulesets/apeldoorn/drafts', minimalOverlay)).json();
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, { changes: 'x' });
    expect(res.status).toBe(400);
    expect((await res.json()).issues.map((i: { path: string }) => i.path)).toEqual(['$.validFrom']);
  });

  it('can be tried on the test bench before it has a number', async () => {
    const s = await server();
    const { draftId } = await (await s.request('POST', '/api/rulesets/apeldoorn/drafts', minimalOverlay)).json();
    const res = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/evaluate`, {
      type: 'admission',
      purpose: 'renewal',
      municipality: 'apeldoorn',
      referenceDate: '2026-07-01',
      entryDate: '2026-07-01',
      provider: {
        name: 'Voorbeeld',
        registrations: ['SKJ'],
        governanceCodeZorg: true,
        clientsLastYear: 4,
        productGroups: ['behandeling'],
      },
      requestedProductGroup: 'behandeling',
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const decision = await res.json();
    expect((await decision.ruleSets.find((r: { id: string }) => r.id === 'apeldoorn')).version).toBe(3);
    expect(decision.reasons.map((r: { code: string }) => r.code)).toContain('TOO_FEW_CLIENTS');
  });
});

describe('files that carry version and date', () => {
  it('import and publish as before: the server numbers the version', async () => {
    const s = await server();
    const exported = await (await s.request('GET', '/api/rulesets/apeldoorn/versions/2/export')).text();
    const imported = await s.request('POST', '/api/rulesets/apeldoorn/import', exported);
    expect(imported.status).toBe(201);
    expect(imported.headers.get('etag')).toBeTruthy();
    const { draftId } = await imported.json();
    expect((await (await s.request('GET', `/api/rulesets/apeldoorn/drafts/${draftId}`)).json()).document).toEqual(
      JSON.parse(exported),
    );
    const published = await s.request('POST', `/api/rulesets/apeldoorn/drafts/${draftId}/publish`, {
      validFrom: '2027-01-01',
    });
    expect(await published.json()).toMatchObject({ version: 3, validFrom: '2027-01-01' });
  });

  it('still refuses an invalid version number or date with the path of each', async () => {
    const s = await server();
    const res = await s.request('POST', '/api/rulesets/apeldoorn/drafts', {
      ...minimalOverlay,
      version: 0,
      validFrom: 'gisteren',
    });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.code).toBe('INVALID_RULE_SET');
    expect(problem.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['$.version', '$.validFrom']),
    );
  });
});
