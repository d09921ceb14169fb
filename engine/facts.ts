/**
 * Derives the facts rules read (`FACTS` in schema.ts) from a validated case and the effective
 * rule set. All calendar reasoning lives here, once, so that rules compare plain values.
 */
import type { EffectiveRuleSet } from './compose.js';
import { ageInYears, daysInclusive, monthDay, monthsSpanned, monthsUntil, periodsOverlap } from './dates.js';
import type { AllocationCase, Case, FactName, Product, Profile } from './schema.js';
import { basePriceCents } from './tariff.js';

export type FactValue = string | number | boolean | null | readonly string[];
export type Facts = Record<FactName, FactValue>;

const NOT_APPLICABLE = {
  requestKind: null,
  service: null,
  referrer: null,
  profile: null,
  intensity: null,
  allowedIntensities: [],
  segment: null,
  trajectoryCostCents: null,
  product: null,
  productLevel: null,
  unit: null,
  productUnit: null,
  periodDays: null,
  periodMonths: null,
  openEnded: false,
  productMaxIndicationMonths: null,
  ageYears: null,
  monthsBeforeBirth: null,
  overlappingAllocations: 0,
  overlappingSameProduct: 0,
  familyPlanPresent: false,
  durableSupport: false,
  coordinatedWithLocalTeamOrGi: false,
  readingPercentile: null,
  spellingPercentile: null,
  comorbidity: null,
  dossierMeasurements: null,
  schoolSupport: null,
  tariffAvailable: null,
  admissionPurpose: null,
  entryMonthDay: null,
  registrations: [],
  governanceCodeZorg: null,
  clientsLastYear: null,
  requestedProductGroup: null,
  providerProductGroupCount: null,
} as const satisfies Omit<Facts, 'caseType'>;

export function findProfile(effective: EffectiveRuleSet, number: number): Profile | undefined {
  const { catalogue } = effective.region.document;
  return 'profiles' in catalogue ? catalogue.profiles.find((p) => p.number === number) : undefined;
}

export function findProduct(effective: EffectiveRuleSet, slug: string): Product | undefined {
  const { catalogue } = effective.region.document;
  return 'products' in catalogue ? catalogue.products.find((p) => p.slug === slug) : undefined;
}

/** The facts of a case, keyed by fact name; every fact is present (null when not applicable). */
export function deriveFacts(c: Case, effective: EffectiveRuleSet): Facts {
  if (c.type === 'admission') {
    return {
      ...NOT_APPLICABLE,
      caseType: 'admission',
      admissionPurpose: c.purpose,
      entryMonthDay: monthDay(c.entryDate),
      registrations: [...c.provider.registrations],
      governanceCodeZorg: c.provider.governanceCodeZorg,
      clientsLastYear: c.provider.clientsLastYear,
      requestedProductGroup: c.requestedProductGroup,
      providerProductGroupCount: new Set([...c.provider.productGroups, c.requestedProductGroup]).size,
    };
  }
  return { ...NOT_APPLICABLE, caseType: 'allocation', ...allocationFacts(c, effective) };
}

function allocationFacts(c: AllocationCase, effective: EffectiveRuleSet): Partial<Facts> {
  const { request } = c;
  const common: Partial<Facts> = {
    referrer: c.referral.referrer,
    ageYears: ageInYears(c.youth.birthDate, c.referenceDate),
    monthsBeforeBirth: monthsUntil(c.referenceDate, c.youth.birthDate),
    periodDays: request.endDate ? daysInclusive(request.startDate, request.endDate) : null,
    periodMonths: request.endDate ? monthsSpanned(request.startDate, request.endDate) : null,
    openEnded: request.endDate === undefined,
    familyPlanPresent: c.familyPlan?.present ?? false,
    durableSupport: (c.familyPlan?.present ?? false) && (c.familyPlan?.durableSupport ?? false),
    coordinatedWithLocalTeamOrGi: (c.familyPlan?.present ?? false) && (c.familyPlan?.coordinatedWith.length ?? 0) > 0,
    readingPercentile: c.dyslexia?.readingPercentile ?? null,
    spellingPercentile: c.dyslexia?.spellingPercentile ?? null,
    comorbidity: c.dyslexia?.comorbidity ?? null,
    dossierMeasurements: c.dyslexia?.schoolDossier.measurements ?? null,
    schoolSupport: c.dyslexia?.schoolDossier.schoolSupport ?? null,
  };
  const overlapping = c.existingAllocations.filter((a) => periodsOverlap(a, request));

  if ('service' in request) return { ...common, requestKind: 'service', service: request.service };

  if ('profile' in request) {
    const segment = request.segment ?? 'midden';
    return {
      ...common,
      requestKind: 'profile',
      profile: request.profile,
      intensity: request.intensity,
      allowedIntensities: findProfile(effective, request.profile)?.intensities ?? [],
      segment,
      trajectoryCostCents: request.trajectoryCostCents ?? null,
      overlappingAllocations: overlapping.length,
      overlappingSameProduct: overlapping.filter((a) => a.profile === request.profile).length,
      tariffAvailable:
        segment === 'top'
          ? request.trajectoryCostCents !== undefined
          : basePriceCents(effective, request) !== undefined,
    };
  }

  const product = findProduct(effective, request.product);
  return {
    ...common,
    requestKind: 'product',
    product: request.product,
    productLevel: request.level ?? product?.levels[0] ?? null,
    unit: request.unit,
    productUnit: product?.unit ?? null,
    productMaxIndicationMonths: product?.maxIndicationMonths ?? null,
    overlappingAllocations: overlapping.length,
    overlappingSameProduct: overlapping.filter((a) => a.product === request.product).length,
    tariffAvailable: basePriceCents(effective, request) !== undefined,
  };
}
