/**
 * Named errors with a stable code and the JSON path of every issue. `server/` maps them to
 * RFC 9457 problem documents; the command line prints them as such.
 */
import type { z } from 'zod';

export interface Issue {
  /** JSON path of the offending value, e.g. `$.request.profile` or `$.parameters['crisis.maxDays']`. */
  path: string;
  message: string;
  code: string;
}

/** `['request', 'profile']` → `$.request.profile`; odd keys are bracketed: `$.parameters['a.b']`. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  return (
    '$' +
    segments
      .map((s) =>
        typeof s === 'number'
          ? `[${s}]`
          : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(s))
            ? `.${String(s)}`
            : `['${String(s)}']`,
      )
      .join('')
  );
}

type ZodIssue = z.core.$ZodIssue;

/**
 * Flattens zod issues into one issue per invalid value. For a union that matched no branch, the
 * issues of the branch that came closest (fewest issues) are reported, so a case with a profile
 * request is not told about the fields of a product request.
 */
export function issuesFromZod(error: { issues: readonly ZodIssue[] }, prefix: readonly PropertyKey[] = []): Issue[] {
  const out: Issue[] = [];
  for (const issue of error.issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const best = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      out.push(...issuesFromZod({ issues: best }, path));
    } else if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ path: jsonPath([...path, key]), message: `Onbekend veld "${key}".`, code: 'unrecognized_key' });
      }
    } else {
      out.push({ path: jsonPath(path), message: issue.message, code: issue.code });
    }
  }
  return out;
}

/**
 * Base class: every error the engine (and the services built on it) raises on purpose carries a
 * stable code and the JSON path of each issue. `details` are the few fields a caller needs to act
 * on the error (the current ETag of a draft someone else saved); the server answers them as they
 * are, so nothing else belongs there.
 */
export class EngineError extends Error {
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details ?? {};
  }
}

/** A case that does not fit the schema or names something the rule sets do not know. */
export class CaseValidationError extends EngineError {
  constructor(issues: Issue[]) {
    super('INVALID_CASE', 'De casus is niet geldig.', issues);
  }
}

/** A rule set document that does not fit the schema, or is sent for another rule set than its own. */
export class RuleSetValidationError extends EngineError {
  constructor(message: string, issues: Issue[]) {
    super('INVALID_RULE_SET', message, issues);
  }
}

/** A rule set file in `rules/` that does not fit the schema. */
export class RuleSetFileError extends RuleSetValidationError {
  constructor(
    readonly file: string,
    issues: Issue[],
  ) {
    const { issues: listed, omitted } = limitIssues(issues, 10);
    const rest = omitted > 0 ? `; en nog ${omitted}` : '';
    super(`Regelset ${file} is niet geldig: ${listed.map((i) => `${i.path}: ${i.message}`).join('; ')}${rest}`, issues);
  }
}

/**
 * Rule sets that cannot be composed: an overlay outside its region's bounds, overlapping versions,
 * a valid-from date before the latest version (`VALID_FROM_TOO_EARLY`), a candidate of a rule set
 * the case is not decided by (`VERSION_NOT_APPLICABLE`), …
 */
export class CompositionError extends EngineError {
  constructor(code: string, message: string, issues: Issue[] = []) {
    super(code, message, issues);
  }
}

/**
 * A rule set the compiled backend cannot translate with json-rules-engine's exact meaning (an
 * operator or condition shape it does not know). Refusing is the only safe answer: a caller falls
 * back to the reference backend (`fallbackBackend` in decide.ts) rather than decide differently.
 */
export class CompilationError extends EngineError {
  constructor(message: string, issues: Issue[] = []) {
    super('COMPILATION_UNSUPPORTED', message, issues);
  }
}

/** A problem document lists at most this many issues, and counts the rest (`omittedIssues`). */
export const MAX_ISSUES = 50;
/** Paths and messages longer than this are cut (a key or a value may be long; the document stays small). */
const MAX_ISSUE_TEXT = 300;

const cut = (text: string) => (text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text);

/**
 * The issues a problem document lists: the first `max`, each with its path and message cut to a
 * few hundred characters, and how many were left out. Every problem document (the server's and
 * the command line's) goes through here, so its size is bounded whatever the input was.
 */
export function limitIssues(issues: readonly Issue[], max = MAX_ISSUES): { issues: Issue[]; omitted: number } {
  return {
    issues: issues.slice(0, max).map((i) => ({ path: cut(i.path), message: cut(i.message), code: cut(i.code) })),
    omitted: Math.max(0, issues.length - max),
  };
}

/**
 * The fields of a problem document that describe its issues: `detail` (one line per issue, or
 * `fallback` when there are none), `issues` (at most `MAX_ISSUES`) and, when some were left out,
 * `omittedIssues` with their number.
 */
export function problemIssues(all: readonly Issue[], fallback: string) {
  const { issues, omitted } = limitIssues(all);
  const lines = issues.map((i) => `${i.path}: ${i.message}`);
  if (omitted > 0) lines.push(`… en nog ${omitted} ${omitted === 1 ? 'probleem' : 'problemen'}.`);
  return {
    detail: lines.join('\n') || fallback,
    issues,
    ...(omitted > 0 ? { omittedIssues: omitted } : {}),
  };
}

/**
 * An RFC 9457 problem document for a set of issues (at most `MAX_ISSUES`, with the count of the
 * rest): the fields every problem has, whoever raised it (an engine error, or one the server's
 * HTTP layer raises with the same three fields).
 */
export function problemDocument(error: Pick<EngineError, 'code' | 'message' | 'issues'>, status = 400) {
  return {
    type: `https://jeugdzorg-regels.nl/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
    title: error.message,
    status,
    code: error.code,
    ...problemIssues(error.issues, error.message),
  };
}
