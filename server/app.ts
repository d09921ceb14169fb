/**
 * The Hono application: API routes under /api, problem documents for every error, a body limit,
 * the OpenAPI document and docs page. Built around a `RulesService`, so tests run the real app
 * on a temporary SQLite file through `app.request()`.
 */
import { relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { generatedJsonSchemas } from '../engine/index.js';
import { DateQuery } from './api-schemas.js';
import { authenticate, principalOf } from './auth.js';
import { authRoutes } from './routes/auth.js';
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

export interface AppOptions {
  /** The built editor (dist/editor), served at / when given. */
  editorDir?: string | undefined;
  /** RULES_ADMIN_TOKEN: a token that is an admin token, to set up a fresh install. */
  adminToken?: string | undefined;
}

export function createApp(service: RulesService, options: AppOptions = {}) {
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

  app.use('/api/*', authenticate(service.store, { adminToken: options.adminToken, now: () => service.clock.now() }));
  app.route('/api', authRoutes(service));
  app.route('/api', decisionRoutes(service));
  app.route('/api/rulesets', ruleSetRoutes(service));
  app.route('/api/impact', impactRoutes(service));
  app.get('/api/municipalities/:id/effective', (c) => {
    principalOf(c);
    return c.json(service.effective(c.req.param('id'), parseQuery(DateQuery, c).date));
  });
  app.get('/api/openapi.json', (c) => c.json(openApiDocument()));
  app.get('/api/docs', (c) => c.html(docsPage()));
  const schemas = generatedJsonSchemas();
  app.get('/api/schemas/:name', (c) => {
    const text = schemas[c.req.param('name')];
    if (!text)
      throw new ProblemError(
        404,
        'NOT_FOUND',
        `Schema ${c.req.param('name')} bestaat niet; kies uit ${Object.keys(schemas).join(', ')}.`,
      );
    return c.body(text, 200, { 'Content-Type': 'application/schema+json' });
  });
  app.get('/api/health', (c) => c.json({ ok: true }));
  app.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  if (options.editorDir) {
    const root = relative(process.cwd(), options.editorDir) || '.';
    app.use('/assets/*', serveStatic({ root }));
    app.get('/', serveStatic({ root, path: 'index.html' }));
  }
  return app;
}

export type AppType = ReturnType<typeof createApp>;
