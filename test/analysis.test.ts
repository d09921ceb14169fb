/**
 * The static analysis: each code fires on a draft made to have the problem and stays silent on
 * the rule sets in `rules/`; a rule reported unsatisfiable never fires on random facts through
 * the reference backend (json-rules-engine).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseRuleSet, AnalysisResult, ENGINE_PARAMETERS, type Finding } from '../engine/analysis.js';
import { jsonRulesEngineBackend } from '../engine/backends/json-rules-engine.js';
import { compose, versioned } from '../engine/compose.js';
import { CompositionError } from '../engine/errors.js';
import { deriveFacts, type Facts } from '../engine/facts.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../engine/loader.js';
import type {
  Condition,
  EffortRegionRuleSet,
  MunicipalityOverlay,
  Operator,
  OutputRegionRuleSet,
  RegionRuleSet,
  Rule,
  RuleSetDocument,
} from '../engine/schema.js';
import * as browser from '../engine/browser.js';
import * as node from '../engine/index.js';
import { engine, ijsselAllocation } from './support/factories.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
const documents = loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document);
const find = <T extends RuleSetDocument>(id: string, version: number) =>
  structuredClone(documents.find((d) => d.id === id && d.version === version)) as T;
const ijsselland = () => find<OutputRegionRuleSet>('ijsselland', 2);
const mijov = () => find<EffortRegionRuleSet>('midden-ijssel-oost-veluwe', 2);
const overlaysOf = (region: string) =>
  documents.filter((d): d is MunicipalityOverlay => d.kind === 'municipality' && d.region === region);

/** A rule with these conditions, as a policy advisor would add it to a draft. */
function ruleWith(id: string, conditions: Condition, effect: Rule['effect'] = 'reject'): Rule {
  return {
    id,
    kind: 'eligibility',
    code: 'TEST_RULE',
    effect,
    message: 'Testregel.',
    source: { document: 'test', section: '§1' },
    conditions: ('fact' in conditions ? { all: [conditions] } : conditions) as Rule['conditions'],
  };
}

