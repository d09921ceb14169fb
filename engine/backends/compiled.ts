/**
 * The compiled backend: each enabled rule's conditions become synchronous closures over the facts
 * object, parameters bound once at compile time, no promise anywhere. It must report exactly what
 * the reference backend reports — same results, traces identical byte for byte — so the operators
 * below copy json-rules-engine's own (`dist/engine-default-operators.js`), quirks included, and
 * whatever it cannot translate with that exact meaning it refuses with a `CompilationError`.
 *
 * What json-rules-engine (version 7) does that this relies on: every condition of one priority is
 * evaluated, and our schema has no priorities, so every leaf of all / any / not is evaluated; a
 * parameter is a constant fact `param:<name>`; a `{ fact }` value is read from the facts at
 * evaluation time; a fact missing from the facts is an error (`allowUndefinedFacts: false`).
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

/** json-rules-engine's `numberValidator`; numbers and the values that parse to NaN skip the parse. */
function numeric(factValue: unknown): boolean {
  if (typeof factValue === 'number') return !Number.isNaN(factValue);
  if (factValue === null || factValue === undefined || typeof factValue === 'boolean') return false;
  return Number.parseFloat(factValue as string).toString() !== 'NaN';
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

/** The operators this backend translates (the tests check they cover the schema's). */
export const COMPILED_OPERATORS: readonly string[] = [...OPERATORS.keys()];

/** What json-rules-engine's almanac throws for a fact nobody supplied (its name, too, is Error). */
class UndefinedFactError extends Error {
  readonly code = 'UNDEFINED_FACT';
  constructor(fact: string) {
    super(`Undefined fact: ${fact}`);
  }
}

/**
 * Whether json-rules-engine would know `name` as a fact: it defines one per key of
 * `for (id in { ...facts })`, which for a plain object are the keys `for…in` gives on the object
 * itself. Only asked when a read gave undefined, so its cost does not matter.
 */
function isDefinedFact(facts: object, name: string): boolean {
  for (const key in facts) if (key === name) return true;
  return false;
}

/**
 * A fact's value, read where a condition needs it. Reading a rule set's facts once per case into
 * an array measured no faster: deriveFacts' objects share no hidden class, so each read is a
 * megamorphic lookup (~20 ns) either way, and the array is one more allocation.
 */
function factOf(facts: Facts, name: string): unknown {
  const value = (facts as Record<string, unknown>)[name];
  if (value === undefined && !isDefinedFact(facts, name)) throw new UndefinedFactError(name);
  return value;
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

type Operand = { constant: true; value: unknown } | { constant: false; name: string };

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
      if (Array.isArray(node.not)) this.refuse([...path, 'not'], 'not bevat één conditie, geen lijst.');
      const child = this.condition(node.not, [...path, 'not']);
      return (facts) => {
        const not = child(facts);
        return { not, result: !not.result };
      };
    }
    // priority, name, params, path or a condition reference change what json-rules-engine
    // evaluates or reports; only the plain leaf is translated
    if (hasExactlyKeys(node, ['fact', 'operator', 'value'])) return this.leaf(node, path);
    return this.refuse(path, `onbekende vorm van conditie (velden ${Object.keys(node).join(', ') || 'geen'}).`);
  }

  private list(kind: 'all' | 'any', children: unknown, path: readonly PropertyKey[]): CompiledCondition {
    // json-rules-engine calls an empty all or any true while its trace (traceOf) says false for
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
        const all = new Array<ConditionTrace>(n);
        let result = true;
        for (let i = 0; i < n; i++) {
          const trace = compiled[i]!(facts);
          all[i] = trace;
          if (!trace.result) result = false;
        }
        return { all, result };
      };
    }
    return (facts) => {
      const any = new Array<ConditionTrace>(n);
      let result = false;
      for (let i = 0; i < n; i++) {
        const trace = compiled[i]!(facts);
        any[i] = trace;
        if (trace.result) result = true;
      }
      return { any, result };
    };
  }

  /** A fact name, as the left-hand side or inside a `{ fact }` value. */
  private operand(name: unknown, path: readonly PropertyKey[]): Operand {
    if (typeof name !== 'string') return this.refuse(path, 'een feit moet een naam zijn.');
    if (name.startsWith(PARAM_FACT_PREFIX)) {
      const parameter = name.slice(PARAM_FACT_PREFIX.length);
      // json-rules-engine would fail every evaluation on an unknown parameter; refusing leaves
      // that to the reference backend
      if (!Object.hasOwn(this.effective.parameters, parameter)) {
        return this.refuse(path, `onbekende parameter ${parameter}.`);
      }
      // the parameter's own value, not a copy: json-rules-engine compares with that object too
      return { constant: true, value: this.effective.parameters[parameter] };
    }
    if (!Object.hasOwn(FACTS, name)) return this.refuse(path, `onbekend feit ${name}.`);
    return { constant: false, name };
  }

  private leaf(node: Record<string, unknown>, path: readonly PropertyKey[]): CompiledCondition {
    const { fact, operator } = node;
    const operate = typeof operator === 'string' ? OPERATORS.get(operator) : undefined;
    if (!operate) return this.refuse([...path, 'operator'], `onbekende operator ${String(operator)}.`);
    const lhs = this.operand(fact, [...path, 'fact']);
    let written: unknown;
    try {
      // json-rules-engine evaluates a structured clone of the conditions (see the reference
      // backend) and reports a fresh clone of `value` per run; one frozen clone shared by every
      // trace says the same without a copy per case
      written = deepFreeze(structuredClone(node.value));
    } catch {
      return this.refuse([...path, 'value'], 'de waarde is geen gegeven (JSON).');
    }
    let rhs: Operand = { constant: true, value: written };
    if (written !== null && typeof written === 'object' && Object.hasOwn(written, 'fact')) {
      if (!isPlainObject(written) || !hasExactlyKeys(written, ['fact'])) {
        // params and path on a fact reference select inside the fact; not translated
        return this.refuse([...path, 'value'], 'een verwijzing naar een feit heeft alleen het veld fact.');
      }
      rhs = this.operand(written.fact, [...path, 'value', 'fact']);
    }
    return leafClosure(fact as string, operator as string, written, lhs, rhs, operate);
  }
}

