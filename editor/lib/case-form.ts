/**
 * The test bench's case form: every field a case in the contract has (allocations with a profile,
 * a product or a service, existing allocations, the family plan and dyslexia data; admissions with
 * the provider's registrations, product groups, levels and stated added value), as plain values a
 * form can bind, and the case they give. `formFromCase` fills the form from a case (pasted JSON),
 * so that any case can be built, read back and changed without JSON.
 */
import type { Case } from '../../engine/browser.js';

export type RequestKind = 'profile' | 'product' | 'service';

export interface ExistingForm {
  kind: 'profile' | 'product';
  profile: number;
  product: string;
  /** '' for none. */
  intensity: string;
  startDate: string;
  /** '' for none. */
  endDate: string;
}

export interface CaseForm {
  type: 'allocation' | 'admission';
  municipality: string;
  referenceDate: string;
  // allocation
  birthDate: string;
  referrer: string;
  requestKind: RequestKind;
  profile: number;
  intensity: string;
  segment: 'midden' | 'top';
  /** Top segment only; '' for none. */
  trajectoryCostCents: string;
  product: string;
  /** '' for none. */
  level: string;
  units: number;
  unit: string;
  /** '' for none. */
  frequency: string;
  service: string;
  startDate: string;
  /** '' for none (not for a product). */
  endDate: string;
  /** No family plan in the case, one that is present, or one that is stated absent. */
  familyPlan: 'none' | 'present' | 'absent';
  durableSupport: boolean;
  coordinatedWith: string[];
  existing: ExistingForm[];
  dyslexia: boolean;
  readingPercentile: number;
  spellingPercentile: number;
  comorbidity: boolean;
  measurements: number;
  schoolSupport: boolean;
  // admission
  purpose: 'entry' | 'renewal';
  entryDate: string;
  providerName: string;
  registrations: string[];
  governanceCodeZorg: boolean;
  clientsLastYear: number;
  productGroups: string[];
  /** undefined: the provider states no levels. */
  levels: string[] | undefined;
  addedValue: string;
  requestedProductGroup: string;
}

export function defaultForm(today: string): CaseForm {
  return {
    type: 'allocation',
    municipality: 'zwolle',
    referenceDate: today,
    birthDate: '2017-05-12',
    referrer: 'gemeentelijke-toegang',
    requestKind: 'profile',
    profile: 12,
    intensity: 'perspectief',
    segment: 'midden',
    trajectoryCostCents: '',
    product: 'begeleiding-individueel',
    level: 'basis',
    units: 52,
    unit: 'uur',
    frequency: '',
    service: 'jeugdbescherming',
    startDate: today,
    endDate: '',
    familyPlan: 'none',
    durableSupport: false,
    coordinatedWith: [],
    existing: [],
    dyslexia: true,
    readingPercentile: 8,
    spellingPercentile: 30,
    comorbidity: false,
    measurements: 3,
    schoolSupport: true,
    purpose: 'entry',
    entryDate: today,
    providerName: 'Voorbeeld Jeugdzorg BV',
    registrations: ['SKJ'],
    governanceCodeZorg: true,
    clientsLastYear: 0,
    productGroups: [],
    levels: undefined,
    addedValue: '',
    requestedProductGroup: 'profiel-2',
  };
}

