/**
 * The semantic diff against the real rule sets: copy a version, change one thing, and the diff
 * names exactly that change in a Dutch sentence; bookkeeping (version, date, change note) is no
 * change; the published versions' successive differences read sensibly.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../engine/loader.js';
import type {
  EffortRegionRuleSet,
  MunicipalityOverlay,
  OutputRegionRuleSet,
  Parameter,
  RuleSetDocument,
  RuleSetDraft,
} from '../engine/schema.js';
import { SemanticChange, semanticDiff, SemanticDiffResult } from '../engine/semantic-diff.js';

const documents = loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document);
const find = <T extends RuleSetDocument>(id: string, version: number) =>
  structuredClone(documents.find((d) => d.id === id && d.version === version)) as T;

const ijsselland = () => find<OutputRegionRuleSet>('ijsselland', 2);
const mijov = () => find<EffortRegionRuleSet>('midden-ijssel-oost-veluwe', 2);

/** A draft of the next version: no version or date yet, as the editor keeps it. */
function draftOf<T extends RuleSetDocument>(document: T): RuleSetDraft {
  const { version: _v, validFrom: _d, ...draft } = structuredClone(document);
  return { ...draft, changes: ['Een wijziging.'] } as RuleSetDraft;
}

const texts = (changes: readonly SemanticChange[]) => changes.map((c) => c.text);
const rule = (doc: OutputRegionRuleSet | EffortRegionRuleSet, id: string) => doc.rules.find((r) => r.id === id)!;

describe('semantic diff: the issue', () => {
  it('a draft that changes dyslexia.minAge from 7 to 6 has exactly that one change', () => {
    const before = ijsselland();
    const draft = draftOf(before) as OutputRegionRuleSet;
    expect(draft.parameters['dyslexia.minAge']!.value).toBe(7);
    draft.parameters['dyslexia.minAge']!.value = 6;

    const changes = semanticDiff(before, draft);
    expect(changes).toEqual([
      {
        path: "$.parameters['dyslexia.minAge'].value",
        kind: 'changed',
        before: 7,
        after: 6,
        text: 'Dyslexiezorg: minimumleeftijd: 7 → 6',
        group: { kind: 'parameter', id: 'dyslexia.minAge' },
      },
    ]);
    expect(changes[0]!.text).toContain('7');
    expect(changes[0]!.text).toContain('6');
  });

  it('a draft that changes nothing has no changes, whatever its version, date or change note', () => {
    for (const document of documents) {
      expect(semanticDiff(document, draftOf(document))).toEqual([]);
      expect(semanticDiff(document, { ...document, version: 99, validFrom: '2040-01-01', changes: [] })).toEqual([]);
    }
  });

  it('answers in the shape of the contract', () => {
    const before = ijsselland();
    const after = draftOf(before) as OutputRegionRuleSet;
    after.parameters['crisis.maxDays']!.value = 21;
    const answer = { changes: semanticDiff(before, after) };
    expect(SemanticDiffResult.parse(answer)).toEqual(answer);
    expect(JSON.parse(JSON.stringify(answer))).toEqual(answer);
  });
});

