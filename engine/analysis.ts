/**
 * Static checks of a candidate rule set before it is submitted for publication: rules that can
 * never fire, combinations the catalogue offers without a price, parameters that do not exist or
 * that nothing reads, rules that only ever fire together with another rule of the same effect,
 * and rules no test case makes fire. A region is checked alone and with each overlay that could
 * apply to it, an overlay with its region, because a parameter's effective value (and so whether
 * a condition can hold) depends on the municipality.
 *
 * The reasoning is deliberately one-sided: an error is only reported when it is certain, for the
 * values facts take (`engine/facts.ts`: numbers, strings, booleans, lists of strings, or null).
 * What it cannot decide — a comparison with another fact, a `not` around a list operator, a
 * condition too large to expand — counts as "can hold". Pure, without hashing, for the browser.
 */
import { z } from 'zod';
import {
  isLeaf,
  leafInWords,
  parameterLookup,
  referenceOf,
  sameContent,
  type ParameterLookup,
} from './condition-words.js';
import { CompositionError } from './errors.js';
import { placeName } from './explain.js';
import { listInWords } from './format.js';
import { numeric, operatorOf } from './operators.js';
import {
  PARAM_FACT_PREFIX,
  type Condition,
  type LeafCondition,
  type Operator,
  type Rule,
  type RuleSetDocument,
  type RuleSetDraft,
} from './schema.js';

/** The analysis codes of the contract. */
export const ANALYSIS_CODES = [
  'RULE_UNSATISFIABLE',
  'TARIFF_MISSING',
  'PARAMETER_UNKNOWN',
  'PARAMETER_UNUSED',
  'RULE_SHADOWED',
  'RULE_UNTESTED',
] as const;
export const AnalysisCode = z.enum(ANALYSIS_CODES);
export type AnalysisCode = z.infer<typeof AnalysisCode>;

export const FINDING_SEVERITIES = ['error', 'warning'] as const;

export const Finding = z
  .object({
    severity: z.enum(FINDING_SEVERITIES),
    code: AnalysisCode,
    ruleId: z.string().optional(),
    parameter: z.string().optional(),
    /** Dutch, for policy staff. */
    message: z.string().min(1),
  })
  .strict();
export type Finding = z.infer<typeof Finding>;

/** The contract's answer of `GET …/drafts/{draftId}/analysis`. */
export const AnalysisResult = z.object({ findings: z.array(Finding) }).strict();
export type AnalysisResult = z.infer<typeof AnalysisResult>;

const SEVERITY: Record<AnalysisCode, Finding['severity']> = {
  RULE_UNSATISFIABLE: 'error',
  TARIFF_MISSING: 'error',
  PARAMETER_UNKNOWN: 'error',
  PARAMETER_UNUSED: 'warning',
  RULE_SHADOWED: 'warning',
  RULE_UNTESTED: 'warning',
};

/**
 * Parameters the engine reads outside the rules: the tariff computation (`engine/tariff.ts`) and
 * the case check that a service lies outside the procurement model (`engine/validate-case.ts`).
 */
export const ENGINE_PARAMETERS: readonly string[] = [
  'tariff.advancePercentage',
  'tariff.differentiationPercentage',
  'scope.excludedServices',
];

type Candidate = RuleSetDocument | RuleSetDraft;
type RegionLike = Extract<Candidate, { kind: 'region' }>;
type OverlayLike = Extract<Candidate, { kind: 'municipality' }>;

export interface AnalysisContext {
  /** For an overlay: the regional version (or draft) it applies to. Required for overlays. */
  region?: RegionLike;
  /** For a region: the overlays that could apply with it (those of other regions are ignored). */
  overlays?: readonly OverlayLike[];
  /**
   * The ids of the rules that fired in at least one test case of the rule set. Without it
   * `RULE_UNTESTED` is not checked (there is nothing to check it against).
   */
  firedRuleIds?: ReadonlySet<string>;
}

/** A region with at most one overlay: the parameter values and switches a case would meet. */
interface Composed {
  /** "de regio zelf" or the municipality's name, for findings that hold in some compositions only. */
  label: string;
  parameters: Readonly<Record<string, unknown>>;
  lookup: ParameterLookup;
  enabled: (rule: Rule) => boolean;
}

