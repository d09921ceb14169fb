/**
 * fast-check generators of valid cases for both regions, with the boundaries of every parameter
 * (ages 6/7/12/13, percentiles 10/11/16/17, 28/29 crisis days, € 25,000.00 and a cent more,
 * touching periods) weighted in, so that random cases hit the edges the rules care about.
 */
import fc from 'fast-check';
import { addMonths, dayNumber, fromDayNumber } from '../../engine/dates.js';
import { MUNICIPALITIES_BY_REGION, REFERRERS, INTENSITIES, type Case } from '../../engine/schema.js';
import { engine } from './factories.js';

const day = (iso: string) => dayNumber(iso);
const dateBetween = (from: string, to: string) => fc.integer({ min: day(from), max: day(to) }).map(fromDayNumber);
const plusDays = (iso: string, n: number) => fromDayNumber(dayNumber(iso) + n);

/** Whole years before the reference date, with the day before, of and after a birthday likely. */
const birthDateFor = (referenceDate: string, minYears: number, maxYears: number) =>
  fc
    .tuple(fc.integer({ min: minYears, max: maxYears }), fc.constantFrom(-1, 0, 1, 0, 17, -200))
    .map(([years, shift]) => plusDays(addMonths(referenceDate, -12 * years), shift));

const period = (referenceDate: string, required: boolean) =>
  fc
    .tuple(
      fc.integer({ min: -10, max: 40 }),
      fc.oneof(fc.constantFrom(0, 27, 28, 29, 182, 365), fc.integer({ min: 0, max: 800 })),
      fc.boolean(),
    )
    .map(([startShift, length, open]) => {
      const startDate = plusDays(referenceDate, startShift);
      return open && !required ? { startDate } : { startDate, endDate: plusDays(startDate, length) };
    });

const existingAllocations = (referenceDate: string, kind: 'profile' | 'product', products: string[]) =>
  fc.array(
    fc
      .tuple(
        kind === 'profile' ? fc.integer({ min: 1, max: 12 }) : fc.constantFrom(...products),
        fc.integer({ min: -400, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 500 }), { nil: undefined }),
      )
      .map(([which, shift, length]) => {
        const startDate = plusDays(referenceDate, shift);
        return {
          [kind]: which,
          startDate,
          ...(length === undefined ? {} : { endDate: plusDays(startDate, length) }),
        };
      }),
    { maxLength: 2 },
  );

const percentile = fc.oneof(fc.constantFrom(9, 10, 11, 15, 16, 17), fc.integer({ min: 0, max: 100 }));

const familyPlan = fc.option(
  fc.record({
    present: fc.boolean(),
    durableSupport: fc.boolean(),
    coordinatedWith: fc.subarray(['lokaal-team', 'gecertificeerde-instelling'] as const),
  }),
  { nil: undefined },
);

const omitUndefined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export const ijsselAllocationCase: fc.Arbitrary<Case> = fc
  .record({
    municipality: fc.constantFrom(...MUNICIPALITIES_BY_REGION.ijsselland),
    referenceDate: dateBetween('2018-01-01', '2030-12-31'),
    profile: fc.integer({ min: 1, max: 12 }),
  })
  .chain(({ municipality, referenceDate, profile }) =>
    fc.record(
      {
        type: fc.constant('allocation' as const),
        municipality: fc.constant(municipality),
        referenceDate: fc.constant(referenceDate),
        youth: fc.record({
          birthDate:
            profile === 10
              ? fc.oneof(
                  birthDateFor(referenceDate, 0, 8),
                  fc.integer({ min: 0, max: 320 }).map((n) => plusDays(referenceDate, n)),
                )
              : birthDateFor(referenceDate, 1, 17),
        }),
        referral: fc.record({ referrer: fc.constantFrom(...REFERRERS) }),
        request: fc
          .tuple(
            fc.constantFrom(...INTENSITIES),
            fc.option(fc.constantFrom('midden' as const, 'top' as const), { nil: undefined }),
            fc.oneof(
              fc.constantFrom(2_500_000, 2_500_001, 2_000_000, 2_000_001),
              fc.integer({ min: 0, max: 10_000_000 }),
            ),
            period(referenceDate, false),
          )
          .map(([intensity, segment, cost, p]) =>
            omitUndefined({
              profile,
              intensity,
              segment,
              trajectoryCostCents: segment === 'top' ? cost : undefined,
              ...p,
            }),
          ),
        familyPlan,
        existingAllocations: existingAllocations(referenceDate, 'profile', []),
        dyslexia: fc.option(
          fc.record({
            readingPercentile: percentile,
            spellingPercentile: percentile,
            comorbidity: fc.boolean(),
            schoolDossier: fc.record({ measurements: fc.integer({ min: 0, max: 5 }), schoolSupport: fc.boolean() }),
          }),
          { nil: undefined },
        ),
      },
      { requiredKeys: ['type', 'municipality', 'referenceDate', 'youth', 'referral', 'request'] },
    ),
  )
  .map((c) => omitUndefined(c) as Case);

