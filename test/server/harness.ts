/** A real app on a fresh SQLite file in a temporary folder, seeded from rules/. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { createApp, type AppOptions } from '../../server/app.js';
import { openDataDir } from '../../server/db/open.js';
import type { Store } from '../../server/db/store.js';
import { LogSigner } from '../../server/integrity.js';
import { seedFromRules } from '../../server/seed.js';
import { RulesService, type Clock, type ServiceOptions } from '../../server/service.js';
import { DEFAULT_RULES_DIR, loadRuleSetFiles } from '../../engine/loader.js';

/** One signing key for every test server in this process, so that a reopened data folder verifies. */
export const TEST_SIGNER = LogSigner.generate();

export type Server = Awaited<ReturnType<typeof openServer>>;

export async function openServer(
  dataDir = mkdtempSync(join(tmpdir(), 'rules-data-')),
  /** `seedTestCases`: seed as a first start does, with the test cases the regions ship. */
  options: AppOptions & { service?: ServiceOptions; clock?: Clock; seedTestCases?: boolean } = {},
) {
  const store = openDataDir(dataDir);
  if (options.seedTestCases) await seedFromRules(store, SEEDED_AT);
  else await seedRuleSets(store);
  // the checkpoint file beside the data folder, as `npm start` keeps it by default
  const checkpointFile = `${dataDir}.checkpoints.jsonl`;
  const service = new RulesService(store, options.clock, {
    signer: TEST_SIGNER,
    ...options.service,
    checkpoints: { file: checkpointFile, ...options.service?.checkpoints },
  });
  const { clock: _clock, service: _service, seedTestCases: _seed, ...appOptions } = options;
  const app = createApp(service, appOptions);
  const request = requestsTo(app);
  return { dataDir, store, service, app, request, file: join(dataDir, 'rules.sqlite'), checkpointFile };
}

/** The `Authorization` header of a bearer token. */
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Makes API tokens on `s` as its admin (`adminToken`): each a caller with a role, and a scope
 * (a region or municipality) or an expiry when given.
 *
 * @example
 *   const token = tokenMaker(s, ADMIN);
 *   const anna = await token('Anna (RSJ IJsselland)', 'policy-advisor', 'ijsselland');
 */
export function tokenMaker(s: Pick<Server, 'request'>, adminToken: string) {
  return async (name: string, role: string, scope?: string, expiresAt?: string): Promise<string> => {
    const body = { name, role, ...(scope ? { scope } : {}), ...(expiresAt ? { expiresAt } : {}) };
    const res = await s.request('POST', '/api/tokens', body, bearer(adminToken));
    if (res.status !== 201) throw new Error(`token niet gemaakt: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };
}

/** When every test server's rule sets were seeded. */
const SEEDED_AT = '2026-01-01T00:00:00.000Z';

/** The rule sets of rules/, seeded into an empty store (no test cases), as every test server has them. */
export async function seedRuleSets(store: Store): Promise<void> {
  await store.ruleSets.seedIfEmpty(
    loadRuleSetFiles(DEFAULT_RULES_DIR).map((f) => f.document),
    SEEDED_AT,
  );
}

/**
 * Requests to `app` in process, as a test sends them: a body as JSON (a string as it is), with
 * `Content-Type: application/json` unless `headers` say otherwise.
 */
export function requestsTo(app: { request: (path: string, init: RequestInit) => Response | Promise<Response> }) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    app.request(path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
}

/**
 * Servers for one test file, each closed after the test that opened it: call at the top level.
 *
 * @example
 *   const server = serverPool();
 *   it('…', async () => { const s = await server(); … });
 */
export function serverPool() {
  const open: Server[] = [];
  afterEach(async () => {
    for (const s of open.splice(0)) {
      await s.service.close();
      await s.store.close();
      // the checkpoint file lives beside the temporary data folder, not in it
      rmSync(s.checkpointFile, { force: true });
    }
  });
  return async (dataDir?: string, options?: Parameters<typeof openServer>[1]) => {
    const s = await openServer(dataDir, options);
    open.push(s);
    return s;
  };
}

/**
 * Changes a published version's stored document as someone with file access would: the
 * append-only trigger dropped, the document rewritten with `change` applied, its hash left.
 */
export function changeStoredVersion(
  raw: Database.Database,
  ruleSet: string,
  version: number,
  change: (document: { parameters: Record<string, unknown> }) => void,
) {
  raw.exec('DROP TRIGGER IF EXISTS rule_set_versions_no_update');
  const select = 'SELECT document FROM rule_set_versions WHERE rule_set_id = ? AND version = ?';
  const { document } = raw.prepare(select).get(ruleSet, version) as { document: string };
  const changed = JSON.parse(document) as { parameters: Record<string, unknown> };
  change(changed);
  raw
    .prepare('UPDATE rule_set_versions SET document = ? WHERE rule_set_id = ? AND version = ?')
    .run(JSON.stringify(changed), ruleSet, version);
}
