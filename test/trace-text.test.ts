/**
 * Decisions as JSON text (`decideJson`, the compiled backend's `traceTextSync`): the text must be
 * `JSON.stringify` of the traced decision byte for byte, and the decision beside it the traced one
 * with `trace: []` — on every backend, for random valid cases of both regions in every
 * municipality, the contract examples, and random conditions over odd fact values (undefined,
 * NaN, -0, lists, objects, dates, strings that need escaping), which must write the same text as
 * the traced function's result serialised, or throw the same error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvaluationBackend } from '../engine/backend.js';
import { compiledBackend, compileRuleSet, type TextCompiledRuleSet } from '../engine/backends/compiled.js';
import { jsonRulesEngineBackend } from '../engine/backends/json-rules-engine.js';
import { compose, versioned, type EffectiveRuleSet } from '../engine/compose.js';
import { DecisionEngine } from '../engine/decide.js';
import { deriveFacts, type Facts } from '../engine/facts.js';
import { loadRepository } from '../engine/loader.js';
import {
  type Case,
  Decision,
  MUNICIPALITIES_BY_REGION,
  MUNICIPALITY_IDS,
  regionOf,
  type RegionRuleSet,
} from '../engine/index.js';
import { anyValidCase } from './support/arbitraries.js';
import { BACKENDS, failureText } from './support/backends.js';
import { conditionTrees, oddFactsOf } from './support/conditions.js';
import { exampleCase, exampleFiles } from './support/examples.js';
import { ijsselAllocation } from './support/factories.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
const repository = loadRepository();

/** What `decide` gives, as the text `decideJson` must give and the decision beside it. */
async function expected(engine: DecisionEngine, input: unknown): Promise<[string, string]> {
  return engine.decide(input).then(
    (d) => [JSON.stringify(d), JSON.stringify({ ...d, trace: [] })],
    (e: unknown) => [failureText(e), failureText(e)],
  );
}

async function asText(engine: DecisionEngine, input: unknown): Promise<[string, string]> {
  return engine.decideJson(input).then(
    ({ json, decision }) => [json, JSON.stringify(decision)],
    (e: unknown) => [failureText(e), failureText(e)],
  );
}

describe.each(BACKENDS)('decisions as JSON text: %s', (_, backend) => {
  const engine = new DecisionEngine(repository, backend);

  const cases = Math.max(10, Math.floor(runs / 5));
  it(`write ${cases} random cases, each in every municipality of its region, as JSON.stringify writes the traced decision`, async () => {
    const seen = { rejected: 0, granted: 0, review: 0 };
    const municipalities = new Set<string>();
    let decided = 0;
    await fc.assert(
      fc.asyncProperty(anyValidCase, async (c) => {
        // the same case in each municipality of its region: every overlay, both regions
        for (const municipality of MUNICIPALITIES_BY_REGION[regionOf(c.municipality)]) {
          const input = { ...c, municipality } as Case;
          const [wantJson, wantDecision] = await expected(engine, input);
          const [json, decision] = await asText(engine, input);
          expect(json).toBe(wantJson);
          expect(decision).toBe(wantDecision);
          if (wantJson.startsWith('threw')) continue;
          decided++;
          municipalities.add(municipality);
          const parsed = JSON.parse(decision) as Decision;
          expect(Decision.safeParse(parsed).success).toBe(true);
          seen[parsed.outcome]++;
        }
      }),
      { numRuns: cases },
    );
    // the comparison means something only if traces were written for every municipality, with
    // rules that fired and rules that did not
    expect(municipalities.size).toBe(MUNICIPALITY_IDS.length);
    expect(decided).toBeGreaterThan(0);
    expect(seen.rejected).toBeGreaterThan(0);
    expect(seen.granted + seen.review).toBeGreaterThan(0);
  });

  it('writes the contract examples as JSON.stringify does', async () => {
    const files = exampleFiles();
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const input = exampleCase(file);
      expect(await asText(engine, input), file).toEqual(await expected(engine, input));
    }
  });

  it('refuses what decide refuses, with the same problems', async () => {
    for (const input of [{ ...ijsselAllocation(), municipality: 'atlantis' }, 'geen casus']) {
      const want = await expected(engine, input);
      expect(want[0]).toMatch(/^threw CaseValidationError/);
      expect(await asText(engine, input)).toEqual(want);
    }
  });

  it('replays a case against a chosen version as text', async () => {
    const validation = engine.validate(ijsselAllocation({ municipality: 'zwolle', referenceDate: '2026-06-01' }));
    if (!validation.ok) throw new Error('fixture case is invalid');
    const traced = await engine.decideWith(validation.case, validation.effective);
    const { json, decision } = await engine.decideWithJson(validation.case, validation.effective);
    expect(json).toBe(JSON.stringify(traced));
    expect(decision.trace).toEqual([]);
    expect(JSON.stringify(decision)).toBe(JSON.stringify({ ...traced, trace: [] }));
  });
});

