/**
 * Two API nodes on one PostgreSQL database, as in production: `server/main.ts` twice, each a
 * process of its own with its own port and checkpoint file, the same database, signing key and
 * admin token. Skipped without TEST_DATABASE_URL (test/support/postgres.ts).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../server/db/pg/open.js';
import type { Store } from '../../server/db/store.js';
import { seedFromRules } from '../../server/seed.js';
import { bearer, serverPool } from './harness.js';
import { startServer, serverRoot, type RunningServer } from '../load/server.js';
import { anyValidCase } from '../support/arbitraries.js';
import {
  type ApiCall,
  expectPublishTakenUp,
  insertNextApeldoorn,
  latestApeldoorn,
  publishApeldoorn,
} from '../support/publishing.js';
import { createTestDatabase, testDatabaseUrl } from '../support/postgres.js';

describe('GET /api/health on the embedded SQLite default', () => {
  const server = serverPool();

  it('reports the database, its schema version and the latest versions, a publish included', async () => {
    const s = await server();
    const health = async () => (await (await s.request('GET', '/api/health')).json()) as Json;
    const before = await health();
    expect(before).toMatchObject({ ok: true, database: 'sqlite' });
    expect(before.schemaVersion).toBe(await s.store.schemaVersion());
    const latest = before.latestVersions as Record<string, number>;
    expect(Object.keys(latest).sort()).toEqual(
      [...new Set((await s.store.ruleSets.versions()).map((v) => v.ruleSetId))].sort(),
    );
    const inProcess: ApiCall = async (method, path, body) => {
      const res = await s.request(method, path, body);
      return { status: res.status, body: (await res.json()) as Json };
    };
    const apeldoorn = await latestApeldoorn(inProcess);
    const { document, version } = apeldoorn.latest;
    expect(await publishApeldoorn(inProcess, document, apeldoorn.nextValidFrom, 'Volgende versie')).toBe(201);
    expect(((await health()).latestVersions as Record<string, number>).apeldoorn).toBe(version + 1);
  });
});

const adminToken = `nodes-admin-${randomBytes(8).toString('hex')}`;
const signingKey = randomBytes(32).toString('hex');

type Json = Record<string, unknown>;

async function call(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as Json };
}

describe.skipIf(!testDatabaseUrl)('two API nodes on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: RunningServer;
  let b: RunningServer;
  const env = () => ({ DATABASE_URL: database.url, LOG_SIGNING_KEY: signingKey, FOUR_EYES: 'off' });

  beforeAll(async () => {
    database = await createTestDatabase();
    // one after the other: a first start of a fresh checkout builds the editor into dist/
    a = await startServer({ root: serverRoot('jz-node-a-'), env: env(), adminToken });
    b = await startServer({ root: serverRoot('jz-node-b-'), env: env(), adminToken });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    a?.remove();
    b?.remove();
    await database?.drop();
  }, 60_000);

  it('report the same database, schema version and latest versions on /api/health', async () => {
    const [ha, hb] = await Promise.all([
      call(a.base, 'GET', '/api/health', {}),
      call(b.base, 'GET', '/api/health', {}),
    ]);
    expect(ha.status).toBe(200);
    expect(ha.body).toMatchObject({ ok: true, database: 'postgres' });
    expect(ha.body.schemaVersion).toMatch(/^\d{4}_/);
    expect((ha.body.latestVersions as Record<string, number>).apeldoorn).toBeGreaterThanOrEqual(1);
    expect(hb.body).toEqual(ha.body);
  });

  it('keep a session made on one node valid on the other', async () => {
    const created = await call(a.base, 'POST', '/api/users', bearer(adminToken), {
      username: 'anna',
      password: 'een-lang-wachtwoord',
      role: 'policy-advisor',
      scope: 'ijsselland',
    });
    expect(created.status).toBe(201);
    const login = await call(a.base, 'POST', '/api/session', {}, { username: 'anna', password: 'een-lang-wachtwoord' });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const session = await call(b.base, 'GET', '/api/session', { cookie });
    expect(session.body).toMatchObject({ authenticated: true, user: { name: 'anna' } });
    // a write on B with A's cookie and CSRF token: a draft, then its ETag honoured on A
    const csrf = { cookie, 'x-csrf-token': login.body.csrfToken as string };
    const current = await call(b.base, 'GET', '/api/rulesets/ijsselland/versions/1', csrf);
    const draft = await call(b.base, 'POST', '/api/rulesets/ijsselland/drafts', csrf, current.body);
    expect(draft.status).toBe(201);
    const path = `/api/rulesets/ijsselland/drafts/${draft.body.draftId as string}`;
    const etag = draft.headers.get('etag')!;
    const first = await call(a.base, 'PUT', path, { ...csrf, 'if-match': etag }, current.body);
    const second = await call(b.base, 'PUT', path, { ...csrf, 'if-match': etag }, current.body);
    expect([first.status, second.status]).toEqual([200, 412]);
    // and the logout on B ends it on A
    expect((await call(b.base, 'DELETE', '/api/session', csrf)).status).toBe(204);
    expect((await call(a.base, 'GET', '/api/session', { cookie })).body).toMatchObject({ authenticated: false });
  });

  it('refuse a token revoked on one node at once there, and within a second on the other', async () => {
    const token = await a.token('nodes: intrekken', 'auditor');
    // read on both, so that each node holds it in its token cache
    expect((await call(a.base, 'GET', '/api/rulesets', bearer(token))).status).toBe(200);
    expect((await call(b.base, 'GET', '/api/rulesets', bearer(token))).status).toBe(200);
    const { body } = await call(a.base, 'GET', '/api/tokens', bearer(adminToken));
    const id = (body.tokens as { id: string; name: string }[]).find((t) => t.name === 'nodes: intrekken')!.id;
    expect((await call(a.base, 'DELETE', `/api/tokens/${id}`, bearer(adminToken))).status).toBe(204);
    const revokedAt = performance.now();
    expect((await call(a.base, 'GET', '/api/rulesets', bearer(token))).status).toBe(401);
    // B may still take it from its cache, for one second at most
    let status = 200;
    while (status === 200 && performance.now() - revokedAt < 3000) {
      status = (await call(b.base, 'GET', '/api/rulesets', bearer(token))).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
    // the second, plus the time of a request or two on a loaded machine
    expect(performance.now() - revokedAt).toBeLessThan(2000);
  });

  it('answer 30 s of concurrent logged evaluations without error, log each once and verify', async () => {
    const caseSystem = await a.token('nodes: case system', 'case-system');
    const auditor = await b.token('nodes: auditor', 'auditor');
    const before = (await call(a.base, 'GET', '/api/decisions?limit=1', bearer(auditor))).body.total as number;
    const bodies = fc.sample(anyValidCase, { numRuns: 200, seed: 16 });
    let answered = 0;
    const failures: string[] = [];
    const until = Date.now() + 30_000;
    // four clients per node, each sending its next case as soon as the previous one is answered
    const client = async (node: RunningServer, offset: number) => {
      for (let i = offset; Date.now() < until; i += 8) {
        const res = await call(node.base, 'POST', '/api/evaluate', bearer(caseSystem), bodies[i % bodies.length]);
        if (res.status === 200 && typeof res.body.id === 'string') answered += 1;
        else failures.push(`${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      }
    };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => client(i % 2 === 0 ? a : b, i)));
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(100);
    const after = (await call(b.base, 'GET', '/api/decisions?limit=1', bearer(auditor))).body.total as number;
    expect(after - before).toBe(answered);

    // both nodes signed checkpoints of the one chain; each verifies it all, with its own file
    const checkpoints = (await call(a.base, 'GET', '/api/audit/checkpoints?limit=200', bearer(auditor))).body;
    expect((checkpoints.items as unknown[]).length).toBeGreaterThan(1);
    for (const node of [a, b]) {
      const verified = await call(node.base, 'GET', '/api/audit/verify', bearer(auditor));
      expect(verified.status).toBe(200);
      expect(verified.body.problems).toEqual([]);
      expect(verified.body).toMatchObject({ ok: true, checked: before + answered });
    }
  }, 120_000);

  it('decides on node B with a version published on node A within one second', async () => {
    const officer = await a.token('nodes: Apeldoorn', 'municipality-officer', 'apeldoorn');
    const [onA, onB] = [a, b].map(
      (node): ApiCall =>
        (method, path, body) =>
          call(node.base, method, path, bearer(officer), body),
    ) as [ApiCall, ApiCall];
    const { latest } = await expectPublishTakenUp(onA, onB, 'Gepubliceerd op node A');
    const health = await call(b.base, 'GET', '/api/health', {});
    expect((health.body.latestVersions as Record<string, number>).apeldoorn).toBe(latest.version + 1);
  }, 60_000);

  it('refuses a third node that signs with another key than the database’s checkpoints', async () => {
    const root = serverRoot('jz-node-c-');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        ...env(),
        LOG_SIGNING_KEY: randomBytes(32).toString('hex'),
        DATA_DIR: join(root, 'data'),
        PORT: '0',
        RULES_ADMIN_TOKEN: adminToken,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      /is niet de sleutel waarmee de andere nodes op deze database het logboek ondertekenen/,
    );
  }, 60_000);
});

describe.skipIf(!testDatabaseUrl)('hearing publishes on PostgreSQL (store.watchPublished)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let listener: Store;
  let publisher: Store;
  const heard: number[] = [];
  let unwatch: () => void;

  beforeAll(async () => {
    database = await createTestDatabase();
    publisher = await openPostgresStore(database.url);
    await seedFromRules(publisher, new Date().toISOString());
    // a reconnect much later than the fallback poll: what is heard meanwhile is the poll's
    listener = await openPostgresStore(database.url, {
      watch: { safetyPollMs: 60_000, fallbackPollMs: 100, reconnectMs: 30_000 },
    });
    unwatch = listener.watchPublished(() => heard.push(performance.now()));
    await until(async () => (await listenerPids()).length === 1);
  });

  afterAll(async () => {
    unwatch?.();
    await listener?.close();
    await publisher?.close();
    await database?.drop();
  });

  /** The backends listening for publishes on the test database. */
  async function listenerPids(): Promise<number[]> {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ pid: number }>(
        "select pid from pg_stat_activity where datname = $1 and query ilike 'listen %'",
        [new URL(database.url).pathname.slice(1)],
      );
      return rows.map((r) => r.pid);
    } finally {
      await admin.end();
    }
  }

  async function until(condition: () => Promise<boolean> | boolean, ms = 5_000) {
    const started = performance.now();
    while (!(await condition())) {
      if (performance.now() - started > ms) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 20));
    }
    return performance.now() - started;
  }

  it('hears a publish by NOTIFY, and nothing from a transaction that rolled back', async () => {
    const before = heard.length;
    await insertNextApeldoorn(publisher);
    const ms = await until(() => heard.length > before, 1_000);
    expect(ms).toBeLessThan(1_000);
    const now = heard.length;
    await expect(insertNextApeldoorn(publisher, { rollBack: true })).rejects.toThrow('teruggedraaid');
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.length).toBe(now);
  });

  it('polls while its listening connection is gone, and hears nothing after it stops', async () => {
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    try {
      const [pid] = await listenerPids();
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await until(async () => (await listenerPids()).length === 0);
    const before = heard.length;
    await insertNextApeldoorn(publisher);
    expect(await until(() => heard.length > before, 1_000)).toBeLessThan(1_000);
    expect(await listenerPids()).toEqual([]); // not reconnected yet: the poll heard it

    unwatch();
    const stopped = heard.length;
    await insertNextApeldoorn(publisher);
    await new Promise((r) => setTimeout(r, 400));
    expect(heard.length).toBe(stopped);
  });
});

