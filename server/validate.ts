/**
 * Reading requests: JSON bodies with a depth limit, and zod validation failures as problem
 * documents (query, path and body alike), so every route declared with `createRoute` answers
 * invalid input the same way.
 */
import type { Hook } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler, ValidationTargets } from 'hono';
import { config as zodConfig, core as zodCore, ZodError, type z } from 'zod';
import { CaseValidationError, issuesFromZod, type Issue } from '../engine/index.js';
import { ProblemError } from './problems.js';

/** Deeper than any real case or rule set (conditions nest a few levels): refused before validating. */
export const MAX_JSON_DEPTH = 32;

/**
 * Ceilings on any body, above every bound the schemas set (the largest list a schema allows has
 * 1,000 elements, the longest text 10,000 characters, the largest record 500 entries): a body
 * beyond them is refused in one walk, before validation, so that the work one request causes is
 * bounded by these numbers rather than by what it sends. The schemas' own bounds then give the
 * precise issue.
 */
export const JSON_CEILINGS = { arrayItems: 1000, stringLength: 100_000, objectKeys: 1000 } as const;

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's JSON body as parsed, before validation (see `jsonBody`). */
    json: unknown;
  }
}

/** A value met while walking a body: its depth, and its parent and key to spell its path. */
interface Visit {
  value: unknown;
  depth: number;
  parent: Visit | undefined;
  key: PropertyKey;
}

const pathOf = (visit: Visit): PropertyKey[] => {
  const path: PropertyKey[] = [];
  for (let v: Visit | undefined = visit; v?.parent !== undefined; v = v.parent) path.unshift(v.key);
  return path;
};

const tooBig = (visit: Visit, origin: 'array' | 'string' | 'object', maximum: number, message: string) =>
  ({
    code: 'too_big',
    origin,
    maximum,
    inclusive: true,
    path: pathOf(visit),
    message,
    input: undefined,
  }) as z.core.$ZodIssue;

/**
 * What is wrong with the shape of a parsed body, found in one walk without recursion that stops
 * at the first finding: it nests deeper than `MAX_JSON_DEPTH` (`'too-deep'`), or a list has more
 * elements, a text (or a key) more characters, an object more keys than `JSON_CEILINGS` allow (the
 * first such place, as a zod `too_big` issue, so that the route's validation hook answers it as it
 * answers the schema's own bounds: a case INVALID_CASE 400, a rule set INVALID_RULE_SET 422). A
 * list's length is looked at before its elements, so an over-long list costs nothing to refuse.
 * Otherwise, the number of values in the body (objects, lists, texts, numbers, …).
 */
export function inspectJson(value: unknown): 'too-deep' | z.core.$ZodIssue | number {
  const { arrayItems, stringLength, objectKeys } = JSON_CEILINGS;
  const stack: Visit[] = [{ value, depth: 1, parent: undefined, key: '' }];
  let values = 0;
  while (stack.length > 0) {
    const visit = stack.pop()!;
    values += 1;
    const v = visit.value;
    if (typeof v === 'string') {
      if (v.length > stringLength)
        return tooBig(visit, 'string', stringLength, `Gebruik hoogstens ${stringLength} tekens.`);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (visit.depth > MAX_JSON_DEPTH) return 'too-deep';
    const depth = visit.depth + 1;
    if (Array.isArray(v)) {
      if (v.length > arrayItems) return tooBig(visit, 'array', arrayItems, `Geef hoogstens ${arrayItems} elementen.`);
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: visit, key: i });
    } else {
      const keys = Object.keys(v);
      if (keys.length > objectKeys) return tooBig(visit, 'object', objectKeys, `Geef hoogstens ${objectKeys} velden.`);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        if (key.length > stringLength)
          return tooBig(visit, 'object', stringLength, `Gebruik veldnamen van hoogstens ${stringLength} tekens.`);
        stack.push({ value: (v as Record<string, unknown>)[key], depth, parent: visit, key });
      }
    }
  }
  return values;
}

