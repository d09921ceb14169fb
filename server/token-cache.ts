/**
 * API tokens as recently read from the database, by the SHA-256 of the token: a case system sends
 * the same token with every request, and looking it up in the database each time was 7% of a
 * logged evaluation's CPU (BENCHMARKS.md, profile 1).
 *
 * An entry is kept for `ttlMs` (one second) at most, so a token revoked on another node, or in
 * another process on the same database, is refused there within that second; a revocation in
 * this process empties the cache at once (`forget`). Revocation and expiry are still checked on
 * every use (the cached row carries `revokedAt` and `expiresAt`), so an expiry holds to the
 * instant. Only tokens found are kept — a guess is not, so guesses cannot push real tokens out —
 * and at most `maxEntries` of them, the oldest dropped first.
 */
import { performance } from 'node:perf_hooks';
import type { TokenRow } from './db/accounts.js';

/** How long a token row read from the database is believed without reading it again. */
export const TOKEN_CACHE_TTL_MS = 1000;
/** Tokens kept at most; far above the number of case systems and people calling one node. */
export const TOKEN_CACHE_MAX_ENTRIES = 10_000;

interface Entry {
  row: TokenRow;
  /** `performance.now()` after which the row must be read again. */
  until: number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  /** Counts `forget` calls: a row read before one is not kept after it. */
  private generation = 0;

  constructor(
    private readonly lookup: (hash: string) => Promise<TokenRow | undefined>,
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
  ) {}

  /** The token row with this hash, from the cache while it is fresh, else from the database. */
  async byHash(hash: string): Promise<TokenRow | undefined> {
    const now = this.options.now ?? (() => performance.now());
    const hit = this.entries.get(hash);
    if (hit !== undefined && hit.until > now()) return hit.row;
    if (hit !== undefined) this.entries.delete(hash);
    const generation = this.generation;
    const row = await this.lookup(hash);
    // a revocation while the database answered: the row may be from before it, use it once only
    if (row === undefined || generation !== this.generation) return row;
    if (this.entries.size >= (this.options.maxEntries ?? TOKEN_CACHE_MAX_ENTRIES)) {
      // a Map iterates in insertion order: the first key is the oldest entry
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(hash, { row, until: now() + (this.options.ttlMs ?? TOKEN_CACHE_TTL_MS) });
    return row;
  }

  /** Empties the cache: a token was revoked here, and must be refused from the next request on. */
  forget(): void {
    this.generation++;
    this.entries.clear();
  }

  /** How many tokens are kept now. */
  get size(): number {
    return this.entries.size;
  }
}
