/**
 * Declaring routes for the OpenAPI document: the app factory every route group uses, the
 * problem responses routes list, and the document's metadata. The document itself is generated
 * from the routes (`createApp` serves it at /api/openapi.json).
 */
import { OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, TypedResponse } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { JSONParsed } from 'hono/utils/types';
import type { Issue } from '../engine/index.js';
import { Problem } from './api-schemas.js';
import { jsonBody, problemHook } from './validate.js';

const PROBLEM_DESCRIPTIONS = {
  400: 'Ongeldig verzoek: JSON, queryparameters of velden (met het JSON-pad van elk probleem)',
  401: 'Niet ingelogd of onbekend token',
  403: 'De rol of scope van de aanroeper staat dit niet toe',
  404: 'Bestaat niet',
  409: 'Bestaat al',
  412: 'If-Match is verouderd: iemand anders heeft het concept intussen opgeslagen',
  413: 'De body is groter dan 1 MiB',
  415: 'De body heeft niet het mediatype van de route (application/json)',
  422: 'Inhoudelijk ongeldig (regelset, samenstelling, geldigheidsdatum)',
  428: 'If-Match ontbreekt',
  429: 'Te veel pogingen of te veel tegelijk: probeer het opnieuw na Retry-After seconden',
  500: 'De server weigert: opgeslagen gegevens zijn na vastleggen gewijzigd (VERSION_TAMPERED)',
  503: 'De database is even bezet: probeer het opnieuw na Retry-After seconden',
} as const;
type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** Response entries for the problem documents (RFC 9457) a route may answer with. */
export function problems<const S extends ProblemStatus>(...statuses: S[]) {
  const responses = {} as { [K in S]: ProblemResponse };
  for (const status of statuses)
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { 'application/problem+json': { schema: Problem } },
    };
  return responses;
}
interface ProblemResponse {
  description: string;
  content: { 'application/problem+json': { schema: typeof Problem } };
}

/** JSON request or response content with a schema. */
export const json = <T>(schema: T) => ({ 'application/json': { schema } });

/**
 * An OpenAPIHono for one group of routes. Zod failures of queries and path parameters become
 * problem documents (`problemHook`). A declared JSON body is read by `jsonBody` instead of the
 * package's validator, which would parse without a depth limit and skip a body sent without a
 * JSON content type instead of refusing it (415, a problem document): the route is registered in the document as declared, and routed with
 * `jsonBody` in front of its handler.
 */
export function routeGroup() {
  const app = new OpenAPIHono({ defaultHook: problemHook() });
  const declare = app.openapi;
  app.openapi = (route, handler, hook) => {
    const media = route.request?.body?.content['application/json'];
    const schema = media && 'schema' in media ? media.schema : undefined;
    if (!(schema instanceof z.ZodType)) return declare(route, handler, hook);
    const { middleware, hide: _hide, bodyError, acceptsBody, ...declared } = route as BodyRouteConfig;
    // every route with a body answers 415 to a body of another media type (see `readJson`)
    const documented = { ...declared, responses: { ...problems(415), ...declared.responses } };
    app.openAPIRegistry.registerPath(documented);
    const routed: RouteConfig = {
      ...documented,
      hide: true,
      request: { ...route.request, body: undefined },
      middleware: [...asArray(middleware), jsonBody(schema, hook ?? problemHook(bodyError), acceptsBody)],
    };
    // the same route for types and handler: only the body's validation moved into `jsonBody`
    return declare(routed as typeof route, handler, hook);
  };
  return app;
}

/**
 * A route may say which problem an invalid body is (`bodyError`): a case is INVALID_CASE and a
 * rule set INVALID_RULE_SET (422), as the engine and the service answer them. It may also give a
 * check that accepts exactly the bodies its schema accepts, at a fraction of zod's cost
 * (`acceptsBody`, see `jsonBody`): its handler then reads the body with `c.get('json')`.
 */
type BodyRouteConfig = RouteConfig & {
  bodyError?: (issues: Issue[]) => Error;
  acceptsBody?: (value: unknown) => boolean;
};

const asArray = (m: RouteConfig['middleware']): MiddlewareHandler[] =>
  m === undefined ? [] : Array.isArray(m) ? m : [m as MiddlewareHandler];

/** The document's metadata; paths and components come from the routes. */
export const DOCUMENT_CONFIG: Parameters<OpenAPIHono['getOpenAPI31Document']>[0] = {
  openapi: '3.1.0',
  info: {
    title: 'Jeugdzorg-regels API',
    version: '0.1.0',
    description:
      'Versioned, explainable rule sets for Dutch youth-care procurement. Errors are `application/problem+json` (RFC 9457) with the JSON path of every invalid field (at most 50, with the count of the rest in `omittedIssues`).',
  },
  security: [{ bearer: [] }, { session: [] }],
};

/** Registers the two ways to call the API in the document's components. */
export function registerSecuritySchemes(app: OpenAPIHono) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (POST /api/tokens) or RULES_ADMIN_TOKEN.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'jr_session',
    description: 'Editor session; writes also need the X-CSRF-Token header.',
  });
}

/**
 * Answers JSON text serialised elsewhere, typed for the client as `c.json(value, status)` would
 * be: the evaluation serialises its decision once, for the log and the answer alike.
 */
export function jsonText<T, S extends ContentfulStatusCode = 200>(
  c: Context,
  text: string,
  status: S,
  headers: Record<string, string> = {},
) {
  const res = c.body(text, status, { 'Content-Type': 'application/json', ...headers });
  // TypedResponse only carries types: the text is what `c.json` would have answered for a T
  return res as unknown as Response & TypedResponse<JSONParsed<T>, S, 'json'>;
}
