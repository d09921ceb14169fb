/**
 * The compiled backend against the reference (json-rules-engine): random valid cases and the
 * contract examples must give decisions identical byte for byte; random conditions over odd fact
 * values must give identical traces or fail in both; what the compiler cannot translate it
 * refuses, and `fallbackBackend` then decides with json-rules-engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledRuleSet, EvaluationBackend } from '../engine/backend.js';
import {
  COMPILED_OPERATORS,
  compiledBackend,
  compileRuleSet,
  type SyncCompiledRuleSet,
} from '../engine/backends/compiled.js';
import { jsonRulesEngineBackend } from '../engine/backends/json-rules-engine.js';
import { compose, versioned, type EffectiveRuleSet } from '../engine/compose.js';
import { DecisionEngine, fallbackBackend } from '../engine/decide.js';
import { CompilationError } from '../engine/errors.js';
import { deriveFacts, type Facts } from '../engine/facts.js';
import { loadRepository } from '../engine/loader.js';
import { Case, MUNICIPALITY_IDS, OPERATORS, regionOf, type RegionRuleSet, type RuleTrace } from '../engine/index.js';
import { anyValidCase } from './support/arbitraries.js';
import { settledText } from './support/backends.js';
import { conditionTrees, oddFactsOf } from './support/conditions.js';
import { exampleCase, exampleFiles } from './support/examples.js';
import { ijsselAllocation } from './support/factories.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
const repository = loadRepository();
const reference = new DecisionEngine(repository);
const compiled = new DecisionEngine(repository, compiledBackend);

/** Both decisions as JSON, or the error each threw. */
async function both(input: unknown): Promise<[string, string]> {
  return Promise.all([settledText(reference.decide(input)), settledText(compiled.decide(input))]);
}

describe('compiled backend: random valid cases', () => {
  it(`decides ${runs} random cases byte for byte as json-rules-engine`, async () => {
    const municipalities = new Set<string>();
    await fc.assert(
      fc.asyncProperty(anyValidCase, async (c) => {
        municipalities.add(c.municipality);
        const [want, got] = await both(c);
        expect(want).not.toMatch(/^threw/);
        expect(got).toBe(want);
      }),
      { numRuns: runs },
    );
    // the comparison means something only if it saw both regions and many overlays
    const regions = new Set([...municipalities].map((m) => regionOf(m as Case['municipality'])));
    expect(regions.size).toBe(2);
    expect(municipalities.size).toBeGreaterThanOrEqual(Math.min(10, Math.floor(runs / 10)));
  });

  it('compiles every composition in the repository', () => {
    for (const municipality of MUNICIPALITY_IDS) {
      const dates = [
        ...repository.regionVersions(regionOf(municipality)),
        ...repository.overlayVersions(municipality),
      ].map((v) => v.document.validFrom);
      for (const date of dates) {
        const effective = repository.effectiveOn(municipality, date)!;
        expect(() => compiledBackend.compile(effective)).not.toThrow();
      }
    }
  });
});

describe('compiled backend: contract examples', () => {
  const files = exampleFiles();

  it('has examples to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files)('%s decides as the reference does', async (file) => {
    const [want, got] = await both(exampleCase(file));
    expect(got).toBe(want);
  });
});

// ---------------------------------------------------------------------------------------------
// Operator semantics: random conditions over odd fact values, compiled vs json-rules-engine
// ---------------------------------------------------------------------------------------------

const region = repository.regionVersions('ijsselland').at(-1)!.document;

/** An effective rule set of the latest IJsselland version with other rules (and parameters). */
function withRules(rules: unknown[], parameters: Record<string, unknown> = {}): EffectiveRuleSet {
  const document = {
    ...region,
    parameters: {
      ...region.parameters,
      ...Object.fromEntries(
        Object.entries(parameters).map(([name, value]) => [
          name,
          { type: 'integer', value, unit: 'jaar', label: name, explanation: name, source: 'illustratief' },
        ]),
      ),
    },
    rules: rules.map((conditions, i) => ({
      id: `test.regel-${i}`,
      kind: 'eligibility',
      code: `TEST_${i}`,
      effect: 'reject',
      message: 'Test.',
      source: { document: 'test', section: '§1' },
      conditions,
    })),
  } as unknown as RegionRuleSet;
  return compose(versioned(document), undefined);
}

const baseFacts = (() => {
  const validation = reference.validate(ijsselAllocation());
  if (!validation.ok) throw new Error('fixture case is invalid');
  return deriveFacts(validation.case, validation.effective);
})();

const PARAMS = { 'test.number': 7, 'test.text': 'abc', 'test.list': ['a', 12], 'test.none': null };

