/**
 * The editor as a policy advisor and a municipality officer see it, in a real headless Chromium
 * against a real server with accounts:
 *
 * - every page (login, overview, a rule set's versions, a version read with 'Bekijken', a draft's
 *   form, tables, JSON, diff, tests and publish tabs, the test bench, a municipality's thresholds,
 *   the audit page) at 1280 and at 800 px wide: a screenshot of each, no sideways scrolling at
 *   800 px (a wide grid scrolls inside its own box), and no English interface word in the visible
 *   text outside code (pre, code, Monaco, [data-code]);
 * - leaving a draft with unsaved edits asks first, in Dutch;
 * - a municipality officer types `20.000` in the form and the overlay holds 2000000 cents; an
 *   emptied amount is an error at the field; 'Terug naar de regionale waarde' clears it again.
 *
 * Screenshots go to test-results/screenshots/ux-*.png; any browser console error fails the test.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, CHROMIUM, openEditor, type EditorSession } from './harness.js';
import { crisisCase } from '../support/factories.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
// its own build: the other end-to-end files build and serve theirs at the same time
const EDITOR_DIR = fileURLToPath(new URL('../../dist/editor-ux', import.meta.url));
const ADMIN = 'e2e-ux-admin-token';

const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runnable) console.warn(`Chromium not found at ${CHROMIUM}: skipping the editor's layout end-to-end tests.`);

/**
 * Interface words that must never show in Dutch mode: the English labels the editor once had and
 * the machine names of facts, operators, rule kinds, effects and statuses. Matched as whole,
 * case-sensitive words, so reason codes (CRISIS_TOO_LONG) and rule ids do not count.
 */
const ENGLISH = [
  'Save',
  'Publish',
  'Draft',
  'Drafts',
  'Loading',
  'Error',
  'Version',
  'Search',
  'Password',
  'Username',
  'eligibility',
  'referral',
  'stacking',
  'admission',
  'allocation',
  'renewal',
  'reject',
  'review',
  'granted',
  'rejected',
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
  'notEqual',
  'notIn',
  'ageYears',
  'in-force',
  'superseded',
  'scheduled',
  'municipality-officer',
  'policy-advisor',
  'undefined',
  'NaN',
  '[object Object]',
];

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ENGLISH_RE = new RegExp(`(?<![\\w-])(${ENGLISH.map(escape).join('|')})(?![\\w-])`, 'g');

/** The page's visible text without what is code: pre, code, Monaco and anything marked [data-code]. */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const style = document.createElement('style');
    style.textContent = 'pre, code, .monaco-editor, .monaco-diff-editor, [data-code] { display: none !important; }';
    document.head.append(style);
    try {
      return document.body.innerText;
    } finally {
      style.remove();
    }
  });
}

/** Elements that stick out to the right of the window, outside any box that scrolls on its own. */
async function sticksOut(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const width = window.innerWidth;
    const scrollsItself = (el: Element) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === 'auto' || o === 'scroll' || o === 'hidden') return true;
      }
      return false;
    };
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && !scrollsItself(el))
        out.push(`${el.tagName.toLowerCase()}.${el.className} (${Math.round(r.right)} px)`);
      if (out.length >= 8) break;
    }
    return out;
  });
}

