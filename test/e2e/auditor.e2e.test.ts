/**
 * The auditor's view of a decision, end to end in Chromium: a case system logs decisions through
 * the API with its token; an auditor logs in to the editor, opens a decision from the log and sees
 * what signing off on it takes — when and by whom it was made, the versions with their hashes and
 * valid-from dates, the trace in Dutch sentences, the provisional values it rests on — opens the
 * letter, prints it alone, and replays the decision against another existing version; no control
 * that writes is in sight. Then the test bench's preview letter, marked VOORBEELD. Screenshots
 * of each step go to test-results/screenshots/; any browser console error fails the test.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, formatDateTime } from '../../engine/browser.js';
import { buildEditor, CHROMIUM, openEditor, type EditorSession } from './harness.js';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));
const example = (name: string): unknown => JSON.parse(readFileSync(join(EXAMPLES, name), 'utf8'));

const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
if (!runnable)
  console.warn(
    `Chromium not found at ${CHROMIUM}: skipping the auditor's end-to-end tests (apt-get install chromium).`,
  );

const ADMIN = 'e2e-admin-token-auditor';
const CASE_SYSTEM = 'zaaksysteem-regio';
const WRITE_NAMES = /Opslaan|Publiceren|Nieuw concept|Verwijderen|Bewaren|vastleggen/i;

interface Logged {
  id: string;
  decidedAt: string;
  decidedBy: string;
  outcome: string;
  ruleSets: { id: string; version: number; contentHash: string }[];
  illustrative: { ruleSet: string; kind: string; id: string }[];
}

describe.skipIf(!runnable)('the auditor in a browser', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;
  /** The granted dyslexia case (Zwolle), the MIJOV case resting on provisional values, a review. */
  const logged: Record<'granted' | 'illustrative' | 'review', Logged> = {} as never;
  let validFrom: Record<string, string>;

  const shot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const api = async (path: string, token: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const visibleWriteControls = async () =>
    (await page.getByRole('button', { name: WRITE_NAMES }).count()) +
    (await page.getByRole('link', { name: WRITE_NAMES }).count());

  beforeAll(async () => {
    await buildEditor();
    mkdirSync(SCREENSHOTS, { recursive: true });
    session = await openEditor({ adminToken: ADMIN });
    ({ page, base } = session);
    await api('/api/users', ADMIN, {
      method: 'POST',
      body: JSON.stringify({ username: 'anna', password: 'een-lang-wachtwoord', role: 'auditor' }),
    });
    const caseSystem = await api('/api/tokens', ADMIN, {
      method: 'POST',
      body: JSON.stringify({ role: 'case-system', name: CASE_SYSTEM }),
    });
    const reader = await api('/api/tokens', ADMIN, {
      method: 'POST',
      body: JSON.stringify({ role: 'auditor', name: 'auditor-api' }),
    });
    const files = {
      granted: 'dyslexia-granted.json',
      illustrative: 'mijov-begeleiding.json',
      review: 'crisis-too-long.json',
    } as const;
    for (const [key, file] of Object.entries(files) as [keyof typeof files, string][]) {
      const { id } = await api('/api/evaluate', caseSystem.token, {
        method: 'POST',
        body: JSON.stringify(example(file)),
      });
      logged[key] = await api(`/api/decisions/${id}`, reader.token);
    }
    const { ruleSets } = await api('/api/rulesets', reader.token);
    validFrom = Object.fromEntries(
      ruleSets.flatMap((s: { id: string; versions: { version: number; validFrom: string }[] }) =>
        s.versions.map((v) => [`${s.id}@${v.version}`, v.validFrom]),
      ),
    );
  });

  afterAll(() => session?.close());

  it('logs the auditor in and lists the decisions without a control that writes', async () => {
    expect(logged.granted.outcome).toBe('granted');
    expect(logged.illustrative.illustrative.length).toBeGreaterThan(0);
    expect(logged.review.outcome).toBe('review');
    await page.goto(`${base}/#/audit`);
    await page.locator('#login-username').fill('anna');
    await page.locator('#login-password').fill('een-lang-wachtwoord');
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.poll(() => page.getByText('anna (auditor)').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('audit-results').locator('tr').count()).toBe(3);
    expect(await page.getByTestId('read-only').isVisible()).toBe(true);
    expect(await visibleWriteControls()).toBe(0);
    await shot('auditor-log');
  });

  it('opens a decision: time, decider, versions with hashes and valid-from, the case and the trace in Dutch', async () => {
    const d = logged.granted;
    await page.getByTestId('audit-results').locator(`a[href="#/audit/${d.id}"]`).click();
    const detail = page.getByTestId('decision-detail');
    await expect.poll(() => detail.isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('decided-at').textContent()).toBe(formatDateTime(d.decidedAt));
    expect(await page.getByTestId('decided-by').textContent()).toBe(CASE_SYSTEM);
    expect(await page.getByTestId('engine-version').textContent()).toMatch(/^\d+\.\d+\.\d+/);
    for (const r of d.ruleSets) {
      const row = page.getByTestId(`version-${r.id}`);
      expect(await row.getByTestId('content-hash').textContent()).toBe(r.contentHash);
      expect(await row.getByTestId('content-hash').isVisible()).toBe(true);
      await expect
        .poll(() => row.getByTestId('valid-from').textContent())
        .toBe(formatDate(validFrom[`${r.id}@${r.version}`]!));
      expect(await row.textContent()).toContain('gelijk aan de gepubliceerde versie');
    }
    expect(await page.getByTestId('case-in-words').textContent()).toContain('Gemeente Zwolle');
    // the trace, open, in sentences: fact label, operator, the value seen, met or not
    const trace = page.getByTestId('trace');
    expect(await trace.isVisible()).toBe(true);
    const sentence = trace.getByTestId('condition').filter({ hasText: 'leeftijd in jaren' }).first();
    expect(await sentence.isVisible()).toBe(true);
    expect(await sentence.textContent()).toMatch(/leeftijd in jaren \(\d+\) is .+: (niet )?voldaan/);
    expect(await trace.textContent()).toContain(': voldaan');
    expect(await page.getByTestId('tariff').textContent()).toContain('€ 4.860');
    expect(await visibleWriteControls()).toBe(0);
    await shot('auditor-decision');
  });

  it('opens the letter and prints it alone', async () => {
    await page.getByTestId('letter-panel-toggle').click();
    const letter = page.getByTestId('letter');
    await expect.poll(() => letter.isVisible()).toBe(true);
    const text = (await letter.textContent()) ?? '';
    expect(text).toContain('Bezwaar maken');
    expect(text).toContain(logged.granted.id);
    expect(await page.getByTestId('letter-preview-mark').count()).toBe(0);
    await shot('auditor-letter');
    // "Afdrukken" asks the browser to print; on paper only the letter remains
    await page.evaluate(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void (window as unknown as { printed: number }).printed++;
    });
    await page.getByTestId('letter-panel-print').click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    expect(await letter.isVisible()).toBe(true);
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.getByTestId('audit-results').isVisible()).toBe(false);
    expect(await page.getByTestId('trace').isVisible()).toBe(false);
    expect(await page.getByTestId('letter-panel-print').isVisible()).toBe(false);
    await shot('auditor-letter-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('replays against another version that exists, and shows the comparison', async () => {
    const region = logged.granted.ruleSets[0]!;
    const picker = page.getByTestId('replay-version');
    const options = await picker.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    const expected = Object.keys(validFrom)
      .filter((k) => logged.granted.ruleSets.some((r) => k.startsWith(`${r.id}@`)))
      .map((k) => k.replace('@', ':'));
    expect(options.filter(Boolean).sort()).toEqual(expected.sort());
    const other = expected.find((v) => v.startsWith(`${region.id}:`) && v !== `${region.id}:${region.version}`)!;
    expect(other).toBeDefined();
    await picker.selectOption(other);
    await page.getByTestId('replay-chosen').click();
    const result = page.getByTestId('replay-result');
    await expect.poll(() => result.textContent()).toContain('Uitkomst bij opnieuw beslissen');
    expect(await result.textContent()).toMatch(
      /Identiek aan de oorspronkelijke beslissing|Verschilt van de oorspronkelijke/,
    );
    expect(await result.textContent()).toContain('gebruikte versies');
    await shot('auditor-replay');
    await page.getByTestId('replay-recorded').click();
    await expect.poll(() => result.textContent()).toContain('Identiek');
    expect(await visibleWriteControls()).toBe(0);
  });

  it('marks a decision that rests on provisional values, and the values themselves', async () => {
    const d = logged.illustrative;
    await page.goto(`${base}/#/audit/${d.id}`);
    const notice = page.getByTestId('illustrative');
    await expect.poll(() => notice.isVisible()).toBe(true);
    expect(await notice.textContent()).toContain('voorlopige waarde');
    expect(await notice.textContent()).toContain('tarief');
    expect(await notice.textContent()).toContain('catalogus');
    for (const r of d.illustrative) expect(await notice.textContent()).toContain(r.id);
    expect(await page.getByTestId('outcome').getByTestId('illustrative-mark').isVisible()).toBe(true);
    expect(await page.getByTestId('tariff').getByTestId('illustrative-mark').isVisible()).toBe(true);
    await shot('auditor-illustrative');
    // the review and the granted decision without provisional values carry no marker on the decision
    await page.goto(`${base}/#/audit/${logged.review.id}`);
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('beoordelen');
    expect(await page.getByTestId('reasons').textContent()).toContain('CRISIS_TOO_LONG');
    expect(await visibleWriteControls()).toBe(0);
    await shot('auditor-review');
  });

  it('previews the letter of an unlogged decision on the test bench, marked VOORBEELD', async () => {
    await page.goto(`${base}/#/bench`);
    await page.getByTestId('decide').click();
    await expect.poll(() => page.getByTestId('outcome').textContent()).toContain('Uitkomst');
    await page.getByTestId('letter-preview-toggle').click();
    const letter = page.getByTestId('letter');
    await expect.poll(() => letter.isVisible()).toBe(true);
    expect(await page.getByTestId('letter-preview-mark').textContent()).toContain('VOORBEELD');
    const text = (await letter.textContent()) ?? '';
    expect(text).toContain('Bezwaar maken');
    expect(text).toContain('geen (voorbeeld, niet vastgelegd)');
    expect(await page.getByTestId('letter-preview-print').isVisible()).toBe(true);
    // an auditor may try a case but neither log it nor save it as a test case: no such controls
    expect(await page.getByRole('button', { name: 'Beslissen en vastleggen' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Bewaren als testgeval' }).count()).toBe(0);
    await letter.scrollIntoViewIfNeeded();
    await shot('bench-letter-preview');
  });

  it('had no console errors in the browser', () => {
    expect(session.consoleErrors).toEqual([]);
  });
});