/**
 * The media type a Content-Type header names, in lower case and without its parameters (a
 * charset): `application/json; charset=UTF-8` → `application/json`; `''` without a header.
 * Media types are case-insensitive (RFC 9110 §8.3.1), so this is what a route compares.
 */
export function mediaTypeOf(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Whether a Content-Type header names `type` (lower case), with parameters such as a charset or
 * not. For a JSON body anything else — none at all, `text/plain`, a form — is refused: those are
 * the types a browser may send from any page without asking (a "simple" request).
 *
 * @example
 *   hasMediaType('application/x-ndjson; charset=utf-8', 'application/x-ndjson'); // true
 */
export function hasMediaType(header: string | undefined, type: string): boolean {
  return mediaTypeOf(header) === type;
}

/**
 * The body parsed as JSON, or a 415 problem unless it says it is `application/json`, or a 400
 * problem naming `$` when it is not JSON or nests too deeply. Also returns the first place where
 * it exceeds a ceiling (`inspectJson`), for the route to refuse as invalid.
 */
export async function readJson(
  c: Context,
): Promise<{ value: unknown; values: number; tooLarge: z.core.$ZodIssue | undefined }> {
  const type = c.req.header('content-type');
  if (!hasMediaType(type, 'application/json'))
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
  const found = inspectJson(value);
  if (found === 'too-deep') {
    throw new ProblemError(400, 'JSON_TOO_DEEP', `De body is dieper genest dan ${MAX_JSON_DEPTH} niveaus.`, [
      { path: '$', message: `Meer dan ${MAX_JSON_DEPTH} niveaus.`, code: 'JSON_TOO_DEEP' },
    ]);
  }
  return typeof found === 'number'
    ? { value, values: found, tooLarge: undefined }
    : { value, values: Number.POSITIVE_INFINITY, tooLarge: found };
}

/**
 * Bodies of up to this many values are validated in full, every issue found (the largest rule set
 * in rules/ has about 1,000 values). A larger body is validated in full only when it is valid;
 * when it is not, validation stops at its first issue. Zod's work for an invalid value is far
 * larger than for a valid one (a condition that fits no branch of the union is tried against
 * each), so a body of a hundred thousand invalid conditions would take seconds to report in full.
 */
export const FULL_REPORT_VALUES = 2500;

/**
 * `schema.safeParse(value)`, with bounded work when the body is large and invalid: then the issues
 * are those up to the first, found with zod's abort-early mode (the one `schema.validate` uses),
 * and an issue at `$` says that validation stopped there.
 */
export function parseBounded(schema: z.ZodType, value: unknown, values: number) {
  if (values <= FULL_REPORT_VALUES) return schema.safeParse(value);
  // zod 4's run with abortEarly: a container stops at its first invalid child
  const payload = schema._zod.run({ value, issues: [] }, { async: false, abortEarly: true });
  if (payload instanceof Promise || payload.issues.length === 0) return schema.safeParse(value);
  const config = zodConfig();
  const first = payload.issues.map((issue) => zodCore.util.finalizeIssue(issue, { abortEarly: true }, config));
  const stopped = {
    code: 'custom',
    path: [],
    message: `De body is groot (${values} waarden, meer dan ${FULL_REPORT_VALUES}): de validatie stopte bij het eerste probleem.`,
    input: undefined,
  } as z.core.$ZodIssue;
  return { success: false as const, error: new ZodError([...first, stopped]) };
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
 *
 * With `accepts`, a check that accepts exactly what `schema` accepts (held so by a differential
 * test, as the engine's generated case validator is), a body it accepts goes on unparsed: the
 * handler reads it with `c.get('json')` only, and validates it itself — a logged evaluation's
 * case is validated once, by the engine, instead of by zod here and the engine again. A body it
 * refuses is validated by `schema` as any other, so its problem is the same.
 */
export function jsonBody(schema: z.ZodType, hook: AnyHook, accepts?: (value: unknown) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const { value, values, tooLarge } = await readJson(c);
    c.set('json', value);
    if (!tooLarge && accepts?.(value)) return next();
    const parsed = tooLarge
      ? { success: false as const, error: new ZodError([tooLarge]) }
      : parseBounded(schema, value, values);
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
