/**
 * Reading requests: JSON bodies with a depth limit, and zod validation failures as problem
 * documents (query, path and body alike), so every route declared with `createRoute` answers
 * invalid input the same way.
 */
import type { Hook } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import type { z } from 'zod';
import { CaseValidationError, issuesFromZod, type Issue } from '../engine/index.js';
import { ProblemError } from './problems.js';

/** Deeper than any real case or rule set (conditions nest a few levels): refused before validating. */
export const MAX_JSON_DEPTH = 32;

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's JSON body as parsed, before validation (see `jsonBody`). */
    json: unknown;
  }
}

/** How deeply a parsed JSON value nests, counted without recursion. */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) max = depth;
    if (max > MAX_JSON_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Whether a Content-Type header names JSON: `application/json`, with parameters such as a charset
 * or not. Anything else — none at all, `text/plain`, a form — is not what a route with a JSON body
 * takes: those are the types a browser may send from any page without asking (a "simple" request).
 */
export function isJsonMediaType(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/**
 * The body parsed as JSON, or a 415 problem unless it says it is `application/json`, or a 400
 * problem naming `$` when it is not JSON or nests too deeply.
 */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type');
  if (!isJsonMediaType(type))
    throw new ProblemError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      `Stuur de body als application/json${type ? `, niet als ${type.slice(0, 100)}` : ' (Content-Type ontbreekt)'}.`,
      [{ path: '$', message: 'Content-Type: application/json', code: 'UNSUPPORTED_MEDIA_TYPE' }],
    );
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ProblemError(400, 'INVALID_JSON', 'De body is geen geldige JSON.', [
      { path: '$', message: String((cause as Error).message), code: 'INVALID_JSON' },
    ]);
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new ProblemError(400, 'JSON_TOO_DEEP', `De body is dieper genest dan ${MAX_JSON_DEPTH} niveaus.`, [
      { path: '$', message: `Meer dan ${MAX_JSON_DEPTH} niveaus.`, code: 'JSON_TOO_DEEP' },
    ]);
  }
  return value;
}

type ValidationResult = { target: keyof ValidationTargets } & (
  { success: true; data: unknown } | { success: false; error: z.ZodError }
);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the shape OpenAPIHono's routes accept for any input
type AnyHook = Hook<any, any, any, any>;

/**
 * A validation hook that throws the problem for a failed validation: INVALID_QUERY with paths
 * under `$.query`, 404 for a path parameter that cannot name anything, and `onBody` for the body
 * (by default INVALID_REQUEST, 400, with paths from `$`).
 */
export function problemHook(onBody: (issues: Issue[]) => Error = invalidRequest) {
  return (result: ValidationResult): undefined => {
    if (result.success) return undefined;
    switch (result.target) {
      case 'query':
        throw new ProblemError(
          400,
          'INVALID_QUERY',
          'De queryparameters zijn niet geldig.',
          issuesFromZod(result.error, ['query']),
        );
      case 'param':
        throw new ProblemError(404, 'NOT_FOUND', 'Dit adres bestaat niet.', issuesFromZod(result.error, ['params']));
      default:
        throw onBody(issuesFromZod(result.error));
    }
  };
}

const invalidRequest = (issues: Issue[]) =>
  new ProblemError(400, 'INVALID_REQUEST', 'Het verzoek is niet geldig.', issues);

/** A body that is not a case: INVALID_CASE (400), as the engine's own validation answers. */
export const invalidCase = (issues: Issue[]) => new CaseValidationError(issues);
/** A body that is not a rule set (drafts, imports): INVALID_RULE_SET (422), as the service answers. */
export const invalidRuleSet = (issues: Issue[]) =>
  new ProblemError(422, 'INVALID_RULE_SET', 'De regelset is niet geldig.', issues);

/**
 * Middleware that reads the JSON body (`readJson`), validates it with `schema` and hands the
 * result to `hook` as @hono/zod-openapi's own validator would; the handler reads it with
 * `c.req.valid('json')`, and the body as received with `c.get('json')`.
 */
export function jsonBody(schema: z.ZodType, hook: AnyHook): MiddlewareHandler {
  return async (c, next) => {
    const value = await readJson(c);
    c.set('json', value);
    const parsed = schema.safeParse(value);
    const answer: unknown = await hook(
      parsed.success
        ? { target: 'json', success: true, data: parsed.data }
        : { target: 'json', success: false, error: parsed.error },
      c,
    );
    if (answer instanceof Response) return answer;
    if (!parsed.success) throw new ProblemError(400, 'INVALID_REQUEST', 'Het verzoek is niet geldig.');
    c.req.addValidatedData('json', parsed.data as object);
    await next();
  };
}
