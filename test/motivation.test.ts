/**
 * The motivation letter and the Dutch words it is made of: formatting of money and dates, facts in
 * words, a template for every reason code, and letters for real decisions of both regions.
 */
import { describe, expect, it } from 'vitest';
import { describeCase, describeCondition, decisiveConditions } from '../engine/explain.js';
import { formatDate, formatDateTime, formatEuros } from '../engine/format.js';
import { REASON_TEMPLATES } from '../engine/letter-templates.js';
import { letterHtml, letterText, motivationLetter } from '../engine/motivation.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../engine/loader.js';
import { Case, CONTRACT_REASON_CODES } from '../engine/schema.js';
import { admission, decide, dyslexiaCase, ijsselAllocation, mijovAllocation } from './support/factories.js';

describe('Dutch formatting', () => {
  it.each([
    [2_000_000, '€ 20.000'],
    [486_050, '€ 4.860,50'],
    [5, '€ 0,05'],
    [0, '€ 0'],
    [123_456_789, '€ 1.234.567,89'],
  ])('writes %i cents as %s', (cents, text) => expect(formatEuros(cents)).toBe(text));

  it.each([
    ['2027-01-01', '1 januari 2027'],
    ['2026-03-02', '2 maart 2026'],
    ['2026-12-31', '31 december 2026'],
  ])('writes %s as %s', (iso, text) => expect(formatDate(iso)).toBe(text));

  it('writes instants in Dutch local time and names the zone', () => {
    expect(formatDateTime('2026-01-15T09:15:00.000Z')).toBe('15 januari 2026 om 10:15 (CET)');
    expect(formatDateTime('2026-07-15T09:15:00.000Z')).toBe('15 juli 2026 om 11:15 (CEST)');
    // summer time starts at 01:00 UTC on the last Sunday of March (29 March 2026)
    expect(formatDateTime('2026-03-29T00:59:00.000Z')).toContain('(CET)');
    expect(formatDateTime('2026-03-29T01:00:00.000Z')).toContain('(CEST)');
  });
});

describe('reason templates', () => {
  const inRules = new Set(
    loadRuleSetFiles(DEFAULT_RULES_DIR).flatMap((f) =>
      f.document.kind === 'region' ? f.document.rules.map((r) => r.code) : [],
    ),
  );
  // the contract's table, including the codes its latest revision added
  const contract = new Set<string>([
    ...CONTRACT_REASON_CODES,
    'STACKING_REVIEW',
    'ADDED_VALUE_REVIEW',
    'DYSLEXIA_DATA_MISSING',
  ]);

  it.each([...contract, ...inRules].map((code) => [code]))('has a letter template for %s', (code) => {
    const template = REASON_TEMPLATES[code];
    expect(template, `no template for ${code}`).toBeDefined();
    expect(template!.heading.length).toBeGreaterThan(3);
    expect(template!.meaning.length).toBeGreaterThan(20);
  });
});