describe('semantic diff: parameters', () => {
  it('formats values by type: euros, percentages, month-days, lists with what went in and out', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    after.parameters['topSegment.reviewAboveCents']!.value = 2_000_000;
    after.parameters['tariff.advancePercentage']!.value = 60;
    after.parameters['admission.entryMoments']!.value = ['01-01', '04-01', '10-01'];
    after.parameters['dyslexia.excludedReferrers']!.value = ['huisarts', 'jeugdarts'];
    expect(texts(semanticDiff(before, after))).toEqual([
      'Dyslexiezorg: verwijzers die niet mogen verwijzen: huisarts → huisarts, jeugdarts (erbij: jeugdarts)',
      `${before.parameters['topSegment.reviewAboveCents']!.label}: € 25.000 → € 20.000`,
      `${before.parameters['tariff.advancePercentage']!.label}: 70% → 60%`,
      `${before.parameters['admission.entryMoments']!.label}: 1 januari, 1 juli → 1 januari, 1 april, 1 oktober (erbij: 1 april, 1 oktober; eruit: 1 juli)`,
    ]);
  });

  it('names added and removed parameters and changed labels, sources and municipal bounds', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    const crisis = after.parameters['crisis.maxDays'] as Extract<Parameter, { type: 'integer' }>;
    after.parameters['crisis.minDays'] = { ...crisis, label: 'Crisiszorg: minimale duur', value: 1 };
    delete after.parameters['profile10.maxMonthsBeforeBirth'];
    after.parameters['crisis.maxDays'] = {
      ...crisis,
      label: 'Crisiszorg: langste duur',
      source: 'illustratief',
      municipalOverride: { allowed: true, min: 14, max: 28 },
    };
    const changes = semanticDiff(before, after);
    expect(changes.map((c) => [c.kind, c.path])).toEqual([
      ['changed', "$.parameters['crisis.maxDays'].label"],
      ['changed', "$.parameters['crisis.maxDays'].source"],
      ['changed', "$.parameters['crisis.maxDays'].municipalOverride"],
      ['added', "$.parameters['crisis.minDays']"],
      ['removed', "$.parameters['profile10.maxMonthsBeforeBirth']"],
    ]);
    expect(texts(changes)).toEqual([
      "Parameter crisis.maxDays: naam 'Crisiszorg: maximale duur' → 'Crisiszorg: langste duur'",
      expect.stringMatching(/^Crisiszorg: langste duur: bron .+ → illustratief$/),
      'Crisiszorg: langste duur: gemeenten mogen deze waarde niet aanpassen → gemeenten mogen deze waarde aanpassen (tussen 14 en 28)',
      'Nieuwe parameter Crisiszorg: minimale duur (crisis.minDays): 1',
      expect.stringMatching(/^Parameter Profiel 10: .+ \(profile10\.maxMonthsBeforeBirth\) verwijderd \(was 9\)$/),
    ]);
    expect(changes.every((c) => c.group.kind === 'parameter')).toBe(true);
  });
});

describe('semantic diff: rules', () => {
  it('a changed threshold in a condition reads as the condition before and after', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    const crisis = rule(after, 'ijsselland.crisis.maximale-duur').conditions as { all: [unknown, { any: unknown[] }] };
    crisis.all[1].any[1] = { fact: 'periodDays', operator: 'greaterThan', value: 21 };
    expect(semanticDiff(before, after)).toEqual([
      {
        path: "$.rules[?(@.id=='ijsselland.crisis.maximale-duur')].conditions.all[1].any[1]",
        kind: 'changed',
        before: { fact: 'periodDays', operator: 'greaterThan', value: { fact: 'param:crisis.maxDays' } },
        after: { fact: 'periodDays', operator: 'greaterThan', value: 21 },
        text: "Regel ijsselland.crisis.maximale-duur: voorwaarde 'periode in dagen > Crisiszorg: maximale duur (28)' gewijzigd in '> 21'",
        group: { kind: 'rule', id: 'ijsselland.crisis.maximale-duur' },
      },
    ]);
  });

  it('an added or dropped member of a condition is named as such, a moved one is no change', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    const age = rule(after, 'ijsselland.dyslexie.leeftijd').conditions as { all: unknown[] };
    age.all.push({ fact: 'referrer', operator: 'notEqual', value: 'jeugdarts' });
    const stacking = rule(after, 'ijsselland.stapeling.duurzame-ondersteuning').conditions as { all: unknown[] };
    stacking.all.splice(2, 1); // familyPlanPresent = true
    stacking.all.reverse();
    expect(texts(semanticDiff(before, after))).toEqual([
      "Regel ijsselland.dyslexie.leeftijd: voorwaarde 'verwijzer ≠ jeugdarts' toegevoegd",
      "Regel ijsselland.stapeling.duurzame-ondersteuning: voorwaarde 'gezinsplan aanwezig = ja' vervallen",
    ]);
  });

  it('a condition whose shape changes is compared as a whole', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    rule(after, 'ijsselland.dyslexie.enkelvoudig').conditions = {
      any: [
        { fact: 'profile', operator: 'equal', value: 12 },
        { fact: 'comorbidity', operator: 'equal', value: true },
      ],
    };
    const [change] = semanticDiff(before, after);
    expect(change).toMatchObject({
      kind: 'changed',
      path: "$.rules[?(@.id=='ijsselland.dyslexie.enkelvoudig')].conditions",
    });
    expect(change!.text).toBe(
      "Regel ijsselland.dyslexie.enkelvoudig: voorwaarden 'profiel = 12 en dyslexiegegevens aanwezig = ja en andere stoornis verklaart de problemen = ja' gewijzigd in 'profiel = 12 of andere stoornis verklaart de problemen = ja'",
    );
  });

  it('names added and removed rules and each changed field of a rule', () => {
    const before = mijov();
    const after = structuredClone(before);
    const unit = rule(after, 'mijov.product.eenheid');
    unit.message = 'Vraag dit product aan in de eenheid van de catalogus.';
    unit.effect = 'review';
    unit.kind = 'tariff';
    unit.code = 'UNIT_REVIEW';
    unit.description = 'Nieuwe toelichting.';
    rule(after, 'mijov.toelating.registratie').optional = { municipalityMaySwitch: true, enabledByDefault: true };
    after.rules = after.rules.filter((r) => r.id !== 'mijov.stapeling.zelfde-product');
    after.rules.push({
      ...rule(before, 'mijov.stapeling.zelfde-product'),
      id: 'mijov.stapeling.twee-producten',
      conditions: { all: [{ fact: 'overlappingAllocations', operator: 'greaterThanInclusive', value: 2 }] },
    });
    const changes = semanticDiff(before, after);
    expect(texts(changes)).toEqual([
      expect.stringMatching(
        /^Regel mijov\.product\.eenheid: melding '.+' → 'Vraag dit product aan in de eenheid van de catalogus\.'$/,
      ),
      'Regel mijov.product.eenheid: effect afwijzen → laten beoordelen',
      'Regel mijov.product.eenheid: soort toegang → tarief',
      'Regel mijov.product.eenheid: redencode UNIT_NOT_ALLOWED → UNIT_REVIEW',
      'Regel mijov.product.eenheid: toelichting ' +
        (rule(before, 'mijov.product.eenheid').description ? 'gewijzigd' : 'toegevoegd'),
      'Regel mijov.toelating.registratie: een gemeente mag hem aanzetten (standaard uit) → een gemeente mag hem uitzetten (standaard aan)',
      'Nieuwe regel mijov.stapeling.twee-producten (afwijzen, STACKING_NOT_ALLOWED): als overlappende toewijzingen ≥ 2',
      expect.stringMatching(/^Regel mijov\.stapeling\.zelfde-product verwijderd \(STACKING_NOT_ALLOWED: .+\)$/),
    ]);
    expect(new Set(changes.map((c) => c.group.id))).toEqual(
      new Set([
        'mijov.product.eenheid',
        'mijov.toelating.registratie',
        'mijov.stapeling.twee-producten',
        'mijov.stapeling.zelfde-product',
      ]),
    );
  });

  it('reordering rules is one change: the order of the reasons follows it', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    after.rules.reverse();
    expect(semanticDiff(before, after)).toEqual([
      expect.objectContaining({ path: '$.rules', kind: 'changed', group: { kind: 'metadata', id: 'rules' } }),
    ]);
  });
});

