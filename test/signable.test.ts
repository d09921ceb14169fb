/**
 * Decisions a municipality can sign: stacking as the contract words it, a dyslexia request
 * without data, a provider's added value for a closed product group, the levels the multi-product
 * rule counts, indication length in whole months, what every version lets municipalities set,
 * the engine that decided and the illustrative values a decision rests on. Every rule is checked
 * on both backends; they must decide byte for byte the same.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EvaluationBackend } from '../engine/backend.js';
import { compiledBackend } from '../engine/backends/compiled.js';
import { jsonRulesEngineBackend } from '../engine/backends/json-rules-engine.js';
import { compareDecisions } from '../engine/compare.js';
import { RuleSetRepository } from '../engine/compose.js';
import { DecisionEngine } from '../engine/decide.js';
import { CaseValidationError } from '../engine/errors.js';
import { loadRepository, loadRuleSetFiles } from '../engine/loader.js';
import { CONTRACT_REASON_CODES, Decision, type MunicipalityOverlay } from '../engine/schema.js';
import { ENGINE_VERSION } from '../engine/version.js';
import { admission, codesOf, dyslexiaCase, ijsselAllocation, mijovAllocation } from './support/factories.js';

const documents = loadRuleSetFiles('rules').map((f) => f.document);
const repository = loadRepository();

const BACKENDS: [string, EvaluationBackend][] = [
  ['json-rules-engine', jsonRulesEngineBackend],
  ['compiled', compiledBackend],
];

/** An overlay version added to the repository's own files, for versions the files do not have. */
function withOverlay(overlay: Omit<MunicipalityOverlay, 'kind' | 'changes' | 'rules'>): RuleSetRepository {
  const others = documents.filter((d) => !(d.kind === 'municipality' && d.id === overlay.id));
  return new RuleSetRepository([...others, { kind: 'municipality', changes: [], rules: {}, ...overlay }]);
}

const factOf = (d: Decision, ruleId: string, fact: string): unknown => {
  const find = (c: unknown): unknown => {
    if (!c || typeof c !== 'object') return undefined;
    const o = c as Record<string, unknown>;
    if (o.fact === fact) return o.factValue;
    for (const k of ['all', 'any']) {
      const list = o[k];
      if (Array.isArray(list))
        for (const x of list) {
          const v = find(x);
          if (v !== undefined) return v;
        }
    }
    return o.not === undefined ? undefined : find(o.not);
  };
  return find(d.trace.find((t) => t.ruleId === ruleId)?.conditions);
};

const mijovAdmission = (patch: Record<string, unknown>) =>
  admission({
    municipality: 'apeldoorn',
    referenceDate: '2026-07-01',
    entryDate: '2026-07-01',
    requestedProductGroup: 'begeleiding-individueel',
    ...patch,
  });

it('has the contract codes for stacking review, added value and missing dyslexia data', () => {
  expect(CONTRACT_REASON_CODES).toEqual(
    expect.arrayContaining(['STACKING_REVIEW', 'ADDED_VALUE_REVIEW', 'DYSLEXIA_DATA_MISSING']),
  );
});

it('records the version of package.json as the engine version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  expect(ENGINE_VERSION).toBe(pkg.version);
});

