/**
 * Derives the facts rules read (`FACTS` in schema.ts) from a validated case and the effective
 * rule set. All calendar reasoning lives here, once, so that rules compare plain values.
 */
import type { EffectiveRuleSet } from './compose.js';
import { ageInYears, daysInclusive, monthDay, monthsSpanned, monthsUntil, periodsOverlap } from './dates.js';
import { findProduct, findProfile } from './catalogue.js';
import type { AllocationCase, Case, FactName } from './schema.js';
import { basePriceCents } from './tariff.js';

const CRISIS_PROFILE = 11;

export type FactValue = string | number | boolean | null | readonly string[];
export type Facts = Record<FactName, FactValue>;

// where they were first, for the modules that import them from here
export { catalogueOf, findProduct, findProfile, type CatalogueIndex } from './catalogue.js';

/**
 * Every fact, none applicable yet (null, false, 0 or an empty list). One literal for every case,
 * filled in by assignment: V8 then gives every facts object the same hidden class, and the
 * compiled rules read each fact at a fixed offset instead of looking its name up.
 */
function notApplicable(caseType: Case['type']): Facts {
  return {
    caseType,
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
    overlappingOtherProfile: 0,
    familyPlanPresent: false,
    durableSupport: false,
    coordinatedWithLocalTeamOrGi: false,
    dyslexiaDataPresent: false,
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
    providerLevelCount: null,
    addedValueStated: false,
  };
}

/** The facts of a case, keyed by fact name; every fact is present (null when not applicable). */
export function deriveFacts(c: Case, effective: EffectiveRuleSet): Facts {
  const f = notApplicable(c.type);
  if (c.type === 'admission') {
    f.admissionPurpose = c.purpose;
    f.entryMonthDay = monthDay(c.entryDate);
    f.registrations = [...c.provider.registrations];
    f.governanceCodeZorg = c.provider.governanceCodeZorg;
    f.clientsLastYear = c.provider.clientsLastYear;
    f.requestedProductGroup = c.requestedProductGroup;
    f.providerProductGroupCount = new Set([...c.provider.productGroups, c.requestedProductGroup]).size;
    // scaling up and down within one provider needs a group with levels to move between (003 §6)
    const levels = findProduct(effective, c.requestedProductGroup)?.levels ?? [];
    if (levels.length >= 2) f.providerLevelCount = (c.provider.levels ?? []).filter((l) => levels.includes(l)).length;
    // blank text states nothing
    f.addedValueStated = (c.provider.addedValue ?? '').trim().length > 0;
    return f;
  }
  allocationFacts(f, c, effective);
  return f;
}

function allocationFacts(f: Facts, c: AllocationCase, effective: EffectiveRuleSet): void {
  const { request, familyPlan, dyslexia } = c;
  f.referrer = c.referral.referrer;
  f.ageYears = ageInYears(c.youth.birthDate, c.referenceDate);
  f.monthsBeforeBirth = monthsUntil(c.referenceDate, c.youth.birthDate);
  if (request.endDate !== undefined) {
    f.periodDays = daysInclusive(request.startDate, request.endDate);
    f.periodMonths = monthsSpanned(request.startDate, request.endDate);
  }
  f.openEnded = request.endDate === undefined;
  const planPresent = familyPlan?.present ?? false;
  f.familyPlanPresent = planPresent;
  f.durableSupport = planPresent && (familyPlan?.durableSupport ?? false);
  f.coordinatedWithLocalTeamOrGi = planPresent && (familyPlan?.coordinatedWith.length ?? 0) > 0;
  f.dyslexiaDataPresent = dyslexia !== undefined;
  if (dyslexia) {
    f.readingPercentile = dyslexia.readingPercentile;
    f.spellingPercentile = dyslexia.spellingPercentile;
    f.comorbidity = dyslexia.comorbidity;
    f.dossierMeasurements = dyslexia.schoolDossier.measurements;
    f.schoolSupport = dyslexia.schoolDossier.schoolSupport;
  }

  if ('service' in request) {
    f.requestKind = 'service';
    f.service = request.service;
    return;
  }
  const overlapping = c.existingAllocations.filter((a) => periodsOverlap(a, request));
  f.overlappingAllocations = overlapping.length;

  if ('profile' in request) {
    const segment = request.segment ?? 'midden';
    f.requestKind = 'profile';
    f.profile = request.profile;
    f.intensity = request.intensity;
    f.allowedIntensities = findProfile(effective, request.profile)?.intensities ?? [];
    f.segment = segment;
    f.trajectoryCostCents = request.trajectoryCostCents ?? null;
    // crisis care (profile 11) is outside the stacking check both ways: a crisis is followed by
    // whatever profile fits after it (002 §5.3, Bijlage B profile 11; contract "Stacking")
    if (request.profile !== CRISIS_PROFILE) {
      const counted = overlapping.filter((a) => a.profile !== undefined && a.profile !== CRISIS_PROFILE);
      f.overlappingSameProduct = counted.filter((a) => a.profile === request.profile).length;
      f.overlappingOtherProfile = counted.length - f.overlappingSameProduct;
    }
    f.tariffAvailable =
      segment === 'top' ? request.trajectoryCostCents !== undefined : basePriceCents(effective, request) !== undefined;
    return;
  }

  const product = findProduct(effective, request.product);
  f.requestKind = 'product';
  f.product = request.product;
  f.productLevel = request.level ?? product?.levels[0] ?? null;
  f.unit = request.unit;
  f.productUnit = product?.unit ?? null;
  f.productMaxIndicationMonths = product?.maxIndicationMonths ?? null;
  f.overlappingSameProduct = overlapping.filter((a) => a.product === request.product).length;
  f.tariffAvailable = basePriceCents(effective, request) !== undefined;
}
