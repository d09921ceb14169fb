/** The accounts module on a real temporary SQLite file: tokens, users and their sessions. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDataDir, type Store } from '../../server/db/open.js';

const AT = '2026-01-01T00:00:00.000Z';
const opened: Store[] = [];
function store() {
  const s = openDataDir(mkdtempSync(join(tmpdir(), 'store-accounts-')));
  opened.push(s);
  return s;
}
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
});

const user = (username: string) =>
  ({ username, passwordHash: 'scrypt:x', role: 'auditor', scope: null, createdBy: 'admin', createdAt: AT }) as const;

describe('accounts', () => {
  it('knows whether any token or user exists (the demo runs without)', () => {
    const s = store();
    expect(s.accounts.any()).toBe(false);
    s.accounts.addUser({ ...user('anna'), disabledAt: null });
    expect(s.accounts.any()).toBe(true);
  });

  it('finds a token by its hash and revokes it once', () => {
    const s = store();
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
    s.accounts.addToken(token);
    expect(s.accounts.tokenByHash('sha256:abc')).toEqual(token);
    expect(s.accounts.tokenByHash('sha256:other')).toBeUndefined();
    expect(s.accounts.revokeToken('t1', AT)).toBe(true);
    expect(s.accounts.revokeToken('t1', AT)).toBe(false);
    expect(s.accounts.tokens()).toEqual([{ ...token, revokedAt: AT }]);
  });

  it('ends only the disabled user’s sessions', () => {
    const s = store();
    s.accounts.addUser({ ...user('anna'), disabledAt: null });
    s.accounts.addUser({ ...user('bram'), disabledAt: null });
    const session = (idHash: string, username: string) => ({
      idHash,
      username,
      csrfToken: 'csrf',
      createdAt: AT,
      expiresAt: '2026-01-02T00:00:00.000Z',
    });
    s.accounts.addSession(session('s-anna', 'anna'));
    s.accounts.addSession(session('s-bram', 'bram'));
    expect(s.accounts.disableUser('anna', AT)).toBe(true);
    expect(s.accounts.disableUser('anna', AT)).toBe(false);
    expect(s.accounts.user('anna')!.disabledAt).toBe(AT);
    expect(s.accounts.session('s-anna')).toBeUndefined();
    expect(s.accounts.session('s-bram')).toBeDefined();
    s.accounts.deleteSession('s-bram');
    expect(s.accounts.session('s-bram')).toBeUndefined();
  });
});
