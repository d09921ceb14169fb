/**
 * The Hono application: API routes under /api, problem documents for every error, a body limit,
 * the OpenAPI document and docs page. Built around a `RulesService`, so tests run the real app
 * on a temporary SQLite file through `app.request()`.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DateQuery } from './api-schemas.js';
import { docsPage, openApiDocument } from './openapi.js';
import { onError, ProblemError } from './problems.js';
import { decisionRoutes } from './routes/decisions.js';
import { impactRoutes } from './routes/impact.js';
import { ruleSetRoutes } from './routes/rulesets.js';
import type { RulesService } from './service.js';
import { parseQuery } from './validate.js';

/** Bodies above 1 MiB are refused with 413: the largest rule set is a few dozen KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#01689b"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>`;

export function createApp(service: RulesService) {
  const app = new Hono();
  app.onError(onError);
  app.notFound((c) => onError(new ProblemError(404, 'NOT_FOUND', `${c.req.method} ${c.req.path} bestaat niet.`), c));

  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ProblemError(413, 'PAYLOAD_TOO_LARGE', `De body is groter dan ${MAX_BODY_BYTES} bytes.`);
      },
    }),
  );

  app.route('/api', decisionRoutes(service));
  app.route('/api/rulesets', ruleSetRoutes(service));
  app.route('/api/impact', impactRoutes(service));
  app.get('/api/municipalities/:id/effective', (c) => c.json(service.effective(c.req.param('id'), parseQuery(DateQuery, c).date)));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/api/docs', (c) => c.html(docsPage()));
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/', (c) =>
    c.html(
      `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Jeugdzorg-regels</title><link rel="icon" href="/favicon.svg"></head><body style="font:16px system-ui;max-width:40rem;margin:3rem auto"><h1>Jeugdzorg-regels</h1><p>De API draait. De editor volgt in een volgende stap.</p><p><a href="/api/docs">API-documentatie</a> · <a href="/api/rulesets">Regelsets</a></p></body></html>`,
    ),
  );
  return app;
}

export type AppType = ReturnType<typeof createApp>;
