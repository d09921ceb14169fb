/**
 * RFC 9457 problem documents. Every error the API answers is one of these, with a stable `code`,
 * a `type` URI built from it, and the JSON path of every invalid field: at most 50 (`MAX_ISSUES`),
 * with the number of the rest in `omittedIssues`. Unknown errors are logged
 * and answered 500 without internals.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  CaseValidationError,
  CompilationError,
  CompositionError,
  EngineError,
  problemDocument,
  RuleSetValidationError,
  type Issue,
} from '../engine/index.js';
import {
  AnalysisFailedError,
  ConflictError,
  IncompleteRequestError,
  IntegrityError,
  InvalidRequestError,
  NotAllowedError,
  NotFoundError,
  PreconditionRequiredError,
  StateConflictError,
  TooManyJobsError,
} from './errors.js';

/** An error the HTTP layer itself raises (authentication, request parsing, routing) with its status. */
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

type ErrorClass = abstract new (...args: never[]) => EngineError;

/**
 * The one place a domain error becomes an HTTP status: the engine's and the service's error
 * classes (first match wins, so a subclass comes before its base) and the codes each carries.
 */
const STATUS_OF: readonly (readonly [ErrorClass, ContentfulStatusCode])[] = [
  // INVALID_CASE, with issues such as NO_RULE_SET_IN_FORCE or UNKNOWN_PRODUCT at their paths
  [CaseValidationError, 400],
  // INVALID_QUERY
  [InvalidRequestError, 400],
  // VERSION_NOT_FOUND, DRAFT_NOT_FOUND, DECISION_NOT_FOUND, TEST_CASE_NOT_FOUND, IMPACT_JOB_NOT_FOUND,
  // UNKNOWN_MUNICIPALITY, NO_RULE_SET_IN_FORCE
  [NotFoundError, 404],
  // DRAFT_CHANGED: the If-Match precondition failed
  [ConflictError, 412],
  // DRAFT_AWAITING_APPROVAL, DRAFT_NOT_SUBMITTED, APPROVAL_REQUIRED
  [StateConflictError, 409],
  // FOUR_EYES_REQUIRED
  [NotAllowedError, 403],
  // ANALYSIS_FAILED (error findings, failing test cases)
  [AnalysisFailedError, 422],
  // PRECONDITION_REQUIRED
  [PreconditionRequiredError, 428],
  // CHANGES_MISSING
  [IncompleteRequestError, 422],
  // INVALID_RULE_SET (a rule set file or a draft's document)
  [RuleSetValidationError, 422],
  // VALID_FROM_TOO_EARLY, VERSION_NOT_APPLICABLE, PARAMETER_OUT_OF_RANGE, PARAMETER_NOT_OVERRIDABLE,
  // RULE_NOT_SWITCHABLE, OVERLAY_REGION_MISMATCH, DUPLICATE_VERSION, VALID_FROM_NOT_AFTER_PREVIOUS, …
  [CompositionError, 422],
  // COMPILATION_UNSUPPORTED
  [CompilationError, 422],
  // TOO_MANY_JOBS (with Retry-After)
  [TooManyJobsError, 429],
  // VERSION_TAMPERED, DECISION_NOT_REPRODUCIBLE: stored data changed behind the service's back
  [IntegrityError, 500],
  // any other error raised on purpose
  [EngineError, 422],
];

/** The HTTP status a domain error is answered with. */
export function statusOf(error: EngineError): ContentfulStatusCode {
  return STATUS_OF.find(([type]) => error instanceof type)![1];
}

/**
 * The problem document of an error raised on purpose, without the request it answers: its
 * status (a domain error's by `statusOf`, a `ProblemError`'s its own), its code with the type URI
 * made from it, its issues, and the few extra fields the caller acts on. `onError` answers it with
 * the request's path as `instance`; a batch answers a line, or its breaking off, with it as it is
 * (the line number says where).
 */
export function problemOf(error: ProblemError | EngineError) {
  return {
    ...problemDocument(error, answeredWith(error)),
    ...(error instanceof ProblemError ? error.extra : error.details),
  };
}

const answeredWith = (error: ProblemError | EngineError) =>
  error instanceof ProblemError ? error.status : statusOf(error);

/** The answer to a request that raised `error`: its problem document, naming the request's path. */
function problemJson(c: Context, error: ProblemError | EngineError) {
  return c.body(JSON.stringify({ ...problemOf(error), instance: c.req.path }), answeredWith(error), {
    'Content-Type': 'application/problem+json',
  });
}

export function onError(error: Error, c: Context) {
  if (error instanceof TooManyJobsError) c.header('Retry-After', String(error.retryAfterSeconds));
  if (error instanceof ProblemError || error instanceof EngineError) return problemJson(c, error);
  // the database stayed busy beyond its timeout (another connection writing): not our fault, retry
  const sqliteCode = String((error as { code?: unknown }).code ?? '');
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) {
    c.header('Retry-After', '1');
    return problemJson(c, new ProblemError(503, 'DATABASE_BUSY', 'De database is even bezet. Probeer het zo opnieuw.'));
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : `HTTP_${status}`;
    return problemJson(c, new ProblemError(status, code, error.message || 'Request refused.'));
  }
  console.error(error);
  return problemJson(c, internalError('Er ging iets mis aan onze kant. Probeer het later opnieuw.'));
}

/** An error of ours (500 `INTERNAL_ERROR`), told without its internals: `title` says what it meant. */
export const internalError = (title: string) => new ProblemError(500, 'INTERNAL_ERROR', title);
