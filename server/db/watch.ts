/**
 * Publishes by other processes on one SQLite database: the workers of a server of several
 * processes (`WEB_CONCURRENCY`) share a data folder, and one worker's publish must reach the
 * engines of the others. SQLite has no notifications, so each process polls: `PRAGMA
 * data_version` changes when another connection has committed (never for this connection's own
 * commits) and reads no table, so an idle database costs a pragma a poll; only after a change are
 * the latest version numbers read, one pass over the versions' primary key.
 */
import type Database from 'better-sqlite3';
import { max } from 'drizzle-orm';
import type { Conn } from './connection.js';
import { ruleSetVersions } from './schema.js';

export interface PollOptions {
  /** How often to look (ms): a publish reaches the other processes within about this long. */
  pollMs?: number;
}

/**
 * Calls `onChange` when another connection publishes a version on the database `c` queries, until
 * the returned function is called. Never throws: a poll that fails (the database busy or closed)
 * is tried again at the next.
 */
export function pollPublished(
  c: Conn,
  sqlite: Database.Database,
  onChange: () => void,
  options: PollOptions = {},
): () => void {
  const latest = c.db
    .select({ id: ruleSetVersions.ruleSetId, version: max(ruleSetVersions.version) })
    .from(ruleSetVersions)
    .groupBy(ruleSetVersions.ruleSetId)
    .prepare();
  const dataVersion = () => sqlite.pragma('data_version', { simple: true }) as number;
  /** The latest version of each rule set seen; versions only grow, so only a larger one is news. */
  const seen = new Map<string, number>();
  /** What `data_version` said at the last poll. */
  let changes: number | undefined;

  const look = (): boolean => {
    const now = dataVersion();
    if (now === changes) return false;
    const first = changes === undefined;
    changes = now;
    let newer = false;
    for (const { id, version } of latest.all()) {
      if (version === null || version <= (seen.get(id) ?? 0)) continue;
      seen.set(id, version);
      newer = true;
    }
    return newer && !first;
  };
  const poll = async () => {
    try {
      if (await c.run(look)) onChange();
    } catch {
      // busy beyond the timeout, or closed under a last poll: the next one looks again
    }
  };

  // what is there now is what the caller starts from: only what comes after it is news
  void poll();
  const timer = setInterval(() => void poll(), options.pollMs ?? 100);
  timer.unref();
  return () => clearInterval(timer);
}
