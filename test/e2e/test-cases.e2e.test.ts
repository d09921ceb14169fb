/**
 * Test cases in a real headless Chromium, on a server seeded as a first start is (with the test
 * cases the regions ship): build a case with the test bench's form, save it as a test case with a
 * chosen expectation, change the rule set in a draft, see that test case red, open it, change its
 * expectation and see it pass when run alone; the coverage per rule; delete a test case after
 * confirming. Every step is checked through the API as well; any console error fails the test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, CHROMIUM, openEditor, type EditorSession } from './harness.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);

const NAME = 'Crisis van 30 dagen in Ommen';

type TestCase = { id: string; name: string; expected: { outcome: string; codes: string[] } };

describe.skipIf(!runnable)('test cases in the editor', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;
  let draftId = '';

  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${base}${path}`, init);
    expect(res.ok, `${path}: ${res.status}`).toBe(true);
    return (await res.json()) as T;
  };
  const saved = async () =>
    (await api<{ testCases: TestCase[] }>('/api/rulesets/ijsselland/tests')).testCases.find((t) => t.name === NAME);
  const row = () => page.getByTestId('test-row').filter({ has: page.getByRole('button', { name: NAME, exact: true }) });

  beforeAll(async () => {
    await buildEditor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    session = await openEditor({ seedTestCases: true });
    ({ page, base } = session);
  });

  afterAll(() => session?.close());

  it('builds a case with the form and saves it as a test case with a chosen expectation', async () => {
    await page.goto(`${base}/#/bench`);
    // MIJOV asks for products: the form offers its catalogue
    await page.locator('#bench-municipality').selectOption('apeldoorn');
    await expect.poll(() => page.locator('#bench-product option').count()).toBeGreaterThan(5);
    await page.locator('#bench-type').selectOption('admission');
    await expect
      .poll(() => page.locator('#bench-requestedProductGroup option[value="begeleiding-groep"]').count())
      .toBe(1);
    await page.locator('#bench-type').selectOption('allocation');

    await page.locator('#bench-municipality').selectOption('ommen');
    await page.locator('#bench-referenceDate').fill('2026-11-15');
    await page.locator('#bench-birthDate').fill('2012-06-01');
    await page.locator('#bench-referrer').selectOption('gecertificeerde-instelling');
    await page.locator('#bench-profile').fill('11');
    await page.locator('#bench-intensity').selectOption('crisis');
    await page.locator('#bench-startDate').fill('2026-11-15');
    await page.locator('#bench-endDate').fill('2026-12-14');
    await page.locator('#bench-dyslexia').uncheck();
    await page.getByTestId('apply-form').click();
    await page.getByTestId('decide').click();
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('beoordelen');

    // the expectation defaults to what was decided; choose it explicitly
    expect(await page.getByLabel('Verwachte redenen').inputValue()).toBe('CRISIS_TOO_LONG');
    await page.getByLabel('Verwachte uitkomst').selectOption('review');
    await page.locator('#test-name').fill(NAME);
    await page.locator('#test-ruleset').selectOption('ijsselland');
    await page.getByTestId('save-test').click();
    await expect.poll(() => page.getByText('Testgeval bewaard.').isVisible()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'bench-save-test.png') });

    const test = await saved();
    expect(test?.expected).toEqual({ outcome: 'review', codes: ['CRISIS_TOO_LONG'] });
  });

  it('shows the test case red against a draft that grants a 30-day crisis', async () => {
    await page.goto(`${base}/#/rulesets/ijsselland`);
    await page.getByTestId('new-draft').click();
    await page.waitForURL(/drafts\//);
    draftId = /drafts\/([^/?#]+)/.exec(page.url())![1]!;
    const crisis = page.getByTestId('param-crisis-maxDays');
    await crisis.fill('35');
    await crisis.press('Tab');
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);

    await page.getByTestId('tab-tests').click();
    await page.getByTestId('run-tests').click();
    await expect.poll(() => row().getAttribute('data-status')).toBe('fail');
    expect(await row().getAttribute('class')).toContain('fail');
    // red: the colour the stylesheet gives failures
    expect(await row().evaluate((el) => getComputedStyle(el).color)).not.toBe(
      await page.locator('body').evaluate((el) => getComputedStyle(el).color),
    );
    expect(await row().textContent()).toContain('uitkomst toegekend');
    // the shipped case at the old boundary breaks as well
    const boundary = page
      .getByTestId('test-row')
      .filter({ has: page.getByRole('button', { name: 'Crisis (profiel 11) van 29 dagen gaat naar beoordeling' }) });
    expect(await boundary.getAttribute('data-status')).toBe('fail');
    await page.screenshot({ path: join(SCREENSHOTS, 'tests-red.png'), fullPage: true });
  });

  it('shows per rule how many test cases make it fire, and the rules none do as a warning', async () => {
    const coverage = page.getByTestId('test-coverage');
    expect(await coverage.locator('[data-rule="ijsselland.crisis.maximale-duur"]').textContent()).toMatch(
      /regel ijsselland\.crisis\.maximale-duur: \d+ testgevallen/,
    );
    const uncovered = coverage.locator('[data-rule="ijsselland.toelating.productgroep-gesloten"]');
    expect(await uncovered.getAttribute('class')).toContain('warning');
    expect(await uncovered.textContent()).toContain('geen testgeval');
  });

  it('opens the test case, changes its expectation and passes it when run alone', async () => {
    await row().getByRole('button', { name: NAME, exact: true }).click();
    const editor = page.getByTestId('test-editor');
    expect(JSON.parse(await editor.getByLabel('Casus (JSON)').inputValue())).toMatchObject({
      municipality: 'ommen',
      request: { profile: 11, endDate: '2026-12-14' },
    });
    await editor.getByLabel('Verwachte uitkomst').selectOption('granted');
    await editor.getByLabel('Verwachte redenen').fill('');
    await editor.getByLabel('Naam').fill(`${NAME} (35 dagen)`);
    await editor.getByTestId('test-save').click();
    await expect.poll(() => editor.getByRole('status').textContent()).toContain('Opgeslagen');
    await editor.getByTestId('test-run-one').click();
    const renamed = page
      .getByTestId('test-row')
      .filter({ has: page.getByRole('button', { name: `${NAME} (35 dagen)`, exact: true }) });
    await expect.poll(() => renamed.getAttribute('data-status')).toBe('pass');
    await page.screenshot({ path: join(SCREENSHOTS, 'tests-edited.png'), fullPage: true });

    // the API holds the new expectation, and the test case passes against the draft there too
    const all = (await api<{ testCases: TestCase[] }>('/api/rulesets/ijsselland/tests')).testCases;
    const test = all.find((t) => t.name === `${NAME} (35 dagen)`)!;
    expect(test.expected).toEqual({ outcome: 'granted', codes: [] });
    const run = await api<{ pass: boolean; actual: { outcome: string } }>(
      `/api/rulesets/ijsselland/tests/${test.id}/run?draftId=${draftId}`,
      { method: 'POST' },
    );
    expect(run).toMatchObject({ pass: true, actual: { outcome: 'granted' } });
  });

  it('deletes a test case after confirmation', async () => {
    const before = (await api<{ testCases: TestCase[] }>('/api/rulesets/ijsselland/tests')).testCases.length;
    const editor = page.getByTestId('test-editor');
    await editor.getByTestId('test-delete').click();
    await editor.getByTestId('test-delete-confirm').click();
    await expect.poll(() => page.getByTestId('test-editor').count()).toBe(0);
    const after = (await api<{ testCases: TestCase[] }>('/api/rulesets/ijsselland/tests')).testCases;
    expect(after.length).toBe(before - 1);
    expect(after.some((t) => t.name.startsWith(NAME))).toBe(false);
  });

  it('had no console errors in the browser', () => {
    expect(session.consoleErrors).toEqual([]);
  });
});
