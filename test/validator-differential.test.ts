/**
 * The generated case validator against zod (the reference), as the two backends are tested against
 * each other: on random valid cases, random mutations of them and every public example, both must
 * accept or refuse alike, an accepted case must be the same value (key order, defaults, the
 * municipality's slug) and a refused one the same issues (paths and Dutch messages). Refusals go
 * to zod by design (engine/validate-case.ts), and the test still compares the whole answer, so a
 * change there cannot pass unseen. `npm run bench -- --verify` runs the same on a million inputs
 * (test/bench/validator.bench.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseCaseByZod, validateCase } from '../engine/validate-case.js';
import { issuesAgainst } from '../engine/validate-case.js';
import { compareOn, runDifferential } from './support/validator-differential.js';
import { exampleCase, exampleFiles } from './support/examples.js';
import { engine } from './support/factories.js';

const examples = exampleFiles();

describe('the generated case validator against zod', () => {
  it('agrees on 12,000 random valid and mutated cases', () => {
    const result = runDifferential(12_000, { firstSeed: 7, chunk: 4_000 });
    expect(result.examples).toEqual([]);
    expect(result.mismatches).toBe(0);
    expect(result.inputs).toBe(12_000);
    // both sides are exercised: many accepted, many refused
    expect(result.accepted).toBeGreaterThan(2_000);
    expect(result.inputs - result.accepted).toBeGreaterThan(6_000);
  }, 60_000);

  it('has public examples to check', () => {
    expect(examples.length).toBeGreaterThanOrEqual(6);
  });

  it.each(examples)('agrees on the public example %s, through the whole validation', (file) => {
    const input = exampleCase(file);
    expect(compareOn(input).difference).toBeUndefined();
    // and the catalogue step after it gives what it gives after zod's parse
    const repository = engine().repository;
    const fast = validateCase(input, repository);
    const zod = parseCaseByZod(input);
    if (!zod.ok) expect(fast).toEqual(zod);
    else if (fast.ok) expect(fast.case).toStrictEqual(zod.case);
    else {
      const effective = repository.effectiveOn(zod.case.municipality, zod.case.referenceDate);
      if (effective) expect(fast.issues).toEqual(issuesAgainst(zod.case, effective));
    }
  });
});