function composed(region: RegionLike, overlay: OverlayLike | undefined, withVersion = false): Composed {
  const parameters: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(region.parameters)) parameters[name] = p.value;
  if (overlay) Object.assign(parameters, overlay.parameters);
  const switches = overlay?.rules ?? {};
  return {
    label: overlay ? `${placeName(overlay.id)}${withVersion ? ` versie ${overlay.version}` : ''}` : 'de regio zelf',
    parameters,
    lookup: parameterLookup(region.parameters, parameters),
    enabled: (rule) =>
      (Object.hasOwn(switches, rule.id) ? switches[rule.id]!.enabled : undefined) ??
      rule.optional?.enabledByDefault ??
      true,
  };
}

/**
 * The findings of the static checks for a candidate region (alone and with each of
 * `context.overlays`) or a candidate overlay (with `context.region`). Errors come first.
 *
 * For an overlay, warnings about the region itself (its unused parameters, its untested rules) are
 * left to the region's own analysis; errors of the composed rule set are all reported, since a
 * case would be decided by it.
 *
 * @example
 *   analyseRuleSet(draft, { overlays, firedRuleIds: new Set(['ijsselland.crisis.maximale-duur']) });
 *   // { findings: [{ severity: 'error', code: 'RULE_UNSATISFIABLE', ruleId: '…', message: 'Regel … kan nooit gelden: …' }] }
 */
export function analyseRuleSet(candidate: Candidate, context: AnalysisContext = {}): AnalysisResult {
  let region: RegionLike;
  let compositions: Composed[];
  let overlay: OverlayLike | undefined;
  if (candidate.kind === 'region') {
    region = candidate;
    const overlays = (context.overlays ?? []).filter((o) => o.region === candidate.id);
    // several versions of one municipality's overlay are told apart by their number
    const versions = (o: OverlayLike) => overlays.filter((x) => x.id === o.id).length;
    compositions = [
      composed(region, undefined),
      ...overlays.map((o) => composed(region, o, versions(o) > 1 && o.version !== undefined)),
    ];
  } else {
    if (!context.region || context.region.id !== candidate.region) {
      throw new CompositionError(
        'OVERLAY_REGION_MISMATCH',
        `De analyse van de regels van ${placeName(candidate.id)} heeft de regelset van ${candidate.region} nodig.`,
      );
    }
    region = context.region;
    overlay = candidate;
    compositions = [composed(region, overlay)];
  }

  const findings: Finding[] = [
    ...unknownParameters(region),
    ...missingTariffs(region),
    ...perComposition(compositions, (c) => unsatisfiableRules(region.rules, c)),
    ...perComposition(compositions, (c) => shadowedRules(region.rules, c)),
    ...unusedParameters(region, overlay, compositions),
    ...(context.firedRuleIds ? untestedRules(region, overlay, compositions, context.firedRuleIds) : []),
  ];
  const order = (f: Finding) => (f.severity === 'error' ? 0 : 1);
  return {
    findings: findings
      .map((f, i) => [f, i] as const)
      .sort(([a, i], [b, j]) => order(a) - order(b) || i - j)
      .map(([f]) => f),
  };
}

function finding(code: AnalysisCode, message: string, where: { ruleId?: string; parameter?: string } = {}): Finding {
  return { severity: SEVERITY[code], code, ...where, message };
}

/**
 * Runs a check in every composition and reports each finding once; one that does not hold in
 * all of them says where it does ("bij Deventer en Zwolle") or, if shorter, where it does not
 * ("niet bij Deventer").
 */
