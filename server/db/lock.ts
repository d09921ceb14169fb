/**
 * One server per data folder: a lock file (`DATA_DIR/server.lock`, created with O_EXCL) holding
 * the pid of the process that writes the database. A second process on the same folder is
 * refused with a message that says which process holds it; a lock left behind by a process that
 * is gone (killed, crashed) is taken over. Read-only connections (impact and verify workers,
 * backups) take no lock. A server of several processes (`WEB_CONCURRENCY`) is one server: its
 * primary holds the lock and its workers join it (`joinDataDirLock`), so that another server is
 * still refused while they all write.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

export const LOCK_FILE = 'server.lock';

/** Refused: another live process holds the data folder. */
export class DataDirLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly holder: { pid: number; since?: string | undefined; host?: string | undefined },
  ) {
    super(
      `De map ${resolve(lockFile, '..')} is al in gebruik door een andere server (pid ${holder.pid}${holder.host ? ` op ${holder.host}` : ''}${holder.since ? `, sinds ${holder.since}` : ''}). Stop die eerst of kies met DATA_DIR een andere map; draait die server niet meer, verwijder dan ${lockFile}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface Holder {
  pid: number;
  host?: string;
  since?: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' ? (parsed as Holder) : undefined;
  } catch {
    return undefined;
  }
}

/** Locks held by this process, released at exit even when `release` is never called. */
const held = new Set<string>();
let exitHook = false;

/**
 * Takes the lock on `dataDir`; returns the function that releases it. Throws DataDirLockedError
 * when a live process (this one included, through another open store) holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(resolve(dataDir), LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readHolder(file);
      // a holder on another host cannot be checked: trust its lock (one folder, one server)
      const sameHost = !holder?.host || holder.host === hostname();
      // our own pid without our own lock is a predecessor's (in a container the server is often pid 1)
      const live = holder && (holder.pid === process.pid ? held.has(file) : !sameHost || alive(holder.pid));
      if (holder && live) throw new DataDirLockedError(file, holder);
      // stale (its process is gone) or unreadable (a crash while writing it): take it over
      unlinkSync(file);
      continue;
    }
    try {
      writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }));
    } finally {
      closeSync(fd);
    }
    held.add(file);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const f of held) release(f);
      });
    }
    return () => release(file);
  }
}

/**
 * For a worker of a server of several processes: checks that `holder` (the worker's primary)
 * holds the lock on `dataDir`, without taking it; the primary releases it when the server stops.
 * Throws DataDirLockedError when another process holds it, and an Error when no one does (the
 * primary is gone: the worker must not write without it).
 */
export function joinDataDirLock(dataDir: string, holder: number): void {
  const file = join(resolve(dataDir), LOCK_FILE);
  const found = readHolder(file);
  if (found && found.pid !== holder) throw new DataDirLockedError(file, found);
  if (!found || (found.host && found.host !== hostname()))
    throw new Error(
      `${file} hoort bij het hoofdproces van deze server (pid ${holder}), maar dat houdt de map niet (meer) vast.`,
    );
}

function release(file: string) {
  if (!held.delete(file)) return;
  // only our own lock: never remove one another process took over meanwhile
  if (readHolder(file)?.pid !== process.pid) return;
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