describe('semantic diff: tariffs and catalogue', () => {
  it('a price reads as euros before and after, keyed by profile × intensity', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    const tariff = after.tariffs.middleSegment.find((t) => t.profile === 3 && t.intensity === 'perspectief')!;
    expect(tariff.priceCents).toBe(367_200);
    tariff.priceCents = 380_000;
    after.tariffs.middleSegment.reverse(); // order is no change
    expect(semanticDiff(before, after)).toEqual([
      {
        path: "$.tariffs.middleSegment[?(@.profile==3 && @.intensity=='perspectief')].priceCents",
        kind: 'changed',
        before: 367_200,
        after: 380_000,
        text: 'Tarief profiel 3 perspectief: € 3.672 → € 3.800',
        group: { kind: 'tariff', id: '3/perspectief' },
      },
    ]);
  });

  it('added and removed prices, keyed by product × level × unit', () => {
    const before = mijov();
    const after = structuredClone(before);
    after.tariffs.products = after.tariffs.products.filter(
      (t) => !(t.product === 'begeleiding-individueel' && t.level === 'complex'),
    );
    after.tariffs.products.push({ product: 'vervoer-plus', unit: 'uur', priceCents: 4_050 });
    expect(texts(semanticDiff(before, after))).toEqual([
      'Nieuw tarief vervoer-plus per uur: € 40,50',
      'Tarief begeleiding-individueel complex per uur vervallen (was € 88)',
    ]);
  });

  it('catalogue entries by number or slug, field by field', () => {
    const before = ijsselland();
    const after = structuredClone(before);
    const crisis = after.catalogue.profiles.find((p) => p.number === 11)!;
    crisis.intensities = ['crisis', 'perspectief'];
    crisis.whatIsNeeded = 'Iets anders.';
    expect(texts(semanticDiff(before, after))).toEqual([
      'Profiel 11: intensiteiten crisis → crisis, perspectief (erbij: perspectief)',
      "Profiel 11: 'Wat is nodig?' gewijzigd",
    ]);

    const products = mijov();
    const changed = structuredClone(products);
    changed.catalogue.products[0]!.maxIndicationMonths = 6;
    changed.catalogue.products[0]!.levels = ['basis'];
    changed.catalogue.products.pop();
    const slug = changed.catalogue.products[0]!.slug;
    const months = products.catalogue.products[0]!.maxIndicationMonths;
    expect(texts(semanticDiff(products, changed))).toEqual([
      `Product ${slug}: niveaus basis, complex → basis (eruit: complex)`,
      `Product ${slug}: maximale indicatieduur (maanden) ${months} → 6`,
      expect.stringMatching(/^Product vervoer-plus '.+' verwijderd$/),
    ]);
  });
});

