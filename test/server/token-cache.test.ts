/**
 * API tokens through the short-lived cache (server/token-cache.ts): a token is read from the
 * database once a second at most, a revocation here is refused at once, one elsewhere within the
 * second, an expiry to the instant whatever the cache holds, and the cache stays within its bound.
 */
import { describe, expect, it } from 'vitest';
import type { TokenRow } from '../../server/db/accounts.js';
import { sha256 } from '../../server/auth.js';
import { TOKEN_CACHE_TTL_MS, TokenCache } from '../../server/token-cache.js';
import { bearer, openServer } from './harness.js';

const row = (hash: string, patch: Partial<TokenRow> = {}): TokenRow => ({
  id: `id-${hash}`,
  name: `token ${hash}`,
  role: 'case-system',
  scope: null,
  tokenHash: hash,
  createdBy: 'test',
  createdAt: '2026-01-01T00:00:00.000Z',
  expiresAt: null,
  revokedAt: null,
  ...patch,
});

/** A cache over a table of rows, counting lookups, on a clock the test moves. */
function cacheOver(rows: Map<string, TokenRow>, options: { maxEntries?: number } = {}) {
  const clock = { now: 0 };
  const lookups: string[] = [];
  const cache = new TokenCache(
    async (hash) => {
      lookups.push(hash);
      return rows.get(hash);
    },
    { ...options, now: () => clock.now },
  );
  return { cache, clock, lookups };
}

describe('the token cache', () => {
  it('reads a token from the database once per second at most', async () => {
    const rows = new Map([['a', row('a')]]);
    const { cache, clock, lookups } = cacheOver(rows);
    expect(await cache.byHash('a')).toEqual(row('a'));
    clock.now = TOKEN_CACHE_TTL_MS - 1;
    expect(await cache.byHash('a')).toEqual(row('a'));
    expect(lookups).toEqual(['a']);
    // revoked in the database meanwhile (another node): seen once the second is over
    rows.set('a', row('a', { revokedAt: '2026-01-02T00:00:00.000Z' }));
    clock.now = TOKEN_CACHE_TTL_MS;
    expect(await cache.byHash('a')).toMatchObject({ revokedAt: '2026-01-02T00:00:00.000Z' });
    expect(lookups).toEqual(['a', 'a']);
  });

  it('keeps no unknown token, so a token made later is found at once', async () => {
    const rows = new Map<string, TokenRow>();
    const { cache, lookups } = cacheOver(rows);
    expect(await cache.byHash('b')).toBeUndefined();
    rows.set('b', row('b'));
    expect(await cache.byHash('b')).toEqual(row('b'));
    expect(lookups).toEqual(['b', 'b']);
    expect(cache.size).toBe(1);
  });

  it('forgets everything at once, and a row read while it forgot is not kept', async () => {
    const rows = new Map([
      ['a', row('a')],
      ['b', row('b')],
    ]);
    const { cache, lookups } = cacheOver(rows);
    await cache.byHash('a');
    cache.forget();
    expect(cache.size).toBe(0);
    await cache.byHash('a');
    expect(lookups).toEqual(['a', 'a']);
    // a lookup under way when a revocation empties the cache: answered, but not kept
    const pending = cache.byHash('b');
    cache.forget();
    expect(await pending).toEqual(row('b'));
    expect(cache.size).toBe(0);
    await cache.byHash('b');
    expect(lookups).toEqual(['a', 'a', 'b', 'b']);
  });

  it('keeps at most maxEntries tokens, dropping the oldest', async () => {
    const rows = new Map(['a', 'b', 'c', 'd', 'e'].map((h) => [h, row(h)]));
    const { cache, lookups } = cacheOver(rows, { maxEntries: 3 });
    for (const h of rows.keys()) await cache.byHash(h);
    expect(cache.size).toBe(3);
    lookups.length = 0;
    for (const h of ['c', 'd', 'e']) await cache.byHash(h);
    expect(lookups).toEqual([]);
    await cache.byHash('a');
    expect(lookups).toEqual(['a']);
    expect(cache.size).toBe(3);
  });
});

describe('tokens through the cache, in the app', () => {
  const ADMIN = 'bootstrap-admin-token-for-token-cache-tests';

  it('refuses a token revoked in this process from the next request on', async () => {
    const s = await openServer(undefined, { adminToken: ADMIN });
    try {
      const created = await (
        await s.request('POST', '/api/tokens', { name: 'zaaksysteem', role: 'auditor' }, bearer(ADMIN))
      ).json();
      expect((await s.request('GET', '/api/rulesets', undefined, bearer(created.token))).status).toBe(200);
      expect((await s.request('DELETE', `/api/tokens/${created.id}`, undefined, bearer(ADMIN))).status).toBe(204);
      const refused = await s.request('GET', '/api/rulesets', undefined, bearer(created.token));
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      await s.service.close();
      await s.store.close();
    }
  });

  it('refuses a token revoked in the database by someone else within the second', async () => {
    const s = await openServer(undefined, { adminToken: ADMIN });
    try {
      const created = await (
        await s.request('POST', '/api/tokens', { name: 'zaaksysteem', role: 'auditor' }, bearer(ADMIN))
      ).json();
      expect((await s.request('GET', '/api/rulesets', undefined, bearer(created.token))).status).toBe(200);
      // as another node would: straight in the database, this process's cache untouched
      await s.store.accounts.revokeToken(created.id, '2026-01-01T00:00:00.000Z');
      await new Promise((resolve) => setTimeout(resolve, TOKEN_CACHE_TTL_MS + 50));
      expect((await s.request('GET', '/api/rulesets', undefined, bearer(created.token))).status).toBe(401);
    } finally {
      await s.service.close();
      await s.store.close();
    }
  });

  it('holds an expiry to the instant, though the token is cached', async () => {
    const clock = { at: '2026-03-01T09:59:59.999Z' };
    const s = await openServer(undefined, { adminToken: ADMIN, clock: { now: () => clock.at } });
    try {
      const token = 'jr_verloopt-om-tien-uur';
      await s.store.accounts.addToken({
        ...row(sha256(token)),
        role: 'auditor',
        expiresAt: '2026-03-01T10:00:00.000Z',
      });
      expect((await s.request('GET', '/api/rulesets', undefined, bearer(token))).status).toBe(200);
      clock.at = '2026-03-01T10:00:00.000Z';
      expect((await s.request('GET', '/api/rulesets', undefined, bearer(token))).status).toBe(401);
    } finally {
      await s.service.close();
      await s.store.close();
    }
  });
});