describe('the letter', () => {
  const decidedAt = '2026-03-02T10:00:00.000Z';

  it('explains a rejected GP referral: message, facts, source, objection and accountability', async () => {
    const input = dyslexiaCase({ referral: { referrer: 'huisarts' } });
    const decision = await decide(input);
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'dec-123', decidedAt }));
    expect(text).toContain('Gemeente Zwolle');
    expect(text).toContain('2 maart 2026');
    expect(text).toContain('Wij wijzen uw aanvraag voor jeugdhulp af.');
    expect(text).toContain(decision.reasons[0]!.message);
    expect(text).toContain('de verwijzing kwam van de huisarts');
    expect(text).toContain(
      `Dit staat in: ${decision.reasons[0]!.source.document}, ${decision.reasons[0]!.source.section}.`,
    );
    expect(text).toContain('binnen zes weken');
    expect(text).toContain('artikel 6:7');
    expect(text).toContain('Besluitnummer: dec-123');
    for (const r of decision.ruleSets) expect(text).toContain(r.contentHash);
    expect(text).not.toContain('VOORBEELD');
  });

  it('says the age in words for an age rule', async () => {
    const input = dyslexiaCase({ youth: { birthDate: '2013-01-01' } });
    const decision = await decide(input);
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt }));
    const c = Case.parse(input);
    expect(text).toContain(`uw kind was op ${formatDate(c.referenceDate)} 13 jaar`);
  });

  it('states the amount and how it is paid for a granted output-based allocation', async () => {
    const input = dyslexiaCase();
    const decision = await decide(input);
    expect(decision.outcome).toBe('granted');
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt }));
    const t = decision.tariff!;
    expect(t.model).toBe('output');
    if (t.model !== 'output') return;
    expect(text).toContain(formatEuros(t.totalCents));
    expect(text).toContain(`${t.advancePercentage}% (${formatEuros(t.advanceCents)})`);
    expect(text).toContain('Wij kennen de gevraagde jeugdhulp toe.');
  });

  it("names the 2022 component (004) and lists the region's reading of it as provisional", async () => {
    const input = ijsselAllocation();
    const decision = await decide(input);
    expect(decision.tariff).toMatchObject({ component: 'ambulant' });
    const letter = motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt });
    const text = letterText(letter);
    expect(text).toContain('Deze hulp valt onder het onderdeel ambulante jeugdhulp.');
    expect(letter.warning).toContain('gegeven uit de productcatalogus profiel-2.onderdeel (ijsselland)');
  });

  it('states unit price and volume for an effort-based allocation', async () => {
    const input = mijovAllocation();
    const decision = await decide(input);
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt }));
    const t = decision.tariff!;
    if (t.model !== 'effort') throw new Error('expected an effort tariff');
    expect(text).toContain(`${formatEuros(t.unitPriceCents)} per ${t.unit}`);
    expect(text).toContain('Gemeente Apeldoorn');
  });

  it('tells what happens next for a review and how to object to the decision that follows', async () => {
    const input = ijsselAllocation({
      request: { profile: 11, intensity: 'crisis', startDate: '2026-03-02', endDate: '2026-04-30' },
    });
    const decision = await decide(input);
    expect(decision.outcome).toBe('review');
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt }));
    expect(text).toContain('Wat gebeurt er nu');
    expect(text).toContain('Dit is nog geen besluit');
  });

  it('addresses a provider for an admission', async () => {
    const input = admission();
    const decision = await decide(input);
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt }));
    const c = Case.parse(input);
    if (c.type !== 'admission') throw new Error('expected an admission');
    expect(text).toContain(`Aan ${c.provider.name}`);
    expect(text).toContain('Uw aanmelding als aanbieder');
  });

  it('warns plainly when the decision rests on illustrative values', async () => {
    const input = dyslexiaCase();
    const decision = {
      ...(await decide(input)),
      illustrative: [{ ruleSet: 'ijsselland', kind: 'tariff' as const, id: 'profiel-12.perspectief' }],
    };
    const text = letterText(motivationLetter({ decision, case: Case.parse(input), decisionId: 'x', decidedAt }));
    expect(text).toContain('voorlopige waarden');
    expect(text).toContain('tarief profiel-12.perspectief (ijsselland)');
  });

  it('marks a preview as a preview, in text and HTML', async () => {
    const input = dyslexiaCase();
    const letter = motivationLetter({
      decision: await decide(input),
      case: Case.parse(input),
      decisionId: null,
      decidedAt,
      preview: true,
    });
    expect(letterText(letter)).toMatch(/^VOORBEELD/);
    expect(letterHtml(letter)).toContain('class="preview"');
  });

  it('escapes what it did not write itself in HTML', async () => {
    const input = admission({ provider: { name: '<script>alert(1)</script>' } });
    const letter = motivationLetter({
      decision: await decide(input),
      case: Case.parse(input),
      decisionId: 'x',
      decidedAt,
    });
    const html = letterHtml(letter);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('@media print');
  });
});

describe('explanations for auditors', () => {
  it('writes a condition as a Dutch sentence with the value seen and its result', async () => {
    const decision = await decide(dyslexiaCase({ youth: { birthDate: '2013-01-01' } }));
    const fired = decision.trace.find((t) => t.fired && t.code === 'AGE_OUT_OF_RANGE')!;
    const sentences = decisiveConditions(fired).map((leaf) =>
      describeCondition(leaf, (n) => (n === 'dyslexia.maxAgeExclusive' ? 'maximumleeftijd dyslexie' : undefined)),
    );
    expect(sentences.join('\n')).toMatch(
      /leeftijd in jaren \(13\) is minstens maximumleeftijd dyslexie \(13\): voldaan/,
    );
  });

  it('describes a case in words', () => {
    const lines = describeCase(Case.parse(dyslexiaCase()));
    expect(lines[0]).toMatch(/^Gemeente Zwolle, peildatum \d+ \w+ \d{4}\.$/);
    expect(lines.join(' ')).toContain('verwezen door de gemeentelijke toegang');
  });
});