function mijovProducts() {
  const [latest] = [...engine().repository.regionVersions('midden-ijssel-oost-veluwe')].reverse();
  const catalogue = latest!.document.catalogue;
  return 'products' in catalogue ? catalogue.products : [];
}

export const mijovAllocationCase: fc.Arbitrary<Case> = fc
  .record({
    municipality: fc.constantFrom(...MUNICIPALITIES_BY_REGION['midden-ijssel-oost-veluwe']),
    referenceDate: dateBetween('2019-01-01', '2030-12-31'),
    product: fc.constantFrom(...mijovProducts()),
  })
  .chain(({ municipality, referenceDate, product }) =>
    fc.record(
      {
        type: fc.constant('allocation' as const),
        municipality: fc.constant(municipality),
        referenceDate: fc.constant(referenceDate),
        youth: fc.record({ birthDate: birthDateFor(referenceDate, 1, 17) }),
        referral: fc.record({ referrer: fc.constantFrom(...REFERRERS) }),
        request: fc
          .tuple(
            product.levels.length > 0
              ? fc.option(fc.constantFrom(...product.levels), { nil: undefined })
              : fc.constant(undefined),
            fc.oneof(
              fc.integer({ min: 1, max: 200 }),
              fc.double({ min: 0.25, max: 100, noNaN: true }).map((x) => Math.round(x * 4) / 4),
            ),
            fc.oneof(fc.constant(product.unit), fc.constantFrom('uur', 'dagdeel', 'etmaal', 'stuks' as const)),
            fc.option(
              fc.constantFrom('totaal' as const, 'per-dag' as const, 'per-week' as const, 'per-maand' as const),
              { nil: undefined },
            ),
            period(referenceDate, true),
          )
          .map(([level, units, unit, frequency, p]) =>
            omitUndefined({ product: product.slug, level, units, unit, frequency, ...p }),
          ),
        existingAllocations: existingAllocations(
          referenceDate,
          'product',
          mijovProducts().map((p) => p.slug),
        ),
      },
      {
        requiredKeys: ['type', 'municipality', 'referenceDate', 'youth', 'referral', 'request', 'existingAllocations'],
      },
    ),
  )
  .map((c) => c as Case);

export const serviceCase: fc.Arbitrary<Case> = fc
  .record({
    region: fc.constantFrom('ijsselland' as const, 'midden-ijssel-oost-veluwe' as const),
    referenceDate: dateBetween('2019-01-01', '2030-12-31'),
  })
  .chain(({ region, referenceDate }) =>
    fc.record({
      type: fc.constant('allocation' as const),
      municipality: fc.constantFrom(...MUNICIPALITIES_BY_REGION[region]),
      referenceDate: fc.constant(referenceDate),
      youth: fc.record({ birthDate: birthDateFor(referenceDate, 1, 17) }),
      referral: fc.record({ referrer: fc.constantFrom(...REFERRERS) }),
      request: fc.record({
        service: fc.constantFrom(
          ...(region === 'ijsselland'
            ? (['jeugdbescherming', 'jeugdreclassering', 'vervoer', 'pgb', 'adhd-medicatiecontrole'] as const)
            : (['jeugdbescherming', 'jeugdreclassering'] as const)),
        ),
        startDate: fc.constant(referenceDate),
      }),
    }),
  )
  .map((c) => c as Case);

const ijsselGroups = Array.from({ length: 12 }, (_, i) => `profiel-${i + 1}`);

export const admissionCase: fc.Arbitrary<Case> = fc
  .record({
    region: fc.constantFrom('ijsselland' as const, 'midden-ijssel-oost-veluwe' as const),
    referenceDate: dateBetween('2019-01-01', '2030-12-31'),
  })
  .chain(({ region, referenceDate }) => {
    const groups = region === 'ijsselland' ? ijsselGroups : mijovProducts().map((p) => p.slug);
    return fc.record({
      type: fc.constant('admission' as const),
      purpose: fc.constantFrom('entry' as const, 'renewal' as const),
      municipality: fc.constantFrom(...MUNICIPALITIES_BY_REGION[region]),
      referenceDate: fc.constant(referenceDate),
      entryDate: fc.oneof(
        fc.constantFrom('01-01', '07-01', '03-15', '12-31').map((md) => `${referenceDate.slice(0, 4)}-${md}`),
        dateBetween(referenceDate, plusDays(referenceDate, 400)),
      ),
      provider: fc.record({
        name: fc.constant('Aanbieder BV'),
        registrations: fc.subarray(['BIG', 'SKJ'] as const),
        governanceCodeZorg: fc.boolean(),
        clientsLastYear: fc.integer({ min: 0, max: 60 }),
        productGroups: fc.subarray(groups, { maxLength: 3 }),
      }),
      requestedProductGroup: fc.constantFrom(...groups),
    });
  })
  .map((c) => c as Case);

export const anyValidCase = fc.oneof(
  { arbitrary: ijsselAllocationCase, weight: 4 },
  { arbitrary: mijovAllocationCase, weight: 3 },
  { arbitrary: admissionCase, weight: 2 },
  { arbitrary: serviceCase, weight: 1 },
);
