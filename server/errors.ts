/**
 * The service's own errors: coded domain errors, no HTTP. `problems.ts` maps each class to its
 * status in one table. Codes in use: see each class.
 */
import { EngineError, type Issue } from '../engine/index.js';

/**
 * Something asked for by id that does not exist: `VERSION_NOT_FOUND`, `DRAFT_NOT_FOUND`,
 * `DECISION_NOT_FOUND`, `TEST_CASE_NOT_FOUND`, `IMPACT_JOB_NOT_FOUND`, `UNKNOWN_MUNICIPALITY`,
 * `NO_RULE_SET_IN_FORCE` (no version to show for a municipality on a date).
 */
export class NotFoundError extends EngineError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/**
 * A write that would overwrite someone else's: `DRAFT_CHANGED` (the If-Match ETag is not the
 * draft's). `details` say who saved it last, and its ETag now.
 */
export class ConflictError extends EngineError {
  constructor(code: string, message: string, details: Record<string, unknown>) {
    super(code, message, [], { details });
  }
}

/**
 * A write sent without the precondition that guards it: `PRECONDITION_REQUIRED` (no If-Match).
 * `details` carry the current ETag.
 */
export class PreconditionRequiredError extends EngineError {
  constructor(code: string, message: string, details: Record<string, unknown>) {
    super(code, message, [], { details });
  }
}

/** A request the service cannot read: `INVALID_QUERY` (e.g. a diff side that is neither a version nor a draft). */
export class InvalidRequestError extends EngineError {
  constructor(code: string, message: string, issues: Issue[] = []) {
    super(code, message, issues);
  }
}

/**
 * A request that is well-formed but misses something the service needs to act on it:
 * `CHANGES_MISSING` (publishing without a change note in the request or the draft).
 */
export class IncompleteRequestError extends EngineError {
  constructor(code: string, message: string, issues: Issue[] = []) {
    super(code, message, issues);
  }
}

/**
 * Stored data that no longer is what was recorded: `VERSION_TAMPERED` (a published version's
 * document does not match its content hash; the service decides nothing with it),
 * `DECISION_NOT_REPRODUCIBLE` (a compact log entry, decided again with its recorded versions by
 * the engine version that made it, gives another outcome, reasons, tariff, illustrative values or
 * municipality code than the entry holds).
 */
export class IntegrityError extends EngineError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, [], { details });
  }
}

/** A published version changed after publishing: the server decides nothing with it. */
export function versionTamperedError(ref: { id: string; version: number }): IntegrityError {
  return new IntegrityError(
    'VERSION_TAMPERED',
    `Versie ${ref.version} van ${ref.id} is na publicatie gewijzigd (het document past niet meer bij zijn inhoudshash); de server beslist er niet mee. Herstel de database uit een backup en controleer het logboek.`,
    { ruleSet: ref.id, version: ref.version },
  );
}

/**
 * Too many long jobs at once: `TOO_MANY_JOBS` (impact analysis, per user or in all). Try again
 * after `retryAfterSeconds`.
 */
export class TooManyJobsError extends EngineError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, message, [], { details: { retryAfterSeconds } });
  }
}

/**
 * A request the draft's or the service's state does not allow now: `DRAFT_AWAITING_APPROVAL`
 * (changing a submitted draft), `DRAFT_NOT_SUBMITTED` (approving or rejecting a draft that
 * waits for nobody), `APPROVAL_REQUIRED` (publishing directly while four eyes are on).
 */
export class StateConflictError extends EngineError {
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message, [], { details });
  }
}

/** Something the caller may do in general but not here: `FOUR_EYES_REQUIRED` (approving one's own submission). */
export class NotAllowedError extends EngineError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

/**
 * A draft that may not be submitted: `ANALYSIS_FAILED` (an error finding of the static analysis,
 * or a failing test case). `issues` name each; `details` carry the findings and failed tests.
 */
export class AnalysisFailedError extends EngineError {
  constructor(code: string, message: string, issues: Issue[], details: Record<string, unknown>) {
    super(code, message, issues, { details });
  }
}

/**
 * `VERSION_EXISTS`: a version number that is published already — two publishes of the same rule
 * set at once (on one node or two); the database's key refuses the second, whichever store it is.
 */
export class VersionExistsError extends StateConflictError {
  constructor(ruleSetId: string, version: number) {
    super(
      'VERSION_EXISTS',
      `Versie ${version} van regelset ${ruleSetId} is zojuist al gepubliceerd. Laad de regelset opnieuw en probeer het nog eens.`,
      {
        ruleSet: ruleSetId,
        version,
      },
    );
  }
}
