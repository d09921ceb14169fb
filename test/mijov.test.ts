/**
 * Midden-IJssel/Oost-Veluwe's rules (003 Inkoopstrategie MIJOV): effort-based p×q tariffs with
 * tariff differentiation, maximum indication length, stacking of the same product, admission
 * thresholds per municipality, and rules a municipality may switch on.
 */
import { describe, expect, it } from 'vitest';
import { addMonths, fromDayNumber, dayNumber } from '../engine/dates.js';
import { CaseValidationError } from '../engine/errors.js';
import type { EffortRegionRuleSet } from '../engine/schema.js';
import { admission, codesOf, mijovAllocation, BACKEND_NAMES, decider } from './support/factories.js';

// every rule on both backends: the server decides with the compiled one, json-rules-engine is the reference
describe.each(BACKEND_NAMES)('on %s', (backend) => {
  const { decide, engine } = decider(backend);

  function region2026(): EffortRegionRuleSet {
    const v = engine()
      .repository.regionVersions('midden-ijssel-oost-veluwe')
      .find((x) => x.document.version === 2);
    if (!v || v.document.fundingModel !== 'effort') throw new Error('missing MIJOV 2026');
    return v.document;
  }
  const price = (product: string, level?: string) =>
    region2026().tariffs.products.find((t) => t.product === product && t.level === level)!.priceCents;
  const maxMonths = (product: string) =>
    region2026().catalogue.products.find((p) => p.slug === product)!.maxIndicationMonths;
  const dayBefore = (iso: string) => fromDayNumber(dayNumber(iso) - 1);

  describe('effort-based tariff, p × q (003 §9)', () => {
    it('prices 52 hours of begeleiding individueel basis at the table price', async () => {
      const d = await decide(mijovAllocation());
      expect(d.outcome).toBe('granted');
      expect(d.tariff).toEqual({
        model: 'effort',
        unitPriceCents: price('begeleiding-individueel', 'basis'),
        units: 52,
        unit: 'uur',
        totalCents: price('begeleiding-individueel', 'basis') * 52,
        differentiationPercentage: 0,
      });
    });

    it("uses the complex level's price when asked", async () => {
      const d = await decide(mijovAllocation({ request: { level: 'complex' } }));
      expect(d.tariff).toMatchObject({ unitPriceCents: price('begeleiding-individueel', 'complex') });
    });

    it("defaults to the product's first level", async () => {
      const d = await decide(mijovAllocation({ request: { level: undefined } }));
      expect(d.tariff).toMatchObject({ unitPriceCents: price('begeleiding-individueel', 'basis') });
    });

    it('rounds the total to a cent for fractional units', async () => {
      const d = await decide(mijovAllocation({ request: { units: 10.25 } }));
      expect(d.tariff).toMatchObject({
        units: 10.25,
        totalCents: Math.round(price('begeleiding-individueel', 'basis') * 10.25),
      });
    });

    it.each([
      // 2026-03-02 is a Monday; 2026-03-02 … 2026-03-15 is 14 days, 2 calendar weeks, 1 month
      ['per-dag', '2026-03-15', 14],
      ['per-week', '2026-03-15', 2 * 2],
      ['per-week', '2026-03-16', 3 * 2],
      ['per-maand', '2026-03-15', 1 * 2],
      ['per-maand', '2026-04-01', 2 * 2],
      ['totaal', '2026-04-01', 2],
    ])('%s until %s gives %i units in total', async (frequency, endDate, units) => {
      const perDay = frequency === 'per-dag' ? 1 : 2;
      const d = await decide(
        mijovAllocation({
          referenceDate: '2026-03-02',
          request: { units: perDay, frequency, startDate: '2026-03-02', endDate },
        }),
      );
      expect(d.tariff).toMatchObject({ units });
    });

    it("applies a municipality's tariff differentiation to the unit price (003 §6)", async () => {
      const d = await decide(mijovAllocation({ municipality: 'zutphen' }));
      const base = price('begeleiding-individueel', 'basis');
      expect(d.tariff).toMatchObject({
        differentiationPercentage: 2,
        unitPriceCents: Math.round(base * 1.02),
        totalCents: Math.round(base * 1.02) * 52,
      });
    });

    it('refuses a unit the product is not priced in', async () => {
      const d = await decide(mijovAllocation({ request: { unit: 'dagdeel' } }));
      expect(codesOf(d)).toEqual(['UNIT_NOT_ALLOWED']);
      expect(d.tariff).toBeNull();
    });
  });

  describe('maximum indication length', () => {
    it('allows exactly the maximum and refuses one day more', async () => {
      const months = maxMonths('begeleiding-individueel');
      const limit = addMonths('2026-02-01', months);
      expect(codesOf(await decide(mijovAllocation({ request: { endDate: dayBefore(limit) } })))).toEqual([]);
      const tooLong = await decide(mijovAllocation({ request: { endDate: limit } }));
      expect(codesOf(tooLong)).toEqual(['INDICATION_TOO_LONG']);
      expect(tooLong.outcome).toBe('rejected');
    });
  });

  describe('stacking the same product (iJw OP259)', () => {
    it('rejects the same product in an overlapping period', async () => {
      const d = await decide(
        mijovAllocation({
          existingAllocations: [{ product: 'begeleiding-individueel', startDate: '2025-08-01', endDate: '2026-02-01' }],
        }),
      );
      expect(codesOf(d)).toEqual(['STACKING_NOT_ALLOWED']);
    });

    it('allows another product at the same time, and the same product right after', async () => {
      expect(
        codesOf(
          await decide(mijovAllocation({ existingAllocations: [{ product: 'behandeling', startDate: '2025-08-01' }] })),
        ),
      ).toEqual([]);
      expect(
        codesOf(
          await decide(
            mijovAllocation({
              existingAllocations: [
                { product: 'begeleiding-individueel', startDate: '2025-08-01', endDate: '2026-01-31' },
              ],
            }),
          ),
        ),
      ).toEqual([]);
    });
  });

  describe('scope and shape of MIJOV requests', () => {
    it.each(['jeugdbescherming', 'jeugdreclassering'])(
      'rejects %s as bought outside the region (003 §7)',
      async (service) => {
        expect(codesOf(await decide({ ...mijovAllocation(), request: { service, startDate: '2026-02-01' } }))).toEqual([
          'OUT_OF_SCOPE',
        ]);
      },
    );

    it('refuses a service the region buys itself', async () => {
      const error = await decide({
        ...mijovAllocation(),
        request: { service: 'vervoer', startDate: '2026-02-01' },
      }).catch((e: unknown) => e);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.request.service']);
    });

    it('refuses a profile request in an effort-based region', async () => {
      const error = await decide({
        ...mijovAllocation(),
        request: { profile: 2, intensity: 'perspectief', startDate: '2026-02-01' },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaseValidationError);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.request']);
    });

    it('refuses a level a product does not have', async () => {
      const error = await decide(
        mijovAllocation({ request: { product: 'vervoer-plus', unit: 'stuks', level: 'complex' } }),
      ).catch((e: unknown) => e);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.request.level']);
    });

    it('needs an end date', async () => {
      const error = await decide(mijovAllocation({ request: { endDate: undefined } })).catch((e: unknown) => e);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.request.endDate']);
    });
  });

  describe('admission thresholds per municipality (003 §6, §10)', () => {
    const mijovAdmission = (patch: Record<string, unknown>) =>
      admission({
        municipality: 'apeldoorn',
        referenceDate: '2026-07-01',
        entryDate: '2026-07-01',
        requestedProductGroup: 'begeleiding-individueel',
        ...patch,
      });

    it('refuses new providers for a product group Apeldoorn closed, but not in Brummen', async () => {
      const apeldoorn = await decide(mijovAdmission({ requestedProductGroup: 'begeleiding-groep' }));
      expect(codesOf(apeldoorn)).toEqual(['PRODUCT_GROUP_CLOSED']);
      expect(apeldoorn.ruleSets[1]).toMatchObject({ id: 'apeldoorn', version: 2 });
      expect(
        codesOf(await decide(mijovAdmission({ municipality: 'brummen', requestedProductGroup: 'begeleiding-groep' }))),
      ).toEqual([]);
    });

    it.each([
      [4, 'review'],
      [5, 'granted'],
    ])(
      'reviews the renewal of a provider with %i clients in Apeldoorn (minimum 5): %s',
      async (clientsLastYear, outcome) => {
        const d = await decide(mijovAdmission({ purpose: 'renewal', provider: { clientsLastYear } }));
        expect(d.outcome).toBe(outcome);
        expect(codesOf(d).includes('TOO_FEW_CLIENTS')).toBe(outcome === 'review');
      },
    );

    it('has no minimum where a municipality set none (Lochem)', async () => {
      expect(
        (await decide(mijovAdmission({ municipality: 'lochem', purpose: 'renewal', provider: { clientsLastYear: 0 } })))
          .outcome,
      ).toBe('granted');
    });

    it('rejects a provider that does not follow the Governance Code Zorg', async () => {
      expect(codesOf(await decide(mijovAdmission({ provider: { governanceCodeZorg: false } })))).toEqual([
        'GOVERNANCE_CODE_MISSING',
      ]);
    });

    it('admits on the first of a month and not on another day', async () => {
      expect(codesOf(await decide(mijovAdmission({ entryDate: '2026-09-01' })))).toEqual([]);
      expect(codesOf(await decide(mijovAdmission({ entryDate: '2026-09-15' })))).toEqual(['ENTRY_MOMENT_CLOSED']);
    });

    it('applies the multi-product rule only where a municipality switched it on (Zutphen)', async () => {
      const single = { provider: { levels: ['complex'] } };
      const zutphen = await decide(mijovAdmission({ municipality: 'zutphen', ...single }));
      expect(codesOf(zutphen)).toEqual(['SINGLE_PRODUCT_REGISTRATION']);
      expect(zutphen.outcome).toBe('review');
      const epe = await decide(mijovAdmission({ municipality: 'epe', ...single }));
      expect(codesOf(epe)).toEqual([]);
      expect(epe.trace.find((t) => t.ruleId === 'mijov.toelating.meerdere-producten')).toMatchObject({
        enabled: false,
        fired: false,
        conditions: null,
      });
      const bothLevels = await decide(
        mijovAdmission({ municipality: 'zutphen', provider: { levels: ['basis', 'complex'] } }),
      );
      expect(codesOf(bothLevels)).toEqual([]);
    });

    it('does not require BIG or SKJ registration unless a municipality switches that rule on', async () => {
      expect(codesOf(await decide(mijovAdmission({ provider: { registrations: [] } })))).toEqual([]);
    });
  });

  describe('volumes too large to price', () => {
    it("refuses units beyond the schema's bound, and a volume whose price would not fit in cents", async () => {
      const huge = await decide(mijovAllocation({ request: { units: 5e306 } })).catch((e: unknown) => e);
      expect((huge as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.request.units']);
      const perDayForCenturies = await decide(
        mijovAllocation({
          referenceDate: '2026-02-01',
          request: { units: 1_000_000, frequency: 'per-dag', endDate: '9999-12-31' },
        }),
      ).catch((e: unknown) => e);
      expect((perDayForCenturies as CaseValidationError).issues.map((i) => i.path)).toContain('$.request.units');
    });
  });
});
