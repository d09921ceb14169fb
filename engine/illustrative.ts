/**
 * Which values marked illustrative a decision rests on (contract, "Values no source gives"): the
 * parameters, catalogue entries and rules a fired rule used, and the tariff entry, parameters and
 * profile-to-component assignment (`profiel-N.onderdeel`) the tariff used. Computed from the effective rule set and the fired rules, not from a backend's
 * output, so every backend lists the same.
 */
import type { EffectiveRuleSet } from './compose.js';
import { findProduct, findProfile, middleSegmentTariff, productTariff } from './catalogue.js';
import {
  type Case,
  type Condition,
  type IllustrativeRef,
  PARAM_FACT_PREFIX,
  type Rule,
  type Source,
  type Tariff,
} from './schema.js';

/**
 * Facts whose value comes from the catalogue entry of the requested profile or product: a
 * condition on one rests on that entry (illustrative when the entry is). The editor marks them so.
 */
export const CATALOGUE_FACTS: ReadonlySet<string> = new Set([
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
 * Collects the illustrative values of one decision, without duplicates: a short list searched
 * rather than a map keyed by a string made per value, since a decision rests on a handful at most.
 * A class rather than closures made per decision: the methods exist once (and tsx's keepNames
 * wraps every closure made in a hot function in a call that renames it).
 */
class Collector {
  readonly found: IllustrativeRef[] = [];

  constructor(private readonly effective: EffectiveRuleSet) {}

  add(ruleSet: string, kind: IllustrativeRef['kind'], id: string): void {
    for (const f of this.found) if (f.id === id && f.kind === kind && f.ruleSet === ruleSet) return;
    this.found.push({ ruleSet, kind, id });
  }

  /** The effective value: the overlay's when it set the parameter, else the region's. */
  parameter(name: string): void {
    const region = this.effective.region.document;
    const overlay = this.effective.overlay?.document;
    if (overlay && Object.hasOwn(overlay.parameters, name)) {
      if (isIllustrative(overlay.parameterSources?.[name])) this.add(overlay.id, 'parameter', name);
    } else if (isIllustrative(region.parameters[name]?.source)) this.add(region.id, 'parameter', name);
  }

  /** The catalogue entry the case requests, when it is illustrative. */
  catalogueEntry(c: Case): void {
    const { effective } = this;
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

/** What a fired rule contributes whatever the case: its own illustrative values, and whether it reads the catalogue. */
interface RulePlan {
  refs: readonly IllustrativeRef[];
  readsCatalogue: boolean;
}

const plansOf = new WeakMap<EffectiveRuleSet, Map<Rule, RulePlan>>();

/** A rule's plan in a composition, made once (compositions and their rules never change). */
function planOf(effective: EffectiveRuleSet, rule: Rule): RulePlan {
  let plans = plansOf.get(effective);
  if (!plans) plansOf.set(effective, (plans = new Map()));
  let plan = plans.get(rule);
  if (plan) return plan;
  const region = effective.region.document;
  const overlay = effective.overlay?.document;
  const on = new Collector(effective);
  if (rule.illustrative) on.add(region.id, 'rule', rule.id);
  if (overlay && isIllustrative(overlay.rules[rule.id]?.source)) on.add(overlay.id, 'rule', rule.id);
  let readsCatalogue = false;
  for (const fact of factsReadBy(rule)) {
    if (fact.startsWith(PARAM_FACT_PREFIX)) on.parameter(fact.slice(PARAM_FACT_PREFIX.length));
    else if (CATALOGUE_FACTS.has(fact)) readsCatalogue = true;
  }
  plan = { refs: on.found, readsCatalogue };
  plans.set(rule, plan);
  return plan;
}

/** The illustrative values behind a decision, sorted by rule set, kind and id, without duplicates. */
export function illustrativeValues(
  c: Case,
  effective: EffectiveRuleSet,
  firedRules: readonly Rule[],
  tariff: Tariff | null,
): IllustrativeRef[] {
  const on = new Collector(effective);
  for (const rule of firedRules) {
    const plan = planOf(effective, rule);
    for (const ref of plan.refs) on.add(ref.ruleSet, ref.kind, ref.id);
    if (plan.readsCatalogue) on.catalogueEntry(c);
  }

  if (tariff && c.type === 'allocation') tariffValues(c, effective, tariff, on);

  const { found } = on;
  return found.length < 2 ? found : found.sort(byRuleSetKindAndId);
}

function byRuleSetKindAndId(a: IllustrativeRef, b: IllustrativeRef): number {
  return compare(a.ruleSet, b.ruleSet) || compare(a.kind, b.kind) || compare(a.id, b.id);
}

function tariffValues(
  c: Extract<Case, { type: 'allocation' }>,
  effective: EffectiveRuleSet,
  tariff: Tariff,
  on: Collector,
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
    const entry = middleSegmentTariff(effective, request.profile, request.intensity);
    if (entry && isIllustrative(entry.source ?? tariffs.source))
      on.add(region.id, 'tariff', `profiel-${entry.profile}.${entry.intensity}`);
  } else if (tariff.model === 'effort' && 'product' in request && tariffs.model === 'effort') {
    on.parameter('tariff.differentiationPercentage');
    // the catalogue gives the unit and default level the price is looked up by
    on.catalogueEntry(c);
    const product = findProduct(effective, request.product);
    const entry = productTariff(effective, request.product, request.level ?? product?.levels[0], product?.unit);
    if (entry && isIllustrative(entry.source ?? tariffs.source))
      on.add(region.id, 'tariff', entry.level ? `${entry.product}.${entry.level}` : entry.product);
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
