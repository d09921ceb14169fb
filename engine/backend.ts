import type { EffectiveRuleSet } from './compose.js';
import type { Facts } from './facts.js';
import type { Rule, RuleTrace } from './schema.js';

/**
 * What an evaluation backend does: turn an effective rule set into something that, given a
 * case's facts, reports every rule in rule-set order — enabled or not, fired or not, with each
 * condition's fact value and result. Outcome, reasons and tariff are built from that by
 * `decide.ts`, the same for every backend, so a faster backend only has to match the traces.
 */
export interface EvaluationBackend {
  readonly name: string;
  compile(effective: EffectiveRuleSet): CompiledRuleSet;
}

export interface CompiledRuleSet {
  evaluate(facts: Facts): Promise<RuleTrace[]>;
  /** The same without a promise, for a backend that can (the compiled one; json-rules-engine cannot). */
  evaluateSync?(facts: Facts): RuleTrace[];
  /**
   * Only the rules that fire, in rule-set order, without building a trace: for a decision asked
   * without one (`{ trace: false }`). It must fire exactly the rules `evaluate`'s trace marks
   * fired and throw exactly what `evaluate` throws; a backend without it has its trace built
   * and dropped.
   */
  firedSync?(facts: Facts): Rule[];
  /**
   * The rules that fire and the trace as JSON text, written without building it: for an answer
   * sent as text. `trace` must be, byte for byte, `JSON.stringify` of `evaluate`'s trace, and
   * `fired` the rules it marks fired; it throws what `evaluate` throws. A backend without it has
   * its trace built and serialised.
   */
  traceTextSync?(facts: Facts): TraceText;
}

/** A rule set's trace as JSON text, with the rules that fired (see `CompiledRuleSet.traceTextSync`). */
export interface TraceText {
  fired: Rule[];
  trace: string;
}
