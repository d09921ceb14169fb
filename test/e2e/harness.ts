/**
 * A real server on a temporary database serving the freshly built editor, and a headless
 * Chromium page on it that records every console error.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';
import { createApp } from '../../server/app.js';
import { openStore } from '../../server/db/connect.js';
import { seedFromRules } from '../../server/seed.js';
import { RulesService } from '../../server/service.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EDITOR_DIR = fileURLToPath(new URL('../../dist/editor', import.meta.url));

/**
 * Builds the editor from the sources under test, never a stale dist/. A test file that runs
 * alongside another one builds into a directory of its own (`outDir`), so neither empties the
 * other's while it is served.
 */
export async function buildEditor(outDir: string = EDITOR_DIR) {
  const { build } = await import('vite');
  await build({
    build: { outDir, emptyOutDir: true },
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    // under vitest the config's root is the repository; the editor's is editor/
    root: fileURLToPath(new URL('../../editor', import.meta.url)),
    logLevel: 'warn',
    mode: 'production',
  });
}

export interface EditorSession {
  base: string;
  page: Page;
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openEditor(
  options: {
    adminToken?: string;
    ignoreConsole?: (text: string) => boolean;
    editorDir?: string;
    /** Four eyes on publishing (default on; a demo without accounts never needs it). */
    fourEyes?: boolean;
    /** Seed as a first start does, with the test cases the regions ship. */
    seedTestCases?: boolean;
  } = {},
): Promise<EditorSession> {
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'e2e-data-')) });
  if (options.seedTestCases) await seedFromRules(store, '2026-01-01T00:00:00.000Z');
  else
    await store.ruleSets.seedIfEmpty(
      loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
      '2026-01-01T00:00:00.000Z',
    );
  const app = createApp(new RulesService(store, undefined, { fourEyes: options.fourEyes ?? true }), {
    editorDir: options.editorDir ?? EDITOR_DIR,
    adminToken: options.adminToken,
  });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !options.ignoreConsole?.(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  return {
    base,
    page,
    consoleErrors,
    async close() {
      await browser.close();
      server.close();
      await store.close();
    },
  };
}
