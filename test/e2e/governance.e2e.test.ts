/**
 * Four eyes in the editor, in Chromium: advisor A edits a draft and submits it with a change
 * note, seeing the Dutch change list and the impact; advisor B approves it; the new version
 * appears with its change note, submitter and approver, and the audit view lists both events.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEditor, CHROMIUM, openEditor, type EditorSession } from './harness.js';

const runnable = existsSync(CHROMIUM);
const EDITOR_DIR = fileURLToPath(new URL('../../dist/editor-governance', import.meta.url));
const ADMIN = 'e2e-governance-admin';
const PASSWORD = 'een-lang-wachtwoord';

describe.skipIf(!runnable)('four eyes in the editor', () => {
  let session: EditorSession;
  let page: Page;
  let base: string;

  beforeAll(async () => {
    await buildEditor(EDITOR_DIR);
    // switching users drops the session cookie: the page's requests before logging in answer 401
    session = await openEditor({
      adminToken: ADMIN,
      editorDir: EDITOR_DIR,
      fourEyes: true,
      ignoreConsole: (text) => text.includes('401') || text.includes('Log in of stuur'),
    });
    ({ page, base } = session);
    for (const username of ['anna', 'bas'])
      await fetch(`${base}/api/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: PASSWORD, role: 'policy-advisor', scope: 'ijsselland' }),
      });
  }, 120_000);

  afterAll(() => session?.close());

  async function logIn(username: string) {
    // leave the page first, so that nothing on it asks the server without the session
    await page.goto('about:blank');
    await page.context().clearCookies();
    await page.goto(`${base}/#/rulesets/ijsselland`);
    await page.locator('#login-username').fill(username);
    await page.locator('#login-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await expect.poll(() => page.getByText(`${username} (beleidsadviseur)`).isVisible()).toBe(true);
  }

  let draftUrl = '';

  it('advisor A edits, sees the Dutch change list and the impact, and submits with a change note', async () => {
    await logIn('anna');
    await page.getByTestId('new-draft').click();
    await expect.poll(() => page.getByTestId('param-crisis-maxDays').isVisible()).toBe(true);
    draftUrl = page.url();
    await page.getByTestId('param-crisis-maxDays').fill('35');
    await page.getByTestId('save').click();
    await expect.poll(() => page.getByTestId('dirty').count()).toBe(0);

    await page.getByTestId('tab-diff').click();
    await expect.poll(() => page.getByTestId('change').count()).toBe(1);
    const sentence = await page.getByTestId('change').first().textContent();
    expect(sentence).toContain('28');
    expect(sentence).toContain('35');
    expect(await page.getByTestId('diff-editor').count()).toBe(0);
    await page.getByTestId('toggle-json-diff').click();
    await expect.poll(() => page.getByTestId('diff-editor').isVisible()).toBe(true);

    await page.getByTestId('tab-publish').click();
    await page.locator('#publish-valid-from').fill('2026-11-01');
    await expect.poll(() => page.getByTestId('change').first().textContent()).toContain('35');
    await page.getByTestId('run-impact').click();
    await expect.poll(() => page.getByTestId('impact-chart').isVisible()).toBe(true);
    expect(await page.getByTestId('submit-draft').isDisabled()).toBe(true);
    await page.getByTestId('change-note').fill('Crisisopvang tot 35 dagen');
    await page.getByTestId('submit-draft').click();
    await expect.poll(() => page.getByTestId('awaiting-approval').textContent()).toContain('Wacht op goedkeuring');
    expect(await page.getByTestId('awaiting-approval').textContent()).toContain('Crisisopvang tot 35 dagen');
    // the submitter sees no approve button
    expect(await page.getByTestId('approve-draft').count()).toBe(0);
  }, 60_000);

  it('advisor B approves in the editor and the new version appears with both names', async () => {
    await logIn('bas');
    await expect.poll(() => page.getByTestId('draft-awaiting').textContent()).toContain('anna');
    await page.goto(draftUrl);
    await page.getByTestId('tab-publish').click();
    await expect.poll(() => page.getByTestId('awaiting-approval').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('change').count()).toBe(1);
    await page.getByTestId('run-impact').click();
    await expect.poll(() => page.getByTestId('impact-chart').isVisible()).toBe(true);
    await page.getByTestId('approve-draft').click();
    await page.waitForURL(/#\/rulesets\/ijsselland$/);
    await expect.poll(() => page.getByTestId('version-3').isVisible()).toBe(true);
    const row = await page.getByTestId('version-3').textContent();
    expect(row).toContain('Crisisopvang tot 35 dagen');
    expect(row).toContain('anna');
    expect(row).toContain('bas');

    await page.goto(`${base}/#/audit`);
    await expect.poll(() => page.getByTestId('governance-approve').textContent()).toContain('bas');
    expect(await page.getByTestId('governance-submit').textContent()).toContain('Crisisopvang tot 35 dagen');
    expect(session.consoleErrors).toEqual([]);
  }, 60_000);
});
