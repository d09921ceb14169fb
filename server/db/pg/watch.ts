/**
 * Publishes seen by every node: each publishing transaction sends `NOTIFY` on one channel
 * (delivered at its commit, never for a rolled-back one), and every node `LISTEN`s on a
 * connection of its own, outside the pool. A notification can be lost while that connection is
 * down, so the node then polls the latest version numbers until it is back, and polls them now
 * and then anyway as a safety net.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { PgDb } from './connection.js';

/** The channel a publish is announced on; the payload is `<rule set id>@<version>`. */
export const PUBLISHED_CHANNEL = 'jeugdzorg_published';

/** Announces a version in the transaction `db` is in: listeners hear it when that commits. */
export async function notifyPublished(db: PgDb, ruleSetId: string, version: number): Promise<void> {
  await db.execute(sql`select pg_notify(${PUBLISHED_CHANNEL}, ${`${ruleSetId}@${version}`})`);
}

export interface WatchOptions {
  /** How often the latest versions are compared as a safety net while listening. */
  safetyPollMs?: number;
  /** How often they are compared while the listening connection is down. */
  fallbackPollMs?: number;
  /** How long to wait before connecting again after losing the connection (doubling up to 8×). */
  reconnectMs?: number;
}

/** The latest version number of every rule set. */
async function latestVersions(pool: pg.Pool): Promise<Map<string, number>> {
  const { rows } = await pool.query<{ id: string; v: number }>(
    'select rule_set_id as id, max(version)::int as v from rule_set_versions group by rule_set_id',
  );
  return new Map(rows.map((r) => [r.id, r.v]));
}

/**
 * Calls `onChange` whenever another transaction (this node's or another's) publishes a version,
 * until the returned function is called. Never throws: a lost connection is retried, and the
 * polls cover the time without one.
 */
export function watchPublished(
  url: string,
  pool: pg.Pool,
  onChange: () => void,
  options: WatchOptions = {},
): () => void {
  const safetyPollMs = options.safetyPollMs ?? 5_000;
  const fallbackPollMs = options.fallbackPollMs ?? 250;
  const reconnectMs = options.reconnectMs ?? 500;
  let stopped = false;
  let listening = false;
  let client: pg.Client | undefined;
  /**
   * The latest version of each rule set this watcher has reported (or found at its start).
   * Versions only grow, so what a notification and a poll both see is reported once: whichever
   * comes second finds nothing newer.
   */
  let seen: Map<string, number> | undefined;
  /** Takes in what was found; true when something is newer than what was seen. */
  const newer = (found: Iterable<[string, number]>): boolean => {
    let changed = false;
    for (const [id, version] of found) {
      if (version > (seen!.get(id) ?? 0)) {
        seen!.set(id, version);
        changed = true;
      }
    }
    return changed;
  };
  let pollTimer: NodeJS.Timeout | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let failures = 0;

  const poll = async () => {
    try {
      const now = await latestVersions(pool);
      if (seen === undefined) seen = now;
      else if (newer(now)) onChange();
    } catch {
      // the database is away: the next poll tries again
    }
  };
  const schedulePoll = () => {
    if (stopped) return;
    pollTimer = setTimeout(() => void poll().finally(schedulePoll), listening ? safetyPollMs : fallbackPollMs);
    pollTimer.unref();
  };

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    const lost = () => {
      if (client !== c) return;
      client = undefined;
      listening = false;
      c.removeAllListeners('notification');
      void c.end().catch(() => {});
      if (stopped) return;
      // meanwhile the fallback poll (every `fallbackPollMs`) sees what the notifications would have said
      if (pollTimer) clearTimeout(pollTimer);
      schedulePoll();
      failures += 1;
      reconnectTimer = setTimeout(() => void connect(), reconnectMs * Math.min(8, 2 ** (failures - 1)));
      reconnectTimer.unref();
    };
    c.on('error', lost);
    c.on('end', lost);
    c.on('notification', (message) => {
      if (message.channel !== PUBLISHED_CHANNEL) return;
      const at = message.payload?.lastIndexOf('@') ?? -1;
      const version = Number(message.payload?.slice(at + 1));
      // a payload not understood is still a publish: say so, and let the next poll catch up
      if (at < 0 || !Number.isInteger(version) || seen === undefined) onChange();
      else if (newer([[message.payload!.slice(0, at), version]])) onChange();
    });
    try {
      await c.connect();
      await c.query(`listen ${PUBLISHED_CHANNEL}`);
      if (client !== c || stopped) return;
      listening = true;
      failures = 0;
      // what was published while nobody listened
      await poll();
    } catch {
      lost();
    }
  };

  void poll().then(() => {
    schedulePoll();
    return connect();
  });

  return () => {
    stopped = true;
    if (pollTimer) clearTimeout(pollTimer);
    if (reconnectTimer) clearTimeout(reconnectTimer);
    const c = client;
    client = undefined;
    listening = false;
    if (c) void c.end().catch(() => {});
  };
}
