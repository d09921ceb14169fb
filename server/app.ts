/**
 * The Hono application: API routes under /api, each declared once with its zod request and
 * response schemas (`createRoute`), problem documents for every error, a body limit, the
 * OpenAPI document generated from the routes and an interactive reference. Built around a
 * `RulesService`, so tests run the real app on a temporary SQLite file through `app.request()`.
 */
import { relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { createRoute } from '@hono/zod-openapi';
import { generatedJsonSchemas } from '../engine/index.js';
import { DateQuery, Effective, Health, IdParam, JsonSchemaDocument, SchemaNameParam } from './api-schemas.js';
import { authenticate, principalOf } from './auth.js';
import { bodyLimit } from './body-limit.js';
import { TokenCache } from './token-cache.js';
import { DOCUMENT_CONFIG, json, jsonText, problems, registerSecuritySchemes, routeGroup } from './openapi.js';
import { onError, ProblemError } from './problems.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { decisionRoutes } from './routes/decisions.js';
import { docsRoutes } from './routes/docs.js';
import { ijwRoutes } from './routes/ijw.js';
import { impactRoutes } from './routes/impact.js';
import { ruleSetRoutes } from './routes/rulesets.js';
import { spreadsheetRoutes } from './routes/spreadsheets.js';
import type { RulesService } from './service.js';

/** Bodies above 1 MiB are refused with 413: the largest rule set is a few dozen KiB. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The one route whose body is a stream of any length, limited per line instead. */
const BATCH_PATH = '/api/evaluate/batch';

const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#01689b"/><path d="M4 8h8M8 4v8" stroke="#fff" stroke-width="2"/></svg>`;

export interface AppOptions {
  /** The built editor (dist/editor), served at / when given. */
  editorDir?: string | undefined;
  /** RULES_ADMIN_TOKEN: a token that is an admin token, to set up a fresh install. */
  adminToken?: string | undefined;
  /**
   * TRUSTED_PROXY: the service runs behind a reverse proxy, so X-Forwarded-For names the client
   * (login throttling per address) and X-Forwarded-Host the origin browsers see.
   */
  trustProxy?: boolean | undefined;
}

const effective = createRoute({
  method: 'get',
  path: '/municipalities/{id}/effective',
  tags: ['Rule sets'],
  summary: 'The versions in force for a municipality on ?date=, with its parameters',
  request: { params: IdParam, query: DateQuery },
  responses: { 200: { description: 'What applies', content: json(Effective) }, ...problems(400, 401, 404) },
});

const jsonSchema = createRoute({
  method: 'get',
  path: '/schemas/{name}',
  tags: ['Schemas'],
  summary: 'The JSON Schemas generated from the zod schemas (ruleset, ruleset-draft, case, decision)',
  request: { params: SchemaNameParam },
  responses: {
    200: { description: 'The schema', content: { 'application/schema+json': { schema: JsonSchemaDocument } } },
    ...problems(404),
  },
});

const health = createRoute({
  method: 'get',
  path: '/health',
  tags: ['Service'],
  summary: 'Whether the service answers: its database, schema version and latest published versions',
  security: [],
  responses: { 200: { description: 'It does', content: json(Health) } },
});

/** The small routes under /api: effective versions, JSON Schemas, health. */
function serviceRoutes(service: RulesService) {
  const schemas = generatedJsonSchemas();
  return routeGroup()
    .openapi(effective, async (c) => {
      principalOf(c);
      return c.json(await service.effective(c.req.valid('param').id, c.req.valid('query').date), 200);
    })
    .openapi(jsonSchema, (c) => {
      const { name } = c.req.valid('param');
      // own properties only: `__proto__` or `constructor` name no schema
      const text = Object.hasOwn(schemas, name) ? schemas[name] : undefined;
      if (typeof text !== 'string')
        throw new ProblemError(
          404,
          'NOT_FOUND',
          `Schema ${name} bestaat niet; kies uit ${Object.keys(schemas).join(', ')}.`,
        );
      return jsonText<Record<string, unknown>>(c, text, 200, { 'Content-Type': 'application/schema+json' });
    })
    .openapi(health, async (c) => c.json(await service.health(), 200));
}

/**
 * The whole application. Its type (`AppType`) carries every API route with its input and
 * responses, for `hc<AppType>` from 'hono/client'.
 */
export function createApp(service: RulesService, options: AppOptions = {}) {
  const app = routeGroup();
  app.onError(onError);
  app.notFound((c) => onError(new ProblemError(404, 'NOT_FOUND', `${c.req.method} ${c.req.path} bestaat niet.`), c));
  const limit = bodyLimit(MAX_BODY_BYTES, () => {
    throw new ProblemError(413, 'PAYLOAD_TOO_LARGE', `De body is groter dan ${MAX_BODY_BYTES} bytes.`);
  });
  // a batch streams any number of lines; each line is held to the same limit (server/batch.ts)
  app.use('/api/*', (c, next) => (c.req.path === BATCH_PATH ? next() : limit(c, next)));
  // read by `authenticate`, emptied by a revocation in `authRoutes`
  const tokens = new TokenCache((hash) => service.store.accounts.tokenByHash(hash));
  app.use(
    '/api/*',
    authenticate(service.store, {
      adminToken: options.adminToken,
      now: () => service.clock.now(),
      trustProxy: options.trustProxy,
      tokens,
    }),
  );

  const api = app
    .route('/api', authRoutes(service, { trustProxy: options.trustProxy, tokens }))
    .route('/api', decisionRoutes(service, { batchLineBytes: MAX_BODY_BYTES }))
    .route('/api', ijwRoutes(service))
    .route('/api/rulesets', ruleSetRoutes(service))
    .route('/api/rulesets', spreadsheetRoutes(service))
    .route('/api/impact', impactRoutes(service))
    .route('/api/audit', auditRoutes(service))
    .route('/api', serviceRoutes(service));

  registerSecuritySchemes(app);
  // generated on first request and kept: the routes do not change while the app runs
  let document: string | undefined;
  app.get('/api/openapi.json', (c) => {
    document ??= JSON.stringify(app.getOpenAPI31Document(DOCUMENT_CONFIG));
    return c.body(document, 200, { 'Content-Type': 'application/json' });
  });
  app.route('/api/docs', docsRoutes());
  app.get('/favicon.svg', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  app.get('/favicon.ico', (c) => c.body(FAVICON, 200, { 'Content-Type': 'image/svg+xml' }));
  if (options.editorDir) {
    const root = relative(process.cwd(), options.editorDir) || '.';
    app.use('/assets/*', serveStatic({ root }));
    app.get('/', serveStatic({ root, path: 'index.html' }));
  }
  return api;
}

export type AppType = ReturnType<typeof createApp>;
