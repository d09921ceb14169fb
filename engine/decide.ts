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
import type { CompiledRuleSet, EvaluationBackend } from './backend.js';
import { jsonRulesEngineBackend } from './backends/json-rules-engine.js';
import { type EffectiveRuleSet, regionOf, type RuleSetRepository } from './compose.js';
import { CaseValidationError, CompilationError, type Issue } from './errors.js';
import { deriveFacts } from './facts.js';
import { illustrativeValues } from './illustrative.js';
import type { Case, Decision, Outcome, Reason, Rule, RuleTrace } from './schema.js';
import { computeTariff } from './tariff.js';
import { validateCase } from './validate-case.js';
import { ENGINE_VERSION } from './version.js';

export type ValidationResult = { ok: true; case: Case; effective: EffectiveRuleSet } | { ok: false; issues: Issue[] };

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

export class DecisionEngine {
  private readonly compiled = new Map<string, CompiledRuleSet>();

  constructor(
    readonly repository: RuleSetRepository,
    readonly backend: EvaluationBackend = jsonRulesEngineBackend,
  ) {}

  /** Checks a case against the schema and against what the rule sets in force know. */
  validate(input: unknown): ValidationResult {
    return validateCase(input, this.repository);
  }

  /** Decides a case with the versions in force on its reference date. */
  async decide(input: unknown): Promise<Decision> {
    const validation = this.validate(input);
    if (!validation.ok) throw new CaseValidationError(validation.issues);
    return this.decideWith(validation.case, validation.effective);
  }

  /** Decides a valid case with a given effective rule set (replay against a chosen version). */
  async decideWith(c: Case, effective: EffectiveRuleSet): Promise<Decision> {
    const trace = await this.compile(effective).evaluate(deriveFacts(c, effective));
    const fired = firedRules(trace, effective);
    const reasons = fired.map(reasonOf);
    const outcome = outcomeOf(reasons);
    const tariff = outcome === 'rejected' ? null : computeTariff(c, effective);
    return {
      outcome,
      reasons,
      tariff,
      ruleSets: effective.ruleSets,
      engine: { version: ENGINE_VERSION },
      illustrative: illustrativeValues(c, effective, fired, tariff),
      trace,
    };
  }

  /** The municipality's region, for callers that route or filter by region. */
  regionOf = regionOf;

  private compile(effective: EffectiveRuleSet): CompiledRuleSet {
    let compiled = this.compiled.get(effective.key);
    if (!compiled) {
      compiled = this.backend.compile(effective);
      this.compiled.set(effective.key, compiled);
    }
    return compiled;
  }
}

/** The rules that fired, in rule-set order. */
function firedRules(trace: readonly RuleTrace[], effective: EffectiveRuleSet): Rule[] {
  const fired = new Set(trace.filter((t) => t.fired).map((t) => t.ruleId));
  return effective.rules.filter(({ rule }) => fired.has(rule.id)).map(({ rule }) => rule);
}

function reasonOf(rule: Rule): Reason {
  return {
    code: rule.code,
    ruleId: rule.id,
    kind: rule.kind,
    effect: rule.effect,
    message: rule.message,
    source: rule.source,
  };
}
