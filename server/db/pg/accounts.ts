/** API tokens, users and editor sessions in PostgreSQL. Tokens and session ids are kept only as hashes. */
import { and, asc, eq, isNull, lte, ne } from 'drizzle-orm';
import type { SessionRow, TokenRow, UserRow } from '../accounts.js';
import type { AccountStore } from '../store.js';
import { byBytes, type PgDb } from './connection.js';
import { sessions, tokens, users } from './schema.js';

export class PgAccounts implements AccountStore {
  constructor(private readonly db: PgDb) {}

  async any(): Promise<boolean> {
    const [token] = await this.db.select({ id: tokens.id }).from(tokens).limit(1);
    if (token) return true;
    const [user] = await this.db.select({ u: users.username }).from(users).limit(1);
    return Boolean(user);
  }

  async addToken(row: TokenRow): Promise<void> {
    await this.db.insert(tokens).values(row);
  }

  async tokenByHash(hash: string): Promise<TokenRow | undefined> {
    const [row] = await this.db.select().from(tokens).where(eq(tokens.tokenHash, hash));
    return row;
  }

  async tokens(): Promise<TokenRow[]> {
    return this.db
      .select()
      .from(tokens)
      .orderBy(asc(byBytes(tokens.createdAt)));
  }

  async revokeToken(id: string, at: string): Promise<boolean> {
    const changed = await this.db
      .update(tokens)
      .set({ revokedAt: at })
      .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
      .returning({ id: tokens.id });
    return changed.length === 1;
  }

  async addUser(row: UserRow): Promise<void> {
    await this.db.insert(users).values(row);
  }

  async user(username: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.username, username));
    return row;
  }

  async disableUser(username: string, at: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx
        .update(users)
        .set({ disabledAt: at })
        .where(and(eq(users.username, username), isNull(users.disabledAt)))
        .returning({ username: users.username });
      if (changed.length === 1) await tx.delete(sessions).where(eq(sessions.username, username));
      return changed.length === 1;
    });
  }

  async addSession(row: SessionRow): Promise<void> {
    await this.db.insert(sessions).values(row);
  }

  async session(idHash: string): Promise<SessionRow | undefined> {
    const [row] = await this.db.select().from(sessions).where(eq(sessions.idHash, idHash));
    return row;
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.delete(sessions).where(eq(sessions.idHash, idHash));
  }

  async setPassword(username: string, passwordHash: string, keep?: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const changed = await tx
        .update(users)
        .set({ passwordHash })
        .where(and(eq(users.username, username), isNull(users.disabledAt)))
        .returning({ username: users.username });
      if (changed.length === 1)
        await tx
          .delete(sessions)
          .where(and(eq(sessions.username, username), keep ? ne(sessions.idHash, keep) : undefined));
      return changed.length === 1;
    });
  }

  async purgeExpiredSessions(now: string): Promise<number> {
    const deleted = await this.db
      .delete(sessions)
      .where(lte(byBytes(sessions.expiresAt), new Date(now).toISOString()))
      .returning({ idHash: sessions.idHash });
    return deleted.length;
  }
}