describe('decisions as JSON text: the compiled backend writes the trace without building it', () => {
  it('evaluates through traceTextSync, never through the traced function', async () => {
    const calls = { traced: 0, fired: 0, text: 0 };
    const counting: EvaluationBackend = {
      name: 'counting',
      compile(effective) {
        const compiled = compiledBackend.compile(effective);
        return {
          evaluate: (facts) => compiled.evaluate(facts),
          evaluateSync: (facts) => (calls.traced++, compiled.evaluateSync(facts)),
          firedSync: (facts) => (calls.fired++, compiled.firedSync(facts)),
          traceTextSync: (facts) => (calls.text++, compiled.traceTextSync(facts)),
        } satisfies TextCompiledRuleSet;
      },
    };
    const engine = new DecisionEngine(repository, counting);
    const { json } = await engine.decideJson(ijsselAllocation());
    expect(calls).toEqual({ traced: 0, fired: 0, text: 1 });
    expect(json).toBe(JSON.stringify(engine.decideSync(ijsselAllocation())));
  });

  it('serialises the trace of a backend that cannot write it, synchronous or not', async () => {
    const withoutText: EvaluationBackend = {
      name: 'without text',
      compile(effective) {
        const compiled = compiledBackend.compile(effective);
        return {
          evaluate: (facts) => compiled.evaluate(facts),
          evaluateSync: (facts) => compiled.evaluateSync(facts),
          firedSync: (facts) => compiled.firedSync(facts),
        };
      },
    };
    for (const backend of [withoutText, jsonRulesEngineBackend]) {
      const engine = new DecisionEngine(repository, backend);
      const c = ijsselAllocation({ municipality: 'deventer' });
      const { json, decision } = await engine.decideJson(c);
      const traced = await engine.decide(c);
      expect(json).toBe(JSON.stringify(traced));
      expect(JSON.stringify(decision)).toBe(JSON.stringify({ ...traced, trace: [] }));
    }
  });

  it('writes the function on first use only', () => {
    const compiled = compileRuleSet(repository.effectiveOn('zwolle', '2026-06-01')!) as TextCompiledRuleSet & {
      textSource: string;
      textWritten?: unknown;
    };
    expect(compiled.textWritten).toBeUndefined();
    expect(compiled.textSource).toContain('fired.push(');
    // the rule set's values are in the constants, not in the code
    expect(compiled.textSource).not.toMatch(/"ruleId"|\{ *(fact|all|any|not|ruleId):/);
  });
});

// ---------------------------------------------------------------------------------------------
// Random conditions over odd fact values: the text against the traced function, serialised
// ---------------------------------------------------------------------------------------------

const region = repository.regionVersions('ijsselland').at(-1)!.document;

/** An effective rule set of the latest IJsselland version with other rules (some disabled). */
function withRules(rules: { conditions: unknown; enabled: boolean }[], parameters: Record<string, unknown>) {
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
    rules: rules.map(({ conditions }, i) => ({
      id: `test.regel-${i} "\u00e9\u2028`,
      kind: 'eligibility',
      code: `TEST_${i}`,
      effect: i % 2 === 0 ? 'reject' : 'review',
      message: 'Test.',
      source: { document: 'test', section: '§1' },
      conditions,
    })),
  } as unknown as RegionRuleSet;
  const effective = compose(versioned(document), undefined);
  return {
    ...effective,
    rules: effective.rules.map((r, i) => ({ ...r, enabled: rules[i]!.enabled })),
  } as EffectiveRuleSet;
}

const baseFacts = (() => {
  const engine = new DecisionEngine(repository);
  const validation = engine.validate(ijsselAllocation());
  if (!validation.ok) throw new Error('fixture case is invalid');
  return deriveFacts(validation.case, validation.effective);
})();

const PARAMS = {
  'test.number': 7,
  'test.text': 'a"b\\c\n',
  'test.list': ['a', 12],
  'test.none': null,
  'test.object': { a: [1, { b: null }], c: 'd' },
};