const odd = fc.oneof(
  fc.constantFrom(null, undefined, true, false, Number.NaN, Infinity, -0, 0.5, 7, 12, -3),
  fc.integer({ min: -5, max: 30 }),
  fc.constantFrom('12', '12abc', ' 7', 'abc', 'a', '', 'NaN', 'Infinity', '1e3'),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 13 }), fc.constantFrom('a', 'b', '12', 'abc')), { maxLength: 3 }),
);

const tree = conditionTrees(PARAMS, odd);
/** The base facts with some facts replaced by odd values (undefined included) or removed. */
const oddFacts = oddFactsOf(baseFacts, odd);

type Settled = { ok: true; traces: RuleTrace[] } | { ok: false; error: unknown };
const settle = (compiledRuleSet: CompiledRuleSet, facts: Facts): Promise<Settled> =>
  compiledRuleSet.evaluate(facts).then(
    (traces) => ({ ok: true, traces }),
    (error: unknown) => ({ ok: false, error }),
  );

describe('compiled backend: json-rules-engine operator semantics', () => {
  it('translates every operator the schema offers', () => {
    expect([...COMPILED_OPERATORS].sort()).toEqual([...OPERATORS].sort());
  });

  it('random conditions over odd values trace identically, or fail in both', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(tree, { minLength: 1, maxLength: 3 }), oddFacts, async (rules, facts) => {
        const effective = withRules(rules, PARAMS);
        const want = await settle(jsonRulesEngineBackend.compile(effective), facts);
        const got = await settle(compileRuleSet(effective), facts);
        if (!want.ok) {
          expect(got.ok).toBe(false);
          return;
        }
        expect(got).toEqual(want);
        expect(JSON.stringify(got)).toBe(JSON.stringify(want));
      }),
      { numRuns: runs },
    );
  });

  it('random conditions over odd values: without a trace, the rules the trace says fired, or the same error', () => {
    fc.assert(
      fc.property(fc.array(tree, { minLength: 1, maxLength: 3 }), oddFacts, (rules, facts) => {
        const compiledRuleSet = compileRuleSet(withRules(rules, PARAMS));
        const outcome = <T>(run: () => T) => {
          try {
            return { ok: true as const, value: run() };
          } catch (error) {
            return { ok: false as const, error: String(error) };
          }
        };
        const traced = outcome(() => compiledRuleSet.evaluateSync(facts));
        const fired = outcome(() => compiledRuleSet.firedSync(facts));
        if (!traced.ok) {
          expect(fired).toEqual(traced);
          return;
        }
        const firedIds = traced.value.filter((t) => t.fired).map((t) => t.ruleId);
        expect(fired.ok && fired.value.map((r) => r.id)).toEqual(firedIds);
      }),
      { numRuns: runs * 3 },
    );
  });

  // the quirks, one by one, with what json-rules-engine does
  it.each([
    ['in with a string value searches a substring', { fact: 'referrer', operator: 'in', value: 'huisarts-x' }],
    ['notIn against null is true', { fact: 'segment', operator: 'notIn', value: ['midden'] }],
    ['a numeric string passes the number check', { fact: 'referrer', operator: 'lessThan', value: 5 }],
    ['contains needs a list fact', { fact: 'segment', operator: 'contains', value: 'm' }],
    ['an array compares with < by its string', { fact: 'registrations', operator: 'greaterThan', value: 0 }],
    [
      'a reference to a fact that is null shows the value as written',
      {
        fact: 'profile',
        operator: 'equal',
        value: { fact: 'trajectoryCostCents' },
      },
    ],
  ])('%s', async (_, condition) => {
    const effective = withRules([{ all: [condition] }]);
    const facts = { ...baseFacts, referrer: '3', registrations: ['12'], segment: null } as Facts;
    const want = await settle(jsonRulesEngineBackend.compile(effective), facts);
    expect(want.ok).toBe(true);
    expect(JSON.stringify(await settle(compileRuleSet(effective), facts))).toBe(JSON.stringify(want));
  });

  it.each([
    ['in against null throws', { fact: 'referrer', operator: 'in', value: null }],
    ['in against a number throws', { fact: 'referrer', operator: 'in', value: 3 }],
    ['in against a fact that is null throws', { fact: 'referrer', operator: 'in', value: { fact: 'segment' } }],
  ])('%s, in both', async (_, condition) => {
    const effective = withRules([{ all: [condition] }]);
    const facts = { ...baseFacts, segment: null } as Facts;
    const want = await settle(jsonRulesEngineBackend.compile(effective), facts);
    const got = await settle(compileRuleSet(effective), facts);
    expect(want.ok).toBe(false);
    expect(got.ok).toBe(false);
    expect(String((got as { error: unknown }).error)).toBe(String((want as { error: unknown }).error));
  });

  it('a fact with the value undefined is traced as null; a missing fact fails in both', async () => {
    const effective = withRules([{ any: [{ fact: 'ageYears', operator: 'greaterThan', value: 3 }] }]);
    const undefinedAge = { ...baseFacts, ageYears: undefined } as unknown as Facts;
    const want = await settle(jsonRulesEngineBackend.compile(effective), undefinedAge);
    expect(want.ok).toBe(true);
    expect(JSON.stringify(await settle(compileRuleSet(effective), undefinedAge))).toBe(JSON.stringify(want));

    const { ageYears: _, ...withoutAge } = baseFacts;
    const missing = await settle(compileRuleSet(effective), withoutAge as Facts);
    expect(missing.ok).toBe(false);
    expect(String((missing as { error: unknown }).error)).toBe(
      String(
        ((await settle(jsonRulesEngineBackend.compile(effective), withoutAge as Facts)) as { error: unknown }).error,
      ),
    );
  });

  it('reads only what json-rules-engine reads from a facts object that is no plain object', async () => {
    const effective = withRules([{ all: [{ fact: 'ageYears', operator: 'equal', value: 8 }] }]);
    const inherited = Object.create({ ageYears: 8 }) as Record<string, unknown>;
    Object.assign(inherited, { ...baseFacts, ageYears: undefined });
    delete inherited.ageYears;
    const want = await settle(jsonRulesEngineBackend.compile(effective), inherited as Facts);
    const got = await settle(compileRuleSet(effective), inherited as Facts);
    expect(want.ok).toBe(false);
    expect(got.ok).toBe(false);
  });

  it('keeps what a rule set says as data: values and ids that look like code never become code', async () => {
    const attack = '`; globalThis.compiledPwned = 1; "\'); //';
    const effective = withRules([{ any: [{ fact: 'referrer', operator: 'equal', value: attack }] }]);
    const rule = effective.rules[0]!.rule as { id: string; code: string };
    const tampered = {
      ...effective,
      key: `${effective.key}|attack`,
      rules: [{ ...effective.rules[0]!, rule: { ...rule, id: attack, code: attack } }],
    } as unknown as EffectiveRuleSet;
    const compiledRuleSet = compileRuleSet(tampered) as SyncCompiledRuleSet & { source: string };
    expect(compiledRuleSet.source).not.toContain('compiledPwned');
    const facts = { ...baseFacts, referrer: attack } as Facts;
    const [trace] = compiledRuleSet.evaluateSync(facts);
    expect((globalThis as Record<string, unknown>).compiledPwned).toBeUndefined();
    expect(trace!.ruleId).toBe(attack);
    expect(trace!.fired).toBe(true);
    expect(JSON.stringify(await settle(compiledRuleSet, facts))).toBe(
      JSON.stringify(await settle(jsonRulesEngineBackend.compile(tampered), facts)),
    );
  });

  it('shares no mutable value between traces: literal values are frozen', async () => {
    const effective = withRules([{ all: [{ fact: 'referrer', operator: 'in', value: ['huisarts'] }] }]);
    const [trace] = compileRuleSet(effective).evaluateSync(baseFacts);
    const leaf = (trace!.conditions as { all: { value: unknown }[] }).all[0]!;
    expect(Object.isFrozen(leaf.value)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Refusals and the fallback
// ---------------------------------------------------------------------------------------------

/** The latest IJsselland version with its first leaf's operator (or the leaf itself) replaced. */
function mutatedRegion(change: (leaf: Record<string, unknown>) => void): EffectiveRuleSet {
  const document = structuredClone(region) as unknown as { rules: { conditions: unknown }[] };
  const firstLeaf = (node: Record<string, unknown>): Record<string, unknown> => {
    for (const kind of ['all', 'any']) {
      const children = node[kind];
      if (Array.isArray(children)) return firstLeaf(children[0] as Record<string, unknown>);
    }
    return node.not ? firstLeaf(node.not as Record<string, unknown>) : node;
  };
  change(firstLeaf(document.rules[0]!.conditions as Record<string, unknown>));
  return compose(versioned(document as unknown as RegionRuleSet), undefined);
}

function refusal(effective: EffectiveRuleSet): CompilationError {
  try {
    compileRuleSet(effective);
  } catch (error) {
    if (error instanceof CompilationError) return error;
    throw error;
  }
  throw new Error('compiled without refusing');
}

describe('compiled backend: refusals', () => {
  it('refuses an unknown operator with a CompilationError naming the path', () => {
    const effective = mutatedRegion((leaf) => (leaf.operator = 'swap:equal'));
    expect(() => compiledBackend.compile(effective)).toThrow(CompilationError);
    const error = refusal(effective);
    expect(error.code).toBe('COMPILATION_UNSUPPORTED');
    expect(error.issues[0]!.path).toMatch(/^\$\.rules\[0\]\.conditions\..*\.operator$/);
  });

  it.each([
    ['a leaf with a priority', (leaf: Record<string, unknown>) => (leaf.priority = 2)],
    [
      'a fact reference with a path',
      (leaf: Record<string, unknown>) => (leaf.value = { fact: 'ageYears', path: '$.x' }),
    ],
    ['an unknown fact', (leaf: Record<string, unknown>) => (leaf.fact = 'shoeSize')],
    ['an unknown parameter', (leaf: Record<string, unknown>) => (leaf.value = { fact: 'param:no.such' })],
    [
      'an empty any',
      (leaf: Record<string, unknown>) => {
        for (const key of Object.keys(leaf)) delete leaf[key];
        leaf.any = [];
      },
    ],
  ])('refuses %s', (_, change) => {
    expect(refusal(mutatedRegion(change)).code).toBe('COMPILATION_UNSUPPORTED');
  });

  it('refuses two rules with one id', () => {
    const effective = withRules([{ all: [{ fact: 'ageYears', operator: 'equal', value: 1 }] }]);
    const twice = { ...effective, key: `${effective.key}|twice`, rules: [effective.rules[0]!, effective.rules[0]!] };
    expect(refusal(twice).issues[0]!.path).toBe('$.rules[1].id');
  });

  it('with fallbackBackend, a refused rule set is decided by json-rules-engine, exactly as the reference', async () => {
    const effective = mutatedRegion((leaf) => (leaf.operator = 'swap:equal'));
    const validation = reference.validate(ijsselAllocation());
    if (!validation.ok) throw new Error('fixture case is invalid');
    const backend = fallbackBackend(compiledBackend, jsonRulesEngineBackend);
    expect('evaluateSync' in backend.compile(effective)).toBe(false);
    const withFallback = new DecisionEngine(repository, backend);
    const want = await reference.decideWith(validation.case, effective);
    expect(JSON.stringify(await withFallback.decideWith(validation.case, effective))).toBe(JSON.stringify(want));
    expect(JSON.stringify(want.trace)).toContain('"operator":"swap:equal"');
  });

  it('fallbackBackend uses the primary when it compiles, and passes other errors on', () => {
    const effective = repository.effectiveOn('zwolle', '2026-01-01')!;
    expect('evaluateSync' in fallbackBackend(compiledBackend, jsonRulesEngineBackend).compile(effective)).toBe(true);
    const broken: EvaluationBackend = {
      name: 'broken',
      compile: () => {
        throw new TypeError('kapot');
      },
    };
    expect(() => fallbackBackend(broken, jsonRulesEngineBackend).compile(effective)).toThrow(TypeError);
  });
});

describe('compiled rule sets: one bounded cache per engine', () => {
  it('compiles a composition once, and an engine over new versions keeps what was compiled', async () => {
    const effective = repository.effectiveOn('deventer', '2026-06-01')!;
    const calls: string[] = [];
    const counting: EvaluationBackend = {
      name: 'counting',
      compile: (e) => {
        calls.push(e.key);
        return compiledBackend.compile(e);
      },
    };
    const first = new DecisionEngine(repository, counting);
    const c = Case.parse(ijsselAllocation({ municipality: 'deventer', referenceDate: '2026-06-01' }));
    await first.decideWith(c, effective);
    await first.decideWith(c, effective);
    const after = first.withRepository(loadRepository());
    await after.decide(c);
    expect(calls).toEqual([effective.key]);
  });

  it('keeps at most its limit, forgetting the least recently used first', async () => {
    const small = new DecisionEngine(repository, compiledBackend, { cacheLimit: 2 });
    const decideIn = (municipality: string) =>
      small.decide(ijsselAllocation({ municipality, referenceDate: '2026-06-01' }));
    await decideIn('deventer');
    await decideIn('zwolle');
    await decideIn('deventer'); // deventer is now the most recently used
    await decideIn('kampen'); // evicts zwolle
    expect(small.cacheStats()).toEqual({ size: 2, limit: 2 });
    const hot = repository.effectiveOn('deventer', '2026-06-01')!;
    const cold = repository.effectiveOn('zwolle', '2026-06-01')!;
    expect(small.isCached(hot)).toBe(true);
    expect(small.isCached(cold)).toBe(false);
  });
});