describe('semantic diff: sources and illustrative marks', () => {
  it("a rule's illustrative mark, a tariff entry's own source, a catalogue entry's component", () => {
    const before = ijsselland();
    const after = structuredClone(before);
    rule(after, 'ijsselland.crisis.maximale-duur').illustrative = true;
    const tariff = after.tariffs.middleSegment.find((t) => t.profile === 2 && t.intensity === 'intensief')!;
    tariff.source = { document: '004 Informatienota', section: 'Tarieven 2022' };
    expect(texts(semanticDiff(before, after))).toEqual([
      'Regel ijsselland.crisis.maximale-duur: gemarkeerd als illustratief',
      'Tarief profiel 2 intensief: bron die van de tabel → 004 Informatienota, Tarieven 2022',
    ]);
    expect(texts(semanticDiff(after, before))).toEqual([
      'Regel ijsselland.crisis.maximale-duur: niet meer gemarkeerd als illustratief',
      'Tarief profiel 2 intensief: bron 004 Informatienota, Tarieven 2022 → die van de tabel',
    ]);
  });

  it("an overlay's sources for its values and switches", () => {
    const region = mijov();
    const before = find<MunicipalityOverlay>('zutphen', 2);
    const after = structuredClone(before);
    after.parameterSources = {
      'tariff.differentiationPercentage': { document: 'Raadsbesluit Zutphen', section: '2025-12' },
    };
    after.rules['mijov.toelating.meerdere-producten'] = { enabled: true };
    expect(semanticDiff(before, after, { region })).toEqual([
      expect.objectContaining({
        path: "$.parameterSources['tariff.differentiationPercentage']",
        kind: 'changed',
        text: 'Tariefdifferentiatie: bron van de gemeentelijke waarde illustratief → Raadsbesluit Zutphen, 2025-12',
        group: { kind: 'parameter', id: 'tariff.differentiationPercentage' },
      }),
      expect.objectContaining({
        path: "$.rules['mijov.toelating.meerdere-producten'].source",
        kind: 'removed',
        text: 'Regel mijov.toelating.meerdere-producten: bron van het besluit illustratief → eigen besluit van de gemeente',
        group: { kind: 'switch', id: 'mijov.toelating.meerdere-producten' },
      }),
    ]);
  });

  it('a field the diff does not know yet is still a change, named by its key', () => {
    const before = ijsselland();
    const after = structuredClone(before) as unknown as Record<string, unknown> & OutputRegionRuleSet;
    (rule(after, 'ijsselland.crisis.maximale-duur') as unknown as Record<string, unknown>).priority = 1;
    after.futureField = 'x';
    expect(texts(semanticDiff(before, after))).toEqual([
      'Regelset: veld futureField toegevoegd',
      'Regel ijsselland.crisis.maximale-duur: veld priority toegevoegd',
    ]);
  });
});