describe.skipIf(!testDatabaseUrl)('a node running as the service role (DATABASE_MIGRATION_URL)', () => {
  it('starts on a database the owner migrates, reads the schema version, and may not change the log', async () => {
    const database = await createTestDatabase();
    const admin = new pg.Client({ connectionString: testDatabaseUrl });
    await admin.connect();
    const role = `jz_api_${randomBytes(4).toString('hex')}`;
    let store: Store | undefined;
    try {
      // the role the migration creates must exist before the login role can join it
      await (await openPostgresStore(database.url)).close();
      await admin.query(`create role ${role} login password 'dienst-wachtwoord' in role jeugdzorg_service`);
      const asService = new URL(database.url);
      asService.username = role;
      asService.password = 'dienst-wachtwoord';
      store = await openPostgresStore(asService.toString(), { migrateAs: database.url });
      expect(await store.schemaVersion()).toMatch(/^\d{4}_/);
      await seedFromRules(store, new Date().toISOString());
      const service = new pg.Client({ connectionString: asService.toString() });
      await service.connect();
      try {
        await expect(service.query("update rule_set_versions set published_by = 'x'")).rejects.toThrow(
          /permission denied/,
        );
        await expect(service.query('create table erbij (x int)')).rejects.toThrow(/permission denied/);
      } finally {
        await service.end();
      }
    } finally {
      await store?.close();
      await database.drop();
      await admin.query(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});
