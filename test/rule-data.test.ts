/**
 * The rule data in rules/ keeps its promises: every rule cites its source and speaks Dutch to
 * citizens, thresholds come from named parameters, the contract's parameters and reason codes
 * are there with the contract's values, every municipality has an overlay, and the generated
 * JSON Schemas match the zod schemas.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedJsonSchemas } from '../engine/json-schema.js';
import { loadRuleSetFiles } from '../engine/loader.js';
import {
  CONTRACT_REASON_CODES,
  MUNICIPALITY_IDS,
  OutputRegionRuleSet,
  type Condition,
  type RegionRuleSet,
} from '../engine/schema.js';

const files = loadRuleSetFiles('rules');
const regions = files.map((f) => f.document).filter((d): d is RegionRuleSet => d.kind === 'region');
const latest = (id: string) => regions.filter((r) => r.id === id).sort((a, b) => b.version - a.version)[0]!;

function leaves(c: Condition): Extract<Condition, { fact: string }>[] {
  if ('all' in c) return c.all.flatMap(leaves);
  if ('any' in c) return c.any.flatMap(leaves);
  if ('not' in c) return leaves(c.not);
  return [c];
}

describe('rule data', () => {
  it('has at least two versions of each region', () => {
    for (const id of ['ijsselland', 'midden-ijssel-oost-veluwe']) {
      expect(regions.filter((r) => r.id === id).length).toBeGreaterThanOrEqual(2);
    }
  });

  it('has an overlay for each of the 19 municipalities', () => {
    const overlays = new Set(files.filter((f) => f.document.kind === 'municipality').map((f) => f.document.id));
    expect([...overlays].sort()).toEqual([...MUNICIPALITY_IDS].sort());
  });

  it('names each file after the rule set and version it holds', () => {
    for (const { file, document } of files) {
      expect(file.replaceAll('\\', '/')).toBe(
        `rules/${document.kind === 'region' ? document.id : document.region}/${document.id}.v${document.version}.json`,
      );
    }
  });

  it.each(regions.map((r) => [`${r.id} v${r.version}`, r] as const))(
    '%s: every rule has a stable id, a source section and a Dutch message',
    (_, region) => {
      const ids = region.rules.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const rule of region.rules) {
        expect(rule.id.startsWith(region.id === 'ijsselland' ? 'ijsselland.' : 'mijov.')).toBe(true);
        expect(rule.source.document).toMatch(/\S/);
        expect(rule.source.section).toMatch(/\S/);
        expect(rule.message).toMatch(/[.!?]$/);
        // Dutch, not English: a few of the commonest Dutch words appear in every message
        expect(rule.message.toLowerCase()).toMatch(/\b(de|het|een|niet|is|van|voor|kan|mag|geen|uw|je|jij|u)\b/);
      }
    },
  );

  it.each(regions.map((r) => [`${r.id} v${r.version}`, r] as const))(
    '%s: thresholds come from named parameters, never from literals',
    (_, region) => {
      for (const rule of region.rules) {
        for (const leaf of leaves(rule.conditions)) {
          const { value } = leaf;
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
            if (value.fact.startsWith('param:'))
              expect(region.parameters, rule.id).toHaveProperty([value.fact.slice('param:'.length)]);
          } else {
            // literals are only categories (a profile number, a kind), booleans and "none" (0), never a threshold
            const category = leaf.fact === 'profile' || typeof value === 'string';
            expect(
              [0, true, false, null].includes(value as never) || category,
              `${rule.id}: ${JSON.stringify(value)}`,
            ).toBe(true);
          }
        }
      }
    },
  );

  it('encodes every reason code of the contract in the region it belongs to', () => {
    const codes = (id: string) => new Set(latest(id).rules.map((r) => r.code));
    const ijsselland = codes('ijsselland');
    const mijov = codes('midden-ijssel-oost-veluwe');
    // the contract's table: MIJOV's indication length, governance code, minimum clients and the
    // added value that opens a closed group are MIJOV's alone (003); every other code is
    // IJsselland's (002)
    const mijovOnly = ['INDICATION_TOO_LONG', 'GOVERNANCE_CODE_MISSING', 'TOO_FEW_CLIENTS', 'ADDED_VALUE_REVIEW'];
    for (const code of CONTRACT_REASON_CODES.filter((c) => !mijovOnly.includes(c))) {
      expect(ijsselland, code).toContain(code);
    }
    for (const code of [
      'OUT_OF_SCOPE',
      'INDICATION_TOO_LONG',
      'GOVERNANCE_CODE_MISSING',
      'ENTRY_MOMENT_CLOSED',
      'PRODUCT_GROUP_CLOSED',
      'ADDED_VALUE_REVIEW',
      'TOO_FEW_CLIENTS',
    ]) {
      expect(mijov, code).toContain(code);
    }
    expect(CONTRACT_REASON_CODES.filter((c) => !ijsselland.has(c) && !mijov.has(c))).toEqual([]);
  });

  // the contract's table holds for every version, not only the latest
  it.each(regions.map((r) => [`${r.id} v${r.version}`, r] as const))(
    "%s: has the contract's parameters with the contract's values and override rules",
    (_, region) => {
      const p = region.parameters;
      if (region.id === 'ijsselland') {
        expect(p['dyslexia.minAge']).toMatchObject({ value: 7, municipalOverride: { allowed: false } });
        expect(p['dyslexia.maxAgeExclusive']).toMatchObject({ value: 13, municipalOverride: { allowed: false } });
        expect(p['crisis.maxDays']).toMatchObject({ value: 28, municipalOverride: { allowed: false } });
        expect(p['topSegment.reviewAboveCents']).toMatchObject({
          value: 2_500_000,
          municipalOverride: { allowed: true, max: 2_500_000 },
        });
        expect(p['admission.entryMoments']).toMatchObject({
          value: ['01-01', '07-01'],
          municipalOverride: { allowed: false },
        });
        expect(p['admission.closedProductGroups']).toMatchObject({ value: [], municipalOverride: { allowed: false } });
      } else {
        expect(p['admission.entryMoments']?.municipalOverride.allowed).toBe(true);
        expect(p['admission.closedProductGroups']).toMatchObject({ value: [], municipalOverride: { allowed: true } });
        expect(p['admission.minClientsPerYear']).toMatchObject({ value: 0, municipalOverride: { allowed: true } });
      }
    },
  );

  it("has the contract's parameters in the latest versions", () => {
    const ij = latest('ijsselland').parameters;
    const mj = latest('midden-ijssel-oost-veluwe').parameters;
    expect(ij['dyslexia.minAge']).toMatchObject({ value: 7, municipalOverride: { allowed: false } });
    expect(ij['dyslexia.maxAgeExclusive']).toMatchObject({ value: 13, municipalOverride: { allowed: false } });
    expect(ij['crisis.maxDays']).toMatchObject({ value: 28, municipalOverride: { allowed: false } });
    expect(ij['topSegment.reviewAboveCents']).toMatchObject({
      value: 2_500_000,
      municipalOverride: { allowed: true, max: 2_500_000 },
    });
    expect(ij['admission.entryMoments']).toMatchObject({
      value: ['01-01', '07-01'],
      municipalOverride: { allowed: false },
    });
    expect(ij['admission.closedProductGroups']).toMatchObject({ value: [], municipalOverride: { allowed: false } });
    expect(mj['admission.entryMoments']?.municipalOverride.allowed).toBe(true);
    expect(mj['admission.closedProductGroups']).toMatchObject({ value: [], municipalOverride: { allowed: true } });
    expect(mj['admission.minClientsPerYear']).toMatchObject({ value: 0, municipalOverride: { allowed: true } });
  });

  it('marks values no source gives as illustrative: tariffs and MIJOV catalogue entries', () => {
    for (const region of regions) {
      // no source gives an amount: every entry takes the table's "illustratief"
      expect(region.tariffs.source).toBe('illustratief');
      const entries = region.tariffs.model === 'output' ? region.tariffs.middleSegment : region.tariffs.products;
      for (const entry of entries) expect(entry.source ?? region.tariffs.source).toBe('illustratief');
      // 003 names the product groups but gives no unit, level or maximum indication length
      if ('products' in region.catalogue)
        for (const product of region.catalogue.products) expect(product.illustrative, product.slug).toBe(true);
    }
  });

  it('cites the 70% advance to the RSJ IJsselland FAQ, not as illustrative', () => {
    for (const region of regions.filter((r) => r.id === 'ijsselland')) {
      expect(region.parameters['tariff.advancePercentage']).toMatchObject({
        value: 70,
        source: { document: 'RSJ IJsselland, antwoorden aan aanbieders (FAQ)', section: 'Bevoorschotting' },
      });
    }
  });

  it.each([
    ['ijsselland', 'deventer', 2],
    ['midden-ijssel-oost-veluwe', 'apeldoorn', 2],
    ['midden-ijssel-oost-veluwe', 'lochem', 2],
    ['midden-ijssel-oost-veluwe', 'zutphen', 2],
  ])('%s: the illustrative overlay %s v%i marks every value it sets', (_, id, version) => {
    const overlay = files.map((f) => f.document).find((d) => d.id === id && d.version === version);
    if (overlay?.kind !== 'municipality') throw new Error(`missing ${id} v${version}`);
    expect(Object.keys(overlay.parameters).length).toBeGreaterThan(0);
    for (const name of Object.keys(overlay.parameters))
      expect(overlay.parameterSources?.[name], name).toBe('illustratief');
    for (const [ruleId, sw] of Object.entries(overlay.rules)) expect(sw.source, ruleId).toBe('illustratief');
  });

  it('prices every profile × intensity the IJsselland catalogue allows, and every MIJOV product and level', () => {
    for (const region of regions) {
      if (region.fundingModel === 'output') {
        for (const profile of region.catalogue.profiles) {
          for (const intensity of profile.intensities) {
            expect(
              region.tariffs.middleSegment.some((t) => t.profile === profile.number && t.intensity === intensity),
              `${profile.number} ${intensity}`,
            ).toBe(true);
          }
        }
      } else {
        for (const product of region.catalogue.products) {
          for (const level of product.levels.length > 0 ? product.levels : [undefined]) {
            expect(
              region.tariffs.products.some(
                (t) => t.product === product.slug && t.level === level && t.unit === product.unit,
              ),
              `${product.slug} ${level}`,
            ).toBe(true);
          }
        }
      }
    }
  });

  it('has a catalogue with the 12 IJsselland profiles, crisis only on 11, each with an iJw category', () => {
    const { catalogue } = latest('ijsselland');
    if (!('profiles' in catalogue)) throw new Error('IJsselland has profiles');
    expect(catalogue.profiles.map((p) => p.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const p of catalogue.profiles) expect(p.intensities.includes('crisis')).toBe(p.number === 11);
  });

  it('gives every 2022 IJsselland profile a component (004), grounded or marked illustrative, and 2018 none', () => {
    const ijsselland = regions.filter((r) => r.id === 'ijsselland');
    for (const region of ijsselland) {
      if (!('profiles' in region.catalogue)) throw new Error('IJsselland has profiles');
      const { profiles } = region.catalogue;
      if (region.validFrom < '2022-01-01') {
        expect(profiles.filter((p) => p.component || p.topSegmentComponent || p.componentSource)).toEqual([]);
        continue;
      }
      for (const p of profiles) {
        expect(p.component, `profiel ${p.number}`).toBeDefined();
        // only the crisis function's profile is grounded; the rest is the region's reading
        if (p.number === 11) {
          expect(p.component).toBe('crisis');
          expect(p.componentSource).toMatchObject({ document: '004 Informatienota Steenwijkerland (2021)' });
        } else expect(p.componentSource, `profiel ${p.number}`).toBe('illustratief');
      }
      const all = new Set(profiles.flatMap((p) => [p.component, p.topSegmentComponent]).filter(Boolean));
      expect([...all].sort()).toEqual(['ambulant', 'crisis', 'wonen-verblijf']);
    }
  });

  it('refuses a catalogue where some profiles have a component and others not, or a component without source', () => {
    const v2 = regions.find((r) => r.id === 'ijsselland' && r.version === 2)!;
    if (!('profiles' in v2.catalogue)) throw new Error('IJsselland has profiles');
    const [first, ...rest] = v2.catalogue.profiles;
    const { component, topSegmentComponent, componentSource, ...bare } = first!;
    const issues = (profiles: unknown[]) =>
      (OutputRegionRuleSet.safeParse({ ...v2, catalogue: { profiles } }).error?.issues ?? []).map((i) =>
        i.path.join('.'),
      );
    expect(issues([bare, ...rest])).toEqual(['catalogue.profiles.0.component']);
    expect(issues([{ ...bare, component }, ...rest])).toEqual(['catalogue.profiles.0.component']);
    expect(issues([{ ...bare, topSegmentComponent, componentSource }, ...rest])).toContain(
      'catalogue.profiles.0.topSegmentComponent',
    );
    expect(issues([first, ...rest])).toEqual([]);
  });
});

describe('generated JSON Schemas', () => {
  it.each(Object.entries(generatedJsonSchemas()))(
    'engine/generated/%s is current (run npm run schema)',
    (file, text) => {
      expect(readFileSync(`engine/generated/${file}`, 'utf8')).toBe(text);
    },
  );
});
