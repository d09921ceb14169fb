/**
 * National codes: every municipality's CBS code, a case naming its municipality by code, the
 * allocation in iJw codes on a granted decision, and JW315 requests read as cases and back.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseToJw315, jw315Answer, jw315ToCase, Jw315Request } from '../engine/ijw.js';
import { AllocationCase, Case, MUNICIPALITY_CBS, MUNICIPALITY_IDS } from '../engine/schema.js';
import { decide, dyslexiaCase, engine, ijsselAllocation, mijovAllocation } from './support/factories.js';

/** The CBS table of the specification ("Gebieden in Nederland"), copied: an oracle apart from the schema's own list. */
const CBS_TABLE = {
  dalfsen: '0148',
  deventer: '0150',
  hardenberg: '0160',
  kampen: '0166',
  'olst-wijhe': '1773',
  ommen: '0175',
  raalte: '0177',
  staphorst: '0180',
  steenwijkerland: '1708',
  zwartewaterland: '1896',
  zwolle: '0193',
  apeldoorn: '0200',
  brummen: '0213',
  epe: '0232',
  hattem: '0244',
  heerde: '0246',
  lochem: '0262',
  voorst: '0285',
  zutphen: '0301',
};

describe('CBS gemeentecodes', () => {
  it('gives every municipality in rules/ its CBS code', () => {
    expect(MUNICIPALITY_CBS).toEqual(CBS_TABLE);
    const overlays = ['ijsselland', 'midden-ijssel-oost-veluwe'].flatMap((region) =>
      readdirSync(join('rules', region))
        .map((f) => JSON.parse(readFileSync(join('rules', region, f), 'utf8')) as { kind: string; id: string })
        .filter((d) => d.kind === 'municipality')
        .map((d) => d.id),
    );
    expect([...new Set(overlays)].sort()).toEqual([...MUNICIPALITY_IDS].sort());
  });

  it.each(['0193', 'GM0193', 'zwolle'])('decides a case for %s as zwolle, recording the CBS code', async (m) => {
    const parsed = Case.parse(ijsselAllocation({ municipality: m }));
    expect(parsed.municipality).toBe('zwolle');
    const d = await decide(ijsselAllocation({ municipality: m }));
    expect(d.municipalityCode).toBe('0193');
    expect(d.ruleSets.map((r) => r.id)).toEqual(['ijsselland', 'zwolle']);
    expect(d).toEqual(await decide(ijsselAllocation()));
  });

  it('refuses an unknown code at the municipality', async () => {
    const result = engine().validate(ijsselAllocation({ municipality: '9999' }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toEqual(['$.municipality']);
  });
});

describe('the allocation in iJw codes', () => {
  it('gives a MIJOV allocation of 3 hours a week unit 04, frequency 2 and its category', async () => {
    const d = await decide(mijovAllocation({ request: { units: 3, frequency: 'per-week' } }));
    expect(d.outcome).toBe('granted');
    expect(d.tariff?.ijw).toMatchObject({
      productCategory: '45',
      productCode: 'MIJ01',
      unit: '04',
      frequency: '2',
      volume: 3,
      budgetCents: d.tariff!.totalCents,
    });
  });

  it('gives an IJsselland allocation one output (82), in total (6), at the profile price', async () => {
    const d = await decide(ijsselAllocation());
    expect(d.tariff?.ijw).toEqual({
      productCategory: '45',
      productCode: 'IJP02',
      productCodeIllustrative: true,
      unit: '82',
      frequency: '6',
      volume: 1,
      budgetCents: d.tariff!.totalCents,
    });
  });
});

describe('JW315 requests', () => {
  const repository = () => engine().repository;
  const examples = readdirSync('test/fixtures/examples')
    .filter((f) => f.endsWith('.json') && f !== 'expected.json')
    .map((f): [string, { type: string }] => [f, JSON.parse(readFileSync(join('test/fixtures/examples', f), 'utf8'))])
    .filter(([, c]) => c.type === 'allocation');
  const cases: [string, unknown][] = [
    ...examples,
    ['dyslexia', dyslexiaCase()],
    ['mijov per week', mijovAllocation({ request: { units: 3, frequency: 'per-week' } })],
    ['mijov complex', mijovAllocation({ request: { level: 'complex' } })],
    ['top segment', ijsselAllocation({ request: { segment: 'top', trajectoryCostCents: 3_000_000 } })],
  ];

  it.each(cases)('takes %s to a message and back to the same decision', async (_name, input) => {
    const validation = engine().validate(input);
    if (!validation.ok) throw new Error(JSON.stringify(validation.issues));
    const c = AllocationCase.parse(input);
    const message = caseToJw315(c, validation.effective);
    expect(Jw315Request.safeParse(message).success).toBe(true);
    const read = jw315ToCase(message, repository());
    if (!read.ok) throw new Error(JSON.stringify(read.issues));
    expect(await decide(read.case)).toEqual(await decide(input));
  });

  const mijovMessage = () => {
    const validation = engine().validate(mijovAllocation({ request: { units: 3, frequency: 'per-week' } }));
    if (!validation.ok) throw new Error('invalid');
    return caseToJw315(AllocationCase.parse(validation.case), validation.effective);
  };

  it('answers a granted request with a JW301-shaped allocation', async () => {
    const message = mijovMessage();
    const read = jw315ToCase(
      { ...message, aangevraagdProduct: { ...message.aangevraagdProduct, referentieAanbieder: 'REF-1' } },
      repository(),
    );
    if (!read.ok) throw new Error('invalid');
    const d = await decide(read.case);
    expect(jw315Answer(read.message, d, 'abc')).toEqual({
      verzoekAntwoord: null,
      redenAfwijzing: null,
      toewijzing: {
        toewijzingNummer: 'abc',
        gemeente: '0200',
        referentieAanbieder: 'REF-1',
        product: { categorie: '45', code: 'MIJ01' },
        productcodeIllustratief: true,
        toewijzingIngangsdatum: '2026-02-01',
        toewijzingEinddatum: '2026-07-31',
        omvang: { volume: 3, eenheid: '04', frequentie: '2' },
        budget: d.tariff!.totalCents,
      },
    });
  });

  it('answers stacking with WJ759 code 6', async () => {
    const input = JSON.parse(readFileSync('test/fixtures/examples/stacking-rejected.json', 'utf8'));
    const validation = engine().validate(input);
    if (!validation.ok) throw new Error('invalid');
    const read = jw315ToCase(caseToJw315(AllocationCase.parse(input), validation.effective), repository());
    if (!read.ok) throw new Error('invalid');
    const d = await decide(read.case);
    expect(jw315Answer(read.message, d, null)).toEqual({ verzoekAntwoord: '1', redenAfwijzing: '6', toewijzing: null });
  });

  it('names the field of an unknown product category, and of a category that does not fit the product', () => {
    const message = mijovMessage();
    const unknown = jw315ToCase(
      {
        ...message,
        aangevraagdProduct: { ...message.aangevraagdProduct, product: { categorie: '99', code: 'MIJ01' } },
      },
      repository(),
    );
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.issues.map((i) => i.path)).toEqual(['$.aangevraagdProduct.product.categorie']);
    const mismatch = jw315ToCase(
      {
        ...message,
        aangevraagdProduct: { ...message.aangevraagdProduct, product: { categorie: '48', code: 'MIJ01' } },
      },
      repository(),
    );
    expect(mismatch.ok).toBe(false);
    if (!mismatch.ok) expect(mismatch.issues.map((i) => i.code)).toEqual(['PRODUCT_CATEGORY_MISMATCH']);
  });

  it.each([
    ['MIJOV (products)', mijovAllocation({ request: { units: 3, frequency: 'per-week' } })],
    ['IJsselland (profiles)', ijsselAllocation()],
  ])('refuses a product code not in the catalogue of %s, at the code', (_region, input) => {
    const validation = engine().validate(input);
    if (!validation.ok) throw new Error('invalid');
    const message = caseToJw315(AllocationCase.parse(validation.case), validation.effective);
    const product = { ...message.aangevraagdProduct.product, code: '99999' };
    const read = jw315ToCase(
      { ...message, aangevraagdProduct: { ...message.aangevraagdProduct, product } },
      repository(),
    );
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.issues).toEqual([
        { path: '$.aangevraagdProduct.product.code', code: 'UNKNOWN_PRODUCT', message: expect.stringMatching(/99999/) },
      ]);
  });

  it('names unknown units, frequencies, referrers and municipalities', () => {
    const message = mijovMessage();
    const read = jw315ToCase(
      {
        ...message,
        header: { ontvanger: '9999' },
        aangevraagdProduct: {
          ...message.aangevraagdProduct,
          omvang: { volume: 3, eenheid: '05', frequentie: '3' },
          verwijzer: { type: '07' },
        },
      },
      repository(),
    );
    expect(read.ok).toBe(false);
    if (!read.ok)
      expect(read.issues.map((i) => i.path).sort()).toEqual([
        '$.aangevraagdProduct.omvang.eenheid',
        '$.aangevraagdProduct.omvang.frequentie',
        '$.aangevraagdProduct.verwijzer.type',
        '$.header.ontvanger',
      ]);
  });

  it('drops the BSN: the case holds none', () => {
    const message = mijovMessage();
    const read = jw315ToCase({ ...message, client: { ...message.client, bsn: '123456782' } }, repository());
    expect(read.ok).toBe(true);
    if (read.ok) expect(JSON.stringify(read.case)).not.toContain('123456782');
  });
});