describe.skipIf(!runnable)('every page in Dutch, at 1280 and at 800 px wide', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await buildEditor(EDITOR_DIR);
    mkdirSync(SCREENSHOTS, { recursive: true });
    // publishing directly, as with FOUR_EYES=off (test/e2e/governance.e2e.test.ts covers four eyes)
    session = await openEditor({ adminToken: ADMIN, editorDir: EDITOR_DIR, fourEyes: false });
    ({ page, base } = session);
    const auth = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
    const user = await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        username: 'bea',
        password: 'een-lang-wachtwoord',
        role: 'policy-advisor',
        scope: 'ijsselland',
      }),
    });
    expect(user.status).toBeLessThan(300);
    // a saved test case of IJsselland, for the draft's tests tab, saved by an advisor's token
    const token = async (body: object) => {
      const res = await fetch(`${base}/api/tokens`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
      expect(res.status).toBeLessThan(300);
      return {
        authorization: `Bearer ${((await res.json()) as { token: string }).token}`,
        'content-type': 'application/json',
      };
    };
    const testCase = await fetch(`${base}/api/rulesets/ijsselland/tests`, {
      method: 'POST',
      headers: await token({ role: 'policy-advisor', scope: 'ijsselland', name: 'advies' }),
      body: JSON.stringify({
        name: 'Crisis van 30 dagen',
        case: crisisCase,
        expected: { outcome: 'review', codes: ['CRISIS_TOO_LONG'] },
      }),
    });
    expect(testCase.status).toBeLessThan(300);
    // a decision in IJsselland's log, made by a case system, so the audit page has a row to show
    const decided = await fetch(`${base}/api/evaluate`, {
      method: 'POST',
      headers: await token({ role: 'case-system', name: 'zaaksysteem' }),
      body: JSON.stringify(crisisCase),
    });
    expect(decided.status).toBeLessThan(300);
  });
  afterAll(() => session?.close());

  /** Screenshots at 1280 and at 800 px; at 800 nothing scrolls sideways; no English words anywhere. */
  async function check(name: string, ready: () => Promise<unknown>) {
    const found: string[] = [];
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 800 });
      await ready();
      // let layouts (Monaco's automatic layout among them) settle at the new width
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(SCREENSHOTS, `ux-${name}-${width}.png`) });
      if (width === 800) {
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth, `${name} at 800 px: ${(await sticksOut(page)).join(', ')}`).toBeLessThanOrEqual(innerWidth);
      }
      // each word with what stands around it, so a failure says where it is
      const text = await visibleText(page);
      for (const m of text.matchAll(ENGLISH_RE))
        found.push(`${m[0]}: …${text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)}…`);
    }
    expect([...new Set(found)].slice(0, 10), `English on ${name}`).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  const visible = (testId: string) => () => page.getByTestId(testId).first().waitFor({ state: 'visible' });

  it('the login page', async () => {
    await page.goto(`${base}/#/`);
    await check('login', () => page.locator('#login-username').waitFor());
    await page.locator('#login-username').fill('bea');
    await page.locator('#login-password').fill('een-lang-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.poll(() => page.getByText('bea (beleidsadviseur)').isVisible()).toBe(true);
  });

  it('the overview, whose version chips open a version to read', async () => {
    await check('overview', visible('region-ijsselland'));
    await page.getByTestId('chip-ijsselland-v2').click();
    await page.waitForURL(/#\/rulesets\/ijsselland\/versions\/2$/);
  });

  it("a version read with 'Bekijken': form, tables, JSON and diff, without a draft", async () => {
    await check('version-form', visible('read-only'));
    expect(await page.getByTestId('save').count()).toBe(0);
    expect(await page.getByTestId('param-crisis-maxDays').isDisabled()).toBe(true);
    expect(await page.getByTestId('param-topSegment-reviewAboveCents').inputValue()).toBe('25.000');
    await page.locator('#form-tables').scrollIntoViewIfNeeded();
    await check('version-tables', visible('rules-table'));
    await page.getByTestId('tab-json').click();
    await check('version-json', () => page.locator('[data-testid="json-editor"] .view-lines').waitFor());
    await page.getByTestId('tab-diff').click();
    await check('version-diff', () => page.locator('[data-testid="diff-editor"] .view-lines').first().waitFor());
    const versions = await (await fetch(`${base}/api/rulesets/ijsselland/versions`, { headers: bearer() })).json();
    expect(versions.drafts).toEqual([]);
  }, 60_000);

  it("a rule set's versions, each with 'Bekijken'", async () => {
    await page.goto(`${base}/#/rulesets/ijsselland`);
    await check('versions', visible('version-list'));
    // dates and times in English too, with their time zone
    await page.locator('#locale').selectOption('en');
    await expect.poll(() => page.getByTestId('version-list').textContent()).toMatch(/1 January 20\d\d/);
    expect(await page.getByTestId('version-list').textContent()).toMatch(/\d\d:\d\d (CET|CEST|GMT\+\d)/);
    await page.locator('#locale').selectOption('nl');
    expect(await page.getByTestId('version-list').textContent()).toMatch(/1 januari 20\d\d/);
    expect(await page.getByTestId('version-list').textContent()).toMatch(/om \d\d:\d\d \((CET|CEST)\)/);
    await page.getByTestId('view-v1').click();
    await page.waitForURL(/versions\/1$/);
    await page.goBack();
    await page.getByTestId('new-draft').click();
    await page.waitForURL(/drafts\//);
  });

  it('a draft: form, tables, JSON, diff, tests and publish', async () => {
    await check('draft-form', visible('save'));
    await page.locator('#form-tables').scrollIntoViewIfNeeded();
    await check('draft-tables', visible('limits-table'));
    await page.locator('#form-rules').scrollIntoViewIfNeeded();
    await check('draft-rules', visible('add-rule'));
    await page.getByTestId('tab-json').click();
    await check('draft-json', () => page.locator('[data-testid="json-editor"] .view-lines').waitFor());
    await page.getByTestId('tab-diff').click();
    // the change list first; the JSON diff one click away
    await page.getByTestId('toggle-json-diff').click();
    await check('draft-diff', () => page.locator('[data-testid="diff-editor"] .view-lines').first().waitFor());
    await page.getByTestId('tab-tests').click();
    await page.getByTestId('run-tests').click();
    await check('draft-tests', visible('test-summary'));
    await page.getByTestId('tab-publish').click();
    await check('draft-publish', visible('confirm-publish'));
  }, 120_000);

  it('asks, in Dutch, before leaving a draft with unsaved edits', async () => {
    const draft = page.url();
    await page.getByTestId('tab-form').click();
    const crisis = page.getByTestId('param-crisis-maxDays');
    await crisis.fill('');
    await crisis.press('Tab');
    await expect.poll(() => page.locator('#param-crisis-maxDays-error').textContent()).toBe('Vul een getal in.');
    await crisis.fill('35');
    await crisis.press('Tab');
    await expect.poll(() => page.getByTestId('dirty').isVisible()).toBe(true);

    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await page.getByRole('link', { name: 'Testbank' }).click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toContain('niet zijn opgeslagen');
    expect(page.url()).toBe(draft);
    expect(await page.getByTestId('param-crisis-maxDays').inputValue()).toBe('35');

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('link', { name: 'Testbank' }).click();
    await page.waitForURL(/#\/bench$/);
  });

  it('the test bench', async () => {
    await check('bench', () => page.locator('#bench-municipality').waitFor());
  });

  it("a municipality's thresholds", async () => {
    await page.goto(`${base}/#/municipalities/zwolle`);
    await check('municipality', visible('muni-topSegment-reviewAboveCents'));
  });

  it('the audit page', async () => {
    await page.goto(`${base}/#/audit`);
    await page.getByTestId('audit-search').click();
    await check('audit', () => page.getByTestId('audit-results').locator('tr').first().waitFor());
  });

  it('had no console errors in the browser', () => {
    expect(session.consoleErrors).toEqual([]);
  });

  function bearer() {
    return { authorization: `Bearer ${ADMIN}` };
  }
});

describe.skipIf(!runnable)('a municipality officer types amounts in euros', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;
  const auth = { authorization: `Bearer ${ADMIN}` };

  beforeAll(async () => {
    // the first describe builds the editor; files run one after another within this file
    if (!existsSync(join(EDITOR_DIR, 'index.html'))) await buildEditor(EDITOR_DIR);
    // publishing directly, as with FOUR_EYES=off (test/e2e/governance.e2e.test.ts covers four eyes)
    session = await openEditor({ adminToken: ADMIN, editorDir: EDITOR_DIR, fourEyes: false });
    ({ page, base } = session);
    const created = await fetch(`${base}/api/users`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'carla',
        password: 'een-lang-wachtwoord',
        role: 'municipality-officer',
        scope: 'zwolle',
      }),
    });
    expect(created.status).toBeLessThan(300);
  });
  afterAll(() => session?.close());

  /** Zwolle's newest overlay, as the API holds it. */
  const overlay = async () => {
    const summary = await (await fetch(`${base}/api/rulesets/zwolle/versions`, { headers: auth })).json();
    const latest = summary.versions.at(-1).version as number;
    const doc = await (await fetch(`${base}/api/rulesets/zwolle/versions/${latest}`, { headers: auth })).json();
    return { version: latest, parameters: doc.parameters as Record<string, unknown> };
  };

  it('types 20.000 and the overlay holds 2000000 cents; back to the regional value clears it', async () => {
    await page.goto(`${base}/#/municipalities/zwolle`);
    await page.locator('#login-username').fill('carla');
    await page.locator('#login-password').fill('een-lang-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.poll(() => page.getByText('carla (gemeentemedewerker)').isVisible()).toBe(true);

    const field = page.getByTestId('muni-topSegment-reviewAboveCents');
    const row = page.locator('tr', { has: field });
    // the region's value and the bounds in euros, with the reason for them
    expect(await row.textContent()).toContain('€ 25.000');
    expect(await row.textContent()).toContain('€ 0 tot en met € 25.000 — de regio staat alleen een lagere grens toe');
    expect(await field.inputValue()).toBe('25.000');
    const before = await overlay();
    expect(before.parameters['topSegment.reviewAboveCents']).toBeUndefined();

    // an emptied amount is an error at the field, and publishing waits
    await page.locator('#muni-valid-from').fill('2026-12-01');
    await page.locator('#muni-change-note').fill('Drempel aangepast per 2026-12-01');
    await field.fill('');
    await expect.poll(() => row.locator('.problem').textContent()).toContain('Vul een bedrag in');
    expect(await page.getByTestId('muni-publish').isDisabled()).toBe(true);
    // more than the region allows is out of bounds
    await field.fill('30.000');
    await expect.poll(() => row.locator('.problem').textContent()).toContain('Buiten de grenzen van de regio');

    await field.fill('20.000');
    expect(await row.locator('.problem').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'ux-municipality-euros.png') });
    await page.getByTestId('muni-publish').click();
    await expect.poll(() => page.getByTestId('muni-published').textContent()).toContain(`versie ${before.version + 1}`);
    const after = await overlay();
    expect(after.version).toBe(before.version + 1);
    expect(after.parameters['topSegment.reviewAboveCents']).toBe(2_000_000);

    // the page shows the new value the Dutch way, and can set it back to the region's
    await expect.poll(() => field.inputValue()).toBe('20.000');
    await page.getByTestId('muni-topSegment-reviewAboveCents-reset').click();
    expect(await field.inputValue()).toBe('25.000');
    await page.locator('#muni-valid-from').fill('2027-01-01');
    await page.locator('#muni-change-note').fill('Drempel aangepast per 2027-01-01');
    await page.getByTestId('muni-publish').click();
    await expect.poll(() => page.getByTestId('muni-published').textContent()).toContain(`versie ${before.version + 2}`);
    expect((await overlay()).parameters['topSegment.reviewAboveCents']).toBeUndefined();
    expect(session.consoleErrors).toEqual([]);
  });
});