const withRules = <T extends RegionRuleSet>(region: T, ...rules: Rule[]): T => ({
  ...region,
  rules: [...region.rules, ...rules],
});
const codes = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.code} ${f.ruleId ?? f.parameter ?? ''}`.trim());
const byCode = (findings: readonly Finding[], code: Finding['code']) => findings.filter((f) => f.code === code);
const age = (operator: string, value: unknown) => ({ fact: 'ageYears', operator, value }) as Condition;

describe('analysis and semantic diff: the engine surfaces', () => {
  it('both offer them, the same functions (the browser test walks their imports)', () => {
    expect(browser.analyseRuleSet).toBe(analyseRuleSet);
    expect(node.analyseRuleSet).toBe(analyseRuleSet);
    expect(browser.semanticDiff).toBe(node.semanticDiff);
    expect(typeof browser.semanticDiff).toBe('function');
    expect(node.AnalysisResult).toBe(AnalysisResult);
  });
});

describe('analysis: the rule sets in rules/', () => {
  it('have no error finding: every region alone and with its overlays, every overlay with each region version', () => {
    for (const document of documents) {
      const results =
        document.kind === 'region'
          ? [analyseRuleSet(document, { overlays: overlaysOf(document.id) })]
          : documents
              .filter((d): d is RegionRuleSet => d.kind === 'region' && d.id === document.region)
              .map((region) => analyseRuleSet(document, { region }));
      for (const result of results) {
        expect(AnalysisResult.parse(result)).toEqual(result);
        expect(
          result.findings.filter((f) => f.severity === 'error'),
          `${document.id} v${document.version}`,
        ).toEqual([]);
      }
    }
  });

  it('have no warning either, short of untested rules', () => {
    for (const document of documents.filter((d) => d.kind === 'region')) {
      expect(analyseRuleSet(document, { overlays: overlaysOf(document.id) }).findings).toEqual([]);
    }
  });

  it('an overlay needs its region', () => {
    const deventer = find<MunicipalityOverlay>('deventer', 2);
    expect(() => analyseRuleSet(deventer)).toThrow(CompositionError);
    expect(() => analyseRuleSet(deventer, { region: mijov() })).toThrow(/ijsselland/);
  });
});

describe('analysis: RULE_UNSATISFIABLE', () => {
  const unsatisfiable = (...conditions: Condition[]) =>
    byCode(
      analyseRuleSet(withRules(ijsselland(), ruleWith('test.regel', { all: conditions }))).findings,
      'RULE_UNSATISFIABLE',
    );

  it('a rule requiring age < 7 and age ≥ 13', () => {
    const [finding, ...rest] = unsatisfiable(age('lessThan', 7), age('greaterThanInclusive', 13));
    expect(rest).toEqual([]);
    expect(finding).toEqual({
      severity: 'error',
      code: 'RULE_UNSATISFIABLE',
      ruleId: 'test.regel',
      message:
        "Regel test.regel kan nooit gelden: 'leeftijd in jaren < 7' en 'leeftijd in jaren ≥ 13' kunnen niet tegelijk waar zijn.",
    });
  });

  it('reads parameters at their effective values', () => {
    const [finding] = unsatisfiable(
      age('lessThan', { fact: 'param:dyslexia.minAge' }),
      age('greaterThanInclusive', { fact: 'param:dyslexia.maxAgeExclusive' }),
    );
    expect(finding!.message).toContain("'leeftijd in jaren < Dyslexiezorg: minimumleeftijd (7)'");
    expect(unsatisfiable(age('greaterThanInclusive', { fact: 'param:dyslexia.minAge' }), age('lessThan', 13))).toEqual(
      [],
    );
  });

  it.each([
    [
      'equal values of an enum',
      [
        { fact: 'profile', operator: 'equal', value: 12 },
        { fact: 'profile', operator: 'equal', value: 10 },
      ],
    ],
    [
      'in and notIn the same list',
      [
        { fact: 'referrer', operator: 'in', value: ['huisarts', 'jeugdarts'] },
        { fact: 'referrer', operator: 'notIn', value: ['jeugdarts', 'huisarts'] },
      ],
    ],
    [
      'a boolean both true and false',
      [
        { fact: 'comorbidity', operator: 'equal', value: true },
        { fact: 'comorbidity', operator: 'notEqual', value: true },
        { fact: 'comorbidity', operator: 'notEqual', value: null },
        { fact: 'comorbidity', operator: 'equal', value: false },
      ],
    ],
    ['null with a numeric comparison (false for null)', [age('equal', null), age('lessThan', 7)]],
    [
      'a single point that is excluded',
      [age('greaterThanInclusive', 7), age('lessThanInclusive', 7), age('notEqual', 7)],
    ],
    ['an open interval without room', [age('greaterThan', 7), age('lessThanInclusive', 7)]],
    [
      'a value outside the bounds',
      [
        { fact: 'profile', operator: 'in', value: [1, 2] },
        { fact: 'profile', operator: 'greaterThan', value: 5 },
      ],
    ],
    ['nested all', [{ all: [age('lessThan', 7)] }, { all: [{ all: [age('greaterThan', 8)] }] }]],
    ['every branch of an any', [age('lessThan', 7), { any: [age('greaterThan', 12), age('equal', 9)] }]],
    ['not of a leaf', [age('lessThan', 7), { not: age('lessThan', 13) }]],
    ['not of an any (De Morgan)', [age('equal', 10), { not: { any: [age('greaterThan', 8), age('equal', 3)] } }]],
    [
      'contains and doesNotContain the same',
      [
        { fact: 'registrations', operator: 'contains', value: 'BIG' },
        { fact: 'registrations', operator: 'containsNone', value: ['SKJ', 'BIG'] },
      ],
    ],
    ['an empty literal list', [{ fact: 'referrer', operator: 'in', value: [] }]],
  ] as [string, Condition[]][])('%s', (_, conditions) => {
    expect(unsatisfiable(...conditions)).toHaveLength(1);
  });

  it.each([
    ['a range with room', [age('greaterThanInclusive', 7), age('lessThan', 13)]],
    ['reals between integers (facts are not assumed whole)', [age('greaterThan', 6), age('lessThan', 7)]],
    ['one branch of an any that can hold', [age('lessThan', 7), { any: [age('greaterThan', 12), age('equal', 5)] }]],
    ['not of a numeric comparison is also true for null', [age('equal', null), { not: age('lessThan', 7) }]],
    [
      'a comparison with another fact',
      [
        { fact: 'intensity', operator: 'notIn', value: { fact: 'allowedIntensities' } },
        { fact: 'intensity', operator: 'equal', value: 'crisis' },
      ],
    ],
    ['different facts', [age('lessThan', 7), { fact: 'periodDays', operator: 'greaterThan', value: 13 }]],
    [
      'an excluded point beside an interval',
      [age('greaterThanInclusive', 7), age('lessThanInclusive', 8), age('notEqual', 7)],
    ],
    [
      'a dormant empty list parameter',
      [{ fact: 'requestedProductGroup', operator: 'in', value: { fact: 'param:admission.closedProductGroups' } }],
    ],
  ] as [string, Condition[]][])('not for %s', (_, conditions) => {
    expect(unsatisfiable(...conditions)).toEqual([]);
  });

  it('says in which compositions it holds when an overlay decides it', () => {
    // IJsselland € 25.000, Deventer € 20.000 (topSegment.reviewAboveCents)
    const cost = (operator: string, value: unknown) => ({ fact: 'trajectoryCostCents', operator, value }) as Condition;
    const onlyRegion = withRules(
      ijsselland(),
      ruleWith('test.alleen-regio', {
        all: [cost('greaterThan', { fact: 'param:topSegment.reviewAboveCents' }), cost('lessThan', 2_200_000)],
      }),
      ruleWith('test.alleen-deventer', {
        all: [cost('lessThanInclusive', { fact: 'param:topSegment.reviewAboveCents' }), cost('greaterThan', 2_100_000)],
      }),
    );
    const findings = byCode(
      analyseRuleSet(onlyRegion, { overlays: overlaysOf('ijsselland') }).findings,
      'RULE_UNSATISFIABLE',
    );
    expect(findings.map((f) => [f.ruleId, f.message.match(/\((niet )?bij .+\)\.$/)?.[0]])).toEqual([
      ['test.alleen-regio', '(niet bij Deventer versie 2).'],
      ['test.alleen-deventer', '(bij Deventer versie 2).'],
    ]);
    expect(findings[0]!.message).toContain('(€ 25.000)');

    const deventer = find<MunicipalityOverlay>('deventer', 2);
    expect(codes(analyseRuleSet(deventer, { region: onlyRegion }).findings)).toEqual([
      'RULE_UNSATISFIABLE test.alleen-deventer',
    ]);
  });
});

describe('analysis: TARIFF_MISSING', () => {
  it('a profile × intensity the catalogue allows without a price', () => {
    const region = ijsselland();
    region.tariffs.middleSegment = region.tariffs.middleSegment.filter(
      (t) => !(t.profile === 4 && t.intensity === 'intensief'),
    );
    const findings = analyseRuleSet(region).findings;
    expect(findings).toEqual([
      {
        severity: 'error',
        code: 'TARIFF_MISSING',
        message: expect.stringMatching(
          /^Profiel 4 \(.+\) met intensiteit intensief staat in de catalogus, maar heeft geen tarief in het middensegment\.$/,
        ),
      },
    ]);
  });

  it('not for an intensity the catalogue does not allow, nor for a price nobody can ask for', () => {
    const region = ijsselland();
    region.catalogue.profiles.find((p) => p.number === 11)!.intensities = ['crisis'];
    region.tariffs.middleSegment.push({ profile: 11, intensity: 'duurzaam', priceCents: 100 });
    expect(byCode(analyseRuleSet(region).findings, 'TARIFF_MISSING')).toEqual([]);
    // a profile that gains an intensity needs its price
    region.catalogue.profiles.find((p) => p.number === 11)!.intensities = ['crisis', 'perspectief'];
    expect(byCode(analyseRuleSet(region).findings, 'TARIFF_MISSING')).toHaveLength(1);
  });

  it('a product × level, in the unit of the catalogue, without a price', () => {
    const region = mijov();
    region.tariffs.products = region.tariffs.products.filter(
      (t) => !(t.product === 'behandeling' && t.level === 'complex') && t.product !== 'vervoer-plus',
    );
    const crisis = region.tariffs.products.find((t) => t.product === 'begeleiding-crisis')!;
    crisis.unit = 'etmaal'; // the catalogue sells it per hour
    expect(byCode(analyseRuleSet(region).findings, 'TARIFF_MISSING').map((f) => f.message)).toEqual([
      'Product begeleiding-crisis staat in de catalogus, maar heeft geen tarief per uur.',
      'Product behandeling niveau complex staat in de catalogus, maar heeft geen tarief per uur.',
      'Product vervoer-plus staat in de catalogus, maar heeft geen tarief per stuks.',
    ]);
  });

  it('an overlay is held to its region’s tariffs too', () => {
    const region = mijov();
    region.tariffs.products.pop();
    expect(codes(analyseRuleSet(find<MunicipalityOverlay>('lochem', 2), { region }).findings)).toEqual([
      'TARIFF_MISSING',
    ]);
  });
});

describe('analysis: PARAMETER_UNKNOWN and PARAMETER_UNUSED', () => {
  it('a rule that refers to a parameter that does not exist', () => {
    const region = withRules(
      ijsselland(),
      ruleWith('test.regel', age('lessThan', { fact: 'param:dyslexia.minimumAge' })),
    );
    expect(byCode(analyseRuleSet(region).findings, 'PARAMETER_UNKNOWN')).toEqual([
      {
        severity: 'error',
        code: 'PARAMETER_UNKNOWN',
        ruleId: 'test.regel',
        parameter: 'dyslexia.minimumAge',
        message:
          'Regel test.regel verwijst naar de parameter dyslexia.minimumAge, maar die bestaat niet in Regio IJsselland.',
      },
    ]);
  });

  it('a parameter no rule and no tariff computation reads', () => {
    const region = ijsselland();
    region.parameters['crisis.minDays'] = {
      ...region.parameters['crisis.maxDays']!,
      label: 'Crisiszorg: minimale duur',
    };
    expect(analyseRuleSet(region).findings).toEqual([
      {
        severity: 'warning',
        code: 'PARAMETER_UNUSED',
        parameter: 'crisis.minDays',
        message:
          'De parameter crisis.minDays (Crisiszorg: minimale duur) wordt door geen regel en niet door de tariefberekening gebruikt.',
      },
    ]);
    // the advance percentage is read by the tariff computation, not by a rule
    expect(ijsselland().rules.some((r) => JSON.stringify(r).includes('tariff.advancePercentage'))).toBe(false);
  });

  it('knows every parameter the engine reads outside the rules', () => {
    const read = readdirSync(fileURLToPath(new URL('../engine/', import.meta.url)))
      .filter(
        (f) =>
          f.endsWith('.ts') &&
          !['analysis.ts', 'semantic-diff.ts', 'overlay.ts', 'errors.ts', 'compare.ts'].includes(f),
      )
      .flatMap((f) => {
        const text = readFileSync(fileURLToPath(new URL(`../engine/${f}`, import.meta.url)), 'utf8');
        return [
          ...text.matchAll(/(?:Parameter\(effective, |parameters\[)'([a-z][a-zA-Z0-9]*(?:\.[a-z][a-zA-Z0-9]*)+)'/g),
        ].map((m) => m[1]!);
      });
    expect(read.length).toBeGreaterThan(0);
    expect([...new Set(read)].sort()).toEqual([...ENGINE_PARAMETERS].sort());
  });

  it("an overlay's value that no rule switched on for the municipality reads", () => {
    const region = mijov();
    const overlay: MunicipalityOverlay = {
      ...find<MunicipalityOverlay>('lochem', 2),
      parameters: { 'admission.minLevels': 3, 'tariff.differentiationPercentage': 1 },
    };
    // mijov.toelating.meerdere-producten reads it, and is off unless a municipality switches it on
    expect(analyseRuleSet(overlay, { region }).findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'PARAMETER_UNUSED',
        parameter: 'admission.minLevels',
      }),
    ]);
    overlay.rules = { 'mijov.toelating.meerdere-producten': { enabled: true } };
    expect(analyseRuleSet(overlay, { region }).findings).toEqual([]);
  });
});

describe('analysis: RULE_SHADOWED', () => {
  const shadowed = (region: RegionRuleSet) => byCode(analyseRuleSet(region).findings, 'RULE_SHADOWED');
  const dyslexiaByGp = (effect: Rule['effect']) =>
    ruleWith(
      'test.dyslexie.huisarts-jong',
      {
        all: [
          { fact: 'profile', operator: 'equal', value: 12 },
          { fact: 'referrer', operator: 'equal', value: 'huisarts' },
          age('lessThan', 9),
        ],
      },
      effect,
    );

  it('a rule that only fires when another rule with the same effect fires', () => {
    // ijsselland.dyslexie.geen-huisarts: profile = 12 and referrer in dyslexia.excludedReferrers (huisarts)
    expect(shadowed(withRules(ijsselland(), dyslexiaByGp('reject')))).toEqual([
      {
        severity: 'warning',
        code: 'RULE_SHADOWED',
        ruleId: 'test.dyslexie.huisarts-jong',
        message:
          'Regel test.dyslexie.huisarts-jong gaat alleen af als ook ijsselland.dyslexie.geen-huisarts afgaat, met hetzelfde effect; controleer of de regel nodig is.',
      },
    ]);
  });

  it('not with another effect, nor when the other rule can fire without it', () => {
    expect(shadowed(withRules(ijsselland(), dyslexiaByGp('review')))).toEqual([]);
    const referredBy = (referrer: string[]) =>
      ruleWith('test.dyslexie.verwijzer', {
        all: [
          { fact: 'profile', operator: 'equal', value: 12 },
          { fact: 'referrer', operator: 'in', value: referrer },
        ],
      });
    expect(shadowed(withRules(ijsselland(), referredBy(['jeugdarts'])))).toEqual([]);
    // a broader new rule shadows the existing one instead
    expect(codes(shadowed(withRules(ijsselland(), referredBy(['huisarts', 'jeugdarts']))))).toEqual([
      'RULE_SHADOWED ijsselland.dyslexie.geen-huisarts',
    ]);
  });

  it('by intervals: 30 days or more implies more than 28', () => {
    const longer = (id: string, days: number, operator: Operator = 'greaterThanInclusive') =>
      ruleWith(
        id,
        {
          all: [
            { fact: 'profile', operator: 'equal', value: 11 },
            { fact: 'periodDays', operator, value: days },
          ],
        },
        'review',
      );
    const region = (...rules: Rule[]) => shadowed(withRules(ijsselland(), ...rules));
    expect(codes(region(longer('test.a', 28, 'greaterThan'), longer('test.b', 30)))).toEqual(['RULE_SHADOWED test.b']);
    expect(codes(region(longer('test.a', 28, 'greaterThan'), longer('test.b', 29)))).toEqual(['RULE_SHADOWED test.b']);
    expect(codes(region(longer('test.a', 28, 'greaterThan'), longer('test.b', 28)))).toEqual(['RULE_SHADOWED test.a']);
    expect(region(longer('test.a', 28, 'greaterThan'), longer('test.b', 40, 'lessThan'))).toEqual([]);
  });

  it('of two rules with the same conditions, the later one', () => {
    const twin = {
      ...ijsselland().rules.find((r) => r.id === 'ijsselland.dyslexie.enkelvoudig')!,
      id: 'test.tweeling',
    };
    expect(codes(shadowed(withRules(ijsselland(), twin)))).toEqual(['RULE_SHADOWED test.tweeling']);
  });

  it('a rule that is switched off shadows nothing', () => {
    const region = mijov();
    const registration = region.rules.find((r) => r.id === 'mijov.toelating.registratie')!;
    const stricter = ruleWith('test.registratie-big', {
      all: [
        ...(registration.conditions as { all: Condition[] }).all,
        { fact: 'governanceCodeZorg', operator: 'equal', value: true },
      ],
    });
    // off by default: nothing in the region alone; on in an overlay: shadowed there
    const overlay: MunicipalityOverlay = {
      ...find<MunicipalityOverlay>('lochem', 2),
      rules: { 'mijov.toelating.registratie': { enabled: true } },
    };
    const findings = byCode(
      analyseRuleSet(withRules(region, stricter), { overlays: [overlay] }).findings,
      'RULE_SHADOWED',
    );
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/\(bij Lochem\)\.$/)]);
  });
});

describe('analysis: RULE_UNTESTED', () => {
  const region = ijsselland();
  const all = new Set(region.rules.map((r) => r.id));

  it('only when test cases were given', () => {
    expect(byCode(analyseRuleSet(region).findings, 'RULE_UNTESTED')).toEqual([]);
    expect(byCode(analyseRuleSet(region, { firedRuleIds: all }).findings, 'RULE_UNTESTED')).toEqual([]);
  });

  it('a rule no test case makes fire', () => {
    const fired = new Set([...all].filter((id) => id !== 'ijsselland.crisis.maximale-duur'));
    expect(analyseRuleSet(region, { firedRuleIds: fired }).findings).toEqual([
      {
        severity: 'warning',
        code: 'RULE_UNTESTED',
        ruleId: 'ijsselland.crisis.maximale-duur',
        message: 'Geen testcasus laat regel ijsselland.crisis.maximale-duur (CRISIS_TOO_LONG) afgaan.',
      },
    ]);
  });

  it('for an overlay, the rules it changes: those it switches on and those reading its values', () => {
    const zutphen = find<MunicipalityOverlay>('zutphen', 2);
    const found = byCode(
      analyseRuleSet(zutphen, { region: mijov(), firedRuleIds: new Set() }).findings,
      'RULE_UNTESTED',
    );
    expect(found.map((f) => f.ruleId)).toEqual(['mijov.toelating.meerdere-producten']);
    const apeldoorn = find<MunicipalityOverlay>('apeldoorn', 2);
    const reads = byCode(
      analyseRuleSet(apeldoorn, { region: mijov(), firedRuleIds: new Set() }).findings,
      'RULE_UNTESTED',
    );
    expect(reads.map((f) => f.ruleId)).toEqual([
      'mijov.toelating.productgroep-gesloten',
      'mijov.toelating.toegevoegde-waarde',
      'mijov.toelating.minimum-clienten',
    ]);
  });

  it('errors come before warnings', () => {
    const broken = withRules(
      ijsselland(),
      ruleWith('test.regel', { all: [age('lessThan', 7), age('greaterThan', 8)] }),
    );
    const { findings } = analyseRuleSet(broken, { firedRuleIds: new Set() });
    expect(findings[0]!.code).toBe('RULE_UNSATISFIABLE');
    expect(findings.slice(1).every((f) => f.severity === 'warning')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Property: what the analysis calls unsatisfiable never fires
// ---------------------------------------------------------------------------------------------

describe('analysis: property', () => {
  const NUMBERS = ['ageYears', 'periodDays'] as const;
  const TEXTS = ['referrer'] as const;
  const BOOLEANS = ['comorbidity'] as const;
  const LISTS = ['registrations'] as const;
  const PARAMS = { 'test.age': 7, 'test.days': 9, 'test.referrers': ['huisarts', 'jeugdarts'], 'test.none': [] };
  const small = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constantFrom(6.5, 7.5));
  const word = fc.constantFrom('huisarts', 'jeugdarts', 'x');

  const numberLeaf = fc.record({
    fact: fc.constantFrom(...NUMBERS),
    operator: fc.constantFrom(
      'lessThan',
      'lessThanInclusive',
      'greaterThan',
      'greaterThanInclusive',
      'equal',
      'notEqual',
      'in',
      'notIn',
    ),
    value: fc.oneof(
      small,
      fc.constant(null),
      fc.array(small, { maxLength: 3 }),
      fc.constantFrom({ fact: 'param:test.age' }, { fact: 'param:test.days' }),
    ),
  });
  const textLeaf = fc.record({
    fact: fc.constantFrom(...TEXTS),
    operator: fc.constantFrom('equal', 'notEqual', 'in', 'notIn'),
    value: fc.oneof(
      word,
      fc.constant(null),
      fc.array(word, { maxLength: 3 }),
      fc.constantFrom({ fact: 'param:test.referrers' }, { fact: 'param:test.none' }),
    ),
  });
  const booleanLeaf = fc.record({
    fact: fc.constantFrom(...BOOLEANS),
    operator: fc.constantFrom('equal', 'notEqual'),
    value: fc.constantFrom(true, false, null),
  });
  const listLeaf = fc.record({
    fact: fc.constantFrom(...LISTS),
    operator: fc.constantFrom('contains', 'doesNotContain', 'containsAny', 'containsNone'),
    value: fc.oneof(fc.constantFrom('BIG', 'SKJ'), fc.subarray(['BIG', 'SKJ', 'x'])),
  });
  const leaf = fc.oneof({ arbitrary: numberLeaf, weight: 4 }, textLeaf, booleanLeaf, listLeaf);
  const { tree } = fc.letrec<{ tree: Condition; node: Condition }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf as fc.Arbitrary<Condition>, tie('tree')),
    tree: fc.oneof(
      { arbitrary: fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 4 }) }), weight: 3 },
      fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
    ),
  }));

  /** Values of the facts' own types (facts.ts): numbers or null, strings or null, booleans or null, lists. */
  const factValues = fc.record({
    ageYears: fc.oneof(small, fc.integer({ min: -2, max: 20 }), fc.constant(null)),
    periodDays: fc.oneof(small, fc.constant(null)),
    referrer: fc.oneof(word, fc.constant(null)),
    comorbidity: fc.constantFrom(true, false, null),
    registrations: fc.subarray(['BIG', 'SKJ', 'x']),
  });

  const base = (() => {
    const validation = engine().validate(ijsselAllocation());
    if (!validation.ok) throw new Error('fixture case is invalid');
    return deriveFacts(validation.case, validation.effective);
  })();

  const regionWith = (conditions: Condition): OutputRegionRuleSet => {
    const region = ijsselland();
    return {
      ...region,
      parameters: {
        ...region.parameters,
        ...Object.fromEntries(
          Object.entries(PARAMS).map(([name, value]) => [
            name,
            Array.isArray(value)
              ? {
                  type: 'string-list',
                  value,
                  label: name,
                  explanation: name,
                  source: 'illustratief',
                  municipalOverride: { allowed: false },
                }
              : {
                  type: 'integer',
                  value,
                  unit: 'jaar',
                  label: name,
                  explanation: name,
                  source: 'illustratief',
                  municipalOverride: { allowed: false },
                },
          ]),
        ),
      },
      rules: [ruleWith('test.regel', conditions)],
    } as OutputRegionRuleSet;
  };

  it('a rule reported unsatisfiable never fires on random facts (json-rules-engine)', async () => {
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(
        tree.filter((c) => !('fact' in c)),
        fc.array(factValues, { minLength: 20, maxLength: 20 }),
        async (conditions, samples) => {
          const region = regionWith(conditions);
          const unsat = byCode(analyseRuleSet(region).findings, 'RULE_UNSATISFIABLE');
          if (unsat.length === 0) return;
          reported++;
          const compiled = jsonRulesEngineBackend.compile(compose(versioned(region), undefined));
          for (const sample of samples) {
            const traces = await compiled.evaluate({ ...base, ...sample } as Facts).catch(() => []);
            expect(
              traces.filter((t) => t.fired),
              JSON.stringify({ conditions, sample }),
            ).toEqual([]);
          }
        },
      ),
      { numRuns: runs },
    );
    // the property means something only if the generator makes contradictions often enough
    expect(reported).toBeGreaterThan(runs / 20);
  });

  // one or two leaves over the two number facts: small enough that one rule often implies the other
  const conjunction = fc.array(numberLeaf as fc.Arbitrary<Condition>, { minLength: 1, maxLength: 2 });

  it('a rule reported shadowed never fires without the rule that shadows it (json-rules-engine)', async () => {
    let reported = 0;
    await fc.assert(
      fc.asyncProperty(
        conjunction,
        conjunction,
        fc.array(factValues, { minLength: 20, maxLength: 20 }),
        async (a, b, samples) => {
          const region = regionWith({ all: a });
          region.rules = [ruleWith('test.a', { all: a }), ruleWith('test.b', { all: b })];
          const shadowed = byCode(analyseRuleSet(region).findings, 'RULE_SHADOWED');
          if (shadowed.length === 0) return;
          reported++;
          const compiled = jsonRulesEngineBackend.compile(compose(versioned(region), undefined));
          for (const sample of samples) {
            const traces = await compiled.evaluate({ ...base, ...sample } as Facts).catch(() => []);
            const fired = new Set(traces.filter((t) => t.fired).map((t) => t.ruleId));
            for (const f of shadowed) {
              const other = f.ruleId === 'test.a' ? 'test.b' : 'test.a';
              if (fired.has(f.ruleId!)) expect(fired.has(other), JSON.stringify({ a, b, sample })).toBe(true);
            }
          }
        },
      ),
      { numRuns: Math.ceil(runs / 3) },
    );
    expect(reported).toBeGreaterThan(0);
  });
});
