/**
 * A policy advisor changes and adds rules without JSON, in a real headless Chromium against a
 * real server: change a condition's value, add and remove conditions, add a rule with one
 * condition, remove a rule, and change the dyslexia minimum age in the table of limits — each
 * through the form only, each saved with "Opslaan" and read back through the API. Controls are
 * found by their Dutch accessible names. Screenshots go to test-results/screenshots/; any browser
 * console error fails the test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputRegionRuleSet } from '../../engine/schema.js';
import { buildEditor, CHROMIUM, openEditor, type EditorSession } from './harness.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
// its own build: editor.e2e.test.ts may be building and serving dist/editor at the same time
const EDITOR_DIR = fileURLToPath(new URL('../../dist/editor-rule-form', import.meta.url));

const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runnable)
  console.warn(
    `Chromium not found at ${CHROMIUM}: skipping the rule form's end-to-end tests (apt-get install chromium).`,
  );

describe.skipIf(!runnable)('rules in the form, in a browser', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;
  let draftUrl: string;

  beforeAll(async () => {
    await buildEditor(EDITOR_DIR);
    mkdirSync(SCREENSHOTS, { recursive: true });
    session = await openEditor({ editorDir: EDITOR_DIR });
    ({ page, base } = session);
  });
  afterAll(() => session?.close());

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
  /** The draft as the server holds it. */
  const savedDraft = async () => {
    const res = await fetch(`${base}/api${draftUrl}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { document: OutputRegionRuleSet }).document;
  };
  const save = async () => {
    await expect.poll(() => page.getByTestId('dirty').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Opslaan', exact: true }).click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
  };
  const card = (ruleId: string) => page.getByTestId(`rule-${ruleId.replace(/[^a-zA-Z0-9]+/g, '-')}`);
  const commit = async (field: Locator, value: string) => {
    await field.fill(value);
    await field.press('Tab');
  };

  it('opens a new draft on the form, with rules as Dutch sentences', async () => {
    await page.goto(`${base}/#/rulesets/ijsselland`);
    await page.getByTestId('new-draft').click();
    await page.waitForURL(/drafts\//);
    draftUrl = new URL(page.url()).hash.slice(1);
    const age = card('ijsselland.dyslexie.leeftijd');
    await age.scrollIntoViewIfNeeded();
    await expect
      .poll(() => age.getByTestId('rule-sentence').textContent())
      .toContain('leeftijd in jaren is kleiner dan Dyslexiezorg: minimumleeftijd (7)');
    expect(await age.getByLabel('Feit', { exact: true }).first().locator('option:checked').textContent()).toBe(
      'profiel',
    );
    expect(await age.getByText('toegang', { exact: true }).count()).toBeGreaterThan(0);
    expect(await age.getByText('afwijzen', { exact: true }).count()).toBeGreaterThan(0);
    await shot('rule-form-rule');
  });

  it("changes a condition's value, adds and removes a condition, and saves", async () => {
    const stacking = card('ijsselland.stapeling.niet-toegestaan');
    await stacking.scrollIntoViewIfNeeded();
    // overlappingSameProduct > 0 becomes > 1
    await commit(stacking.getByLabel('Waarde', { exact: true }).nth(1), '1');

    // + voorwaarde on the rule's top group (its buttons come after the nested groups' ones)
    const conditions = stacking.getByTestId('condition');
    const before = await conditions.count();
    await stacking.getByRole('button', { name: '+ voorwaarde' }).last().click();
    await expect.poll(() => conditions.count()).toBe(before + 1);
    const added = conditions.last();
    await added.getByLabel('Feit', { exact: true }).selectOption({ label: 'leeftijd in jaren' });
    await added.getByLabel('Vergelijking', { exact: true }).selectOption({ label: 'is kleiner dan' });
    await commit(added.getByLabel('Waarde', { exact: true }), '18');

    // + groep, then remove it again with its one condition
    await stacking.getByRole('button', { name: '+ groep' }).last().click();
    await expect.poll(() => conditions.count()).toBe(before + 2);
    await stacking.getByRole('button', { name: 'Verwijder groep' }).last().click();
    await expect.poll(() => conditions.count()).toBe(before + 1);
    await shot('rule-form-conditions');
    await save();

    const rule = (await savedDraft()).rules.find((r) => r.id === 'ijsselland.stapeling.niet-toegestaan')!;
    const all = (rule.conditions as { all: unknown[] }).all;
    expect(all[1]).toEqual({ fact: 'overlappingSameProduct', operator: 'greaterThan', value: 1 });
    expect(all.at(-1)).toEqual({ fact: 'ageYears', operator: 'lessThan', value: 18 });

    // Verwijder voorwaarde takes it out again
    await added.getByRole('button', { name: 'Verwijder voorwaarde' }).click();
    await expect.poll(() => conditions.count()).toBe(before);
    await save();
    const again = (await savedDraft()).rules.find((r) => r.id === 'ijsselland.stapeling.niet-toegestaan')!;
    expect((again.conditions as { all: unknown[] }).all).toHaveLength(all.length - 1);
  });

  it('adds a rule with one condition through the form and saves it', async () => {
    const count = (await savedDraft()).rules.length;
    await page.getByRole('button', { name: 'Nieuwe regel', exact: true }).click();
    const rule = page.locator('.rule-card').last();
    await expect.poll(() => page.locator('.rule-card').count()).toBe(count + 1);
    await commit(rule.getByLabel('Regel-id', { exact: true }), 'ijsselland.dyslexie.jeugdarts');
    // the card stays while its id changes: Tab went on to the reason code
    expect(await rule.getByLabel('Redencode', { exact: true }).evaluate((e) => e === document.activeElement)).toBe(
      true,
    );
    await commit(rule.getByLabel('Redencode', { exact: true }), 'REFERRER_NOT_ALLOWED');
    await rule.getByLabel('Soort', { exact: true }).selectOption({ label: 'verwijzing' });
    await rule.getByLabel('Effect', { exact: true }).selectOption({ label: 'afwijzen' });
    await commit(
      rule.getByLabel('Bericht aan de burger', { exact: true }),
      'Dyslexiezorg vraagt een verwijzing van de gemeentelijke toegang.',
    );
    await commit(rule.getByLabel('Brondocument', { exact: true }), '002 Inkoopstrategie IJsselland (2017)');
    await commit(rule.getByLabel('Paragraaf', { exact: true }), '§3.3 Dyslexie');
    await rule.getByLabel('Gemeenten mogen deze regel aan- of uitzetten').check();
    const condition = rule.getByTestId('condition');
    await expect.poll(() => condition.count()).toBe(1);
    await condition.getByLabel('Feit', { exact: true }).selectOption({ label: 'verwijzer' });
    await condition.getByLabel('Vergelijking', { exact: true }).selectOption({ label: 'is gelijk aan' });
    await condition.getByLabel('Waarde', { exact: true }).selectOption('jeugdarts');
    await expect
      .poll(() => rule.getByTestId('rule-sentence').textContent())
      .toBe('Als verwijzer is gelijk aan jeugdarts, dan afwijzen (REFERRER_NOT_ALLOWED).');
    await rule.scrollIntoViewIfNeeded();
    await shot('rule-form-new-rule');
    await save();

    const saved = (await savedDraft()).rules;
    expect(saved).toHaveLength(count + 1);
    expect(saved.at(-1)).toEqual({
      id: 'ijsselland.dyslexie.jeugdarts',
      kind: 'referral',
      code: 'REFERRER_NOT_ALLOWED',
      effect: 'reject',
      message: 'Dyslexiezorg vraagt een verwijzing van de gemeentelijke toegang.',
      source: { document: '002 Inkoopstrategie IJsselland (2017)', section: '§3.3 Dyslexie' },
      optional: { municipalityMaySwitch: true, enabledByDefault: true },
      conditions: { all: [{ fact: 'referrer', operator: 'equal', value: 'jeugdarts' }] },
    });
  });

  it('removes a rule after confirming', async () => {
    const count = (await savedDraft()).rules.length;
    const rule = card('ijsselland.dyslexie.jeugdarts');
    await rule.getByRole('button', { name: 'Regel verwijderen' }).click();
    await rule.getByRole('button', { name: 'Ja, verwijderen' }).click();
    await expect.poll(() => rule.count()).toBe(0);
    await save();
    const saved = (await savedDraft()).rules;
    expect(saved).toHaveLength(count - 1);
    expect(saved.some((r) => r.id === 'ijsselland.dyslexie.jeugdarts')).toBe(false);
  });

  it('changes the dyslexia minimum age to 6 in the table of limits, and the decision table follows', async () => {
    const limits = page.getByTestId('limits-table');
    await page.getByRole('heading', { name: 'Leeftijdsgrenzen en maxima' }).scrollIntoViewIfNeeded();
    await commit(limits.getByLabel('Waarde: Dyslexiezorg: minimumleeftijd', { exact: true }), '6');
    const row = page.getByTestId('rules-table-ijsselland-dyslexie-leeftijd');
    await expect.poll(() => row.textContent()).toContain('< Dyslexiezorg: minimumleeftijd (6)');
    await shot('rule-form-limits');
    await page.getByRole('heading', { name: 'Regels als beslistabel' }).scrollIntoViewIfNeeded();
    await shot('rule-form-decision-table');
    await save();
    expect((await savedDraft()).parameters['dyslexia.minAge']!.value).toBe(6);
  });

  it('ticks an intensity for a profile in the eligibility matrix', async () => {
    await page.getByRole('heading', { name: 'Toegang per profiel en intensiteit' }).scrollIntoViewIfNeeded();
    await page.getByRole('checkbox', { name: 'Profiel 11 staat perspectief toe' }).check();
    await shot('rule-form-eligibility');
    await save();
    const profile = (await savedDraft()).catalogue.profiles.find((p) => p.number === 11)!;
    expect(profile.intensities).toEqual(['perspectief', 'crisis']);
  });

  it('had no console errors in the browser', () => {
    expect(session.consoleErrors).toEqual([]);
  });
});
