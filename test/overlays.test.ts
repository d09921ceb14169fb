/**
 * Municipal overlays: a municipality may change only the parameters its region opens, within the
 * region's bounds, and switch only optional rules. Anything else is refused with the contract's
 * codes and the JSON path of the offending parameter.
 */
import { describe, expect, it } from 'vitest';
import { RuleSetRepository } from '../engine/compose.js';
import { validateOverlay } from '../engine/overlay.js';
import { CompositionError } from '../engine/errors.js';
import { loadRuleSetFiles } from '../engine/loader.js';
import {
  MUNICIPALITIES_BY_REGION,
  type MunicipalityOverlay,
  type RegionRuleSet,
  type RuleSetDocument,
} from '../engine/schema.js';
import { BACKEND_NAMES, decider, ijsselAllocation, mijovAllocation } from './support/factories.js';

const documents = loadRuleSetFiles('rules').map((f) => f.document);
function region(id: string, version: number): RegionRuleSet {
  const doc = documents.find((d) => d.kind === 'region' && d.id === id && d.version === version);
  if (!doc || doc.kind !== 'region') throw new Error(`missing ${id} v${version}`);
  return doc;
}
const mijov2026 = region('midden-ijssel-oost-veluwe', 2);
const mijov2021 = region('midden-ijssel-oost-veluwe', 1);
const ijsselland2018 = region('ijsselland', 1);
const ijsselland2022 = region('ijsselland', 2);

function overlay(
  id: string,
  regionId: string,
  parameters: Record<string, unknown>,
  rules: Record<string, { enabled: boolean }> = {},
): MunicipalityOverlay {
  return {
    kind: 'municipality',
    id,
    region: regionId,
    version: 9,
    validFrom: '2026-01-01',
    changes: [],
    parameters,
    rules,
  } as MunicipalityOverlay;
}
const apeldoorn = (parameters: Record<string, unknown>, rules?: Record<string, { enabled: boolean }>) =>
  overlay('apeldoorn', 'midden-ijssel-oost-veluwe', parameters, rules);
const deventer = (parameters: Record<string, unknown>) => overlay('deventer', 'ijsselland', parameters);

const codes = (issues: { code: string }[]) => issues.map((i) => i.code);

describe("an overlay within the region's bounds", () => {
  it('accepts the contract example for Apeldoorn', () => {
    expect(
      validateOverlay(
        apeldoorn({ 'admission.closedProductGroups': ['begeleiding-groep'], 'admission.minClientsPerYear': 5 }),
        mijov2026,
      ),
    ).toEqual([]);
  });

  it('accepts a tariff differentiation at both bounds', () => {
    const { min, max } = mijov2026.parameters['tariff.differentiationPercentage']!.municipalOverride;
    expect(validateOverlay(apeldoorn({ 'tariff.differentiationPercentage': min }), mijov2026)).toEqual([]);
    expect(validateOverlay(apeldoorn({ 'tariff.differentiationPercentage': max }), mijov2026)).toEqual([]);
  });

  it('accepts a lower top-segment review threshold in IJsselland, in 2018 as in 2022 (the contract holds for every version)', () => {
    expect(validateOverlay(deventer({ 'topSegment.reviewAboveCents': 2_000_000 }), ijsselland2018)).toEqual([]);
    expect(validateOverlay(deventer({ 'topSegment.reviewAboveCents': 2_000_000 }), ijsselland2022)).toEqual([]);
  });

  it("accepts Apeldoorn's thresholds under the predecessor contract too (2021)", () => {
    expect(
      validateOverlay(
        apeldoorn({
          'admission.closedProductGroups': ['begeleiding-groep'],
          'admission.minClientsPerYear': 5,
          'admission.entryMoments': ['01-01'],
        }),
        mijov2021,
      ),
    ).toEqual([]);
  });

  it('refuses a source for a parameter the overlay does not set', () => {
    const issues = validateOverlay(
      { ...apeldoorn({}), parameterSources: { 'admission.minClientsPerYear': 'illustratief' } },
      mijov2026,
    );
    expect(codes(issues)).toEqual(['PARAMETER_SOURCE_WITHOUT_VALUE']);
    expect(issues[0]!.path).toBe("$.parameterSources['admission.minClientsPerYear']");
  });
});