/** Values a fact may hold that JSON writes in its own way, or leaves out. */
const odd = fc.oneof(
  fc.constantFrom(null, undefined, true, false, Number.NaN, Infinity, -Infinity, -0, 0.5, 1e21, 7, 12, -3),
  fc.integer({ min: -5, max: 30 }),
  fc.constantFrom('12', 'abc', '', '"quoted"', 'back\\slash', 'line\nbreak', '\u2028', '\ud800', 'é', '</script>'),
  fc.string({ maxLength: 6 }),
  fc.array(fc.oneof(fc.integer({ min: 0, max: 13 }), fc.constantFrom('a', '12', null, undefined)), { maxLength: 3 }),
  fc.constantFrom(
    new Date(Date.UTC(2026, 0, 1)),
    new Date(Number.NaN),
    { a: 1, skipped: undefined, nested: { list: [1, 'x', null] } },
    {},
    [[], {}],
    () => 1,
  ),
  fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.integer(), fc.string({ maxLength: 3 }), fc.constant(null)), {
    maxKeys: 3,
  }),
);

// a written value is JSON in a rule set: no function or date there (a fact may hold one)
const tree = conditionTrees(
  PARAMS,
  odd.filter((v) => typeof v !== 'function' && !(v instanceof Date)),
);
/** The base facts with some facts replaced by odd values (undefined included) or removed. */
const oddFacts = oddFactsOf(baseFacts, odd);

function outcome<T>(run: () => T): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    return { ok: false, error: String(error) };
  }
}

describe('decisions as JSON text: random conditions over odd values', () => {
  it('write what the traced function gives serialised, and fire what it fires, or throw the same', () => {
    let written = 0;
    fc.assert(
      fc.property(
        fc.array(fc.record({ conditions: tree, enabled: fc.boolean() }), { minLength: 1, maxLength: 4 }),
        oddFacts,
        (rules, facts) => {
          const compiled = compileRuleSet(withRules(rules, PARAMS));
          const traced = outcome(() => JSON.stringify(compiled.evaluateSync(facts)));
          const fired = outcome(() =>
            compiled
              .evaluateSync(facts)
              .filter((t) => t.fired)
              .map((t) => t.ruleId),
          );
          const text = outcome(() => compiled.traceTextSync(facts));
          if (!traced.ok) {
            expect(text).toEqual(traced);
            return;
          }
          expect(text.ok && text.value.trace).toBe(traced.value);
          expect(text.ok && text.value.fired.map((r) => r.id)).toEqual(fired.ok && fired.value);
          written++;
        },
      ),
      { numRuns: runs * 3 },
    );
    expect(written).toBeGreaterThan(runs);
  });

  it('writes an undefined fact as null and an odd one as JSON.stringify does', () => {
    const rules = [
      {
        enabled: true,
        conditions: {
          all: [
            { fact: 'ageYears', operator: 'equal', value: { fact: 'segment' } },
            { fact: 'segment', operator: 'notEqual', value: { fact: 'param:test.object' } },
            { fact: 'referrer', operator: 'notIn', value: ['x'] },
          ],
        },
      },
      { enabled: false, conditions: { not: { fact: 'ageYears', operator: 'equal', value: 1 } } },
    ];
    const compiled = compileRuleSet(withRules(rules, PARAMS));
    for (const [ageYears, segment, referrer] of [
      [undefined, undefined, 'a'],
      [new Date(Date.UTC(2026, 0, 1)), { nested: [undefined, () => 1] }, '\ud800"'],
      [Number.NaN, () => 1, ['x']],
      [-0, [1, [2, { a: undefined }]], ''],
    ]) {
      const facts = { ...baseFacts, ageYears, segment, referrer } as unknown as Facts;
      expect(compiled.traceTextSync(facts).trace).toBe(JSON.stringify(compiled.evaluateSync(facts)));
    }
  });

  it('keeps what a rule set says as data: values and ids that look like code never become code', () => {
    const attack = '`; globalThis.textPwned = 1; "\'); //';
    const effective = withRules(
      [{ enabled: true, conditions: { any: [{ fact: 'referrer', operator: 'equal', value: attack }] } }],
      {},
    );
    const rule = effective.rules[0]!.rule as { id: string; code: string };
    const tampered = {
      ...effective,
      key: `${effective.key}|attack`,
      rules: [{ ...effective.rules[0]!, rule: { ...rule, id: attack, code: attack } }],
    } as unknown as EffectiveRuleSet;
    const compiled = compileRuleSet(tampered) as TextCompiledRuleSet & { textSource: string };
    expect(compiled.textSource).not.toContain('textPwned');
    const facts = { ...baseFacts, referrer: attack } as Facts;
    const { trace, fired } = compiled.traceTextSync(facts);
    expect((globalThis as Record<string, unknown>).textPwned).toBeUndefined();
    expect(fired.map((r) => r.id)).toEqual([attack]);
    expect(trace).toBe(JSON.stringify(compiled.evaluateSync(facts)));
  });
});
