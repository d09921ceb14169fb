/**
 * The compiled backend: each enabled rule's conditions become synchronous closures over the facts
 * object, parameters bound once at compile time. It must report exactly what the reference backend
 * reports — same results, traces identical byte for byte — so the operators below copy
 * json-rules-engine's own (`dist/engine-default-operators.js`), quirks included, and whatever it
 * cannot translate with that exact meaning it refuses with a `CompilationError` instead of guessing.
 *
 * What json-rules-engine does that this relies on (version 7): every condition of one priority is
 * evaluated, and our schema has no priorities, so every leaf of all / any / not is evaluated; a
 * parameter is a constant fact `param:<name>`; a `{ fact }` value is read from the facts at
 * evaluation time; a fact missing from the facts object is an error (`allowUndefinedFacts: false`).
 * One difference is accepted: json-rules-engine would let a run-time fact named `param:…` shadow a
 * parameter; `Facts` has no such keys and `deriveFacts` never makes them.
 */
import type { CompiledRuleSet, EvaluationBackend } from '../backend.js';
import type { EffectiveRuleSet } from '../compose.js';
import { CompilationError, jsonPath } from '../errors.js';
import type { Facts } from '../facts.js';
import { FACTS, PARAM_FACT_PREFIX, type ConditionTrace, type RuleTrace } from '../schema.js';
import { LIST_OPERATORS } from './json-rules-engine.js';

/** A compiled rule set that can also be evaluated without a promise, for callers on a fast path. */
export interface SyncCompiledRuleSet extends CompiledRuleSet {
  evaluateSync(facts: Facts): RuleTrace[];
}

type Operate = (factValue: unknown, compareWith: unknown) => boolean;
type Read = (facts: Facts) => unknown;
type CompiledCondition = (facts: Facts) => ConditionTrace;
type CompiledRule = (facts: Facts) => RuleTrace;

interface Searchable {
  indexOf(searchElement: unknown): number;
}

/** json-rules-engine's `numberValidator`; a number, the usual case, is answered without parsing. */
function numeric(factValue: unknown): boolean {
  return typeof factValue === 'number'
    ? !Number.isNaN(factValue)
    : Number.parseFloat(factValue as string).toString() !== 'NaN';
}

/**
 * json-rules-engine's operators, each `validator(factValue) && callback(factValue, value)`.
 * `in`/`notIn` call indexOf on whatever the value resolved to, as json-rules-engine does: a string
 * searches for a substring, and null, a number or a boolean throws a TypeError that fails the
 * evaluation — the reference backend's run rejects the same way.
 */
const OPERATORS: ReadonlyMap<string, Operate> = new Map<string, Operate>([
  ['equal', (a, b) => a === b],
  ['notEqual', (a, b) => a !== b],
  ['in', (a, b) => (b as Searchable).indexOf(a) > -1],
  ['notIn', (a, b) => (b as Searchable).indexOf(a) === -1],
  ['contains', (a, b) => Array.isArray(a) && a.indexOf(b) > -1],
  ['doesNotContain', (a, b) => Array.isArray(a) && a.indexOf(b) === -1],
  ['lessThan', (a, b) => numeric(a) && (a as number) < (b as number)],
  ['lessThanInclusive', (a, b) => numeric(a) && (a as number) <= (b as number)],
  ['greaterThan', (a, b) => numeric(a) && (a as number) > (b as number)],
  ['greaterThanInclusive', (a, b) => numeric(a) && (a as number) >= (b as number)],
  ['containsAny', LIST_OPERATORS.containsAny],
  ['containsNone', LIST_OPERATORS.containsNone],
]);

/** The operators this backend translates; the test suite checks they cover the schema's. */
export const COMPILED_OPERATORS: readonly string[] = [...OPERATORS.keys()];

/** What json-rules-engine's almanac throws for a fact nobody supplied. */
class UndefinedFactError extends Error {
  readonly code = 'UNDEFINED_FACT';
  constructor(fact: string) {
    super(`Undefined fact: ${fact}`);
    this.name = 'UndefinedFactError';
  }
}

function readFact(name: string): Read {
  return (facts) => {
    const value = (facts as Record<string, unknown>)[name];
    // an own property holding undefined is a fact whose value is undefined, not a missing fact
    if (value === undefined && !Object.hasOwn(facts, name)) throw new UndefinedFactError(name);
    return value;
  };
}

function hasPlainPrototype(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && hasPlainPrototype(value);
}

function hasExactlyKeys(value: object, keys: readonly string[]): boolean {
  const own = Reflect.ownKeys(value);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(value, k));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

type Operand = { constant: true; value: unknown } | { constant: false; read: Read };

class RuleCompiler {
  constructor(
    private readonly effective: EffectiveRuleSet,
    private readonly ruleIndex: number,
  ) {}

