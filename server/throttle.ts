/**
 * Slowing down password guessing: failed logins are counted per user name and per client
 * address, in memory. After a few failures each further attempt must wait, twice as long after
 * every failure (up to a cap); meanwhile the attempt is answered 429 with Retry-After without
 * looking at the password. A successful login clears its user name's count.
 */

export interface ThrottleOptions {
  /** Failures allowed before attempts must wait. */
  freeFailures: number;
  /** The wait after the first failure beyond the free ones; doubles with each further failure. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key's count is forgotten this long after its last failure. */
  forgetAfterMs: number;
  /** At most this many keys are kept; the oldest are dropped (a flood of addresses cannot fill memory). */
  maxKeys: number;
}

interface Entry {
  failures: number;
  last: number;
  /** Until when attempts wait (ms since the epoch). */
  blockedUntil: number;
}

export class FailureThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: ThrottleOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** How many milliseconds an attempt for `key` must still wait; 0 when it may go ahead. */
  waitFor(key: string): number {
    const entry = this.current(key);
    return entry ? Math.max(0, entry.blockedUntil - this.now()) : 0;
  }

  /** Counts a failure for `key` and sets how long the next attempt waits. */
  fail(key: string) {
    const now = this.now();
    const entry = this.current(key) ?? { failures: 0, last: now, blockedUntil: 0 };
    entry.failures += 1;
    entry.last = now;
    // the last free failure already makes the next attempt wait: 1 s, then 2 s, 4 s …
    const beyond = entry.failures - this.options.freeFailures;
    if (beyond >= 0)
      entry.blockedUntil =
        now + Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** Math.min(beyond, 30));
    // re-inserted at the end: the map's order is the order of last failure
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxKeys) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets `key`'s failures (a successful login). */
  succeed(key: string) {
    this.entries.delete(key);
  }

  private current(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.last > Math.max(this.options.forgetAfterMs, entry.blockedUntil - entry.last)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }
}

/**
 * The login throttle: 5 free failures per user name, then 1 s, 2 s, 4 s … up to 15 minutes; per
 * address 20 free failures (an office behind one address), then the same growing wait.
 */
export class LoginThrottle {
  readonly users: FailureThrottle;
  readonly addresses: FailureThrottle;
  /** Password checks running at once (each ~40 ms in the thread pool); beyond the cap: 429. */
  private running = 0;
  static readonly MAX_CONCURRENT = 16;

  constructor(now: () => number = Date.now) {
    const common = { baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 60 * 60_000, maxKeys: 10_000 };
    this.users = new FailureThrottle({ ...common, freeFailures: 5 }, now);
    this.addresses = new FailureThrottle({ ...common, freeFailures: 20 }, now);
  }

  /** Milliseconds to wait before this attempt may be checked; 0 when it may go ahead now. */
  waitFor(username: string, address: string): number {
    const wait = Math.max(this.users.waitFor(userKey(username)), this.addresses.waitFor(address));
    return wait > 0 ? wait : this.running >= LoginThrottle.MAX_CONCURRENT ? 1000 : 0;
  }

  /** Runs a password check, counted against the concurrency cap. */
  async check<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
    }
  }

  fail(username: string, address: string) {
    this.users.fail(userKey(username));
    this.addresses.fail(address);
  }

  succeed(username: string) {
    this.users.succeed(userKey(username));
  }
}

// user names are compared as typed; case-folded so `Carla` and `carla` share one count
const userKey = (username: string) => username.toLowerCase();
