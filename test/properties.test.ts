/**
 * Invariants over random input (fast-check): every valid case yields a decision whose outcome
 * follows from its reasons, the same way every time; random and malformed input only ever yields
 * validation errors with JSON paths, never a crash.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { outcomeOf } from '../engine/decide.js';
import { CaseValidationError } from '../engine/errors.js';
import { Decision } from '../engine/schema.js';
import { anyValidCase, ijsselAllocationCase, mijovAllocationCase } from './support/arbitraries.js';
import { decide } from './support/factories.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);

describe('random valid cases', () => {
  it('always yield a decision whose outcome matches its reasons', async () => {
    await fc.assert(
      fc.asyncProperty(anyValidCase, async (c) => {
        const decision = await decide(c);
        expect(Decision.safeParse(decision).success).toBe(true);
        expect(decision.outcome).toBe(outcomeOf(decision.reasons));
        // the reasons are exactly the rules that fired, in rule-set order
        expect(decision.reasons.map((r) => r.ruleId)).toEqual(
          decision.trace.filter((t) => t.fired).map((t) => t.ruleId),
        );
        // a switched-off rule never fires
        expect(decision.trace.filter((t) => !t.enabled && t.fired)).toEqual([]);
        if (decision.outcome === 'rejected') expect(decision.tariff).toBeNull();
        if (decision.tariff?.model === 'output') {
          expect(decision.tariff.advanceCents + decision.tariff.remainderCents).toBe(decision.tariff.totalCents);
        }
        if (decision.tariff?.model === 'effort') {
          expect(decision.tariff.totalCents).toBe(Math.round(decision.tariff.unitPriceCents * decision.tariff.units));
        }
      }),
      { numRuns: runs },
    );
  });

  it('are decided the same, byte for byte, every time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(ijsselAllocationCase, mijovAllocationCase), async (c) => {
        const first = JSON.stringify(await decide(c));
        const second = JSON.stringify(await decide(structuredClone(c)));
        expect(second).toBe(first);
      }),
      { numRuns: Math.ceil(runs / 3) },
    );
  });
});

/** Either a decision or a validation error listing issues with JSON paths; nothing else. */
async function decidesOrExplains(input: unknown): Promise<'decided' | 'invalid'> {
  try {
    const decision = await decide(input);
    expect(Decision.safeParse(decision).success).toBe(true);
    return 'decided';
  } catch (error) {
    expect(error).toBeInstanceOf(CaseValidationError);
    const { issues } = error as CaseValidationError;
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.path).toMatch(/^\$/);
      expect(issue.message.length).toBeGreaterThan(0);
    }
    return 'invalid';
  }
}

type Json = Record<string, unknown>;
/** Every path to an object inside a value, e.g. [], ['request'], ['youth']. */
function objectPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [];
  const here = Array.isArray(value) ? [] : [path];
  return [
    ...here,
    ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...path, Array.isArray(value) ? Number(k) : k])),
  ];
}
function at(value: unknown, path: (string | number)[]): Json {
  return path.reduce<unknown>((v, k) => (v as Json)[k as string], value) as Json;
}

describe('random invalid input', () => {
  it('anything at all is decided or explained, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withNullPrototype: true, withBigInt: true, withDate: true, withMap: true }),
        async (input) => {
          await decidesOrExplains(input);
        },
      ),
      { numRuns: runs },
    );
  });

  it('an unknown field anywhere in a valid case is refused at its path', async () => {
    await fc.assert(
      fc.asyncProperty(anyValidCase, fc.nat(), fc.string({ minLength: 1, maxLength: 8 }), async (c, pick, key) => {
        const paths = objectPaths(c);
        const path = paths[pick % paths.length]!;
        const target = at(c, path);
        fc.pre(!(key in target) && !['__proto__', 'constructor'].includes(key));
        target[key] = 1;
        expect(await decidesOrExplains(c)).toBe('invalid');
        const error = (await decide(c).catch((e: unknown) => e)) as CaseValidationError;
        expect(error.issues.map((i) => i.path).some((p) => p.includes(key))).toBe(true);
      }),
      { numRuns: runs },
    );
  });

  it('a field replaced by a random value or removed is decided or explained', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyValidCase,
        fc.nat(),
        fc.nat(),
        fc.option(fc.jsonValue(), { nil: undefined }),
        async (c, pickObject, pickKey, value) => {
          const paths = objectPaths(c);
          const target = at(c, paths[pickObject % paths.length]!);
          const keys = Object.keys(target);
          fc.pre(keys.length > 0);
          const key = keys[pickKey % keys.length]!;
          if (value === undefined) delete target[key];
          else target[key] = value;
          await decidesOrExplains(c);
        },
      ),
      { numRuns: runs },
    );
  });

  it('impossible dates are refused with their path', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('2026-02-30', '2025-02-29', '2026-13-01', '2026-00-10', '26-01-01', '2026-1-1'),
        async (date) => {
          const error = (await decide({
            ...(await import('./support/factories.js')).ijsselAllocation(),
            referenceDate: date,
          }).catch((e: unknown) => e)) as CaseValidationError;
          expect(error).toBeInstanceOf(CaseValidationError);
          expect(error.issues.map((i) => i.path)).toContain('$.referenceDate');
        },
      ),
      { numRuns: 6 },
    );
  });
});
