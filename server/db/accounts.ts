/** API tokens, users and editor sessions. Tokens and session ids are kept only as hashes. */
import { and, asc, eq, isNull, lte, ne, sql } from 'drizzle-orm';
import { inTransaction, type Db } from './connection.js';
import { sessions, tokens, users } from './schema.js';

export type TokenRow = typeof tokens.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;

export class Accounts {
  constructor(private readonly db: Db) {}

  /**
   * The token lookup of every authenticated request, prepared once: building and preparing it
   * per request cost more than running it. Made on first use, after the migrations have shaped
   * the tables.
   */
  private prepared?: ReturnType<Accounts['prepare']>;

  private prepare() {
    return {
      tokenByHash: this.db
        .select()
        .from(tokens)
        .where(eq(tokens.tokenHash, sql.placeholder('hash')))
        .prepare(),
    };
  }

  private get statements() {
    return (this.prepared ??= this.prepare());
  }

  /** Whether any token or user exists: without either the server runs as a local demo. */
  any(): boolean {
    return Boolean(
      this.db.select({ id: tokens.id }).from(tokens).limit(1).get() ??
      this.db.select({ u: users.username }).from(users).limit(1).get(),
    );
  }

  addToken(row: TokenRow) {
    this.db.insert(tokens).values(row).run();
  }

  tokenByHash(hash: string): TokenRow | undefined {
    return this.statements.tokenByHash.get({ hash });
  }

  /** Every token, oldest first. */
  tokens(): TokenRow[] {
    return this.db.select().from(tokens).orderBy(asc(tokens.createdAt)).all();
  }

  /** Revokes a token; false when there is no such token or it was revoked already. */
  revokeToken(id: string, at: string): boolean {
    return (
      this.db
        .update(tokens)
        .set({ revokedAt: at })
        .where(and(eq(tokens.id, id), isNull(tokens.revokedAt)))
        .run().changes === 1
    );
  }

  addUser(row: UserRow) {
    this.db.insert(users).values(row).run();
  }

  user(username: string): UserRow | undefined {
    return this.db.select().from(users).where(eq(users.username, username)).get();
  }

  /** Disables a user and ends their sessions, in one transaction. */
  disableUser(username: string, at: string): boolean {
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
  }

  addSession(row: SessionRow) {
    this.db.insert(sessions).values(row).run();
  }

  session(idHash: string): SessionRow | undefined {
    return this.db.select().from(sessions).where(eq(sessions.idHash, idHash)).get();
  }

  deleteSession(idHash: string) {
    this.db.delete(sessions).where(eq(sessions.idHash, idHash)).run();
  }

  /**
   * Sets a user's password hash and ends their sessions (all of them, or all but `keep`, the
   * session that changed it), in one transaction. False when there is no such active user.
   */
  setPassword(username: string, passwordHash: string, keep?: string): boolean {
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
  }

  /** Deletes the sessions that expired at or before `now` (ISO, UTC as sessions are stored); how many. */
  purgeExpiredSessions(now: string): number {
    return this.db
      .delete(sessions)
      .where(lte(sessions.expiresAt, new Date(now).toISOString()))
      .run().changes;
  }
}