describe("an overlay outside the region's bounds is refused", () => {
  it('refuses a parameter the region does not open, naming it', () => {
    const issues = validateOverlay(apeldoorn({ 'scope.excludedServices': [] }), mijov2026);
    expect(codes(issues)).toEqual(['PARAMETER_NOT_OVERRIDABLE']);
    expect(issues[0]!.path).toBe("$.parameters['scope.excludedServices']");
  });

  it('refuses a parameter the region does not have', () => {
    const issues = validateOverlay(apeldoorn({ 'dyslexia.minAge': 6 }), mijov2026);
    expect(codes(issues)).toEqual(['PARAMETER_NOT_OVERRIDABLE']);
  });

  it('refuses under the predecessor contract (2021) the tariff differentiation it did not open', () => {
    expect(codes(validateOverlay(apeldoorn({ 'tariff.differentiationPercentage': 2 }), mijov2021))).toEqual([
      'PARAMETER_NOT_OVERRIDABLE',
    ]);
  });

  it('refuses a higher review threshold in IJsselland, in 2018 as in 2022', () => {
    for (const region of [ijsselland2018, ijsselland2022]) {
      const higher = validateOverlay(deventer({ 'topSegment.reviewAboveCents': 2_500_001 }), region);
      expect(codes(higher)).toEqual(['PARAMETER_OUT_OF_RANGE']);
      expect(higher[0]!.path).toBe("$.parameters['topSegment.reviewAboveCents']");
    }
  });

  it('refuses numbers below the minimum or above the maximum', () => {
    const { min, max } = mijov2026.parameters['tariff.differentiationPercentage']!.municipalOverride;
    expect(codes(validateOverlay(apeldoorn({ 'tariff.differentiationPercentage': max! + 1 }), mijov2026))).toEqual([
      'PARAMETER_OUT_OF_RANGE',
    ]);
    expect(codes(validateOverlay(apeldoorn({ 'tariff.differentiationPercentage': min! - 1 }), mijov2026))).toEqual([
      'PARAMETER_OUT_OF_RANGE',
    ]);
    expect(codes(validateOverlay(apeldoorn({ 'admission.minClientsPerYear': -1 }), mijov2026))).toContain(
      'PARAMETER_OUT_OF_RANGE',
    );
  });

  it('refuses a value of the wrong type', () => {
    expect(codes(validateOverlay(apeldoorn({ 'admission.minClientsPerYear': '5' }), mijov2026))).toEqual([
      'PARAMETER_OUT_OF_RANGE',
    ]);
    expect(codes(validateOverlay(apeldoorn({ 'admission.minClientsPerYear': 2.5 }), mijov2026))).toEqual([
      'PARAMETER_OUT_OF_RANGE',
    ]);
  });

  it('refuses list values the region does not allow', () => {
    expect(codes(validateOverlay(apeldoorn({ 'admission.closedProductGroups': ['bestaat-niet'] }), mijov2026))).toEqual(
      ['PARAMETER_OUT_OF_RANGE'],
    );
    expect(codes(validateOverlay(apeldoorn({ 'admission.entryMoments': [] }), mijov2026))).toEqual([
      'PARAMETER_OUT_OF_RANGE',
    ]);
    expect(codes(validateOverlay(apeldoorn({ 'admission.entryMoments': ['07-15'] }), mijov2026))).toEqual([
      'PARAMETER_OUT_OF_RANGE',
    ]);
  });

  it('refuses switching a rule that is not optional, and accepts an optional one', () => {
    expect(
      codes(validateOverlay(apeldoorn({}, { 'mijov.toelating.toetredingsmoment': { enabled: false } }), mijov2026)),
    ).toEqual(['RULE_NOT_SWITCHABLE']);
    expect(
      validateOverlay(apeldoorn({}, { 'mijov.toelating.meerdere-producten': { enabled: true } }), mijov2026),
    ).toEqual([]);
  });

  it('refuses an overlay of a municipality of another region', () => {
    expect(codes(validateOverlay(overlay('zwolle', 'midden-ijssel-oost-veluwe', {}), mijov2026))).toContain(
      'OVERLAY_REGION_MISMATCH',
    );
  });
});

describe('loading a set of versions', () => {
  const without = (id: string) => documents.filter((d) => d.id !== id);

  it("loads the repository's own rules/", () => {
    expect(() => new RuleSetRepository(documents)).not.toThrow();
  });

  it('refuses an overlay version that breaks a regional version it is combined with', () => {
    const bad: RuleSetDocument = {
      ...apeldoorn({ 'admission.minClientsPerYear': 500 }),
      version: 1,
      validFrom: '2026-01-01',
    };
    expect(() => new RuleSetRepository([...without('apeldoorn'), bad])).toThrowError(CompositionError);
    try {
      new RuleSetRepository([...without('apeldoorn'), bad]);
    } catch (error) {
      expect((error as CompositionError).code).toBe('PARAMETER_OUT_OF_RANGE');
      expect((error as CompositionError).issues[0]!.path).toBe("$.parameters['admission.minClientsPerYear']");
    }
  });

  it('checks an overlay against every regional version its validity overlaps', () => {
    // valid from 2025: it would also apply under the predecessor contract, which does not open
    // the tariff differentiation
    const early: RuleSetDocument = {
      ...apeldoorn({ 'tariff.differentiationPercentage': 2 }),
      version: 1,
      validFrom: '2025-06-01',
    };
    expect(() => new RuleSetRepository([...without('apeldoorn'), early])).toThrowError(
      /PARAMETER_NOT_OVERRIDABLE|niet aanpassen/,
    );
  });

  it('refuses two versions with the same number or a valid-from that does not rise', () => {
    const zwolle = documents.filter((d) => d.id === 'zwolle');
    const v1 = zwolle.find((d) => d.version === 1)!;
    expect(() => new RuleSetRepository([...documents, { ...v1 }])).toThrowError(/twee keer versie 1/);
    const backwards = { ...v1, version: 7, validFrom: '2017-01-01' };
    expect(() => new RuleSetRepository([...documents, backwards])).toThrowError(/moet na/);
  });
});

// each municipality's overlay in a real decision, on both backends: the same decision as the reference
describe.each(BACKEND_NAMES)('overlays in decisions, on %s', (backend) => {
  const { decide } = decider(backend);
  const reference = decider('json-rules-engine');
  const cases = [
    ...MUNICIPALITIES_BY_REGION.ijsselland.map((m) => [m, ijsselAllocation({ municipality: m })] as const),
    ...MUNICIPALITIES_BY_REGION['midden-ijssel-oost-veluwe'].map(
      (m) => [m, mijovAllocation({ municipality: m })] as const,
    ),
  ];

  it.each(cases)('decides a case in %s with its overlay as the reference does', async (municipality, c) => {
    const decision = await decide(c);
    const overlay = documents.some((d) => d.kind === 'municipality' && d.id === municipality);
    expect(decision.ruleSets.map((r) => r.id).includes(municipality)).toBe(overlay);
    expect(JSON.stringify(decision)).toBe(JSON.stringify(await reference.decide(c)));
  });
});
