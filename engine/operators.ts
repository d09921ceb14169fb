/**
 * The condition operators: one table that the schema (which names a rule may use), the
 * json-rules-engine backend (which it must register itself) and the compiled backend (what each
 * one computes, and how it is written out as code) all derive from. A new operator is one entry
 * here; the tests check the two backends agree on it.
 */

/** An operator's meaning: `validator(factValue) && callback(factValue, compareWith)` in json-rules-engine. */
export type Operate = (factValue: unknown, compareWith: unknown) => boolean;

interface Searchable {
  indexOf(searchElement: unknown): number;
}

/** json-rules-engine's `numberValidator`; numbers and the values that parse to NaN skip the parse. */
export function numeric(factValue: unknown): boolean {
  if (typeof factValue === 'number') return !Number.isNaN(factValue);
  if (factValue === null || factValue === undefined || typeof factValue === 'boolean') return false;
  return Number.parseFloat(factValue as string).toString() !== 'NaN';
}

export interface OperatorDefinition {
  /** What the operator computes, copied from json-rules-engine (`dist/engine-default-operators.js`), quirks included. */
  operate: Operate;
  /**
   * `builtIn`: json-rules-engine has it; `registered`: the json-rules-engine backend adds it with
   * `operate` (json-rules-engine knows no list-against-list operators).
   */
  jsonRulesEngine: 'builtIn' | 'registered';
  /** The compiled backend writes these as an expression (`N` is `numeric`); the rest it calls. */
  inline?: (factValue: string, compareWith: string) => string;
}

/**
 * Every operator, in the order the editor offers them. `in`/`notIn` call indexOf on whatever the
 * value resolved to, as json-rules-engine does: a string searches for a substring, and null, a
 * number or a boolean throws a TypeError that fails the evaluation in both backends.
 */
export const OPERATOR_TABLE = {
  equal: { operate: (a, b) => a === b, jsonRulesEngine: 'builtIn', inline: (a, b) => `${a} === ${b}` },
  notEqual: { operate: (a, b) => a !== b, jsonRulesEngine: 'builtIn', inline: (a, b) => `${a} !== ${b}` },
  lessThan: {
    operate: (a, b) => numeric(a) && (a as number) < (b as number),
    jsonRulesEngine: 'builtIn',
    inline: (a, b) => `N(${a}) && ${a} < ${b}`,
  },
  lessThanInclusive: {
    operate: (a, b) => numeric(a) && (a as number) <= (b as number),
    jsonRulesEngine: 'builtIn',
    inline: (a, b) => `N(${a}) && ${a} <= ${b}`,
  },
  greaterThan: {
    operate: (a, b) => numeric(a) && (a as number) > (b as number),
    jsonRulesEngine: 'builtIn',
    inline: (a, b) => `N(${a}) && ${a} > ${b}`,
  },
  greaterThanInclusive: {
    operate: (a, b) => numeric(a) && (a as number) >= (b as number),
    jsonRulesEngine: 'builtIn',
    inline: (a, b) => `N(${a}) && ${a} >= ${b}`,
  },
  in: { operate: (a, b) => (b as Searchable).indexOf(a) > -1, jsonRulesEngine: 'builtIn' },
  notIn: { operate: (a, b) => (b as Searchable).indexOf(a) === -1, jsonRulesEngine: 'builtIn' },
  contains: { operate: (a, b) => Array.isArray(a) && a.indexOf(b) > -1, jsonRulesEngine: 'builtIn' },
  doesNotContain: { operate: (a, b) => Array.isArray(a) && a.indexOf(b) === -1, jsonRulesEngine: 'builtIn' },
  containsAny: {
    operate: (a, b) => Array.isArray(a) && Array.isArray(b) && a.some((f) => b.includes(f)),
    jsonRulesEngine: 'registered',
  },
  containsNone: {
    operate: (a, b) => Array.isArray(a) && Array.isArray(b) && !a.some((f) => b.includes(f)),
    jsonRulesEngine: 'registered',
  },
} as const satisfies Record<string, OperatorDefinition>;

export type OperatorName = keyof typeof OPERATOR_TABLE;

/** The operators' names, for the schema's enum. */
export const OPERATORS = Object.keys(OPERATOR_TABLE) as [OperatorName, ...OperatorName[]];

/** The definition of an operator, or undefined for a name that is none (`constructor` included). */
export function operatorOf(name: string): OperatorDefinition | undefined {
  return Object.hasOwn(OPERATOR_TABLE, name) ? OPERATOR_TABLE[name as OperatorName] : undefined;
}
