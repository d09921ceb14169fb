/**
 * The API description follows from the routes: every route the app answers is in the OpenAPI
 * document and every path in the document is a route, the document is OpenAPI 3.1 in shape and
 * built once, and the reference page at /api/docs runs on this server alone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { openServer } from './harness.js';

const s = await openServer();
afterAll(() => s.store.close());

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

/** What the document and the reference page themselves are served at: not API routes. */
const describesTheApi = (path: string) =>
  path === '/api/openapi.json' || path === '/api/docs' || path.startsWith('/api/docs/');

describe('the OpenAPI document', () => {
  it('lists exactly the routes the app registers under /api', async () => {
    const doc = await (await s.request('GET', '/api/openapi.json')).json();
    const registered = new Set(
      s.app.routes
        .filter((r) => r.method !== 'ALL' && r.path.startsWith('/api/') && !describesTheApi(r.path))
        .map((r) => `${r.method} ${r.path.replaceAll(/:(\w+)/g, '{$1}')}`),
    );
    const documented = new Set(
      Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
        METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    expect([...documented].sort()).toEqual([...registered].sort());
    expect(documented).toContain('GET /api/rulesets/{id}/drafts');
  });

  it('is OpenAPI 3.1 with responses for every operation, and the same on every request', async () => {
    const first = await (await s.request('GET', '/api/openapi.json')).text();
    const second = await (await s.request('GET', '/api/openapi.json')).text();
    expect(second).toBe(first);
    const doc = JSON.parse(first);
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(doc.info.title).toBeTruthy();
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses?: object }>>)) {
      for (const method of METHODS.filter((m) => m in item)) {
        expect(Object.keys(item[method]!.responses ?? {}), `${method} ${path}`).not.toHaveLength(0);
      }
    }
  });

  it('describes problems as application/problem+json and refers to the engine shapes', async () => {
    const doc = await (await s.request('GET', '/api/openapi.json')).json();
    const evaluate = doc.paths['/api/evaluate'].post;
    expect(evaluate.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Case' });
    expect(evaluate.responses['400'].content['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/Problem',
    });
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['Case', 'Decision', 'RuleSetDocument', 'RuleSetDraft', 'Problem']),
    );
  });
});

describe('the reference page', () => {
  it('loads its scripts and styles from this server only', async () => {
    const page = await s.request('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    const refs = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThanOrEqual(3);
    for (const ref of refs) expect(ref).not.toMatch(/^(https?:)?\/\//);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

    for (const ref of refs.filter((r) => r.startsWith('/api/docs/'))) {
      const res = await s.request('GET', ref);
      expect(res.status, ref).toBe(200);
      expect(res.headers.get('content-type'), ref).toMatch(ref.endsWith('.css') ? /^text\/css/ : /javascript/);
    }
  });

  it('points Swagger UI at the document', async () => {
    const init = await (await s.request('GET', '/api/docs/assets/init.js')).text();
    expect(init).toContain("'/api/openapi.json'");
    expect((await s.request('GET', '/api/docs/assets/nope.js')).status).toBe(404);
  });
});
