/**
 * The API reference at /api/docs in a real headless Chromium: Swagger UI renders the generated
 * document with every request answered by this server (nothing from another origin) and no
 * console error, under the page's Content-Security-Policy.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, openEditor, type EditorSession } from './harness.js';

const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);

describe.skipIf(!runnable)('the API reference in a browser', () => {
  let session: EditorSession;
  const foreign: string[] = [];

  beforeAll(async () => {
    session = await openEditor();
    session.page.on('request', (r) => {
      if (!r.url().startsWith(session.base) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
  });
  afterAll(async () => session?.close());

  it('renders every operation from the generated document, offline', async () => {
    const { page, base } = session;
    await page.goto(`${base}/api/docs`);
    await page.locator('.opblock').first().waitFor({ timeout: 20_000 });
    const operations = await page.locator('.opblock').count();
    const doc = (await (await fetch(`${base}/api/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(operations).toBe(documented);
    expect(await page.locator('.info .title').textContent()).toContain('Jeugdzorg-regels API');
    expect(foreign).toEqual([]);
    expect(session.consoleErrors).toEqual([]);
  });
});