function perComposition(compositions: readonly Composed[], check: (c: Composed) => Finding[]): Finding[] {
  const seen = new Map<string, { finding: Finding; where: Set<Composed> }>();
  for (const c of compositions) {
    for (const f of check(c)) {
      const key = `${f.code}|${f.ruleId ?? ''}|${f.parameter ?? ''}`;
      const entry = seen.get(key);
      if (entry) entry.where.add(c);
      else seen.set(key, { finding: f, where: new Set([c]) });
    }
  }
  return [...seen.values()].map(({ finding: f, where }) => {
    if (where.size === compositions.length) return f;
    // name the shorter list: where it holds, or where it does not
    const holds = compositions.filter((c) => where.has(c)).map((c) => c.label);
    const elsewhere = compositions.filter((c) => !where.has(c)).map((c) => c.label);
    const scope =
      holds.length <= elsewhere.length ? `bij ${listInWords(holds)}` : `niet bij ${listInWords(elsewhere, 'of')}`;
    return { ...f, message: `${f.message.replace(/\.$/, '')} (${scope}).` };
  });
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

function leavesOf(condition: Condition): LeafCondition[] {
  if (isLeaf(condition)) return [condition];
  if ('all' in condition) return condition.all.flatMap(leavesOf);
  if ('any' in condition) return condition.any.flatMap(leavesOf);
  return leavesOf(condition.not);
}

/** The parameters a rule's conditions refer to, in order, each once. */
export function parametersOf(rule: Rule): string[] {
  const names = leavesOf(rule.conditions)
    .map((leaf) => referenceOf(leaf.value))
    .filter((ref): ref is string => ref?.startsWith(PARAM_FACT_PREFIX) ?? false)
    .map((ref) => ref.slice(PARAM_FACT_PREFIX.length));
  return [...new Set(names)];
}

function unknownParameters(region: RegionLike): Finding[] {
  return region.rules.flatMap((rule) =>
    parametersOf(rule)
      .filter((name) => !Object.hasOwn(region.parameters, name))
      .map((name) =>
        finding(
          'PARAMETER_UNKNOWN',
          `Regel ${rule.id} verwijst naar de parameter ${name}, maar die bestaat niet in ${placeName(region.id)}.`,
          { ruleId: rule.id, parameter: name },
        ),
      ),
  );
}

function unusedParameters(region: RegionLike, overlay: OverlayLike | undefined, compositions: Composed[]): Finding[] {
  if (!overlay) {
    const used = new Set([...ENGINE_PARAMETERS, ...region.rules.flatMap(parametersOf)]);
    return Object.entries(region.parameters)
      .filter(([name]) => !used.has(name))
      .map(([name, p]) =>
        finding(
          'PARAMETER_UNUSED',
          `De parameter ${name} (${p.label}) wordt door geen regel en niet door de tariefberekening gebruikt.`,
          { parameter: name },
        ),
      );
  }
  // an overlay's value counts only if a rule that is switched on for the municipality reads it
  const c = compositions[0]!;
  const used = new Set([...ENGINE_PARAMETERS, ...region.rules.filter(c.enabled).flatMap(parametersOf)]);
  return Object.keys(overlay.parameters)
    .filter((name) => !used.has(name))
    .map((name) =>
      finding(
        'PARAMETER_UNUSED',
        `${placeName(overlay.id)} stelt ${name} in, maar geen regel die voor deze gemeente aanstaat gebruikt die waarde.`,
        { parameter: name },
      ),
    );
}

// ---------------------------------------------------------------------------------------------
// Tariffs
// ---------------------------------------------------------------------------------------------

/**
 * Every profile × intensity the catalogue allows (middle segment; the top segment is priced per
 * trajectory) and every product × level, in the product's unit, needs a price: without one a
 * case falls to the TARIFF_UNKNOWN review rule, which is a safety net, not a tariff.
 */
function missingTariffs(region: RegionLike): Finding[] {
  const out: Finding[] = [];
  const { catalogue, tariffs } = region;
  if ('profiles' in catalogue) {
    const priced = tariffs.model === 'output' ? tariffs.middleSegment : [];
    for (const profile of catalogue.profiles) {
      for (const intensity of profile.intensities) {
        if (!priced.some((t) => t.profile === profile.number && t.intensity === intensity)) {
          out.push(
            finding(
              'TARIFF_MISSING',
              `Profiel ${profile.number} (${profile.title}) met intensiteit ${intensity} staat in de catalogus, maar heeft geen tarief in het middensegment.`,
            ),
          );
        }
      }
    }
  } else {
    const priced = tariffs.model === 'effort' ? tariffs.products : [];
    for (const product of catalogue.products) {
      const levels = product.levels.length > 0 ? product.levels : [undefined];
      for (const level of levels) {
        if (!priced.some((t) => t.product === product.slug && t.level === level && t.unit === product.unit)) {
          out.push(
            finding(
              'TARIFF_MISSING',
              `Product ${product.slug}${level ? ` niveau ${level}` : ''} staat in de catalogus, maar heeft geen tarief per ${product.unit}.`,
            ),
          );
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Conditions as constraints
// ---------------------------------------------------------------------------------------------

/** A leaf whose value could be resolved, possibly negated; `nonNumeric` holds for values the numeric operators reject. */
interface Literal {
  fact: string;
  operator: Operator | 'nonNumeric';
  compareWith: unknown;
  text: string;
}

const UNKNOWN = Symbol('unknown');

/** A leaf's value: the literal, the effective value of a parameter, or UNKNOWN (another fact, a missing parameter). */
function resolve(leaf: LeafCondition, parameters: Readonly<Record<string, unknown>>): unknown {
  const ref = referenceOf(leaf.value);
  if (ref === undefined) return leaf.value;
  if (!ref.startsWith(PARAM_FACT_PREFIX)) return UNKNOWN;
  const name = ref.slice(PARAM_FACT_PREFIX.length);
  return Object.hasOwn(parameters, name) ? parameters[name] : UNKNOWN;
}

const NUMERIC: ReadonlySet<string> = new Set(['lessThan', 'lessThanInclusive', 'greaterThan', 'greaterThanInclusive']);
const NUMERIC_NEGATION: Partial<Record<Operator, Operator>> = {
  lessThan: 'greaterThanInclusive',
  lessThanInclusive: 'greaterThan',
  greaterThan: 'lessThanInclusive',
  greaterThanInclusive: 'lessThan',
};
const LIST_NEGATION: Partial<Record<Operator, Operator>> = {
  equal: 'notEqual',
  notEqual: 'equal',
  in: 'notIn',
  notIn: 'in',
};

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** What reading a condition needs of a composition: the effective parameter values and their labels. */
type Values = Pick<Composed, 'parameters' | 'lookup'>;

/** Disjunctive normal form: a list of conjunctions of literals. `[[]]` is "always", `[]` "never". */
type Dnf = Literal[][];

/** Beyond this many conjunctions the analysis gives up on a rule (and so reports nothing about it). */
const MAX_CONJUNCTIONS = 256;

/**
 * The condition as a disjunction of conjunctions, `not` pushed down to the leaves (De Morgan).
 * A negated leaf becomes its opposite where that is exact for the values facts take: `=`/`≠`,
 * `in`/`notIn`, and a numeric comparison becomes "not a number, or the opposite comparison"
 * (numeric operators are false for null). What has no exact opposite drops out (no constraint).
 */
function toDnf(c: Condition, negated: boolean, composition: Values): Dnf | undefined {
  if (isLeaf(c)) return leafDnf(c, negated, composition);
  if ('not' in c) return toDnf(c.not, !negated, composition);
  const children = 'all' in c ? c.all : c.any;
  const conjunction = 'all' in c !== negated;
  const parts: Dnf[] = [];
  for (const child of children) {
    const part = toDnf(child, negated, composition);
    if (!part) return undefined;
    parts.push(part);
  }
  if (!conjunction) {
    const union = parts.flat();
    return union.length > MAX_CONJUNCTIONS ? undefined : union;
  }
  let product: Dnf = [[]];
  for (const part of parts) {
    const next: Dnf = [];
    for (const left of product) for (const right of part) next.push([...left, ...right]);
    if (next.length > MAX_CONJUNCTIONS) return undefined;
    product = next;
  }
  return product;
}

function leafDnf(leaf: LeafCondition, negated: boolean, composition: Values): Dnf {
  const compareWith = resolve(leaf, composition.parameters);
  if (compareWith === UNKNOWN) return [[]];
  // an empty list parameter is how a rule set keeps a rule dormant until a value is set
  // (`admission.closedProductGroups: []`: no group closed); that is a choice, not a contradiction
  if (isDormant(leaf, compareWith)) return [[]];
  const text = leafInWords(leaf, composition.lookup);
  const literal = (operator: Literal['operator'], words = text): Literal => ({
    fact: leaf.fact,
    operator,
    compareWith,
    text: words,
  });
  if (!negated) return [[literal(leaf.operator)]];
  const notText = `niet (${text})`;
  const opposite = LIST_NEGATION[leaf.operator];
  // in/notIn search with indexOf: only on a list or a string are the two each other's opposite
  const searches = leaf.operator === 'in' || leaf.operator === 'notIn';
  if (opposite && (!searches || hasIndexOf(compareWith))) return [[literal(opposite, notText)]];
  const numericOpposite = NUMERIC_NEGATION[leaf.operator];
  if (numericOpposite && isFiniteNumber(compareWith))
    return [[literal('nonNumeric', notText)], [literal(numericOpposite, notText)]];
  return [[]];
}

function isDormant(leaf: LeafCondition, compareWith: unknown): boolean {
  const fromParameter = referenceOf(leaf.value)?.startsWith(PARAM_FACT_PREFIX) ?? false;
  return (
    fromParameter &&
    (leaf.operator === 'in' || leaf.operator === 'containsAny') &&
    Array.isArray(compareWith) &&
    compareWith.length === 0
  );
}

function hasIndexOf(v: unknown): boolean {
  return Array.isArray(v) || typeof v === 'string';
}

/** Whether a literal holds for a value, exactly as the backends compute it; a throw fails the run, so never fires. */
function holds(literal: Literal, value: unknown): boolean {
  if (literal.operator === 'nonNumeric') return !numeric(value);
  try {
    return operatorOf(literal.operator)!.operate(value, literal.compareWith);
  } catch {
    return false;
  }
}

/** The values a fact must be one of, when some literal pins it down (`=`, `in` a list). */
function candidatesOf(literals: readonly Literal[]): unknown[] | undefined {
  const pinning = literals.filter(
    (l) => l.operator === 'equal' || (l.operator === 'in' && Array.isArray(l.compareWith)),
  );
  if (pinning.length === 0) return undefined;
  return pinning.flatMap((l) => (l.operator === 'equal' ? [l.compareWith] : (l.compareWith as unknown[])));
}

interface Interval {
  lo: number;
  loStrict: boolean;
  hi: number;
  hiStrict: boolean;
}

/** The interval the numeric literals leave, or undefined when none constrains the fact to numbers. */
function intervalOf(literals: readonly Literal[]): Interval | undefined {
  const numericLiterals = literals.filter((l) => NUMERIC.has(l.operator));
  if (numericLiterals.length === 0) return undefined;
  const range: Interval = { lo: -Infinity, loStrict: false, hi: Infinity, hiStrict: false };
  for (const l of numericLiterals) {
    // a comparison with something that is no number still requires a number, bounds nothing here
    if (!isFiniteNumber(l.compareWith)) continue;
    const c = l.compareWith;
    const strict = l.operator === 'lessThan' || l.operator === 'greaterThan';
    if (l.operator.startsWith('less')) {
      if (c < range.hi || (c === range.hi && strict)) Object.assign(range, { hi: c, hiStrict: strict });
    } else if (c > range.lo || (c === range.lo && strict)) Object.assign(range, { lo: c, loStrict: strict });
  }
  return range;
}

const emptyInterval = (r: Interval) => r.lo > r.hi || (r.lo === r.hi && (r.loStrict || r.hiStrict));
const inInterval = (r: Interval, v: number) =>
  (r.loStrict ? v > r.lo : v >= r.lo) && (r.hiStrict ? v < r.hi : v <= r.hi);

/** Whether the literals on one fact can all hold for some value. */
function satisfiable(literals: readonly Literal[]): boolean {
  const all = (v: unknown) => literals.every((l) => holds(l, v));
  const candidates = candidatesOf(literals);
  if (candidates) return candidates.some(all);
  const range = intervalOf(literals);
  if (range) {
    if (literals.some((l) => l.operator === 'nonNumeric') || emptyInterval(range)) return false;
    // a single point is checked against every literal; a wider interval has room beside any finite exclusion
    return range.lo === range.hi ? all(range.lo) : true;
  }
  return listsSatisfiable(literals);
}

/** The list operators among themselves: what must and what may not be in the list. */
function listsSatisfiable(literals: readonly Literal[]): boolean {
  const mustContain = literals.filter((l) => l.operator === 'contains').map((l) => l.compareWith);
  const mustNot = literals.flatMap((l) =>
    l.operator === 'doesNotContain'
      ? [l.compareWith]
      : l.operator === 'containsNone' && Array.isArray(l.compareWith)
        ? l.compareWith
        : [],
  );
  if (mustContain.some((v) => mustNot.includes(v))) return false;
  for (const l of literals) {
    // both are false for any value when they compare with something that is no list
    if ((l.operator === 'containsAny' || l.operator === 'containsNone') && !Array.isArray(l.compareWith)) return false;
    if (l.operator === 'containsAny' && (l.compareWith as unknown[]).every((v) => mustNot.includes(v))) return false;
  }
  return true;
}

function byFact(literals: readonly Literal[]): Map<string, Literal[]> {
  const map = new Map<string, Literal[]>();
  for (const l of literals) map.set(l.fact, [...(map.get(l.fact) ?? []), l]);
  return map;
}

/** The literals of the first fact that cannot hold together, or undefined when the conjunction can hold. */
function conflictOf(conjunction: readonly Literal[]): Literal[] | undefined {
  for (const literals of byFact(conjunction).values()) if (!satisfiable(literals)) return literals;
  return undefined;
}

/**
 * Whether a condition can never hold with these parameter values: every conjunction of its
 * normal form has a fact whose constraints contradict each other. Returns the contradicting
 * constraints of the first conjunction, or undefined when the condition can hold (or is too
 * large to tell).
 */
export function unsatisfiableBecause(
  condition: Condition,
  composition: Values,
): { conjunctions: number; conflict: string[] } | undefined {
  const dnf = toDnf(condition, false, composition);
  if (!dnf) return undefined;
  let first: Literal[] | undefined;
  for (const conjunction of dnf) {
    const conflict = conflictOf(conjunction);
    if (!conflict) return undefined;
    first ??= conflict;
  }
  return { conjunctions: dnf.length, conflict: [...new Set((first ?? []).map((l) => l.text))] };
}

function unsatisfiableRules(rules: readonly Rule[], composition: Composed): Finding[] {
  return rules.flatMap((rule) => {
    const why = unsatisfiableBecause(rule.conditions, composition);
    if (!why) return [];
    const clash = why.conflict.map((t) => `'${t}'`);
    const message =
      why.conjunctions <= 1
        ? `Regel ${rule.id} kan nooit gelden: ${listInWords(clash)} kunnen niet tegelijk waar zijn.`
        : `Regel ${rule.id} kan nooit gelden: in elk van de ${why.conjunctions} manieren waarop de voorwaarden kunnen gelden botsen eisen, zoals ${listInWords(clash)}.`;
    return [
      finding('RULE_UNSATISFIABLE', why.conjunctions === 0 ? `Regel ${rule.id} kan nooit gelden.` : message, {
        ruleId: rule.id,
      }),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// Shadowed rules
// ---------------------------------------------------------------------------------------------

/** The leaves of a rule made only of `all` and leaves; undefined for any other shape. */
function conjunctionLeaves(c: Condition): LeafCondition[] | undefined {
  if (isLeaf(c)) return [c];
  if (!('all' in c)) return undefined;
  const out: LeafCondition[] = [];
  for (const child of c.all) {
    const leaves = conjunctionLeaves(child);
    if (!leaves) return undefined;
    out.push(...leaves);
  }
  return out;
}

/**
 * Whether the literals of one fact in rule A force a literal of rule B on the same fact. Only the
 * cases that are certain: pinned values all satisfying it, an interval inside its bound, the same
 * exclusion, the same list requirement.
 */
function implies(literals: readonly Literal[], wanted: Literal): boolean {
  const candidates = candidatesOf(literals);
  if (candidates) {
    const possible = candidates.filter((v) => literals.every((l) => holds(l, v)));
    return possible.length > 0 && possible.every((v) => holds(wanted, v));
  }
  const range = intervalOf(literals);
  const c = wanted.compareWith;
  const excluded = (v: unknown) =>
    (range !== undefined && (typeof v !== 'number' || !inInterval(range, v))) ||
    literals.some(
      (l) =>
        (l.operator === 'notEqual' && l.compareWith === v) ||
        (l.operator === 'notIn' && Array.isArray(l.compareWith) && l.compareWith.includes(v)),
    );
  const mustNot = (v: unknown) =>
    literals.some(
      (l) =>
        (l.operator === 'doesNotContain' && l.compareWith === v) ||
        (l.operator === 'containsNone' && Array.isArray(l.compareWith) && l.compareWith.includes(v)),
    );
  switch (wanted.operator) {
    case 'lessThan':
      return range !== undefined && isFiniteNumber(c) && (range.hi < c || (range.hi === c && range.hiStrict));
    case 'lessThanInclusive':
      return range !== undefined && isFiniteNumber(c) && range.hi <= c;
    case 'greaterThan':
      return range !== undefined && isFiniteNumber(c) && (range.lo > c || (range.lo === c && range.loStrict));
    case 'greaterThanInclusive':
      return range !== undefined && isFiniteNumber(c) && range.lo >= c;
    case 'notEqual':
      return excluded(c);
    case 'notIn':
      return Array.isArray(c) && c.every(excluded);
    case 'contains':
      return literals.some((l) => l.operator === 'contains' && l.compareWith === c);
    case 'doesNotContain':
      return mustNot(c);
    case 'containsAny':
      return (
        Array.isArray(c) &&
        literals.some(
          (l) =>
            (l.operator === 'contains' && c.includes(l.compareWith)) ||
            (l.operator === 'containsAny' &&
              Array.isArray(l.compareWith) &&
              l.compareWith.length > 0 &&
              l.compareWith.every((v) => c.includes(v))),
        )
      );
    case 'containsNone':
      return Array.isArray(c) && c.every(mustNot);
    default:
      return false;
  }
}

/**
 * Rule A is shadowed by rule B when both are switched on, have the same effect, consist of `all`
 * and leaves only, and every condition of B follows from A's conditions on the same fact: A then
 * never fires without B. Of two rules that imply each other, the later one is reported.
 */
function shadowedRules(rules: readonly Rule[], composition: Composed): Finding[] {
  const prepared = rules
    .filter(composition.enabled)
    .map((rule, index) => {
      const leaves = conjunctionLeaves(rule.conditions);
      if (!leaves) return undefined;
      const literals = leaves.flatMap((leaf) => leafDnf(leaf, false, composition)[0]!);
      return { rule, index, leaves, literals, facts: byFact(literals) };
    })
    .filter((p): p is NonNullable<typeof p> => p !== undefined && !conflictOf(p.literals));

  const follows = (a: (typeof prepared)[number], b: (typeof prepared)[number]) =>
    b.leaves.every((leaf) => {
      if (a.leaves.some((own) => sameContent(own, leaf))) return true;
      const [wanted] = leafDnf(leaf, false, composition)[0]!;
      return wanted !== undefined && implies(a.facts.get(leaf.fact) ?? [], wanted);
    });

  const out: Finding[] = [];
  for (const a of prepared) {
    const by = prepared.filter(
      (b) => b !== a && b.rule.effect === a.rule.effect && follows(a, b) && (!follows(b, a) || b.index < a.index),
    );
    if (by.length === 0) continue;
    out.push(
      finding(
        'RULE_SHADOWED',
        `Regel ${a.rule.id} gaat alleen af als ook ${listInWords(by.map((b) => b.rule.id))} afgaat, met hetzelfde effect; controleer of de regel nodig is.`,
        { ruleId: a.rule.id },
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Untested rules
// ---------------------------------------------------------------------------------------------

/**
 * A region's rules that are on in at least one composition; for an overlay, the rules it changes:
 * the ones it switches on and the ones that read a value it sets.
 */
function untestedRules(
  region: RegionLike,
  overlay: OverlayLike | undefined,
  compositions: readonly Composed[],
  fired: ReadonlySet<string>,
): Finding[] {
  const relevant = region.rules.filter((rule) => {
    if (!compositions.some((c) => c.enabled(rule))) return false;
    if (!overlay) return true;
    const switchedOn = Object.hasOwn(overlay.rules, rule.id) && overlay.rules[rule.id]!.enabled;
    return switchedOn || parametersOf(rule).some((name) => Object.hasOwn(overlay.parameters, name));
  });
  return relevant
    .filter((rule) => !fired.has(rule.id))
    .map((rule) =>
      finding('RULE_UNTESTED', `Geen testcasus laat regel ${rule.id} (${rule.code}) afgaan.`, { ruleId: rule.id }),
    );
}