describe.each(BACKENDS)('on the %s backend', (_, backend) => {
  const engine = new DecisionEngine(repository, backend);
  const decide = (c: unknown) => engine.decide(c);

  describe('stacking (contract; 002 §3.4, §5.3)', () => {
    // requested: profile 2, 2026-03-02 … 2026-08-31
    const existing = (profile: number, startDate = '2025-09-01', endDate: string | undefined = '2026-08-31') => ({
      profile,
      intensity: profile === 11 ? 'crisis' : 'intensief',
      startDate,
      ...(endDate ? { endDate } : {}),
    });
    const durablePlan = { present: true, durableSupport: true, coordinatedWith: ['gecertificeerde-instelling'] };

    it('refuses the same profile in an overlapping period', async () => {
      const d = await decide(ijsselAllocation({ existingAllocations: [existing(2)] }));
      expect(codesOf(d)).toEqual(['STACKING_NOT_ALLOWED']);
      expect(d.outcome).toBe('rejected');
    });

    it('asks a professional to judge another profile in an overlapping period', async () => {
      const d = await decide(ijsselAllocation({ existingAllocations: [existing(4)] }));
      expect(codesOf(d)).toEqual(['STACKING_REVIEW']);
      expect(d.outcome).toBe('review');
      expect(d.reasons[0]).toMatchObject({ ruleId: 'ijsselland.stapeling.ander-profiel', kind: 'stacking' });
    });

    it('counts another profile that touches on one day, and not one that ends the day before', async () => {
      const touching = await decide(
        ijsselAllocation({ existingAllocations: [existing(4, '2025-09-01', '2026-03-02')] }),
      );
      expect(codesOf(touching)).toEqual(['STACKING_REVIEW']);
      const before = await decide(ijsselAllocation({ existingAllocations: [existing(4, '2025-09-01', '2026-03-01')] }));
      expect(codesOf(before)).toEqual([]);
    });

    it('only refuses when the same profile and another both overlap', async () => {
      const d = await decide(ijsselAllocation({ existingAllocations: [existing(2), existing(4)] }));
      expect(codesOf(d)).toEqual(['STACKING_NOT_ALLOWED']);
    });

    it('never refuses or reviews a crisis request for overlapping', async () => {
      const d = await decide(
        ijsselAllocation({
          request: { profile: 11, intensity: 'crisis', startDate: '2026-03-02', endDate: '2026-03-20' },
          existingAllocations: [existing(2), existing(11)],
        }),
      );
      expect(codesOf(d)).toEqual([]);
      expect(factOf(d, 'ijsselland.stapeling.niet-toegestaan', 'overlappingSameProduct')).toBe(0);
      expect(factOf(d, 'ijsselland.stapeling.ander-profiel', 'overlappingOtherProfile')).toBe(0);
    });

    it('never refuses or reviews another request because of a crisis allocation', async () => {
      const d = await decide(ijsselAllocation({ existingAllocations: [existing(11, '2026-03-01', '2026-03-20')] }));
      expect(codesOf(d)).toEqual([]);
      expect(d.outcome).toBe('granted');
    });

    it.each([
      ['the same profile', 2],
      ['another profile', 4],
    ])('turns an overlap with %s into the durable-support exception', async (_name, profile) => {
      const d = await decide(ijsselAllocation({ existingAllocations: [existing(profile)], familyPlan: durablePlan }));
      expect(codesOf(d)).toEqual(['STACKING_DURABLE_EXCEPTION']);
      expect(d.outcome).toBe('granted');
    });

    it('reviews another profile when the family plan lacks the agreement', async () => {
      const d = await decide(
        ijsselAllocation({ existingAllocations: [existing(4)], familyPlan: { ...durablePlan, coordinatedWith: [] } }),
      );
      expect(codesOf(d)).toEqual(['STACKING_REVIEW']);
    });

    it('refuses the same MIJOV product and lets another product be (iJw OP259)', async () => {
      const same = await decide(
        mijovAllocation({ existingAllocations: [{ product: 'begeleiding-individueel', startDate: '2026-07-31' }] }),
      );
      expect(codesOf(same)).toEqual(['STACKING_NOT_ALLOWED']);
      const other = await decide(
        mijovAllocation({ existingAllocations: [{ product: 'behandeling', startDate: '2026-01-01' }] }),
      );
      expect(codesOf(other)).toEqual([]);
    });

    it('reviews the contract example of another profile overlapping (Kampen)', async () => {
      const d = await decide(
        ijsselAllocation({
          municipality: 'kampen',
          referenceDate: '2026-02-01',
          youth: { birthDate: '2012-01-20' },
          request: { profile: 2, intensity: 'perspectief', startDate: '2026-02-01', endDate: '2026-07-31' },
          familyPlan: { present: true, durableSupport: false, coordinatedWith: [] },
          existingAllocations: [existing(4, '2025-09-01', '2026-08-31')],
        }),
      );
      expect(d.outcome).toBe('review');
      expect(codesOf(d)).toContain('STACKING_REVIEW');
      expect(codesOf(d)).not.toContain('STACKING_NOT_ALLOWED');
    });
  });

  describe('dyslexia without data (Awb 4:5)', () => {
    it('asks for the data instead of answering that the dyslexia is not severe', async () => {
      const d = await decide(dyslexiaCase({ dyslexia: undefined }));
      expect(codesOf(d)).toEqual(['DYSLEXIA_DATA_MISSING']);
      expect(d.outcome).toBe('review');
      expect(d.reasons[0]).toMatchObject({ ruleId: 'ijsselland.dyslexie.gegevens-ontbreken', kind: 'eligibility' });
      for (const ruleId of [
        'ijsselland.dyslexie.ernst',
        'ijsselland.dyslexie.enkelvoudig',
        'ijsselland.dyslexie.dossier',
      ])
        expect(d.trace.find((t) => t.ruleId === ruleId)?.fired, ruleId).toBe(false);
    });

    it('still refuses what needs no dyslexia data: a GP referral, the age', async () => {
      const d = await decide(
        dyslexiaCase({ dyslexia: undefined, referral: { referrer: 'huisarts' }, youth: { birthDate: '2020-01-01' } }),
      );
      expect(codesOf(d)).toEqual(['REFERRER_NOT_ALLOWED', 'AGE_OUT_OF_RANGE', 'DYSLEXIA_DATA_MISSING']);
      expect(d.outcome).toBe('rejected');
    });

    it('does not ask for dyslexia data on another profile', async () => {
      expect(codesOf(await decide(ijsselAllocation()))).toEqual([]);
    });

    it('judges the data once it is there', async () => {
      expect(codesOf(await decide(dyslexiaCase({ dyslexia: { readingPercentile: 50 } })))).toEqual([
        'DYSLEXIA_NOT_SEVERE',
      ]);
      expect(codesOf(await decide(dyslexiaCase()))).toEqual([]);
    });
  });

  describe("a provider's added value for a closed product group (003 §6)", () => {
    // Apeldoorn (v2) closed begeleiding-groep
    const closed = (addedValue?: string) =>
      decide(
        mijovAdmission({
          requestedProductGroup: 'begeleiding-groep',
          provider: addedValue === undefined ? {} : { addedValue },
        }),
      );

    it('refuses a provider that states no added value', async () => {
      const d = await closed();
      expect(codesOf(d)).toEqual(['PRODUCT_GROUP_CLOSED']);
      expect(d.outcome).toBe('rejected');
    });

    it('reviews a provider that states what it adds', async () => {
      const d = await closed('Groepen voor jongeren met autisme in de avond, die er in Apeldoorn niet zijn.');
      expect(codesOf(d)).toEqual(['ADDED_VALUE_REVIEW']);
      expect(d.outcome).toBe('review');
      expect(d.reasons[0]).toMatchObject({ ruleId: 'mijov.toelating.toegevoegde-waarde', kind: 'admission' });
    });

    it('treats blank text as no added value', async () => {
      expect(codesOf(await closed('   '))).toEqual(['PRODUCT_GROUP_CLOSED']);
    });

    it('ignores added value for an open product group', async () => {
      expect(codesOf(await decide(mijovAdmission({ provider: { addedValue: 'Iets extra.' } })))).toEqual([]);
    });

    it('refuses a text longer than 2000 characters as invalid', async () => {
      const error = await closed('x'.repeat(2001)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CaseValidationError);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.provider.addedValue']);
      expect(codesOf(await closed('x'.repeat(2000)))).toEqual(['ADDED_VALUE_REVIEW']);
    });
  });

  describe('the multi-product rule counts levels (003 §6: basis as well as complex)', () => {
    const zutphen = (requestedProductGroup: string, levels?: string[]) =>
      decide(
        mijovAdmission({
          municipality: 'zutphen',
          requestedProductGroup,
          provider: levels === undefined ? {} : { levels },
        }),
      );

    it.each([
      [undefined, true],
      [[], true],
      [['complex'], true],
      [['basis'], true],
      [['basis', 'complex'], false],
    ])('levels %j for begeleiding individueel: review is %s', async (levels, review) => {
      const d = await zutphen('begeleiding-individueel', levels);
      expect(codesOf(d)).toEqual(review ? ['SINGLE_PRODUCT_REGISTRATION'] : []);
    });

    it('does not count product groups: two groups at one level still asks for a review', async () => {
      const d = await decide(
        mijovAdmission({
          municipality: 'zutphen',
          provider: { productGroups: ['begeleiding-individueel', 'behandeling'], levels: ['complex'] },
        }),
      );
      expect(codesOf(d)).toEqual(['SINGLE_PRODUCT_REGISTRATION']);
    });

    it('leaves out a product group without levels', async () => {
      const d = await zutphen('begeleiding-crisis');
      expect(codesOf(d)).toEqual([]);
      expect(factOf(d, 'mijov.toelating.meerdere-producten', 'providerLevelCount')).toBeNull();
    });

    it('refuses a level the product group does not have', async () => {
      const error = await zutphen('begeleiding-crisis', ['basis']).catch((e: unknown) => e);
      expect((error as CaseValidationError).issues.map((i) => i.path)).toEqual(['$.provider.levels[0]']);
    });
  });

  describe('maximum indication length in whole months from the start date', () => {
    // begeleiding-crisis: at most 1 month (illustrative)
    const crisisCare = (startDate: string, endDate: string) =>
      decide(
        mijovAllocation({
          referenceDate: startDate,
          request: { product: 'begeleiding-crisis', level: undefined, units: 10, unit: 'uur', startDate, endDate },
        }),
      );

    it.each([
      ['2027-01-31', '2027-02-28', 1, false],
      ['2027-01-01', '2027-01-31', 1, false],
      ['2027-01-01', '2027-02-01', 2, true],
      ['2027-01-28', '2027-02-27', 1, false],
      ['2027-01-28', '2027-02-28', 2, true],
    ])('%s … %s lasts %i month(s): too long for one month is %s', async (start, end, months, tooLong) => {
      const d = await crisisCare(start, end);
      expect(factOf(d, 'mijov.indicatie.maximale-duur', 'periodMonths')).toBe(months);
      expect(codesOf(d).includes('INDICATION_TOO_LONG')).toBe(tooLong);
    });

    it('says in its message that it counts whole months from the start date', async () => {
      const d = await crisisCare('2027-01-01', '2027-02-01');
      expect(d.reasons[0]!.message).toContain('hele maanden vanaf de begindatum');
    });

    it('keeps counting calendar months touched for a volume per month', async () => {
      const d = await decide(
        mijovAllocation({
          referenceDate: '2027-01-31',
          request: { units: 3, frequency: 'per-maand', startDate: '2027-01-31', endDate: '2027-02-28' },
        }),
      );
      expect(d.tariff).toMatchObject({ units: 6 });
    });
  });

  describe("every version lets municipalities set what the contract's table lets them set", () => {
    it('applies a minimum number of clients under MIJOV version 1 (2021)', async () => {
      const e = new DecisionEngine(
        withOverlay({
          id: 'apeldoorn',
          region: 'midden-ijssel-oost-veluwe',
          version: 1,
          validFrom: '2019-01-01',
          parameters: { 'admission.minClientsPerYear': 5, 'admission.closedProductGroups': ['begeleiding-groep'] },
        }),
        backend,
      );
      const renewal = await e.decide(
        mijovAdmission({
          purpose: 'renewal',
          referenceDate: '2021-07-01',
          entryDate: '2021-07-01',
          provider: { clientsLastYear: 4 },
        }),
      );
      expect(renewal.ruleSets.map((r) => `${r.id} v${r.version}`)).toEqual([
        'midden-ijssel-oost-veluwe v1',
        'apeldoorn v1',
      ]);
      expect(codesOf(renewal)).toEqual(['TOO_FEW_CLIENTS']);
    });

    it('applies a lower top-segment threshold under IJsselland version 1 (2019)', async () => {
      const e = new DecisionEngine(
        withOverlay({
          id: 'deventer',
          region: 'ijsselland',
          version: 1,
          validFrom: '2018-01-01',
          parameters: { 'topSegment.reviewAboveCents': 2_000_000 },
        }),
        backend,
      );
      const d = await e.decide(
        ijsselAllocation({
          municipality: 'deventer',
          referenceDate: '2019-03-01',
          youth: { birthDate: '2010-01-01' },
          request: {
            profile: 5,
            intensity: 'intensief',
            segment: 'top',
            trajectoryCostCents: 2_100_000,
            startDate: '2019-03-01',
            endDate: '2019-12-31',
          },
        }),
      );
      expect(d.ruleSets[0]).toMatchObject({ id: 'ijsselland', version: 1 });
      expect(codesOf(d)).toEqual(['HIGH_COST_REVIEW']);
    });
  });

  describe('the engine and the illustrative values behind a decision', () => {
    const deventerTop2022 = (trajectoryCostCents: number) =>
      ijsselAllocation({
        municipality: 'deventer',
        referenceDate: '2022-03-01',
        youth: { birthDate: '2010-01-01' },
        request: {
          profile: 5,
          intensity: 'intensief',
          segment: 'top',
          trajectoryCostCents,
          startDate: '2022-03-01',
          endDate: '2022-12-31',
        },
      });

    it('gives every decision its engine version and an illustrative list, and fits the schema', async () => {
      for (const c of [
        ijsselAllocation(),
        dyslexiaCase({ referral: { referrer: 'huisarts' } }),
        mijovAllocation(),
        admission(),
      ]) {
        const d = await decide(c);
        expect(d.engine).toEqual({ version: ENGINE_VERSION });
        expect(Array.isArray(d.illustrative)).toBe(true);
        expect(Decision.safeParse(d).success).toBe(true);
      }
    });

    it("lists Deventer's illustrative threshold for a top-segment trajectory in 2022", async () => {
      const d = await decide(deventerTop2022(2_100_000));
      expect(codesOf(d)).toEqual(['HIGH_COST_REVIEW']);
      expect(d.ruleSets.map((r) => `${r.id} v${r.version}`)).toEqual(['ijsselland v2', 'deventer v2']);
      // and the region's reading that a top-segment trajectory is wonen en verblijf (004)
      expect(d.illustrative).toEqual([
        { ruleSet: 'deventer', kind: 'parameter', id: 'topSegment.reviewAboveCents' },
        { ruleSet: 'ijsselland', kind: 'catalogue', id: 'profiel-5.onderdeel' },
      ]);
    });

    it('lists none for a decision resting only on sourced values', async () => {
      // a top-segment crisis trajectory under the region's threshold: the price is agreed, the 70%
      // advance cites the RSJ IJsselland FAQ, the € 25,000 threshold 002 Bijlage A, the crisis
      // function 004 and 002 §5.3
      const top = await decide(
        ijsselAllocation({
          request: {
            profile: 11,
            intensity: 'crisis',
            segment: 'top',
            trajectoryCostCents: 1_000_000,
            endDate: '2026-03-20',
          },
        }),
      );
      expect(top.tariff).toMatchObject({ component: 'crisis' });
      expect(top.outcome).toBe('granted');
      expect(top.illustrative).toEqual([]);
      // a GP referral to dyslexia care, refused on 002 Bijlage B alone
      const gp = await decide(dyslexiaCase({ referral: { referrer: 'huisarts' } }));
      expect(gp.outcome).toBe('rejected');
      expect(gp.illustrative).toEqual([]);
      // an admission on an entry moment of 002 §5.7
      expect((await decide(admission())).illustrative).toEqual([]);
    });

    it("lists the middle-segment tariff entry and the profile's component, which no source gives", async () => {
      const d = await decide(ijsselAllocation());
      expect(d.illustrative).toEqual([
        { ruleSet: 'ijsselland', kind: 'catalogue', id: 'profiel-2.onderdeel' },
        { ruleSet: 'ijsselland', kind: 'tariff', id: 'profiel-2.perspectief' },
      ]);
    });

    it("lists MIJOV's catalogue entry and price, and Zutphen's illustrative differentiation, in order", async () => {
      const d = await decide(mijovAllocation({ municipality: 'zutphen' }));
      expect(d.illustrative).toEqual([
        { ruleSet: 'midden-ijssel-oost-veluwe', kind: 'catalogue', id: 'begeleiding-individueel' },
        { ruleSet: 'midden-ijssel-oost-veluwe', kind: 'tariff', id: 'begeleiding-individueel.basis' },
        { ruleSet: 'zutphen', kind: 'parameter', id: 'tariff.differentiationPercentage' },
      ]);
    });

    it('lists the catalogue maximum a refused indication rests on, and no tariff when refused', async () => {
      const d = await decide(mijovAllocation({ municipality: 'brummen', request: { endDate: '2027-02-01' } }));
      expect(codesOf(d)).toEqual(['INDICATION_TOO_LONG']);
      expect(d.illustrative).toEqual([
        { ruleSet: 'midden-ijssel-oost-veluwe', kind: 'catalogue', id: 'begeleiding-individueel' },
      ]);
    });

    it("lists an illustrative rule and the overlay's illustrative switch that turned it on", async () => {
      const d = await decide(mijovAdmission({ municipality: 'zutphen', provider: { levels: ['complex'] } }));
      expect(d.illustrative).toEqual([
        { ruleSet: 'midden-ijssel-oost-veluwe', kind: 'catalogue', id: 'begeleiding-individueel' },
        { ruleSet: 'midden-ijssel-oost-veluwe', kind: 'rule', id: 'mijov.toelating.meerdere-producten' },
        { ruleSet: 'zutphen', kind: 'rule', id: 'mijov.toelating.meerdere-producten' },
      ]);
    });

    it("lists Apeldoorn's illustrative closed group when it refuses a provider", async () => {
      const d = await decide(mijovAdmission({ requestedProductGroup: 'begeleiding-groep' }));
      expect(d.illustrative).toEqual([
        { ruleSet: 'apeldoorn', kind: 'parameter', id: 'admission.closedProductGroups' },
      ]);
    });
  });
});