const optional = <K extends string, V>(key: K, value: V | '' | undefined) =>
  (value === '' || value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The case the form describes, in the contract's shape. */
export function caseFromForm(f: CaseForm): Case {
  if (f.type === 'admission') {
    return {
      type: 'admission',
      purpose: f.purpose,
      municipality: f.municipality,
      referenceDate: f.referenceDate,
      entryDate: f.entryDate,
      provider: {
        name: f.providerName,
        registrations: f.registrations,
        governanceCodeZorg: f.governanceCodeZorg,
        clientsLastYear: Number(f.clientsLastYear),
        productGroups: f.productGroups,
        ...optional('addedValue', f.addedValue),
        ...optional('levels', f.levels),
      },
      requestedProductGroup: f.requestedProductGroup,
    } as Case;
  }
  const period = { startDate: f.startDate, ...optional('endDate', f.endDate) };
  const request =
    f.requestKind === 'service'
      ? { service: f.service, ...period }
      : f.requestKind === 'product'
        ? {
            product: f.product,
            ...optional('level', f.level),
            units: Number(f.units),
            unit: f.unit,
            ...optional('frequency', f.frequency),
            startDate: f.startDate,
            endDate: f.endDate,
          }
        : {
            profile: Number(f.profile),
            intensity: f.intensity,
            ...(f.segment === 'top'
              ? {
                  segment: 'top',
                  ...optional('trajectoryCostCents', f.trajectoryCostCents === '' ? '' : Number(f.trajectoryCostCents)),
                }
              : {}),
            ...period,
          };
  return {
    type: 'allocation',
    municipality: f.municipality,
    referenceDate: f.referenceDate,
    youth: { birthDate: f.birthDate },
    referral: { referrer: f.referrer },
    request,
    ...(f.familyPlan === 'none'
      ? {}
      : {
          familyPlan: {
            present: f.familyPlan === 'present',
            durableSupport: f.durableSupport,
            coordinatedWith: f.coordinatedWith,
          },
        }),
    existingAllocations: f.existing.map((a) => ({
      ...(a.kind === 'profile' ? { profile: Number(a.profile) } : { product: a.product }),
      ...optional('intensity', a.intensity),
      startDate: a.startDate,
      ...optional('endDate', a.endDate),
    })),
    ...(f.dyslexia
      ? {
          dyslexia: {
            readingPercentile: Number(f.readingPercentile),
            spellingPercentile: Number(f.spellingPercentile),
            comorbidity: f.comorbidity,
            schoolDossier: { measurements: Number(f.measurements), schoolSupport: f.schoolSupport },
          },
        }
      : {}),
  } as Case;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number) => (typeof v === 'number' ? v : fallback);
const bool = (v: unknown, fallback: boolean) => (typeof v === 'boolean' ? v : fallback);
const strings = (v: unknown, fallback: string[]) =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : fallback;

/** The form filled from a case (pasted or saved JSON); what the case leaves out keeps `base`. */
export function formFromCase(input: unknown, base: CaseForm): CaseForm {
  const c = obj(input);
  const f: CaseForm = { ...base, existing: [], coordinatedWith: [] };
  f.municipality = str(c.municipality, base.municipality);
  f.referenceDate = str(c.referenceDate, base.referenceDate);
  if (c.type === 'admission') {
    const p = obj(c.provider);
    return {
      ...f,
      type: 'admission',
      purpose: c.purpose === 'renewal' ? 'renewal' : 'entry',
      entryDate: str(c.entryDate, base.entryDate),
      providerName: str(p.name, base.providerName),
      registrations: strings(p.registrations, []),
      governanceCodeZorg: bool(p.governanceCodeZorg, base.governanceCodeZorg),
      clientsLastYear: num(p.clientsLastYear, base.clientsLastYear),
      productGroups: strings(p.productGroups, []),
      levels: Array.isArray(p.levels) ? strings(p.levels, []) : undefined,
      addedValue: str(p.addedValue, ''),
      requestedProductGroup: str(c.requestedProductGroup, base.requestedProductGroup),
    };
  }
  const r = obj(c.request);
  const plan = c.familyPlan === undefined ? undefined : obj(c.familyPlan);
  const dys = c.dyslexia === undefined ? undefined : obj(c.dyslexia);
  const dossier = obj(dys?.schoolDossier);
  const requestKind: RequestKind = 'service' in r ? 'service' : 'product' in r ? 'product' : 'profile';
  return {
    ...f,
    type: 'allocation',
    birthDate: str(obj(c.youth).birthDate, base.birthDate),
    referrer: str(obj(c.referral).referrer, base.referrer),
    requestKind,
    profile: num(r.profile, base.profile),
    intensity: str(r.intensity, base.intensity),
    segment: r.segment === 'top' ? 'top' : 'midden',
    trajectoryCostCents: typeof r.trajectoryCostCents === 'number' ? String(r.trajectoryCostCents) : '',
    product: str(r.product, base.product),
    level: requestKind === 'product' ? str(r.level, '') : base.level,
    units: num(r.units, base.units),
    unit: str(r.unit, base.unit),
    frequency: str(r.frequency, ''),
    service: str(r.service, base.service),
    startDate: str(r.startDate, base.startDate),
    endDate: str(r.endDate, ''),
    familyPlan: plan === undefined ? 'none' : plan.present === true ? 'present' : 'absent',
    durableSupport: bool(plan?.durableSupport, false),
    coordinatedWith: strings(plan?.coordinatedWith, []),
    existing: (Array.isArray(c.existingAllocations) ? c.existingAllocations : []).map((x) => {
      const a = obj(x);
      return {
        kind: 'product' in a ? 'product' : 'profile',
        profile: num(a.profile, 1),
        product: str(a.product, base.product),
        intensity: str(a.intensity, ''),
        startDate: str(a.startDate, base.startDate),
        endDate: str(a.endDate, ''),
      };
    }),
    dyslexia: dys !== undefined,
    readingPercentile: num(dys?.readingPercentile, base.readingPercentile),
    spellingPercentile: num(dys?.spellingPercentile, base.spellingPercentile),
    comorbidity: bool(dys?.comorbidity, base.comorbidity),
    measurements: num(dossier.measurements, base.measurements),
    schoolSupport: bool(dossier.schoolSupport, base.schoolSupport),
  };
}
