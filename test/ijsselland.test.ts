/**
 * IJsselland's rules, each at its boundaries (002 Inkoopstrategie IJsselland; from 2022 the
 * components of 004 on the tariff). Cases are built
 * from a valid default (`ijsselAllocation`, `dyslexiaCase`) changed in the one respect a test is
 * about.
 */
import { describe, expect, it } from 'vitest';
import { CaseValidationError } from '../engine/errors.js';
import { admission, codesOf, dyslexiaCase, ijsselAllocation, BACKEND_NAMES, decider } from './support/factories.js';

// every rule on both backends: the server decides with the compiled one, json-rules-engine is the reference
describe.each(BACKEND_NAMES)('on %s', (backend) => {
  const { decide } = decider(backend);

  describe('out of scope (002 §5.3)', () => {
    it.each(['jeugdbescherming', 'jeugdreclassering', 'vervoer', 'pgb', 'adhd-medicatiecontrole'])(
      'rejects %s as outside the procurement model',
      async (service) => {
        const d = await decide({ ...ijsselAllocation(), request: { service, startDate: '2026-03-02' } });
        expect(d.outcome).toBe('rejected');
        expect(codesOf(d)).toEqual(['OUT_OF_SCOPE']);
        expect(d.tariff).toBeNull();
      },
    );

    it('does not apply to an ordinary profile request', async () => {
      expect(codesOf(await decide(ijsselAllocation()))).not.toContain('OUT_OF_SCOPE');
    });
  });

  describe('dyslexia, profile 12 (002 Bijlage B)', () => {
    it('grants severe single dyslexia with a complete dossier referred by the access team', async () => {
      const d = await decide(dyslexiaCase());
      expect(d.outcome).toBe('granted');
      expect(d.reasons).toEqual([]);
      expect(d.tariff).toMatchObject({ model: 'output' });
    });

    it('rejects a GP referral to dyslexia care', async () => {
      const d = await decide(dyslexiaCase({ referral: { referrer: 'huisarts' } }));
      expect(d.outcome).toBe('rejected');
      expect(codesOf(d)).toEqual(['REFERRER_NOT_ALLOWED']);
      expect(d.reasons[0]).toMatchObject({ ruleId: 'ijsselland.dyslexie.geen-huisarts', kind: 'referral' });
    });

    it.each(['gemeentelijke-toegang', 'jeugdarts', 'medisch-specialist', 'gecertificeerde-instelling'])(
      'accepts a referral by %s',
      async (referrer) => {
        expect(codesOf(await decide(dyslexiaCase({ referral: { referrer } })))).not.toContain('REFERRER_NOT_ALLOWED');
      },
    );

    it('lets a GP refer to other profiles', async () => {
      expect(codesOf(await decide(ijsselAllocation({ referral: { referrer: 'huisarts' } })))).toEqual([]);
    });

    // reference date 2026-03-02; "7 tot 13 jaar": 7 is in, 13 is out
    it.each([
      ['2019-03-03', 6, true],
      ['2019-03-02', 7, false],
      ['2013-03-03', 12, false],
      ['2013-03-02', 13, true],
      ['2013-03-01', 13, true],
    ])('born %s (age %i): age out of range is %s', async (birthDate, _age, rejected) => {
      const d = await decide(dyslexiaCase({ youth: { birthDate } }));
      expect(codesOf(d).includes('AGE_OUT_OF_RANGE')).toBe(rejected);
      expect(d.outcome).toBe(rejected ? 'rejected' : 'granted');
    });

    it.each([
      // reading ≤ P10 alone is severe
      [10, 90, false],
      [11, 90, true],
      // reading ≤ P16 only together with spelling ≤ P10
      [16, 10, false],
      [16, 11, true],
      [17, 10, true],
      [11, 10, false],
      [0, 0, false],
    ])('reading P%i with spelling P%i: not severe is %s', async (readingPercentile, spellingPercentile, notSevere) => {
      const d = await decide(dyslexiaCase({ dyslexia: { readingPercentile, spellingPercentile } }));
      expect(codesOf(d).includes('DYSLEXIA_NOT_SEVERE')).toBe(notSevere);
    });

    it('rejects reading problems explained by another disorder', async () => {
      expect(codesOf(await decide(dyslexiaCase({ dyslexia: { comorbidity: true } })))).toEqual(['DYSLEXIA_NOT_SINGLE']);
    });

    it.each([
      [2, true, true],
      [3, true, false],
      [5, true, false],
      [3, false, true],
    ])(
      'a dossier with %i measurements and school support %s is incomplete: %s',
      async (measurements, schoolSupport, incomplete) => {
        const d = await decide(dyslexiaCase({ dyslexia: { schoolDossier: { measurements, schoolSupport } } }));
        expect(codesOf(d).includes('DYSLEXIA_DOSSIER_INCOMPLETE')).toBe(incomplete);
      },
    );

    it('asks for the missing data of a dyslexia request instead of refusing it (Awb 4:5)', async () => {
      const d = await decide(dyslexiaCase({ dyslexia: undefined }));
      expect(codesOf(d)).toEqual(['DYSLEXIA_DATA_MISSING']);
      expect(d.outcome).toBe('review');
    });

    it('ignores dyslexia data on other profiles', async () => {
      const d = await decide(
        dyslexiaCase({ request: { profile: 2 }, dyslexia: { readingPercentile: 90, comorbidity: true } }),
      );
      expect(codesOf(d)).toEqual([]);
    });

    it('reports every failing criterion, not just the first', async () => {
      const d = await decide(
        dyslexiaCase({
          referral: { referrer: 'huisarts' },
          youth: { birthDate: '2020-01-01' },
          dyslexia: { readingPercentile: 50, comorbidity: true },
        }),
      );
      expect(codesOf(d)).toEqual(
        expect.arrayContaining([
          'REFERRER_NOT_ALLOWED',
          'AGE_OUT_OF_RANGE',
          'DYSLEXIA_NOT_SEVERE',
          'DYSLEXIA_NOT_SINGLE',
        ]),
      );
    });
  });

  describe('profile 10: from minus nine months to 7 years (002 Bijlage B)', () => {
    const profile10 = (birthDate: string) =>
      decide(ijsselAllocation({ youth: { birthDate }, request: { profile: 10, intensity: 'intensief' } }));

    it.each([
      ['2019-03-03', false], // 6, the day before the 7th birthday
      ['2019-03-02', true], // 7 on the reference date
      ['2026-03-02', false], // born on the reference date
      ['2026-12-02', false], // nine months before birth
      ['2026-12-03', true], // more than nine months before birth
    ])('born %s: age out of range is %s', async (birthDate, rejected) => {
      const d = await profile10(birthDate);
      expect(codesOf(d).includes('AGE_OUT_OF_RANGE')).toBe(rejected);
    });

    it('refuses an unborn child on any other profile as invalid input', async () => {
      const error = await decide(ijsselAllocation({ youth: { birthDate: '2026-06-01' } })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaseValidationError);
      expect((error as CaseValidationError).issues[0]!.path).toBe('$.youth.birthDate');
    });
  });

  describe('intensities (002 §2.3)', () => {
    it.each([
      [11, 'crisis', false],
      [11, 'perspectief', true],
      [11, 'duurzaam', true],
      [2, 'crisis', true],
      [12, 'crisis', true],
      [2, 'perspectief', false],
      [2, 'intensief', false],
      [2, 'duurzaam', false],
    ])('profile %i with %s: not available is %s', async (profile, intensity, rejected) => {
      const d = await decide(ijsselAllocation({ request: { profile, intensity, endDate: '2026-03-20' } }));
      expect(codesOf(d).includes('INTENSITY_NOT_AVAILABLE')).toBe(rejected);
    });
  });

  describe('stacking: one plan, one tariff, except durable support (002 §3.4)', () => {
    // requested period 2026-03-02 … 2026-08-31, the existing allocation of the same profile (another
    // profile is reviewed, not refused: see test/signable.test.ts)
    const withExisting = (existing: object, familyPlan?: object) =>
      decide(
        ijsselAllocation({
          existingAllocations: [{ profile: 2, intensity: 'intensief', ...existing }],
          ...(familyPlan ? { familyPlan } : {}),
        }),
      );
    const durablePlan = { present: true, durableSupport: true, coordinatedWith: ['lokaal-team'] };

    it('rejects an allocation overlapping an existing one of the same profile', async () => {
      const d = await withExisting({ startDate: '2025-09-01', endDate: '2026-08-31' });
      expect(codesOf(d)).toEqual(['STACKING_NOT_ALLOWED']);
      expect(d.outcome).toBe('rejected');
    });

    it('rejects periods that touch on one day', async () => {
      expect(codesOf(await withExisting({ startDate: '2025-09-01', endDate: '2026-03-02' }))).toEqual([
        'STACKING_NOT_ALLOWED',
      ]);
      expect(codesOf(await withExisting({ startDate: '2026-08-31' }))).toEqual(['STACKING_NOT_ALLOWED']);
    });

    it('allows periods that follow each other without a shared day', async () => {
      expect(codesOf(await withExisting({ startDate: '2025-09-01', endDate: '2026-03-01' }))).toEqual([]);
      expect(codesOf(await withExisting({ startDate: '2026-09-01' }))).toEqual([]);
    });

    it('rejects overlap with an open-ended existing allocation', async () => {
      expect(codesOf(await withExisting({ startDate: '2024-01-01' }))).toEqual(['STACKING_NOT_ALLOWED']);
    });

    it.each([['lokaal-team'], ['gecertificeerde-instelling']])(
      'allows durable support agreed with %s and recorded in the family plan, saying so',
      async (partner) => {
        const d = await withExisting(
          { startDate: '2025-09-01', endDate: '2026-08-31' },
          { ...durablePlan, coordinatedWith: [partner] },
        );
        expect(codesOf(d)).toEqual(['STACKING_DURABLE_EXCEPTION']);
        expect(d.outcome).toBe('granted');
        expect(d.reasons[0]!.effect).toBe('info');
      },
    );

    it.each([
      ['no family plan', undefined],
      ['a family plan that is not there', { ...durablePlan, present: false }],
      ['no durable support', { ...durablePlan, durableSupport: false }],
      ['no one it was agreed with', { ...durablePlan, coordinatedWith: [] }],
    ])('rejects stacking with %s', async (_, familyPlan) => {
      const d = await withExisting({ startDate: '2025-09-01', endDate: '2026-08-31' }, familyPlan);
      expect(codesOf(d)).toEqual(['STACKING_NOT_ALLOWED']);
    });
  });

  describe('crisis, profile 11: at most four weeks (002 §5.3)', () => {
    const crisis = (endDate: string | undefined) =>
      decide(ijsselAllocation({ request: { profile: 11, intensity: 'crisis', startDate: '2026-04-10', endDate } }));

    it('accepts 28 days counting the start and end date', async () => {
      const d = await crisis('2026-05-07');
      expect(d.outcome).toBe('granted');
      expect(d.tariff).toMatchObject({ model: 'output' });
    });

    it('asks for a review at 29 days', async () => {
      const d = await crisis('2026-05-08');
      expect(codesOf(d)).toEqual(['CRISIS_TOO_LONG']);
      expect(d.outcome).toBe('review');
    });

    it('asks for a review of an open-ended crisis allocation', async () => {
      expect(codesOf(await crisis(undefined))).toEqual(['CRISIS_TOO_LONG']);
    });
  });

  describe('top segment: review above € 25,000 (002 Bijlage A)', () => {
    const top = (trajectoryCostCents: number) =>
      decide(
        ijsselAllocation({ request: { profile: 5, intensity: 'intensief', segment: 'top', trajectoryCostCents } }),
      );

    it('does not review a trajectory of exactly € 25,000.00', async () => {
      const d = await top(2_500_000);
      expect(d.outcome).toBe('granted');
      expect(d.tariff).toMatchObject({
        model: 'output',
        segment: 'top',
        totalCents: 2_500_000,
        advanceCents: 1_750_000,
        remainderCents: 750_000,
      });
    });

    it('reviews a trajectory of € 25,000.01', async () => {
      const d = await top(2_500_001);
      expect(codesOf(d)).toEqual(['HIGH_COST_REVIEW']);
      expect(d.outcome).toBe('review');
      // a review still says what the care would cost
      expect(d.tariff).toMatchObject({ totalCents: 2_500_001, advanceCents: 1_750_001, remainderCents: 750_000 });
    });

    it('needs the agreed trajectory price', async () => {
      const error = await decide(ijsselAllocation({ request: { segment: 'top' } })).catch((e: unknown) => e);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.request.trajectoryCostCents']);
    });
  });

  describe('output-based tariff (002 §3.3, §5.8)', () => {
    it('pays the profile × intensity price with 70% in advance and the rest at closure', async () => {
      const d = await decide(ijsselAllocation());
      const region = d.ruleSets[0]!;
      expect(region.id).toBe('ijsselland');
      const t = d.tariff;
      if (t?.model !== 'output') throw new Error('expected an output tariff');
      expect(t.segment).toBe('midden');
      expect(t.advanceCents).toBe(Math.round(t.totalCents * 0.7));
      expect(t.advanceCents + t.remainderCents).toBe(t.totalCents);
    });
  });

  describe('components from 2022 (004 Onderdelen jeugdhulp)', () => {
    /** A granted 2022 allocation of a profile in a segment. */
    const in2022 = (request: Record<string, unknown>) =>
      decide(
        ijsselAllocation({
          referenceDate: '2022-03-01',
          youth: { birthDate: '2014-05-12' },
          request: { startDate: '2022-03-01', endDate: '2022-08-31', ...request },
        }),
      );

    it('names ambulante jeugdhulp for a middle-segment profile, and lists the assignment as illustrative', async () => {
      const d = await in2022({ profile: 4, intensity: 'intensief' });
      expect(d.outcome).toBe('granted');
      expect(d.ruleSets[0]).toMatchObject({ id: 'ijsselland', version: 2 });
      expect(d.tariff).toMatchObject({ model: 'output', segment: 'midden', component: 'ambulant' });
      expect(d.illustrative).toEqual([
        { ruleSet: 'ijsselland', kind: 'catalogue', id: 'profiel-4.onderdeel' },
        { ruleSet: 'ijsselland', kind: 'tariff', id: 'profiel-4.intensief' },
      ]);
    });

    it('names wonen en verblijf for a top-segment trajectory, and lists the assignment as illustrative', async () => {
      const d = await in2022({ profile: 5, intensity: 'intensief', segment: 'top', trajectoryCostCents: 2_000_000 });
      expect(d.outcome).toBe('granted');
      expect(d.tariff).toMatchObject({ segment: 'top', totalCents: 2_000_000, component: 'wonen-verblijf' });
      expect(d.illustrative).toEqual([{ ruleSet: 'ijsselland', kind: 'catalogue', id: 'profiel-5.onderdeel' }]);
    });

    it('names the crisis function for profile 11, which 004 and 002 §5.3 give', async () => {
      const d = await in2022({ profile: 11, intensity: 'crisis', endDate: '2022-03-28' });
      expect(d.outcome).toBe('granted');
      expect(d.tariff).toMatchObject({ segment: 'midden', component: 'crisis' });
      expect(d.illustrative).toEqual([{ ruleSet: 'ijsselland', kind: 'tariff', id: 'profiel-11.crisis' }]);
    });

    it('keeps dyslexia care ambulant, also in the top segment', async () => {
      const d = await decide(
        dyslexiaCase({
          referenceDate: '2022-03-01',
          youth: { birthDate: '2013-05-12' },
          request: { startDate: '2022-03-01', segment: 'top', trajectoryCostCents: 300_000 },
        }),
      );
      expect(d.outcome).toBe('granted');
      expect(d.tariff).toMatchObject({ segment: 'top', component: 'ambulant' });
    });

    it('names no component before 2022: the 2018 model has none', async () => {
      for (const request of [
        { profile: 4, intensity: 'intensief' },
        { profile: 5, intensity: 'intensief', segment: 'top', trajectoryCostCents: 2_000_000 },
        { profile: 11, intensity: 'crisis', endDate: '2021-03-28' },
      ]) {
        const d = await decide(
          ijsselAllocation({
            referenceDate: '2021-03-01',
            youth: { birthDate: '2013-05-12' },
            request: { startDate: '2021-03-01', endDate: '2021-08-31', ...request },
          }),
        );
        expect(d.outcome).toBe('granted');
        expect(d.ruleSets[0]).toMatchObject({ id: 'ijsselland', version: 1 });
        expect(d.tariff).not.toHaveProperty('component');
        expect(d.illustrative.filter((i) => i.id.endsWith('.onderdeel'))).toEqual([]);
      }
    });

    it('names no component for a refused allocation, which has no tariff', async () => {
      const d = await in2022({ profile: 11, intensity: 'perspectief' });
      expect(d.outcome).toBe('rejected');
      expect(codesOf(d)).toContain('INTENSITY_NOT_AVAILABLE');
      expect(d.tariff).toBeNull();
    });
  });

  describe('admission of providers (002 §4.1, §5.7)', () => {
    it('admits a registered provider on 1 July', async () => {
      expect((await decide(admission())).outcome).toBe('granted');
    });

    it.each([
      ['01-01', false],
      ['07-01', false],
      ['03-15', true],
      ['06-30', true],
      ['07-02', true],
    ])('entry on %s: closed is %s', async (md, closed) => {
      const d = await decide(admission({ entryDate: `2026-${md}` }));
      expect(codesOf(d).includes('ENTRY_MOMENT_CLOSED')).toBe(closed);
    });

    it('does not apply entry moments to the yearly renewal', async () => {
      expect(codesOf(await decide(admission({ purpose: 'renewal', entryDate: '2026-03-15' })))).toEqual([]);
    });

    it.each([
      [[], true],
      [['BIG'], false],
      [['SKJ'], false],
      [['BIG', 'SKJ'], false],
    ])('registrations %j: missing is %s', async (registrations, missing) => {
      const d = await decide(admission({ provider: { registrations } }));
      expect(codesOf(d).includes('REGISTRATION_MISSING')).toBe(missing);
    });

    it('refuses a product group IJsselland does not have', async () => {
      const error = await decide(admission({ requestedProductGroup: 'begeleiding-individueel' })).catch(
        (e: unknown) => e,
      );
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.requestedProductGroup']);
    });

    it('has no tariff for an admission', async () => {
      expect((await decide(admission())).tariff).toBeNull();
    });
  });

  describe('the trace', () => {
    it("lists every rule, fired or not, with each condition's fact value and result", async () => {
      const d = await decide(dyslexiaCase({ youth: { birthDate: '2013-03-02' } }));
      const age = d.trace.find((t) => t.ruleId === 'ijsselland.dyslexie.leeftijd')!;
      expect(age.fired).toBe(true);
      expect(age.conditions).toEqual({
        all: [
          { fact: 'profile', operator: 'equal', value: 12, factValue: 12, comparedWith: 12, result: true },
          {
            any: [
              {
                fact: 'ageYears',
                operator: 'lessThan',
                value: { fact: 'param:dyslexia.minAge' },
                factValue: 13,
                comparedWith: 7,
                result: false,
              },
              {
                fact: 'ageYears',
                operator: 'greaterThanInclusive',
                value: { fact: 'param:dyslexia.maxAgeExclusive' },
                factValue: 13,
                comparedWith: 13,
                result: true,
              },
            ],
            result: true,
          },
        ],
        result: true,
      });
      const crisis = d.trace.find((t) => t.ruleId === 'ijsselland.crisis.maximale-duur')!;
      expect(crisis.fired).toBe(false);
      expect(crisis.conditions?.result).toBe(false);
      expect(d.trace.length).toBe(d.trace.filter((t) => t.conditions !== null).length);
    });
  });
});
