/** Parsing request bodies and queries with the engine's zod schemas, failing as problem documents. */
import type { Context } from 'hono';
import type { z } from 'zod';
import { issuesFromZod } from '../engine/index.js';
import { ProblemError } from './problems.js';

/** Deeper than any real case or rule set (conditions nest a few levels): refused before validating. */
export const MAX_JSON_DEPTH = 32;

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

/** The JSON body, or a 400 problem naming `$` when it is not JSON or nests too deeply. */
export async function jsonBody(c: Context): Promise<unknown> {
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

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code = 'INVALID_REQUEST',
  status: 400 | 422 = 400,
): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ProblemError(status, code, 'Het verzoek is niet geldig.', issuesFromZod(parsed.error));
  return parsed.data;
}

/** Query parameters, with issue paths under `$.query`. */
export function parseQuery<S extends z.ZodType>(schema: S, c: Context): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success)
    throw new ProblemError(
      400,
      'INVALID_QUERY',
      'De queryparameters zijn niet geldig.',
      issuesFromZod(parsed.error, ['query']),
    );
  return parsed.data;
}
