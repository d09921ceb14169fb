/**
 * Which values marked illustrative a decision rests on (contract, "Values no source gives"): the
 * parameters, catalogue entries and rules a fired rule used, and the tariff entry, parameters and
 * profile-to-component assignment (`profiel-N.onderdeel`) the tariff used. Computed from the effective rule set and the fired rules, not from a backend's
 * output, so every backend lists the same.
 */
import type { EffectiveRuleSet } from './compose.js';
import { findProduct, findProfile } from './facts.js';
import {
  type Case,
  type Condition,
  type IllustrativeRef,
  PARAM_FACT_PREFIX,
  type Rule,
  type Source,
  type Tariff,
} from './schema.js';

/** Facts whose value comes from the catalogue entry of the requested profile or product. */
const CATALOGUE_FACTS: ReadonlySet<string> = new Set([
  'allowedIntensities',
  'productLevel',
  'productUnit',
  'productMaxIndicationMonths',
  'providerLevelCount',
]);

/** Every fact a condition reads, on either side of a comparison, parameters included. */
function factsRead(condition: Condition, into: Set<string>): Set<string> {
  if ('all' in condition) for (const c of condition.all) factsRead(c, into);
  else if ('any' in condition) for (const c of condition.any) factsRead(c, into);
  else if ('not' in condition) factsRead(condition.not, into);
  else {
    into.add(condition.fact);
    const { value } = condition;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) into.add(value.fact);
  }
  return into;
}

const factsOfRule = new WeakMap<Rule, readonly string[]>();

/** The facts a rule's conditions read, once per rule (rules of a published version never change). */
function factsReadBy(rule: Rule): readonly string[] {
  let facts = factsOfRule.get(rule);
  if (!facts) factsOfRule.set(rule, (facts = [...factsRead(rule.conditions, new Set())]));
  return facts;
}

const isIllustrative = (source: Source | undefined) => source === 'illustratief';

/**
 * Collects the illustrative values of one decision, without duplicates. A class rather than
 * closures made per decision: the methods exist once (and tsx's keepNames wraps every closure
 * made in a hot function in a call that renames it, a tenth of a decision's time).
 */
class Collector {
  readonly found = new Map<string, IllustrativeRef>();

  constructor(
    private readonly c: Case,
    private readonly effective: EffectiveRuleSet,
  ) {}

  add(ruleSet: string, kind: IllustrativeRef['kind'], id: string): void {
    this.found.set(`${ruleSet}\u0000${kind}\u0000${id}`, { ruleSet, kind, id });
  }

  /** The effective value: the overlay's when it set the parameter, else the region's. */
  parameter(name: string): void {
    const region = this.effective.region.document;
    const overlay = this.effective.overlay?.document;
    if (overlay && Object.hasOwn(overlay.parameters, name)) {
      if (isIllustrative(overlay.parameterSources?.[name])) this.add(overlay.id, 'parameter', name);
    } else if (isIllustrative(region.parameters[name]?.source)) this.add(region.id, 'parameter', name);
  }

  catalogueEntry(): void {
    const { c, effective } = this;
    const region = effective.region.document;
    if (c.type === 'admission') {
      const product = findProduct(effective, c.requestedProductGroup);
      if (product?.illustrative) this.add(region.id, 'catalogue', product.slug);
      return;
    }
    const { request } = c;
    if ('profile' in request) {
      const profile = findProfile(effective, request.profile);
      if (profile?.illustrative) this.add(region.id, 'catalogue', `profiel-${profile.number}`);
    } else if ('product' in request) {
      const product = findProduct(effective, request.product);
      if (product?.illustrative) this.add(region.id, 'catalogue', product.slug);
    }
  }
}

/** The illustrative values behind a decision, sorted by rule set, kind and id, without duplicates. */
export function illustrativeValues(
  c: Case,
  effective: EffectiveRuleSet,
  firedRules: readonly Rule[],
  tariff: Tariff | null,
): IllustrativeRef[] {
  const on = new Collector(c, effective);
  const region = effective.region.document;
  const overlay = effective.overlay?.document;
  for (const rule of firedRules) {
    if (rule.illustrative) on.add(region.id, 'rule', rule.id);
    if (overlay && isIllustrative(overlay.rules[rule.id]?.source)) on.add(overlay.id, 'rule', rule.id);
    for (const fact of factsReadBy(rule)) {
      if (fact.startsWith(PARAM_FACT_PREFIX)) on.parameter(fact.slice(PARAM_FACT_PREFIX.length));
      else if (CATALOGUE_FACTS.has(fact)) on.catalogueEntry();
    }
  }

  if (tariff && c.type === 'allocation') tariffValues(c, effective, tariff, on);

  return [...on.found.values()].sort(
    (a, b) => compare(a.ruleSet, b.ruleSet) || compare(a.kind, b.kind) || compare(a.id, b.id),
  );
}

function tariffValues(
  c: Extract<Case, { type: 'allocation' }>,
  effective: EffectiveRuleSet,
  tariff: Tariff,
  on: {
    add: (ruleSet: string, kind: IllustrativeRef['kind'], id: string) => void;
    parameter: (name: string) => void;
    catalogueEntry: () => void;
  },
): void {
  const region = effective.region.document;
  const { tariffs } = region;
  const { request } = c;
  if (tariff.model === 'output' && 'profile' in request && tariffs.model === 'output') {
    on.parameter('tariff.advancePercentage');
    // the component the tariff names comes from the profile's assignment, which may be the region's reading
    if (tariff.component !== undefined) {
      const profile = findProfile(effective, request.profile);
      if (profile && isIllustrative(profile.componentSource))
        on.add(region.id, 'catalogue', `profiel-${profile.number}.onderdeel`);
    }
    // the top segment's price is the one agreed for this trajectory, not a table entry
    if (tariff.segment === 'top') return;
    const entry = tariffs.middleSegment.find((t) => t.profile === request.profile && t.intensity === request.intensity);
    if (entry && isIllustrative(entry.source ?? tariffs.source))
      on.add(region.id, 'tariff', `profiel-${entry.profile}.${entry.intensity}`);
  } else if (tariff.model === 'effort' && 'product' in request && tariffs.model === 'effort') {
    on.parameter('tariff.differentiationPercentage');
    // the catalogue gives the unit and default level the price is looked up by
    on.catalogueEntry();
    const product = findProduct(effective, request.product);
    const level = request.level ?? product?.levels[0];
    const entry = tariffs.products.find(
      (t) => t.product === request.product && t.level === level && t.unit === product?.unit,
    );
    if (entry && isIllustrative(entry.source ?? tariffs.source))
      on.add(region.id, 'tariff', entry.level ? `${entry.product}.${entry.level}` : entry.product);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