  private refuse(path: readonly PropertyKey[], message: string): never {
    const rule = this.effective.rules[this.ruleIndex]!.rule;
    throw new CompilationError(`Regel ${String(rule.id)} kan niet gecompileerd worden: ${message}`, [
      { path: jsonPath(['rules', this.ruleIndex, ...path]), message, code: 'COMPILATION_UNSUPPORTED' },
    ]);
  }

  /** The root must be all / any / not, as json-rules-engine requires of a rule's conditions. */
  root(conditions: unknown): CompiledCondition {
    const path = ['conditions'];
    if (!isPlainObject(conditions) || !['all', 'any', 'not'].some((k) => hasExactlyKeys(conditions, [k]))) {
      this.refuse(path, 'de bovenste conditie moet precies één van all, any of not zijn.');
    }
    return this.condition(conditions, path);
  }

  private condition(node: unknown, path: readonly PropertyKey[]): CompiledCondition {
    if (!isPlainObject(node)) return this.refuse(path, 'een conditie moet een object zijn.');
    if (hasExactlyKeys(node, ['all'])) return this.list('all', node.all, path);
    if (hasExactlyKeys(node, ['any'])) return this.list('any', node.any, path);
    if (hasExactlyKeys(node, ['not'])) {
      // json-rules-engine refuses an array under not
      if (Array.isArray(node.not)) this.refuse([...path, 'not'], 'not bevat één conditie, geen lijst.');
      const child = this.condition(node.not, [...path, 'not']);
      return (facts) => {
        const not = child(facts);
        return { not, result: !not.result };
      };
    }
    if (hasExactlyKeys(node, ['fact', 'operator', 'value'])) return this.leaf(node, path);
    return this.refuse(path, `onbekende vorm van conditie (velden ${Object.keys(node).join(', ') || 'geen'}).`);
  }

  private list(kind: 'all' | 'any', children: unknown, path: readonly PropertyKey[]): CompiledCondition {
    // json-rules-engine calls an empty all or any true while the trace (traceOf) says false for
    // any: no single answer to copy, and the schema forbids empty lists anyway
    if (!Array.isArray(children) || children.length === 0) {
      this.refuse([...path, kind], `${kind} moet een niet-lege lijst van condities zijn.`);
    }
    const compiled = Array.from({ length: children.length }, (_, i) =>
      this.condition(children[i] as unknown, [...path, kind, i]),
    );
    const n = compiled.length;
    if (kind === 'all') {
      return (facts) => {
        const all: ConditionTrace[] = [];
        let result = true;
        for (let i = 0; i < n; i++) {
          const trace = compiled[i]!(facts);
          all.push(trace);
          if (!trace.result) result = false;
        }
        return { all, result };
      };
    }
    return (facts) => {
      const any: ConditionTrace[] = [];
      let result = false;
      for (let i = 0; i < n; i++) {
        const trace = compiled[i]!(facts);
        any.push(trace);
        if (trace.result) result = true;
      }
      return { any, result };
    };
  }

  /** A fact name as the left-hand side or inside a `{ fact }` value. */
  private operand(name: unknown, path: readonly PropertyKey[]): Operand {
    if (typeof name !== 'string') return this.refuse(path, 'een feit moet een naam zijn.');
    if (name.startsWith(PARAM_FACT_PREFIX)) {
      const parameter = name.slice(PARAM_FACT_PREFIX.length);
      // json-rules-engine would fail every evaluation on an unknown parameter; refusing leaves
      // that to the reference backend
      if (!Object.hasOwn(this.effective.parameters, parameter)) {
        return this.refuse(path, `onbekende parameter ${parameter}.`);
      }
      // the parameter's own value, not a copy: json-rules-engine compares against that object too
      return { constant: true, value: this.effective.parameters[parameter] };
    }
    if (!Object.hasOwn(FACTS, name)) return this.refuse(path, `onbekend feit ${name}.`);
    return { constant: false, read: readFact(name) };
  }

  private leaf(node: Record<string, unknown>, path: readonly PropertyKey[]): CompiledCondition {
    const { fact, operator } = node;
    if (typeof operator !== 'string' || !OPERATORS.has(operator)) {
      return this.refuse([...path, 'operator'], `onbekende operator ${String(operator)}.`);
    }
    const operate = OPERATORS.get(operator)!;
    const lhs = this.operand(fact, [...path, 'fact']);
    let written: unknown;
    try {
      // json-rules-engine evaluates a structured clone of the conditions (see the reference
      // backend) and reports a clone of `value`; one frozen clone, shared by every trace, says the
      // same without a copy per case
      written = deepFreeze(structuredClone(node.value));
    } catch {
      return this.refuse([...path, 'value'], 'de waarde is geen gegeven (JSON).');
    }
    let rhs: Operand = { constant: true, value: written };
    if (written !== null && typeof written === 'object' && Object.hasOwn(written, 'fact')) {
      if (!isPlainObject(written) || !hasExactlyKeys(written, ['fact'])) {
        // params and path on a fact reference select into the fact; not supported here
        return this.refuse([...path, 'value'], 'een verwijzing naar een feit heeft alleen het veld fact.');
      }
      rhs = this.operand(written.fact, [...path, 'value', 'fact']);
    }
    return leafClosure(fact as string, operator, written, lhs, rhs, operate);
  }
}

