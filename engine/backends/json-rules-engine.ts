/**
 * The reference backend: json-rules-engine, which also defines what a rule means. One `Engine`
 * per effective rule set, built once; parameters are constant facts named `param:<name>`.
 */
import { Engine, Rule as JreRule, type RuleResult } from 'json-rules-engine';
import type { CompiledRuleSet, EvaluationBackend } from '../backend.js';
import type { EffectiveRuleSet } from '../compose.js';
import type { Facts } from '../facts.js';
import { OPERATOR_TABLE } from '../operators.js';
import { PARAM_FACT_PREFIX, type ConditionTrace, type RuleTrace } from '../schema.js';

interface JreCondition {
  all?: JreCondition[];
  any?: JreCondition[];
  not?: JreCondition;
  fact?: string;
  operator?: string;
  value?: unknown;
  factResult?: unknown;
  valueResult?: unknown;
  result?: boolean;
}

/** json-rules-engine reports results on leaves only; boolean nodes are recomputed from them. */
export function traceOf(condition: JreCondition): ConditionTrace {
  if (condition.all) {
    const all = condition.all.map(traceOf);
    return { all, result: all.every((c) => c.result) };
  }
  if (condition.any) {
    const any = condition.any.map(traceOf);
    return { any, result: any.some((c) => c.result) };
  }
  if (condition.not) {
    const not = traceOf(condition.not);
    return { not, result: !not.result };
  }
  return {
    fact: condition.fact!,
    operator: condition.operator!,
    value: normalize(condition.value),
    factValue: normalize(condition.factResult),
    comparedWith: normalize(condition.valueResult ?? condition.value),
    result: condition.result === true,
  };
}

function normalize(value: unknown): unknown {
  return value === undefined ? null : value;
}

class JsonRulesEngineRuleSet implements CompiledRuleSet {
  private readonly engine: Engine;

  constructor(private readonly effective: EffectiveRuleSet) {
    this.engine = new Engine([], { allowUndefinedFacts: false });
    for (const [name, op] of Object.entries(OPERATOR_TABLE)) {
      if (op.jsonRulesEngine === 'registered') this.engine.addOperator(name, op.operate);
    }
    for (const [name, value] of Object.entries(effective.parameters)) {
      this.engine.addFact(`${PARAM_FACT_PREFIX}${name}`, value);
    }
    for (const { rule, enabled } of effective.rules) {
      if (!enabled) continue;
      this.engine.addRule(
        new JreRule({
          name: rule.id,
          conditions: structuredClone(rule.conditions) as never,
          event: { type: rule.code },
        }),
      );
    }
  }

  async evaluate(facts: Facts): Promise<RuleTrace[]> {
    const { results, failureResults } = await this.engine.run({ ...facts });
    const byName = new Map<string, RuleResult>();
    for (const r of [...results, ...failureResults]) byName.set(String(r.name), r);
    return this.effective.rules.map(({ rule, enabled }): RuleTrace => {
      const result = byName.get(rule.id);
      return {
        ruleId: rule.id,
        code: rule.code,
        effect: rule.effect,
        enabled,
        fired: enabled && result?.result === true,
        conditions: result ? traceOf(result.conditions as unknown as JreCondition) : null,
      };
    });
  }
}

export const jsonRulesEngineBackend: EvaluationBackend = {
  name: 'json-rules-engine',
  compile: (effective) => new JsonRulesEngineRuleSet(effective),
};
