/**
 * Versions in time: a case is decided by the versions in force on its reference date, and its
 * decision records which. IJsselland's 2018 and 2022 versions differ in their tariffs and in the
 * components (004) of the 2022 profiles, not in their rules; the same case decided under each must
 * differ in exactly those places: the tariff, its component and the illustrative assignment.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../engine/canonical.js';
import { CaseValidationError } from '../engine/errors.js';
import type { Decision, OutputRegionRuleSet } from '../engine/schema.js';
import { admission, codesOf, ijsselAllocation, BACKEND_NAMES, decider } from './support/factories.js';

// every rule on both backends: the server decides with the compiled one, json-rules-engine is the reference
describe.each(BACKEND_NAMES)('on %s', (backend) => {
  const { decide, engine } = decider(backend);

  /** The same case, shifted to another year: same age, same period length (no 29 February in it). */
  function zwolleCaseIn(year: number) {
    return ijsselAllocation({
      referenceDate: `${year}-06-01`,
      youth: { birthDate: `${year - 9}-02-10` },
      request: { profile: 4, intensity: 'intensief', startDate: `${year}-06-01`, endDate: `${year}-12-31` },
    });
  }

  function regionVersion(version: number): OutputRegionRuleSet {
    const v = engine()
      .repository.regionVersions('ijsselland')
      .find((x) => x.document.version === version);
    if (!v || v.document.fundingModel !== 'output') throw new Error('missing IJsselland version');
    return v.document;
  }

  describe('which version decides', () => {
    it('decides a 2021 case by IJsselland 2018 and the same case in 2023 by IJsselland 2022, and records so', async () => {
      const d2021 = await decide(zwolleCaseIn(2021));
      const d2023 = await decide(zwolleCaseIn(2023));
      const hashOf = (version: number) =>
        engine()
          .repository.regionVersions('ijsselland')
          .find((v) => v.document.version === version)!.contentHash;

      expect(d2021.ruleSets[0]).toEqual({ id: 'ijsselland', version: 1, contentHash: hashOf(1) });
      expect(d2023.ruleSets[0]).toEqual({ id: 'ijsselland', version: 2, contentHash: hashOf(2) });
      expect(d2021.ruleSets[1]?.id).toBe('zwolle');
      expect(d2021.ruleSets[1]).toEqual(d2023.ruleSets[1]);
    });

    it('differs exactly where the versions differ: the tariff and the versions used', async () => {
      const d2021 = await decide(zwolleCaseIn(2021));
      const d2023 = await decide(zwolleCaseIn(2023));
      const price = (v: OutputRegionRuleSet) =>
        v.tariffs.middleSegment.find((t) => t.profile === 4 && t.intensity === 'intensief')!.priceCents;

      expect(d2021.tariff?.totalCents).toBe(price(regionVersion(1)));
      expect(d2023.tariff?.totalCents).toBe(price(regionVersion(2)));
      expect(price(regionVersion(1))).not.toBe(price(regionVersion(2)));

      expect(d2021.tariff).not.toHaveProperty('component');
      expect(d2023.tariff).toMatchObject({ component: 'ambulant' });
      expect(d2021.illustrative).toEqual([{ ruleSet: 'ijsselland', kind: 'tariff', id: 'profiel-4.intensief' }]);
      expect(d2023.illustrative).toEqual([
        { ruleSet: 'ijsselland', kind: 'catalogue', id: 'profiel-4.onderdeel' },
        ...d2021.illustrative,
      ]);

      const rest = (d: Decision) => canonicalJson({ ...d, tariff: null, ruleSets: null, illustrative: null });
      expect(rest(d2021)).toBe(rest(d2023));
    });

    it('says in the rule data what changed, and the rules themselves did not', () => {
      expect(regionVersion(2).changes.length).toBeGreaterThan(0);
      expect(canonicalJson(regionVersion(1).rules)).toBe(canonicalJson(regionVersion(2).rules));
      // the catalogue gained the components of 004 and nothing else
      const withoutComponents = (v: OutputRegionRuleSet) =>
        canonicalJson(
          v.catalogue.profiles.map(({ component, topSegmentComponent, componentSource, ...profile }) => profile),
        );
      expect(withoutComponents(regionVersion(1))).toBe(withoutComponents(regionVersion(2)));
      expect(regionVersion(1).catalogue.profiles.filter((p) => p.component !== undefined)).toEqual([]);
      expect(regionVersion(2).catalogue.profiles.map((p) => p.component)).toEqual([
        ...Array<string>(10).fill('ambulant'),
        'crisis',
        'ambulant',
      ]);
    });

    it('switches versions on the valid-from date itself', async () => {
      const onDay = (referenceDate: string) =>
        decide(ijsselAllocation({ referenceDate, request: { startDate: referenceDate, endDate: undefined } }));
      expect((await onDay('2021-12-31')).ruleSets[0]!.version).toBe(1);
      expect((await onDay('2022-01-01')).ruleSets[0]!.version).toBe(2);
    });

    it('refuses a case dated before the first version, saying from when rules exist', async () => {
      const error = await decide(ijsselAllocation({ referenceDate: '2017-12-31' })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaseValidationError);
      expect((error as CaseValidationError).issues).toEqual([
        expect.objectContaining({
          path: '$.referenceDate',
          code: 'NO_RULE_SET_IN_FORCE',
          message: expect.stringContaining('2018-01-01'),
        }),
      ]);
    });

    it('applies the Governance Code Zorg to MIJOV providers only from the 2026 contract', async () => {
      const provider = {
        name: 'Zonder Code BV',
        registrations: ['SKJ'],
        governanceCodeZorg: false,
        clientsLastYear: 10,
        productGroups: [],
      };
      const at = (date: string) =>
        decide(
          admission({
            municipality: 'brummen',
            referenceDate: date,
            entryDate: date.slice(0, 8) + '01',
            provider,
            requestedProductGroup: 'behandeling',
          }),
        );
      expect(codesOf(await at('2025-12-01'))).not.toContain('GOVERNANCE_CODE_MISSING');
      expect(codesOf(await at('2026-01-01'))).toContain('GOVERNANCE_CODE_MISSING');
    });

    it("uses a municipality's overlay version in force: Deventer's lower review threshold from 2022", async () => {
      const top = (municipality: string, year: number) =>
        decide(
          ijsselAllocation({
            municipality,
            referenceDate: `${year}-03-02`,
            request: {
              profile: 5,
              intensity: 'intensief',
              segment: 'top',
              trajectoryCostCents: 2_100_000,
              startDate: `${year}-03-02`,
              endDate: undefined,
            },
          }),
        );
      const deventer2023 = await top('deventer', 2023);
      expect(codesOf(deventer2023)).toContain('HIGH_COST_REVIEW');
      expect(deventer2023.ruleSets[1]).toMatchObject({ id: 'deventer', version: 2 });
      expect(codesOf(await top('deventer', 2021))).not.toContain('HIGH_COST_REVIEW');
      expect(codesOf(await top('zwolle', 2023))).not.toContain('HIGH_COST_REVIEW');
    });

    it('gives the same decision, byte for byte, for the same case and versions', async () => {
      const a = JSON.stringify(await decide(zwolleCaseIn(2023)));
      const b = JSON.stringify(await decide(structuredClone(zwolleCaseIn(2023))));
      expect(a).toBe(b);
    });
  });
});
