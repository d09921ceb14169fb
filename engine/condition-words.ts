/**
 * Rules and parameters in words for policy staff reading a change or a finding, not for a family
 * reading a letter: a condition as "leeftijd in jaren < Dyslexiezorg: minimumleeftijd (7)", a
 * parameter value by its type ("€ 25.000", "1 januari, 1 juli"). The semantic diff and the static
 * analysis both speak through these, so the editor shows one wording for one condition.
 */
import { FACT_LABELS, formatValue } from './explain.js';
import { canonicalJson } from './canonical-json.js';
import { formatEuros, formatMonthDay } from './format.js';
import {
  PARAM_FACT_PREFIX,
  type Condition,
  type FactName,
  type LeafCondition,
  type Operator,
  type Parameter,
} from './schema.js';

/** Operators as they read between a fact and a value; comparisons as symbols, the way advisors write them. */
export const OPERATOR_SYMBOLS: Record<Operator, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'is een van',
  notIn: 'is geen van',
  contains: 'bevat',
  doesNotContain: 'bevat niet',
  containsAny: 'bevat een van',
  containsNone: 'bevat geen van',
};

/** "07-01" → "1 juli"; anything else as it is. */
export const monthDayInWords = formatMonthDay;

/**
 * A parameter value in words by the parameter's type: cents as euros, percentages with a percent
 * sign, month-days as "1 januari", lists joined ("geen" when empty). Without a type (an overlay
 * value whose region is unknown) the value is shown as it is.
 *
 * @example
 *   parameterValueInWords('cents', 2_500_000); // "€ 25.000"
 *   parameterValueInWords('month-days', ['01-01', '07-01']); // "1 januari, 1 juli"
 */
export function parameterValueInWords(type: Parameter['type'] | undefined, value: unknown): string {
  if (value === null || value === undefined) return 'geen';
  if (Array.isArray(value)) {
    if (value.length === 0) return 'geen';
    return value
      .map((v) => (type === 'month-days' && typeof v === 'string' ? monthDayInWords(v) : String(v)))
      .join(', ');
  }
  if (typeof value === 'number') {
    if (type === 'cents') return formatEuros(value);
    if (type === 'percentage') return `${value}%`;
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** What a condition text needs to know of a parameter it refers to. */
export interface ParameterInfo {
  label: string;
  type?: Parameter['type'];
  value?: unknown;
}

/** Looks a parameter up by name (without `param:`); undefined for one that does not exist. */
export type ParameterLookup = (name: string) => ParameterInfo | undefined;

/** Parameters of a rule set (or of a region composed with an overlay's values) as a lookup. */
export function parameterLookup(
  parameters: Readonly<Record<string, Parameter>>,
  values: Readonly<Record<string, unknown>> = {},
): ParameterLookup {
  return (name) => {
    if (!Object.hasOwn(parameters, name)) return undefined;
    const p = parameters[name]!;
    return { label: p.label, type: p.type, value: Object.hasOwn(values, name) ? values[name] : p.value };
  };
}

/** The fact a leaf's value refers to (`param:…` or another fact), if it refers to one. */
export function referenceOf(value: LeafCondition['value']): string | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'fact' in value
    ? value.fact
    : undefined;
}

/** A leaf's right-hand side in words: "Crisiszorg: maximale duur (28)", "huisarts, jeugdarts", "ja". */
export function operandInWords(leaf: LeafCondition, lookup: ParameterLookup = () => undefined): string {
  const reference = referenceOf(leaf.value);
  if (reference?.startsWith(PARAM_FACT_PREFIX)) {
    const name = reference.slice(PARAM_FACT_PREFIX.length);
    const info = lookup(name);
    if (!info) return `onbekende parameter ${name}`;
    return info.value === undefined ? info.label : `${info.label} (${parameterValueInWords(info.type, info.value)})`;
  }
  if (reference) return FACT_LABELS[reference as FactName] ?? reference;
  return formatValue(leaf.fact, leaf.value);
}

/**
 * One leaf condition in words.
 *
 * @example
 *   leafInWords({ fact: 'ageYears', operator: 'lessThan', value: { fact: 'param:dyslexia.minAge' } }, lookup);
 *   // "leeftijd in jaren < Dyslexiezorg: minimumleeftijd (7)"
 */
export function leafInWords(leaf: LeafCondition, lookup: ParameterLookup = () => undefined): string {
  const fact = FACT_LABELS[leaf.fact] ?? leaf.fact;
  return `${fact} ${OPERATOR_SYMBOLS[leaf.operator] ?? leaf.operator} ${operandInWords(leaf, lookup)}`;
}

export function isLeaf(condition: Condition): condition is LeafCondition {
  return 'fact' in condition;
}

/**
 * A whole condition in words: `all` joined by "en", `any` by "of", `not` as "niet (…)"; nested
 * groups in brackets so "a en (b of c)" cannot be read two ways.
 */
export function conditionInWords(condition: Condition, lookup: ParameterLookup = () => undefined): string {
  const nested = (c: Condition) => (isLeaf(c) ? leafInWords(c, lookup) : `(${conditionInWords(c, lookup)})`);
  if (isLeaf(condition)) return leafInWords(condition, lookup);
  if ('all' in condition) return condition.all.map(nested).join(' en ');
  if ('any' in condition) return condition.any.map(nested).join(' of ');
  return `niet ${nested(condition.not)}`;
}

/** Canonical JSON (keys sorted) to compare values by content; no hashing, so the browser can use it. */
export function sameContent(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

/** JSON with object keys sorted and `undefined` properties dropped. */
export function stableJson(value: unknown): string {
  return canonicalJson(value) ?? 'undefined';
}