describe('both backends decide byte for byte the same, illustrative values included', () => {
  const engines = BACKENDS.map(([, backend]) => new DecisionEngine(repository, backend));
  it.each([
    ['stacking review', ijsselAllocation({ existingAllocations: [{ profile: 4, startDate: '2026-01-01' }] })],
    ['dyslexia without data', dyslexiaCase({ dyslexia: undefined })],
    [
      'added value',
      mijovAdmission({ requestedProductGroup: 'begeleiding-groep', provider: { addedValue: 'Avondgroep.' } }),
    ],
    ['levels', mijovAdmission({ municipality: 'zutphen', provider: { levels: ['basis'] } })],
    ['Zutphen tariff', mijovAllocation({ municipality: 'zutphen' })],
  ])('%s', async (_, c) => {
    const [a, b] = await Promise.all(engines.map((e) => e.decide(c)));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('a pgb asked in MIJOV', () => {
  it('says a pgb is a way of paying, not a product to ask for', async () => {
    const error = await new DecisionEngine(repository)
      .decide({ ...mijovAllocation(), request: { service: 'pgb', startDate: '2026-02-01' } })
      .catch((e: unknown) => e);
    const issue = (error as CaseValidationError).issues[0]!;
    expect(issue.path).toBe('$.request.service');
    expect(issue.message).toContain('manier om hulp te betalen');
    expect(issue.message).not.toMatch(/profiel/);
  });
});

describe('replay across engine versions', () => {
  it('says when a difference comes from another engine version, naming both', async () => {
    const d = await new DecisionEngine(repository).decide(ijsselAllocation());
    const { engine: _engine, illustrative: _illustrative, ...logged } = d;
    const old = compareDecisions(logged, d);
    expect(old.engineChanged).toBe(true);
    expect(old.differences).toEqual([{ field: 'engine', before: null, after: ENGINE_VERSION }]);
    const other = compareDecisions({ ...d, engine: { version: '0.0.9' } }, d);
    expect(other).toMatchObject({ identical: false, engineChanged: true });
    expect(other.differences).toEqual([{ field: 'engine', before: '0.0.9', after: ENGINE_VERSION }]);
    expect(compareDecisions(d, d)).toEqual({ identical: true, engineChanged: false, differences: [] });
  });
});
