/**
 * Decisions asked without a trace (`{ trace: false }`): on every backend the decision is the traced
 * one with `trace: []`, byte for byte — outcome, reasons, tariff, illustrative values, versions and
 * engine — on random valid cases and the contract examples; invalid input is refused as traced;
 * the compiled backend builds no trace for it at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvaluationBackend } from '../engine/backend.js';
import { compiledBackend, type SyncCompiledRuleSet } from '../engine/backends/compiled.js';
import { jsonRulesEngineBackend } from '../engine/backends/json-rules-engine.js';
import { DecisionEngine } from '../engine/decide.js';
import { loadRepository } from '../engine/loader.js';
import { Decision, regionOf } from '../engine/index.js';
import { anyValidCase } from './support/arbitraries.js';
import { BACKENDS, settledText } from './support/backends.js';
import { exampleCase, exampleFiles } from './support/examples.js';
import { ijsselAllocation } from './support/factories.js';

const runs = Number(process.env.PROPERTY_RUNS ?? 300);
const repository = loadRepository();

/** The traced decision as it must read without its trace, or what deciding threw. */
async function expected(engine: DecisionEngine, input: unknown): Promise<string> {
  return settledText(engine.decide(input).then((d) => ({ ...d, trace: [] })));
}

async function untraced(engine: DecisionEngine, input: unknown): Promise<string> {
  return settledText(engine.decide(input, { trace: false }));
}

describe.each(BACKENDS)('decisions without a trace: %s', (_, backend) => {
  const engine = new DecisionEngine(repository, backend);

  it(`decide a random case as traced, with trace: [] (${runs} cases)`, async () => {
    const seen = { rejected: 0, granted: 0, review: 0 };
    const regions = new Set<string>();
    await fc.assert(
      fc.asyncProperty(anyValidCase, async (c) => {
        const traced = await engine.decide(c);
        const without = await engine.decide(c, { trace: false });
        seen[without.outcome]++;
        regions.add(regionOf(c.municipality));
        expect(traced.trace.length).toBeGreaterThan(0);
        expect(without.trace).toEqual([]);
        expect(Decision.safeParse(without).success).toBe(true);
        expect(JSON.stringify(without)).toBe(JSON.stringify({ ...traced, trace: [] }));
        // the promise-free path says the same where the backend offers it
        if (backend !== jsonRulesEngineBackend) {
          expect(JSON.stringify(engine.decideSync(c, { trace: false }))).toBe(JSON.stringify(without));
          expect(JSON.stringify(engine.decideSync(c))).toBe(JSON.stringify(traced));
        }
      }),
      { numRuns: runs },
    );
    // the comparison means something only if rules fired and did not, in both regions
    expect(regions.size).toBe(2);
    expect(seen.rejected).toBeGreaterThan(0);
    expect(seen.granted + seen.review).toBeGreaterThan(0);
  });

  it('decides the contract examples as traced, with trace: []', async () => {
    const files = exampleFiles();
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const input = exampleCase(file);
      expect(await untraced(engine, input), file).toBe(await expected(engine, input));
    }
  });

  it('refuses what it refuses traced, with the same problems', async () => {
    const wrong = [
      { ...ijsselAllocation(), municipality: 'atlantis' },
      { ...ijsselAllocation(), referenceDate: '2026-02-30' },
      'geen casus',
    ];
    for (const input of wrong) {
      const want = await expected(engine, input);
      expect(want).toMatch(/^threw CaseValidationError/);
      expect(await untraced(engine, input)).toBe(want);
    }
  });

  it('replays a case against a chosen version without a trace as with one', async () => {
    const c = ijsselAllocation({ municipality: 'zwolle', referenceDate: '2026-06-01' });
    const validation = engine.validate(c);
    if (!validation.ok) throw new Error('fixture case is invalid');
    const traced = await engine.decideWith(validation.case, validation.effective);
    const without = await engine.decideWith(validation.case, validation.effective, { trace: false });
    expect(JSON.stringify(without)).toBe(JSON.stringify({ ...traced, trace: [] }));
    // trace: true is the default, said out loud
    const said = await engine.decideWith(validation.case, validation.effective, { trace: true });
    expect(JSON.stringify(said)).toBe(JSON.stringify(traced));
  });
});

describe('decisions without a trace: the compiled backend builds none', () => {
  it('evaluates through firedSync, never through the traced function', () => {
    const calls = { traced: 0, fired: 0 };
    const counting: EvaluationBackend = {
      name: 'counting',
      compile(effective) {
        const compiled = compiledBackend.compile(effective);
        return {
          evaluate: (facts) => compiled.evaluate(facts),
          evaluateSync: (facts) => (calls.traced++, compiled.evaluateSync(facts)),
          firedSync: (facts) => (calls.fired++, compiled.firedSync(facts)),
        } satisfies SyncCompiledRuleSet;
      },
    };
    const engine = new DecisionEngine(repository, counting);
    const c = ijsselAllocation();
    const without = engine.decideSync(c, { trace: false });
    expect(calls).toEqual({ traced: 0, fired: 1 });
    const traced = engine.decideSync(c);
    expect(calls).toEqual({ traced: 1, fired: 1 });
    expect(JSON.stringify(without)).toBe(JSON.stringify({ ...traced, trace: [] }));
  });

  it('generates a function without a trace object in it', () => {
    const effective = repository.effectiveOn('zwolle', '2026-06-01')!;
    const compiled = compiledBackend.compile(effective) as SyncCompiledRuleSet & {
      source: string;
      firedSource: string;
    };
    expect(compiled.source).toContain('result:');
    expect(compiled.firedSource).not.toMatch(/result:|\{ *(fact|all|any|not|ruleId):/);
    expect(compiled.firedSource).toContain('fired.push(');
  });

  it('gives each decision its own empty trace', () => {
    const engine = new DecisionEngine(repository, compiledBackend);
    const first = engine.decideSync(ijsselAllocation(), { trace: false });
    const second = engine.decideSync(ijsselAllocation(), { trace: false });
    expect(first.trace).not.toBe(second.trace);
  });
});
