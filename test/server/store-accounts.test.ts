/** The accounts module on every store (see stores.ts): tokens, users and their sessions. */
import { describe, expect, it } from 'vitest';
import { freshStores, storeFactories } from './stores.js';

const AT = '2026-01-01T00:00:00.000Z';

const user = (username: string) =>
  ({ username, passwordHash: 'scrypt:x', role: 'auditor', scope: null, createdBy: 'admin', createdAt: AT }) as const;
const session = (idHash: string, username: string, expiresAt = '2026-01-02T00:00:00.000Z') => ({
  idHash,
  username,
  csrfToken: 'csrf',
  createdAt: AT,
  expiresAt,
});

describe.each(storeFactories)('on $name', (factory) => {
  const store = freshStores(factory);

  describe('accounts', () => {
    it('knows whether any token or user exists (the demo runs without)', async () => {
      const s = await store();
      expect(await s.accounts.any()).toBe(false);
      await s.accounts.addUser({ ...user('anna'), disabledAt: null });
      expect(await s.accounts.any()).toBe(true);
    });

    it('finds a token by its hash and revokes it once', async () => {
      const s = await store();
      const token = {
        id: 't1',
        name: 'zaaksysteem',
        role: 'case-system',
        scope: null,
        tokenHash: 'sha256:abc',
        createdBy: 'admin',
        createdAt: AT,
        expiresAt: null,
        revokedAt: null,
      } as const;
      await s.accounts.addToken(token);
      expect(await s.accounts.tokenByHash('sha256:abc')).toEqual(token);
      expect(await s.accounts.tokenByHash('sha256:other')).toBeUndefined();
      expect(await s.accounts.revokeToken('t1', AT)).toBe(true);
      expect(await s.accounts.revokeToken('t1', AT)).toBe(false);
      expect(await s.accounts.tokens()).toEqual([{ ...token, revokedAt: AT }]);
    });

    it('ends only the disabled user’s sessions, and all but the kept one on a new password', async () => {
      const s = await store();
      await s.accounts.addUser({ ...user('anna'), disabledAt: null });
      await s.accounts.addUser({ ...user('bram'), disabledAt: null });
      await s.accounts.addSession(session('s-anna', 'anna'));
      await s.accounts.addSession(session('s-bram', 'bram'));
      await s.accounts.addSession(session('s-bram-2', 'bram'));
      expect(await s.accounts.disableUser('anna', AT)).toBe(true);
      expect(await s.accounts.disableUser('anna', AT)).toBe(false);
      expect((await s.accounts.user('anna'))!.disabledAt).toBe(AT);
      expect(await s.accounts.session('s-anna')).toBeUndefined();
      expect(await s.accounts.setPassword('bram', 'scrypt:y', 's-bram')).toBe(true);
      expect(await s.accounts.setPassword('anna', 'scrypt:y')).toBe(false);
      expect(await s.accounts.session('s-bram')).toBeDefined();
      expect(await s.accounts.session('s-bram-2')).toBeUndefined();
      await s.accounts.addSession(session('s-old', 'bram', '2025-12-31T00:00:00.000Z'));
      expect(await s.accounts.purgeExpiredSessions(AT)).toBe(1);
      await s.accounts.deleteSession('s-bram');
      expect(await s.accounts.session('s-bram')).toBeUndefined();
    });
  });
});
