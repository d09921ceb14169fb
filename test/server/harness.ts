/** A real app on a fresh SQLite file in a temporary folder, seeded from rules/. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../server/app.js';
import { openDataDir } from '../../server/db/open.js';
import { seedFromRules } from '../../server/seed.js';
import { RulesService } from '../../server/service.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';

export function openServer(
  dataDir = mkdtempSync(join(tmpdir(), 'rules-data-')),
  /** `seedTestCases`: seed as a first start does, with the test cases the regions ship. */
  options: { adminToken?: string; seedTestCases?: boolean } = {},
) {
  const store = openDataDir(dataDir);
  if (options.seedTestCases) seedFromRules(store, '2026-01-01T00:00:00.000Z');
  else
    store.ruleSets.seedIfEmpty(
      loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
      '2026-01-01T00:00:00.000Z',
    );
  const service = new RulesService(store);
  const app = createApp(service, options);
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
