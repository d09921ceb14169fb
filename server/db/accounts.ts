/** API tokens, users and editor sessions. Tokens and session ids are kept only as hashes. */
import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import { inTransaction, type Conn } from './connection.js';
import { preparedOnce } from './prepared.js';
import { sessions, tokens, users } from './schema.js';

export type TokenRow = typeof tokens.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export class Accounts {
  constructor(private readonly c: Conn) {}

  private get db() {
    return this.c.db;
  }

  /**
   * The token lookup of every authenticated request, prepared once: building and preparing it
   * per request cost more than running it. Made on first use, after the migrations have shaped
   * the tables (see prepared.ts).
   */
  private readonly statements = preparedOnce(() => ({
    tokenByHash: this.db
      .select()
      .from(tokens)
      .where(eq(tokens.tokenHash, sql.placeholder('hash')))
      .prepare(),
  }));

  /** Whether any token or user exists: without either the server runs as a local demo. */
  async any(): Promise<boolean> {
    return this.c.run(() => {
      return Boolean(
        this.db.select({ id: tokens.id }).from(tokens).limit(1).get() ??
        this.db.select({ u: users.username }).from(users).limit(1).get(),
      );
    });
  }

  async addToken(row: TokenRow): Promise<void> {
    return this.c.run(() => {
      this.db.insert(tokens).values(row).run();
    });
  }

  async tokenByHash(hash: string): Promise<TokenRow | undefined> {
    return this.c.run(() => {
      return this.statements().tokenByHash.get({ hash });
    });
  }

  /** Every token, oldest first. */
  async tokens(): Promise<TokenRow[]> {
    return this.c.run(() => {
      return this.db.select().from(tokens).orderBy(asc(tokens.createdAt)).all();
    });
  }

  /** Revokes a token; false when there is no such token or it was revoked already. */
  async revokeToken(id: string, at: string): Promise<boolean> {
    return this.c.run(() => {
      return (
        this.db
          .update(tokens)
          .set({ revokedAt: at })
          .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
          .run().changes === 1
      );
    });
  }

  async addUser(row: UserRow): Promise<void> {
    return this.c.run(() => {
      this.db.insert(users).values(row).run();
    });
  }

  async user(username: string): Promise<UserRow | undefined> {
    return this.c.run(() => {
      return this.db.select().from(users).where(eq(users.username, username)).get();
    });
  }

  /** Disables a user and ends their sessions, in one transaction. */
  async disableUser(username: string, at: string): Promise<boolean> {
    return this.c.run(() => {
      return inTransaction(this.db, () => {
        const changed =
          this.db
            .update(users)
            .set({ disabledAt: at })
            .where(and(eq(users.username, username), isNull(users.disabledAt)))
            .run().changes === 1;
        if (changed) this.db.delete(sessions).where(eq(sessions.username, username)).run();
        return changed;
      });
    });
  }

  async addSession(row: SessionRow): Promise<void> {
    return this.c.run(() => {
      this.db.insert(sessions).values(row).run();
    });
  }

  async session(idHash: string): Promise<SessionRow | undefined> {
    return this.c.run(() => {
      return this.db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
    });
  }

  async deleteSession(idHash: string): Promise<void> {
    return this.c.run(() => {
      this.db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
    });
  }

  /**
   * Sets a user's password hash and ends their sessions (all of them, or all but `keep`, the
   * session that changed it), in one transaction. False when there is no such active user.
   */
  async setPassword(username: string, passwordHash: string, keep?: string): Promise<boolean> {
    return this.c.run(() => {
      return inTransaction(this.db, () => {
        const changed =
          this.db
            .update(users)
            .set({ passwordHash })
            .where(and(eq(users.username, username), isNull(users.disabledAt)))
            .run().changes === 1;
        if (changed)
          this.db
            .delete(sessions)
            .where(and(eq(sessions.username, username), keep ? ne(sessions.idHash, keep) : undefined))
            .run();
        return changed;
      });
    });
  }

  /** Deletes the sessions that expired at or before `now` (ISO, UTC as sessions are stored); how many. */
  async purgeExpiredSessions(now: string): Promise<number> {
    return this.c.run(() => {
      return this.db
        .delete(sessions)
        .where(lte(sessions.expiresAt, new Date(now).toISOString()))
        .run().changes;
    });
  }
}
