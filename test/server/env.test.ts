/**
 * The server's numeric settings from its environment (server/env.ts): a default when unset, a
 * whole number in bounds, and nothing else — so that `WEB_CONCURRENCY=8x` or `GROUP_COMMIT_MS=1.5`
 * stop the start instead of running with a guess.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PROCESSES, parseConcurrency } from '../../server/cluster.js';
import { wholeNumberFromEnv } from '../../server/env.js';

describe('wholeNumberFromEnv', () => {
  const bounds = { min: 1, max: 10, fallback: 3 };

  it('gives the fallback when unset or empty, and a number in bounds as it is', () => {
    expect(wholeNumberFromEnv(undefined, bounds)).toBe(3);
    expect(wholeNumberFromEnv('  ', bounds)).toBe(3);
    expect(wholeNumberFromEnv('1', bounds)).toBe(1);
    expect(wholeNumberFromEnv(' 10 ', bounds)).toBe(10);
  });

  it('refuses what is out of bounds or not written in digits alone', () => {
    for (const bad of ['0', '11', '-1', '1.5', '1e1', '0x5', 'twee', '5 processen'])
      expect(wholeNumberFromEnv(bad, bounds), bad).toBeUndefined();
  });
});

describe('WEB_CONCURRENCY', () => {
  it('is one process unless set, at most MAX_PROCESSES', () => {
    expect(parseConcurrency(undefined)).toBe(1);
    expect(parseConcurrency('2')).toBe(2);
    expect(parseConcurrency(String(MAX_PROCESSES))).toBe(MAX_PROCESSES);
    expect(parseConcurrency(String(MAX_PROCESSES + 1))).toBeUndefined();
    expect(parseConcurrency('0')).toBeUndefined();
  });
});
