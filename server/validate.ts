/** Parsing request bodies and queries with the engine's zod schemas, failing as problem documents. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { issuesFromZod } from '../engine/errors.js';
import { ProblemError } from './problems.js';

/** The JSON body, or a 400 problem naming `$` when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ProblemError(400, 'INVALID_JSON', 'De body is geen geldige JSON.', [{ path: '$', message: String((cause as Error).message), code: 'INVALID_JSON' }]);
  }
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, code = 'INVALID_REQUEST', status: 400 | 422 = 400): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProblemError(status, code, 'Het verzoek is niet geldig.', issuesFromZod(parsed.error));
  return parsed.data;
}

/** Query parameters, with issue paths under `$.query`. */
export function parseQuery<S extends z.ZodType>(schema: S, c: Context): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw new ProblemError(400, 'INVALID_QUERY', 'De queryparameters zijn niet geldig.', issuesFromZod(parsed.error, ['query']));
  return parsed.data;
}