/**
 * The closure of one leaf, specialised on which side is read from the facts, so the common shapes
 * (fact against a literal or a parameter) cost one property read and the operator.
 */
function leafClosure(
  fact: string,
  operator: string,
  written: unknown,
  lhs: Operand,
  rhs: Operand,
  operate: Operate,
): CompiledCondition {
  const value = written === undefined ? null : written;
  // json-rules-engine reads the value before the fact (`Promise.all([value, fact])`), so when both
  // are missing the value's error is the one reported; the order below keeps that
  if (!lhs.constant && rhs.constant) {
    const read = lhs.read;
    const compareWith = rhs.value;
    const comparedWith = compareWith ?? value;
    return (facts) => {
      const factValue = read(facts);
      return {
        fact,
        operator,
        value,
        factValue: factValue === undefined ? null : factValue,
        comparedWith,
        result: operate(factValue, compareWith) === true,
      };
    };
  }
  const readRhs: Read = rhs.constant ? constantReader(rhs.value) : rhs.read;
  const readLhs: Read = lhs.constant ? constantReader(lhs.value) : lhs.read;
  return (facts) => {
    const compareWith = readRhs(facts);
    const factValue = readLhs(facts);
    return {
      fact,
      operator,
      value,
      factValue: factValue === undefined ? null : factValue,
      comparedWith: compareWith ?? value,
      result: operate(factValue, compareWith) === true,
    };
  };
}

function constantReader(value: unknown): Read {
  return () => value;
}

class CompiledRules implements SyncCompiledRuleSet {
  constructor(private readonly rules: readonly CompiledRule[]) {}

  evaluateSync(facts: Facts): RuleTrace[] {
    // json-rules-engine sees `{ ...facts }`: own enumerable properties only; a plain object (what
    // deriveFacts makes) already is that, anything else is copied the same way
    const own = hasPlainPrototype(facts) ? facts : { ...facts };
    const traces: RuleTrace[] = [];
    for (const rule of this.rules) traces.push(rule(own));
    return traces;
  }

  async evaluate(facts: Facts): Promise<RuleTrace[]> {
    return this.evaluateSync(facts);
  }
}

/** Compiles an effective rule set; throws a CompilationError for anything it cannot translate exactly. */
export function compileRuleSet(effective: EffectiveRuleSet): SyncCompiledRuleSet {
  const seen = new Set<string>();
  const rules = effective.rules.map(({ rule, enabled }, index): CompiledRule => {
    const { id: ruleId, code, effect } = rule;
    // the reference backend matches results to rules by id: two rules with one id would share a
    // trace there in an order that depends on promise timing
    if (typeof ruleId !== 'string' || ruleId === '' || seen.has(ruleId)) {
      throw new CompilationError(`Regel-id ${String(ruleId)} is leeg of komt twee keer voor.`, [
        {
          path: jsonPath(['rules', index, 'id']),
          message: 'Een regel-id moet uniek zijn.',
          code: 'COMPILATION_UNSUPPORTED',
        },
      ]);
    }
    seen.add(ruleId);
    if (!enabled) return () => ({ ruleId, code, effect, enabled, fired: false, conditions: null });
    const conditions = new RuleCompiler(effective, index).root(rule.conditions);
    return (facts) => {
      const trace = conditions(facts);
      return { ruleId, code, effect, enabled, fired: trace.result, conditions: trace };
    };
  });
  return new CompiledRules(rules);
}

/**
 * Compilations shared by every engine in the process, keyed by the composition's content hashes
 * (so equal keys mean equal rule sets). Bounded: drafts tried in impact analyses add keys that
 * are never used again.
 */
const shared = new Map<string, SyncCompiledRuleSet>();
const SHARED_LIMIT = 256;

/** The compiled backend; `compile` throws a CompilationError for what it cannot translate exactly. */
export const compiledBackend: EvaluationBackend & { compile(effective: EffectiveRuleSet): SyncCompiledRuleSet } = {
  name: 'compiled',
  compile(effective) {
    let compiled = shared.get(effective.key);
    if (!compiled) {
      compiled = compileRuleSet(effective);
      if (shared.size >= SHARED_LIMIT) shared.delete(shared.keys().next().value!);
      shared.set(effective.key, compiled);
    }
    return compiled;
  },
};
