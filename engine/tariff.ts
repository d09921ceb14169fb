/**
 * Tariffs. IJsselland is output-based (002 §3.3, §5.8): a uniform price per profile × intensity in
 * the middle segment, the price agreed per trajectory in the top segment, of which a fixed
 * percentage is paid in advance and the rest at closure. MIJOV is effort-based (003 §9): price ×
 * quantity per product and level, with a per-municipality tariff differentiation (003 §6). From
 * 2022 IJsselland's output tariff names the component (004) the profile's allocation falls under.
 */
import { findProduct, findProfile, middleSegmentTariff, productTariff } from './catalogue.js';
import type { EffectiveRuleSet } from './compose.js';
import { calendarMonthsTouched, calendarWeeksTouched, daysInclusive } from './dates.js';
import type { AllocationCase, Case, Component, IjwAllocation, Tariff } from './schema.js';
import { z } from 'zod';
import { IJW_FREQUENCY_CODES, IJW_UNIT_CODES, ProductRequest, ProfileRequest } from './schema.js';

type ProfileRequest = z.infer<typeof ProfileRequest>;
type ProductRequest = z.infer<typeof ProductRequest>;

/** The tariff table's price for a middle-segment profile request or a product request. */
export function basePriceCents(
  effective: EffectiveRuleSet,
  request: ProfileRequest | ProductRequest,
): number | undefined {
  const { tariffs, catalogue } = effective.region.document;
  if ('profile' in request) {
    if (tariffs.model !== 'output') return undefined;
    return middleSegmentTariff(effective, request.profile, request.intensity)?.priceCents;
  }
  if (tariffs.model !== 'effort' || !('products' in catalogue)) return undefined;
  const product = findProduct(effective, request.product);
  if (!product) return undefined;
  return productTariff(effective, request.product, request.level ?? product.levels[0], product.unit)?.priceCents;
}

/**
 * The component (004) an allocation of a profile in a segment falls under: the profile's
 * `topSegmentComponent` in the top segment when it has one, else its `component`; undefined for a
 * catalogue without components (IJsselland 2018).
 */
export function componentOf(
  effective: EffectiveRuleSet,
  profileNumber: number,
  segment: 'midden' | 'top',
): Component | undefined {
  const { catalogue } = effective.region.document;
  if (!('profiles' in catalogue)) return undefined;
  const profile = findProfile(effective, profileNumber);
  if (!profile) return undefined;
  return (segment === 'top' ? profile.topSegmentComponent : undefined) ?? profile.component;
}

function numberParameter(effective: EffectiveRuleSet, name: string, fallback: number): number {
  const value = effective.parameters[name];
  return typeof value === 'number' ? value : fallback;
}

/**
 * The volume over the whole period: `units` as given (`totaal`), or per day / calendar week /
 * calendar month touched by the period (iJw WJ757). Rounded to 6 decimals so that 0.1 × 3 is 0.3.
 */
export function totalUnits(request: ProductRequest): number {
  return Math.round(request.units * periodFactor(request) * 1e6) / 1e6;
}

/** How many times `units` counts over the period: only the frequency's own count is worked out. */
function periodFactor({ frequency, startDate, endDate }: ProductRequest): number {
  switch (frequency ?? 'totaal') {
    case 'per-dag':
      return daysInclusive(startDate, endDate);
    case 'per-week':
      return calendarWeeksTouched(startDate, endDate);
    case 'per-maand':
      return calendarMonthsTouched(startDate, endDate);
    case 'totaal':
      return 1;
  }
}

/** The tariff of an allocation, or null when the case has none (admissions, services, unknown price). */
export function computeTariff(c: Case, effective: EffectiveRuleSet): Tariff | null {
  if (c.type !== 'allocation') return null;
  const request: AllocationCase['request'] = c.request;
  if ('service' in request) return null;

  if ('profile' in request) {
    const segment = request.segment ?? 'midden';
    const total = segment === 'top' ? request.trajectoryCostCents : basePriceCents(effective, request);
    if (total === undefined) return null;
    const advancePercentage = numberParameter(effective, 'tariff.advancePercentage', 100);
    const advanceCents = Math.round((total * advancePercentage) / 100);
    const component = componentOf(effective, request.profile, segment);
    const profile = catalogueEntry(effective, request);
    return {
      model: 'output',
      segment,
      totalCents: total,
      advanceCents,
      remainderCents: total - advanceCents,
      advancePercentage,
      ...(component === undefined ? {} : { component }),
      ...(profile ? { ijw: ijwAllocation(profile, { unit: '82', frequency: '6', volume: 1 }, total) } : {}),
    };
  }

  const base = basePriceCents(effective, request);
  if (base === undefined) return null;
  const differentiationPercentage = numberParameter(effective, 'tariff.differentiationPercentage', 0);
  const unitPriceCents = Math.round((base * (100 + differentiationPercentage)) / 100);
  const units = totalUnits(request);
  const totalCents = Math.round(unitPriceCents * units);
  const product = catalogueEntry(effective, request);
  return {
    model: 'effort',
    unitPriceCents,
    units,
    unit: request.unit,
    totalCents,
    differentiationPercentage,
    ...(product
      ? {
          ijw: ijwAllocation(
            product,
            {
              unit: IJW_UNIT_CODES[request.unit],
              frequency: IJW_FREQUENCY_CODES[request.frequency ?? 'totaal'],
              volume: request.units,
            },
            totalCents,
          ),
        }
      : {}),
  };
}

/** The catalogue entry (profile or product) a request names. */
export function catalogueEntry(effective: EffectiveRuleSet, request: ProfileRequest | ProductRequest) {
  // the maps hold only the kind of entry the catalogue has, as the lists did
  if ('profile' in request) return findProfile(effective, request.profile);
  return findProduct(effective, request.product);
}

/**
 * The allocation in iJw codes: the entry's category (JZ020) and regional code, the size in WJ756 and
 * WJ757 codes, and the budget. IJsselland pays per output (one trajectory, "82 stuks (output)", in
 * total over the allocation's period, "6"); MIJOV per unit of effort as requested.
 */
function ijwAllocation(
  entry: { ijwCategory: IjwAllocation['productCategory']; ijwProductCode?: string; ijwProductCodeSource?: unknown },
  size: Pick<IjwAllocation, 'unit' | 'frequency' | 'volume'>,
  budgetCents: number,
): IjwAllocation {
  return {
    productCategory: entry.ijwCategory,
    productCode: entry.ijwProductCode ?? null,
    productCodeIllustrative: entry.ijwProductCode !== undefined && entry.ijwProductCodeSource === 'illustratief',
    ...size,
    budgetCents,
  };
}
