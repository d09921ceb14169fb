/**
 * One line of a batch (NDJSON: one case a line), decided: the part the server's batch workers and
 * the command line's `--batch` share, so that both answer a line the same way. A bad line gives
 * an RFC 9457 problem for that line alone (bounded to `MAX_ISSUES` issues with their JSON paths);
 * it never stops the batch.
 */
import type { EffectiveRuleSet } from './compose.js';
import type { DecisionEngine } from './decide.js';
import { CaseValidationError, EngineError, problemDocument } from './errors.js';
import type { Case, Decision } from './schema.js';

/** A problem document for one line (`problemDocument` of the error). */
export type LineProblem = ReturnType<typeof problemDocument>;

export type LineOutcome =
  | {
      ok: true;
      /** The case as received (the log keeps it so, as a single evaluation does). */
      input: Case;
      case: Case;
      effective: EffectiveRuleSet;
      decision: Decision;
    }
  | { ok: false; problem: LineProblem };

/**
 * Parses and decides one line. `refuse` may veto the versions chosen for the case (the server
 * refuses versions changed after publishing); its error becomes the line's problem.
 *
 * @example
 *   const out = await decideLine(engine, '{"type":"allocation",…}');
 *   if (!out.ok) console.log(out.problem.code); // INVALID_JSON, INVALID_CASE, …
 */
export async function decideLine(
  engine: DecisionEngine,
  text: string,
  refuse?: (effective: EffectiveRuleSet) => EngineError | undefined,
  /** `false`: no trace is built (`trace: []`), as when neither the answer nor the log shows it. */
  options: { trace?: boolean } = {},
): Promise<LineOutcome> {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (cause) {
    // the code a single evaluation answers a body that is not JSON with
    return problemOf(
      new EngineError('INVALID_JSON', 'De regel is geen geldige JSON.', [
        { path: '$', message: (cause as Error).message, code: 'INVALID_JSON' },
      ]),
    );
  }
  const validation = engine.validate(input);
  if (!validation.ok) return problemOf(new CaseValidationError(validation.issues));
  const refused = refuse?.(validation.effective);
  if (refused) return problemOf(refused, 500);
  try {
    const decision = await engine.decideWith(validation.case, validation.effective, options);
    return { ok: true, input: input as Case, case: validation.case, effective: validation.effective, decision };
  } catch (error) {
    if (error instanceof EngineError) return problemOf(error, 422);
    throw error;
  }
}

const problemOf = (error: EngineError, status = 400): LineOutcome => ({
  ok: false,
  problem: problemDocument(error, status),
});

/**
 * The JSON text of each member of a decision, in the decision's own order (a member that is
 * undefined has none, as `JSON.stringify` leaves it out; the trace only when asked for): what a
 * caller that writes the decision more than one way — a batch answers it whole and logs it
 * compact — serialises once. The members decisions share are written once for all of them.
 */
export type DecisionMembers = Partial<Record<keyof Decision, string>>;

/**
 * The JSON text of values that decisions share, by identity: a rule's reason (one frozen object
 * per rule, `reasonOf` in decide.ts) and a composition's rule sets (one list per
 * `EffectiveRuleSet`). The reasons' messages are most of a decision's text without its trace, and
 * `JSON.stringify` reads every character of them again for each decision. Weak: a text goes with
 * its rule set's compiled rules.
 */
const sharedTexts = new WeakMap<object, string>();
function sharedJson(value: object): string {
  let text = sharedTexts.get(value);
  if (text === undefined) sharedTexts.set(value, (text = JSON.stringify(value)));
  return text;
}

/** `decisionMembers`' text of one member. */
function memberJson(key: keyof Decision, value: Decision[keyof Decision]): string {
  if (key === 'ruleSets') return sharedJson(value as Decision['ruleSets']);
  if (key === 'reasons') {
    let text = '';
    for (const reason of value as Decision['reasons']) text += `,${sharedJson(reason)}`;
    return `[${text.slice(1)}]`;
  }
  return JSON.stringify(value);
}

/**
 * @example
 *   const members = decisionMembers(decision, false);
 *   members.tariff; // '{"totalCents":…}' or 'null', as JSON.stringify(decision.tariff)
 */
export function decisionMembers(decision: Decision, trace: boolean): DecisionMembers {
  const members: DecisionMembers = {};
  // the decision's own keys, in its order (the order JSON.stringify writes them in)
  for (const key of Object.keys(decision) as (keyof Decision)[]) {
    const value = decision[key];
    if (value !== undefined && (trace || key !== 'trace')) members[key] = memberJson(key, value);
  }
  return members;
}

/**
 * A decision as a batch answers it, as JSON text without its opening brace, so that the caller
 * puts `{"line":n,"id":…,` before it: the trace only when asked for (it is most of a decision's
 * bytes), every other field in the decision's own order — `JSON.stringify` of it, byte for byte
 * (test/decision-text.test.ts). From the members when the caller has them already.
 */
export function decisionTail(decision: Decision, trace: boolean, members = decisionMembers(decision, trace)): string {
  let tail = '';
  // the keys are the schema's own names: nothing in them to escape
  for (const key in members) tail += `,"${key}":${members[key as keyof Decision]}`;
  return `${tail.slice(1)}}`;
}
