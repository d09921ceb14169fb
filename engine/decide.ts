/**
 * The decision engine: validate a case, resolve the rule set versions in force on its reference
 * date, derive facts, evaluate the rules through a backend and build the contract's decision.
 * Pure and deterministic: the same case and the same versions give the same decision, byte for
 * byte.
 *
 * @example
 *   const engine = new DecisionEngine(loadRepository('rules'));
 *   const decision = await engine.decide(JSON.parse(text)); // throws CaseValidationError
 */
import type { CompiledRuleSet, EvaluationBackend, TraceText } from './backend.js';
import { compiledBackend } from './backends/compiled.js';
import { jsonRulesEngineBackend } from './backends/json-rules-engine.js';
import { LruCache } from './cache.js';
import { type EffectiveRuleSet, regionOf, type RuleSetRepository } from './compose.js';
import { CaseValidationError, CompilationError } from './errors.js';
import { deriveFacts, type Facts } from './facts.js';
import { illustrativeValues } from './illustrative.js';
import {
  type Case,
  type Decision,
  MUNICIPALITY_CBS,
  type Outcome,
  type Reason,
  type Rule,
  type RuleTrace,
} from './schema.js';
import { computeTariff } from './tariff.js';
import { validateCase, type ValidationResult } from './validate-case.js';
import { ENGINE_VERSION } from './version.js';

/** Any rejecting reason rejects; else any review reason asks for a person; else granted. */
export function outcomeOf(reasons: readonly Pick<Reason, 'effect'>[]): Outcome {
  if (reasons.some((r) => r.effect === 'reject')) return 'rejected';
  if (reasons.some((r) => r.effect === 'review')) return 'review';
  return 'granted';
}

/**
 * A backend that compiles with `primary` and, for a rule set `primary` refuses with a
 * CompilationError, with `fallback`; any other error is passed on. Silent on purpose: the
 * fallback decides the same, only slower.
 *
 * @example
 *   const engine = new DecisionEngine(repository, fallbackBackend(compiledBackend, jsonRulesEngineBackend));
 */
export function fallbackBackend(primary: EvaluationBackend, fallback: EvaluationBackend): EvaluationBackend {
  return {
    name: `${primary.name}, else ${fallback.name}`,
    compile(effective) {
      try {
        return primary.compile(effective);
      } catch (error) {
        if (error instanceof CompilationError) return fallback.compile(effective);
        throw error;
      }
    },
  };
}

/**
 * What the server decides with: the compiled backend, falling back to json-rules-engine for a rule
 * set the compiler refuses; both decide byte for byte the same.
 */
export const defaultBackend: EvaluationBackend = fallbackBackend(compiledBackend, jsonRulesEngineBackend);

/** The backends by name, for the command line's `--backend` and the tests that run on each. */
export const BACKENDS = {
  'json-rules-engine': jsonRulesEngineBackend,
  compiled: defaultBackend,
} as const satisfies Record<string, EvaluationBackend>;
export type BackendName = keyof typeof BACKENDS;

/** How many compiled rule sets an engine keeps by default: every composition in force and then some. */
export const COMPILED_CACHE_LIMIT = 128;

export interface DecisionEngineOptions {
  /** At most this many compiled rule sets are kept (least recently used go first). */
  cacheLimit?: number;
}

/** How to decide; every field may be left out. */
export interface DecideOptions {
  /**
   * Whether the decision carries the trace (every rule, every condition's values and results).
   * True when left out. False for callers that do not read it (a batch without `?trace=true`, a
   * log that stores no trace): the decision then has `trace: []` — the `Decision` schema still
   * holds — and is otherwise identical to the traced one (outcome, reasons, tariff, illustrative
   * values, versions, engine). The compiled backend then builds no trace at all;
   * json-rules-engine builds it and drops it.
   */
  trace?: boolean;
}

/** A decision and its JSON text, from `decideJson` / `decideWithJson`. */
export interface DecisionText {
  /** The decision without its trace (`trace: []`), as `{ trace: false }` gives it. */
  decision: Decision;
  /** The traced decision as JSON text: `JSON.stringify` of what `decide` gives, byte for byte. */
  json: string;
}

export class DecisionEngine {
  /**
   * Compiled rule sets by the composition's content key (the hashes of its versions): the one
   * cache of compiled rule sets, and bounded, because every draft tried on the test bench or in an
   * impact analysis adds a key that is seldom used again.
   */
  private readonly compiled: LruCache<string, CompiledRuleSet>;

  constructor(
    readonly repository: RuleSetRepository,
    readonly backend: EvaluationBackend = jsonRulesEngineBackend,
    options: DecisionEngineOptions | LruCache<string, CompiledRuleSet> = {},
  ) {
    this.compiled = options instanceof LruCache ? options : new LruCache(options.cacheLimit ?? COMPILED_CACHE_LIMIT);
  }

