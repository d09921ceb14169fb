/**
 * fast-check generators of rule conditions and the facts they read, for the tests that hold one
 * way of evaluating conditions against another (compiled against json-rules-engine; the decision
 * written as text against the traced one). Each test brings its own odd values and parameters:
 * what it compares decides which values can tell the two apart.
 */
import fc from 'fast-check';
import type { Facts } from '../../engine/facts.js';
import { OPERATORS } from '../../engine/index.js';

/** The facts the random conditions read (besides `param:` facts of the test's parameters). */
export const FACT_POOL = [
  'ageYears',
  'referrer',
  'registrations',
  'allowedIntensities',
  'segment',
  'periodDays',
] as const;

/** A fact name: one of `FACT_POOL`, or `param:<name>` of one of `params`. */
export const factNames = (params: Record<string, unknown>) =>
  fc.oneof(fc.constantFrom(...FACT_POOL), fc.constantFrom(...Object.keys(params).map((p) => `param:${p}`)));

/**
 * Condition trees (`all`, `any`, `not`, up to three children a level) over leaves that compare a
 * fact, with any operator, with one of `values` or with another fact.
 */
export function conditionTrees(params: Record<string, unknown>, values: fc.Arbitrary<unknown>) {
  const leaf = fc.record({
    fact: factNames(params),
    operator: fc.constantFrom(...OPERATORS),
    value: fc.oneof(
      { arbitrary: values, weight: 3 },
      factNames(params).map((fact) => ({ fact })),
    ),
  });
  return fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('tree')),
    tree: fc.oneof(
      fc.record({ all: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ any: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
    ),
  })).tree;
}

/** `base` with up to four facts of `FACT_POOL` set to `odd` values (undefined included), or one removed. */
export function oddFactsOf(base: Facts, odd: fc.Arbitrary<unknown>): fc.Arbitrary<Facts> {
  return fc
    .tuple(
      fc.dictionary(fc.constantFrom(...FACT_POOL), odd, { maxKeys: 4 }),
      fc.option(fc.constantFrom(...FACT_POOL), { freq: 8, nil: undefined }),
    )
    .map(([changes, removed]) => {
      const facts: Record<string, unknown> = { ...base, ...changes };
      if (removed) delete facts[removed];
      return facts as Facts;
    });
}
