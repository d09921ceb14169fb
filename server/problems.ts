/**
 * RFC 9457 problem documents. Every error the API answers is one of these, with a stable `code`,
 * a `type` URI built from it, and the JSON path of every invalid field. Unknown errors are logged
 * and answered 500 without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { CaseValidationError, CompositionError, EngineError, type Issue } from '../engine/errors.js';

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ProblemError';
  }
}

const ENGINE_STATUS: Record<string, ContentfulStatusCode> = {
  INVALID_CASE: 400,
  INVALID_RULE_SET: 422,
};

export function problemJson(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  title: string,
  issues: Issue[] = [],
  extra: Record<string, unknown> = {},
) {
  return c.body(
    JSON.stringify({
      type: `https://jeugdzorg-regels.nl/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status,
      code,
      detail: issues.length > 0 ? issues.map((i) => `${i.path}: ${i.message}`).join('\n') : title,
      instance: c.req.path,
      issues,
      ...extra,
    }),
    status,
    { 'Content-Type': 'application/problem+json' },
  );
}

export function onError(error: Error, c: Context) {
  if (error instanceof ProblemError)
    return problemJson(c, error.status, error.code, error.message, error.issues, error.extra);
  if (error instanceof CaseValidationError) return problemJson(c, 400, error.code, error.message, error.issues);
  if (error instanceof CompositionError) return problemJson(c, 422, error.code, error.message, error.issues);
  if (error instanceof EngineError)
    return problemJson(c, ENGINE_STATUS[error.code] ?? 422, error.code, error.message, error.issues);
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : `HTTP_${status}`;
    return problemJson(c, status, code, error.message || 'Request refused.');
  }
  console.error(error);
  return problemJson(c, 500, 'INTERNAL_ERROR', 'Er ging iets mis aan onze kant. Probeer het later opnieuw.');
}