  /**
   * An engine over other versions (after a publish) with the same backend and the same cache:
   * keys are content hashes, so what was compiled stays right and need not be compiled again.
   */
  withRepository(repository: RuleSetRepository): DecisionEngine {
    return new DecisionEngine(repository, this.backend, this.compiled);
  }

  /** Whether the compiled rule set of a composition is kept (without counting as a use). */
  isCached(effective: EffectiveRuleSet): boolean {
    return this.compiled.has(effective.key);
  }

  /** How many compiled rule sets the engine keeps now, and at most. */
  cacheStats(): { size: number; limit: number } {
    return { size: this.compiled.size, limit: this.compiled.limit };
  }

  /** Checks a case against the schema and against what the rule sets in force know. */
  validate(input: unknown): ValidationResult {
    return validateCase(input, this.repository);
  }

  /**
   * Decides a case with the versions in force on its reference date. Without waiting on a promise
   * when the rule set evaluates synchronously (the compiled backend), so only json-rules-engine
   * pays for one.
   */
  decide(input: unknown, options?: DecideOptions): Promise<Decision> {
    try {
      const validation = this.validate(input);
      if (!validation.ok) throw new CaseValidationError(validation.issues);
      return this.decideWith(validation.case, validation.effective, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Decides a case without a promise: for callers on a fast path (batches, benchmarks) with a
   * backend that evaluates synchronously. Throws what `decide` rejects with, and an Error when the
   * case's rule set can only be evaluated asynchronously (json-rules-engine, or the compiled
   * backend's fallback to it); use `decide` there.
   */
  decideSync(input: unknown, options?: DecideOptions): Decision {
    const validation = this.validate(input);
    if (!validation.ok) throw new CaseValidationError(validation.issues);
    return this.decideWithSync(validation.case, validation.effective, options);
  }

  /** Decides a valid case with a given effective rule set (replay against a chosen version). */
  decideWith(c: Case, effective: EffectiveRuleSet, options?: DecideOptions): Promise<Decision> {
    try {
      const compiled = this.compile(effective);
      const traced = options?.trace !== false;
      const facts = deriveFacts(c, effective);
      if (!traced && compiled.firedSync) return Promise.resolve(untracedDecision(c, effective, compiled, facts));
      if (compiled.evaluateSync) {
        return Promise.resolve(tracedDecision(c, effective, compiled.evaluateSync(facts), traced));
      }
      return compiled.evaluate(facts).then((trace) => tracedDecision(c, effective, trace, traced));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * Decides a case and gives the traced decision as JSON text, with the decision itself without
   * its trace: for a caller that sends the text and keeps the rest (the service's evaluation,
   * whose log stores no trace). The compiled backend writes the trace as text without building
   * it; json-rules-engine builds it and it is serialised, to the same bytes.
   *
   * @example
   *   const { decision, json } = await engine.decideJson(input); // json === JSON.stringify(await engine.decide(input))
   */
  decideJson(input: unknown): Promise<DecisionText> {
    try {
      const validation = this.validate(input);
      if (!validation.ok) throw new CaseValidationError(validation.issues);
      return this.decideWithJson(validation.case, validation.effective);
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** `decideJson` for a valid case with a given effective rule set, as `decideWith`. */
  decideWithJson(c: Case, effective: EffectiveRuleSet): Promise<DecisionText> {
    try {
      const compiled = this.compile(effective);
      const facts = deriveFacts(c, effective);
      if (compiled.traceTextSync) return Promise.resolve(textDecision(c, effective, compiled.traceTextSync(facts)));
      if (compiled.evaluateSync) {
        return Promise.resolve(serialised(tracedDecision(c, effective, compiled.evaluateSync(facts), true)));
      }
      return compiled.evaluate(facts).then((trace) => serialised(tracedDecision(c, effective, trace, true)));
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** `decideWith` without a promise; throws as `decideSync` does. */
  decideWithSync(c: Case, effective: EffectiveRuleSet, options?: DecideOptions): Decision {
    const compiled = this.compile(effective);
    if (options?.trace === false && compiled.firedSync) {
      return untracedDecision(c, effective, compiled, deriveFacts(c, effective));
    }
    if (!compiled.evaluateSync) {
      throw new Error(`${this.backend.name} evalueert deze regelset alleen asynchroon: gebruik decide.`);
    }
    return tracedDecision(c, effective, compiled.evaluateSync(deriveFacts(c, effective)), options?.trace !== false);
  }

  /** The municipality's region, for callers that route or filter by region. */
  regionOf = regionOf;

  private compile(effective: EffectiveRuleSet): CompiledRuleSet {
    // get, then set: no closure made per decision for getOrSet
    let compiled = this.compiled.get(effective.key);
    if (compiled === undefined) this.compiled.set(effective.key, (compiled = this.backend.compile(effective)));
    return compiled;
  }
}

/** The decision from a rule set's trace, which it carries when `traced` (else `trace: []`). */
function tracedDecision(c: Case, effective: EffectiveRuleSet, trace: RuleTrace[], traced: boolean): Decision {
  return decisionOf(c, effective, firedRules(trace, effective), traced ? trace : []);
}

/**
 * The decision without a trace from a backend that lists the fired rules without building one.
 * A fresh empty trace each: a caller may add to its decision's list, as to a traced one.
 */
function untracedDecision(c: Case, effective: EffectiveRuleSet, compiled: CompiledRuleSet, facts: Facts): Decision {
  return decisionOf(c, effective, compiled.firedSync!(facts), []);
}

/**
 * The decision and its text from a trace written as text: the decision without it serialised,
 * and the trace put in place of its empty list — `trace` is the decision's last member, so the
 * text ends in `[]}`.
 */
function textDecision(c: Case, effective: EffectiveRuleSet, { fired, trace }: TraceText): DecisionText {
  const decision = decisionOf(c, effective, fired, []);
  const untraced = JSON.stringify(decision);
  return { decision, json: `${untraced.slice(0, -'[]}'.length)}${trace}}` };
}

/** A traced decision's text, and the decision without its trace. */
function serialised(traced: Decision): DecisionText {
  return { decision: { ...traced, trace: [] }, json: JSON.stringify(traced) };
}

/** The contract's decision from the rules that fired: the same for every backend. */
function decisionOf(c: Case, effective: EffectiveRuleSet, fired: Rule[], trace: RuleTrace[]): Decision {
  const reasons = fired.map(reasonOf);
  const outcome = outcomeOf(reasons);
  const tariff = outcome === 'rejected' ? null : computeTariff(c, effective);
  return {
    outcome,
    reasons,
    tariff,
    municipalityCode: MUNICIPALITY_CBS[c.municipality],
    ruleSets: effective.ruleSets,
    engine: { version: ENGINE_VERSION },
    illustrative: illustrativeValues(c, effective, fired, tariff),
    trace,
  };
}

/** The rules that fired, in rule-set order. */
function firedRules(trace: readonly RuleTrace[], effective: EffectiveRuleSet): Rule[] {
  const { rules } = effective;
  // a backend reports every rule in rule-set order: then the trace and the rules pair up by place,
  // without a set of ids per decision (with two rules of one id, a fired id fires both: by set)
  if (trace.length === rules.length && hasUniqueRuleIds(effective)) {
    const fired: Rule[] = [];
    let paired = true;
    for (let i = 0; i < rules.length && paired; i++) {
      const { rule } = rules[i]!;
      const t = trace[i]!;
      if (t.ruleId !== rule.id) paired = false;
      else if (t.fired) fired.push(rule);
    }
    if (paired) return fired;
  }
  const firedIds = new Set(trace.filter((t) => t.fired).map((t) => t.ruleId));
  return rules.filter(({ rule }) => firedIds.has(rule.id)).map(({ rule }) => rule);
}

/**
 * The reasons the rules `ruleIds` of `effective` give, as a decision states them: a reason is its
 * rule's code, kind, effect, message and source. A compact log entry keeps its reasons as these
 * ids (in the decision's order, which is the rule set's), the versions pinned by their content
 * hashes. The rules are picked as `firedRules` picks them — every rule of a fired id, in rule-set
 * order — and undefined is given when they are not exactly `ruleIds`.
 *
 * @example
 *   reasonsOfRuleIds(effective, ['mijov.toelating.governancecode']); // [{ code: 'GOVERNANCE_CODE_MISSING', … }]
 */
export function reasonsOfRuleIds(effective: EffectiveRuleSet, ruleIds: readonly string[]): Reason[] | undefined {
  const ids = new Set(ruleIds);
  const rules = effective.rules.filter(({ rule }) => ids.has(rule.id)).map(({ rule }) => rule);
  if (rules.length !== ruleIds.length || rules.some((rule, i) => rule.id !== ruleIds[i])) return undefined;
  return rules.map(reasonOf);
}

const uniqueRuleIds = new WeakMap<EffectiveRuleSet, boolean>();

function hasUniqueRuleIds(effective: EffectiveRuleSet): boolean {
  let unique = uniqueRuleIds.get(effective);
  if (unique === undefined) {
    unique = new Set(effective.rules.map(({ rule }) => rule.id)).size === effective.rules.length;
    uniqueRuleIds.set(effective, unique);
  }
  return unique;
}

const reasonsOfRules = new WeakMap<Rule, Reason>();

/**
 * A fired rule's reason: one object per rule, made once (rules of a version never change) and
 * frozen, since every decision that rule fires in shares it (as they shared its source already).
 */
function reasonOf(rule: Rule): Reason {
  let reason = reasonsOfRules.get(rule);
  if (!reason) {
    reason = Object.freeze({
      code: rule.code,
      ruleId: rule.id,
      kind: rule.kind,
      effect: rule.effect,
      message: rule.message,
      source: rule.source,
    });
    reasonsOfRules.set(rule, reason);
  }
  return reason;
}
