/** A real app on a fresh SQLite file in a temporary folder, seeded from rules/. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type AppOptions } from '../../server/app.js';
import type { Clock } from '../../server/clock.js';
import { openDataDir } from '../../server/db/open.js';
import { RulesService } from '../../server/service.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';

export function openServer(
  dataDir = mkdtempSync(join(tmpdir(), 'rules-data-')),
  options: AppOptions & { clock?: Clock } = {},
) {
  const store = openDataDir(dataDir);
  store.ruleSets.seedIfEmpty(
    loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
    '2026-01-01T00:00:00.000Z',
  );
  const { clock, ...appOptions } = options;
  const service = new RulesService(store, clock);
  const app = createApp(service, appOptions);
  const request = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Response> =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return { dataDir, store, service, app, request, file: join(dataDir, 'rules.sqlite') };
}