function factReader(name: string): Read {
  return (facts) => factOf(facts, name);
}

function constantReader(value: unknown): Read {
  return () => value;
}

/**
 * The closure of one leaf. The usual shape (a fact against a literal or a parameter) gets its own
 * closure without reader calls; the rest reads both sides through readers.
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
  if (!lhs.constant && rhs.constant) {
    const compareWith = rhs.value;
    const comparedWith = compareWith ?? value;
    return (facts) => {
      // inlined factOf: this closure is most of the evaluation
      const factValue = (facts as Record<string, unknown>)[fact];
      if (factValue === undefined && !isDefinedFact(facts, fact)) throw new UndefinedFactError(fact);
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
  const readRhs = rhs.constant ? constantReader(rhs.value) : factReader(rhs.name);
  const readLhs = lhs.constant ? constantReader(lhs.value) : factReader(lhs.name);
  return (facts) => {
    // json-rules-engine resolves the value before the fact (`Promise.all([value, fact])`), so
    // when both are missing it is the value's error that is reported
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

class CompiledRules implements SyncCompiledRuleSet {
  constructor(private readonly rules: readonly CompiledRule[]) {}

  evaluateSync(facts: Facts): RuleTrace[] {
    // json-rules-engine reads `{ ...facts }`; for a plain object of data properties (what
    // deriveFacts makes) that reads the same as the object itself
    const own = hasPlainPrototype(facts) ? facts : { ...facts };
    const { rules } = this;
    const traces = new Array<RuleTrace>(rules.length);
    for (let i = 0; i < rules.length; i++) traces[i] = rules[i]!(own);
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
    // trace there, in an order that depends on promise timing
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
    // json-rules-engine emits a fired rule's code as an event, and an unhandled 'error' event
    // fails the run; the schema's upper-case codes never hit this
    if (enabled && code === 'error') {
      throw new CompilationError(`Regel ${ruleId} heeft de code "error".`, [
        {
          path: jsonPath(['rules', index, 'code']),
          message: 'De code error wordt niet vertaald.',
          code: 'COMPILATION_UNSUPPORTED',
        },
      ]);
    }
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
 * (equal keys, equal rule sets). Bounded, because drafts tried in impact analyses add keys that
 * are not used again.
 */
const shared = new Map<string, SyncCompiledRuleSet>();
const SHARED_LIMIT = 256;

/** The compiled backend; `compile` throws a CompilationError for what it cannot translate exactly. */
export const compiledBackend = {
  name: 'compiled',
  compile(effective: EffectiveRuleSet): SyncCompiledRuleSet {
    let compiled = shared.get(effective.key);
    if (!compiled) {
      compiled = compileRuleSet(effective);
      if (shared.size >= SHARED_LIMIT) shared.delete(shared.keys().next().value!);
      shared.set(effective.key, compiled);
    }
    return compiled;
  },
} satisfies EvaluationBackend;
