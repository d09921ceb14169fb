/**
 * The editor end to end, in a real headless Chromium against a real server on a temporary
 * database: open a rule set, change a parameter in the form and see the JSON view follow, save,
 * run a saved test case against the draft, publish with a valid-from date, decide a case the
 * change affects, find that decision on the audit page and replay it, and see a municipality
 * threshold refused when out of bounds. Screenshots of each main page go to
 * test-results/screenshots/; any browser console error fails the test.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, CHROMIUM, openEditor, type EditorSession } from './harness.js';
import { crisisCase } from '../support/factories.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

// CI installs Chromium (.ci/run); a developer machine without it skips these, loudly.
const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runnable)
  console.warn(`Chromium not found at ${CHROMIUM}: skipping the editor's end-to-end tests (apt-get install chromium).`);

describe.skipIf(!runnable)('the editor in a browser', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await buildEditor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    session = await openEditor();
    ({ page, base } = session);
    // a saved test case of the IJsselland rule set: the 30-day crisis asks for a review
    await fetch(`${base}/api/rulesets/ijsselland/tests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Crisis van 30 dagen',
        case: crisisCase,
        expected: { outcome: 'review', codes: ['CRISIS_TOO_LONG'] },
      }),
    });
  });

  afterAll(() => session?.close());

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
  const monacoValue = (testId: string) =>
    page
      .locator(`[data-testid="${testId}"]`)
      .evaluate((el) => (el as HTMLElement & { monacoValue: string }).monacoValue);

  it('shows the rule sets with their versions', async () => {
    await page.goto(`${base}/#/`);
    await expect.poll(() => page.getByTestId('region-ijsselland').isVisible()).toBe(true);
    expect(await page.getByTestId('region-ijsselland').textContent()).toContain('v2');
    await shot('overview');
  });

  it('edits a parameter in the form, the JSON view follows, and the draft saves', async () => {
    await page.goto(`${base}/#/rulesets/ijsselland`);
    await page.getByTestId('new-draft').click();
    await page.waitForURL(/drafts\//);
    const crisis = page.getByTestId('param-crisis-maxDays');
    await crisis.fill('35');
    await crisis.press('Tab');
    await expect.poll(() => page.getByTestId('dirty').isVisible()).toBe(true);
    await shot('rule-set-form');

    await page.getByTestId('tab-json').click();
    await expect
      .poll(async () => JSON.parse(await monacoValue('json-editor')).parameters['crisis.maxDays'].value, {
        timeout: 15_000,
      })
      .toBe(35);
    await shot('rule-set-json');

    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);
  });

  it('runs the saved test case against the draft and shows it red', async () => {
    await page.getByTestId('tab-tests').click();
    await page.getByTestId('run-tests').click();
    await expect.poll(() => page.getByTestId('test-summary').textContent()).toContain('0 geslaagd, 1 mislukt');
    await shot('rule-set-tests');
  });

  it("exports the draft to Excel and shows what a changed file would change before 'Toepassen'", async () => {
    await page.getByTestId('tab-form').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-excel').click()]);
    expect(download.suggestedFilename()).toBe('ijsselland-concept.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    workbook.getWorksheet('Tarieven')!.getCell('C2').value = 4321.5;
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    await page.getByTestId('import-file').setInputFiles({
      name: 'tarieven.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer,
    });
    await expect.poll(() => page.getByTestId('import-preview').textContent()).toContain('4.321,50');
    expect(await page.getByTestId('import-preview').locator('li').count()).toBe(1);
    await shot('rule-set-import');
    await page.getByTestId('import-preview').getByRole('button', { name: 'Annuleren' }).click();
    await expect.poll(() => page.getByTestId('import-preview').count()).toBe(0);
  });

  it('publishes the draft with a valid-from date after validation and impact analysis', async () => {
    await page.getByTestId('tab-publish').click();
    await page.locator('#publish-valid-from').fill('2026-11-01');
    await page.getByText('Controleren').click();
    await expect.poll(() => page.getByText('De regelset is geldig').isVisible()).toBe(true);
    await page.getByTestId('run-impact').click();
    await expect.poll(() => page.getByTestId('impact-chart').isVisible()).toBe(true);
    await shot('publish');
    await page.getByTestId('confirm-publish').click();
    await page.waitForURL(/#\/rulesets\/ijsselland$/);
    const versions = await (await fetch(`${base}/api/rulesets/ijsselland/versions`)).json();
    expect(
      versions.versions.map((v: { version: number; validFrom: string }) => `${v.version}@${v.validFrom}`),
    ).toContain('3@2026-11-01');
  });

  it('decides a case the change affects on the test bench and logs it', async () => {
    await page.goto(`${base}/#/bench`);
    // build the case with the form; the JSON in Monaco follows
    await page.locator('#bench-municipality').selectOption('ommen');
    await page.locator('#bench-referenceDate').fill(crisisCase.referenceDate);
    await page.locator('#bench-birthDate').fill(crisisCase.youth.birthDate);
    await page.locator('#bench-referrer').selectOption(crisisCase.referral.referrer);
    await page.locator('#bench-profile').fill('11');
    await page.locator('#bench-intensity').selectOption('crisis');
    await page.locator('#bench-startDate').fill(crisisCase.request.startDate);
    await page.locator('#bench-endDate').fill(crisisCase.request.endDate);
    await page.getByTestId('apply-form').click();
    await expect
      .poll(async () => JSON.parse(await monacoValue('case-editor')).request)
      .toMatchObject(crisisCase.request);
    await page.getByTestId('decide-live').click();
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('toegekend');
    expect(await page.getByTestId('decision').textContent()).toContain('ijsselland v3');
    await shot('test-bench');
  });

  it('finds that decision on the audit page and replays it identically', async () => {
    await page.goto(`${base}/#/audit`);
    await page.locator('#audit-municipality').selectOption('ommen');
    await page.getByTestId('audit-search').click();
    await expect.poll(() => page.getByTestId('audit-results').locator('tr').count()).toBe(1);
    await page.getByTestId('audit-results').getByRole('link').click();
    await expect.poll(() => page.getByTestId('decision-detail').isVisible()).toBe(true);
    await page.getByTestId('replay-recorded').click();
    await expect.poll(() => page.getByTestId('replay-result').textContent()).toContain('Identiek');
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('intact');
    await shot('audit');
  });

  it("refuses a municipality threshold outside the region's bounds as it is typed", async () => {
    await page.goto(`${base}/#/municipalities/apeldoorn`);
    const input = page.getByTestId('muni-admission-minClientsPerYear');
    await input.fill('500');
    await expect.poll(() => page.getByText('Buiten de grenzen van de regio').isVisible()).toBe(true);
    await page.locator('#muni-valid-from').fill('2026-12-01');
    await page.locator('#muni-change-note').fill('Drempel aangepast per 2026-12-01');
    expect(await page.getByTestId('muni-publish').isDisabled()).toBe(true);
    await shot('municipality');
    await input.fill('8');
    await page.getByTestId('muni-publish').click();
    await expect.poll(() => page.getByTestId('muni-published').textContent()).toContain('versie 3');
  });

  it('switches the interface to English', async () => {
    await page.goto(`${base}/#/`);
    await page.locator('#locale').selectOption('en');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rule sets by region');
    await page.locator('#locale').selectOption('nl');
  });

  it('had no console errors in the browser', () => {
    expect(session.consoleErrors).toEqual([]);
  });
});

describe.skipIf(!runnable)('the editor with accounts', () => {
  const ADMIN = 'e2e-admin-token';
  let session: EditorSession;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    // a refused request is the point of the last step; any other console error is a fault
    // publishing directly, as with FOUR_EYES=off (test/e2e/governance.e2e.test.ts covers four eyes)
    session = await openEditor({
      adminToken: ADMIN,
      fourEyes: false,
      ignoreConsole: (text) => text.includes('403'),
    });
    ({ page, base } = session);
    await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'carla',
        password: 'een-lang-wachtwoord',
        role: 'municipality-officer',
        scope: 'apeldoorn',
      }),
    });
  });

  afterAll(() => session?.close());

  it("asks to log in, then lets a municipality officer publish her own threshold and no one else's", async () => {
    await page.goto(`${base}/#/municipalities/apeldoorn`);
    await page.locator('#login-username').fill('carla');
    await page.locator('#login-password').fill('een-lang-wachtwoord');
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png') });
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.poll(() => page.getByText('carla (gemeentemedewerker)').isVisible()).toBe(true);
    expect(await page.getByTestId('demo-banner').count()).toBe(0);

    await page.getByTestId('muni-admission-minClientsPerYear').fill('7');
    await page.locator('#muni-valid-from').fill('2026-12-01');
    await page.locator('#muni-change-note').fill('Drempel aangepast per 2026-12-01');
    await page.getByTestId('muni-publish').click();
    await expect.poll(() => page.getByTestId('muni-published').textContent()).toContain('versie 3');
    const published = await (
      await fetch(`${base}/api/rulesets/apeldoorn/versions/3`, { headers: { authorization: `Bearer ${ADMIN}` } })
    ).json();
    expect(published.parameters['admission.minClientsPerYear']).toBe(7);

    await page.goto(`${base}/#/municipalities/zutphen`);
    await page.getByTestId('muni-admission-minClientsPerYear').fill('3');
    await page.locator('#muni-valid-from').fill('2026-12-01');
    await page.locator('#muni-change-note').fill('Drempel aangepast per 2026-12-01');
    await page.getByTestId('muni-publish').click();
    await expect
      .poll(() => page.locator('.problem').first().textContent())
      .toContain('mag regelset zutphen niet wijzigen');
    expect(session.consoleErrors).toEqual([]);
  });
});