describe('semantic diff: municipal overlays', () => {
  const region = ijsselland();

  it("a municipality's own value with the region's label, type and value", () => {
    const before = find<MunicipalityOverlay>('deventer', 2);
    const after = structuredClone(before);
    after.parameters['topSegment.reviewAboveCents'] = 1_800_000;
    expect(semanticDiff(before, after, { region })).toEqual([
      {
        path: "$.parameters['topSegment.reviewAboveCents']",
        kind: 'changed',
        before: 2_000_000,
        after: 1_800_000,
        text: `${region.parameters['topSegment.reviewAboveCents']!.label}: € 20.000 → € 18.000`,
        group: { kind: 'parameter', id: 'topSegment.reviewAboveCents' },
      },
    ]);
    const dropped = { ...after, parameters: {} };
    expect(texts(semanticDiff(before, dropped, { region }))).toEqual([
      `${region.parameters['topSegment.reviewAboveCents']!.label}: geen eigen waarde meer (was € 20.000); de regionale waarde geldt (€ 25.000)`,
    ]);
  });

  it('switches on, off and back to the region', () => {
    const mijovRegion = mijov();
    const before = find<MunicipalityOverlay>('zutphen', 2);
    expect(before.rules).toEqual({ 'mijov.toelating.meerdere-producten': { enabled: true, source: 'illustratief' } });
    const after = structuredClone(before);
    after.rules = {
      'mijov.toelating.meerdere-producten': { enabled: false, source: 'illustratief' },
      'mijov.toelating.registratie': { enabled: true },
    };
    expect(semanticDiff(before, after, { region: mijovRegion })).toEqual([
      expect.objectContaining({
        path: "$.rules['mijov.toelating.meerdere-producten'].enabled",
        kind: 'changed',
        text: 'Regel mijov.toelating.meerdere-producten: aan → uit',
        group: { kind: 'switch', id: 'mijov.toelating.meerdere-producten' },
      }),
      expect.objectContaining({
        kind: 'added',
        text: 'Regel mijov.toelating.registratie: door de gemeente aangezet',
      }),
    ]);
    expect(texts(semanticDiff(before, { ...before, rules: {} }, { region: mijovRegion }))).toEqual([
      'Regel mijov.toelating.meerdere-producten: de gemeente zet hem niet meer zelf aan; de regionale standaard geldt (uit)',
    ]);
  });
});

describe('semantic diff: the published versions', () => {
  const ids = [...new Set(documents.map((d) => d.id))];
  const successive = ids.flatMap((id) => {
    const versions = documents.filter((d) => d.id === id).sort((a, b) => a.version - b.version);
    return versions.slice(1).map((v, i) => [id, versions[i]!, v] as const);
  });

  it.each(successive.map(([id, a, b]) => [`${id} v${a.version} → v${b.version}`, a, b] as const))(
    '%s gives a sensible, non-empty list',
    (_, before, after) => {
      const region = documents.find(
        (d): d is OutputRegionRuleSet | EffortRegionRuleSet => d.kind === 'region' && d.id === after.region,
      );
      const changes = semanticDiff(before, after, { region });
      expect(changes.length).toBeGreaterThan(0);
      expect(SemanticDiffResult.parse({ changes }).changes).toEqual(changes);
      for (const c of changes) {
        expect(c.text).not.toMatch(/undefined|\[object Object\]|NaN/);
        expect(c.path.startsWith('$')).toBe(true);
        if (c.kind === 'added') expect(c.before).toBeNull();
        if (c.kind === 'removed') expect(c.after).toBeNull();
      }
      // never bookkeeping
      expect(changes.map((c) => c.path)).not.toContain('$.version');
      expect(changes.map((c) => c.path)).not.toContain('$.changes');
    },
  );

  it('both regions changed from v1 to v2 in the ways the change notes say', () => {
    const ijssel = semanticDiff(find('ijsselland', 1), find('ijsselland', 2));
    // new prices from 2022, and the profiles' components (004)
    expect(ijssel.filter((c) => c.group.kind === 'tariff').length).toBeGreaterThan(0);
    expect(texts(ijssel)).toContain('Profiel 11: onderdeel geen → crisis');
    const mijovChanges = semanticDiff(find('midden-ijssel-oost-veluwe', 1), find('midden-ijssel-oost-veluwe', 2));
    expect(mijovChanges.filter((c) => c.group.kind === 'rule' && c.kind === 'added').map((c) => c.group.id)).toEqual(
      expect.arrayContaining(['mijov.toelating.governancecode', 'mijov.toelating.meerdere-producten']),
    );
  });

  it('a first draft, without a version to start from, adds everything', () => {
    const region = ijsselland();
    const changes = semanticDiff(undefined, region);
    expect(changes.every((c) => c.kind === 'added')).toBe(true);
    expect(changes.filter((c) => c.group.kind === 'rule')).toHaveLength(region.rules.length);
    expect(changes.filter((c) => c.group.kind === 'tariff')).toHaveLength(region.tariffs.middleSegment.length);
  });
});
