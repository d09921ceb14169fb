/**
 * `npm run bench`: how many cases a second the engine decides, on random valid cases of both
 * regions (the same generators as the property tests), with the reference backend
 * (json-rules-engine) and the compiled one, on the same cases in one run:
 *
 * - `engine`: the two evaluation backends on the same cases — a composed rule set and a case's
 *   facts in, every rule's trace out (`CompiledRuleSet.evaluate`), which is what a backend does;
 * - `decide`: whole decisions (validation, facts, rules, tariff, reasons), where both backends
 *   share everything but the rules: json-rules-engine through `decide` (its rules need a promise),
 *   the compiled backend through `decideSync` (what a batch runs; `compiledAsyncCasesPerSecond` is
 *   the same through `decide`'s promise). As issue 18's row lists them: without the trace
 *   (`{ trace: false }`, what a batch without `?trace=true` and the compact log ask for), so
 *   `compiledCasesPerSecond` (the row's headline) builds none; `compiledTracedCasesPerSecond` is
 *   the same with the trace, as the API's single evaluation answers. Measured on the BUILT engine: the bench first compiles
 *   engine/ with tsc as `npm run build` does (test/bench/tsconfig.engine.json, into dist/engine)
 *   and imports dist/engine/index.js, because tsx's transform (esbuild with keepNames, which
 *   wraps every closure in a renaming call) made a decision some 5–10% slower than the code
 *   production runs; `compiledSourceCasesPerSecond` is the compiled figure under tsx, for comparison;
 * - `phases`: where a compiled decision's time goes, in µs per case.
 *
 * `-- --json` prints the figures as one JSON object (on the last line of standard output).
 * `-- --verify` first checks that both backends give byte-identical decisions on 1,000,000 random
 * cases (`--verify=N` for another number), generated in chunks with a seed per chunk so memory
 * stays flat; progress goes to standard error, and the first difference ends the run with exit
 * code 1 and the case. Speed targets are checked here, never in timed tests.
 *
 *   npm run bench [-- --json] [-- --cases=5000] [-- --verify[=1000000]]
 */
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compiledBackend, type SyncCompiledRuleSet } from '../../engine/backends/compiled.js';
import type { CompiledRuleSet } from '../../engine/backend.js';
import { type DecideOptions, DecisionEngine } from '../../engine/decide.js';
import { deriveFacts, type Facts } from '../../engine/facts.js';
import { loadRepository } from '../../engine/loader.js';
import type { Case, Decision } from '../../engine/schema.js';
import { computeTariff } from '../../engine/tariff.js';
import type { EffectiveRuleSet } from '../../engine/compose.js';
import { anyValidCase } from '../support/arbitraries.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const option = (name: string) => args.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
const count = Number(option('cases')?.split('=')[1] ?? 5000);
const verifyArg = option('verify');
const verifyCount = verifyArg ? Number(verifyArg.split('=')[1] ?? 1_000_000) : 0;

/** The engine as `npm run build` compiles it (see the comment at the top). */
async function builtEngine(): Promise<typeof import('../../engine/index.js')> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', `${root}test/bench/tsconfig.engine.json`], { stdio: 'inherit' });
  return (await import(pathToFileURL(`${root}dist/engine/index.js`).href)) as typeof import('../../engine/index.js');
}
const built = await builtEngine();

const repository = loadRepository();
const reference = new DecisionEngine(repository);
const compiled = new DecisionEngine(repository, compiledBackend);

const log = (line: string) => process.stderr.write(`${line}\n`);
const now = () => process.hrtime.bigint();
const secondsSince = (start: bigint) => Number(now() - start) / 1e9;

/**
 * Both decisions as JSON text, or what each threw: equal texts mean identical decisions. Twice:
 * traced, and the compiled one without the trace against the reference's with `trace: []`.
 */
async function decideBoth(c: unknown): Promise<[string, string][]> {
  const text = (p: Promise<unknown>) =>
    p.then(
      (d) => JSON.stringify(d),
      (e: unknown) => `threw ${String(e)}`,
    );
  const withoutTrace = (p: Promise<Decision>) => text(p.then((d) => ({ ...d, trace: [] })));
  // a copy each: a backend that changed its input must not hide that from the other
  const want = reference.decide(structuredClone(c));
  return [
    [await text(want), await text(compiled.decide(structuredClone(c)))],
    [await withoutTrace(want), await text(compiled.decide(structuredClone(c), { trace: false }))],
  ];
}

async function verify(total: number): Promise<{ cases: number; seconds: number; chunks: number; firstSeed: number }> {
  const chunk = 10_000;
  const firstSeed = 1_000;
  const started = now();
  let checked = 0;
  let chunks = 0;
  for (let seed = firstSeed; checked < total; seed++, chunks++) {
    const cases = fc.sample(anyValidCase, { numRuns: Math.min(chunk, total - checked), seed });
    for (const [index, c] of cases.entries()) {
      for (const [want, got] of await decideBoth(c)) {
        if (want === got) continue;
        log(`DIFFERENCE after ${checked} identical decisions (seed ${seed}, case ${index} of its chunk):`);
        log(`case:              ${JSON.stringify(c)}`);
        log(`json-rules-engine: ${want}`);
        log(`compiled:          ${got}`);
        process.exit(1);
      }
      checked++;
    }
    const seconds = secondsSince(started);
    log(
      `verify: ${checked.toLocaleString('en')} / ${total.toLocaleString('en')} identical ` +
        `(${Math.round(checked / seconds)} cases/s, ${seconds.toFixed(0)} s, ` +
        `${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS)`,
    );
  }
  return { cases: checked, seconds: secondsSince(started), chunks, firstSeed };
}

/** Runs `body` over all items, repeated until at least `minSeconds` passed; seconds per item. */
function timed<T>(items: readonly T[], body: (item: T) => unknown, minSeconds = 0.5): number {
  let rounds = 0;
  const started = now();
  do {
    for (const item of items) body(item);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  return secondsSince(started) / (rounds * items.length);
}

const verified = verifyCount > 0 ? await verify(verifyCount) : undefined;

// as a case arrives (HTTP body, NDJSON line, file): parsed JSON. fast-check's objects are built
// otherwise, and property reads on them measured a quarter slower than on what JSON.parse makes
const cases = JSON.parse(JSON.stringify(fc.sample(anyValidCase, { numRuns: count, seed: 42 }))) as unknown[];
const builtRepository = built.loadRepository();
const builtReference = new built.DecisionEngine(builtRepository);
const builtCompiled = new built.DecisionEngine(builtRepository, built.compiledBackend);
// warm up: compile every composition the cases use and let the JIT see every path (the compiled
// backend generates one function per composition, and each warms up on its own)
const untraced = { trace: false } as const;
for (const c of cases) {
  await reference.decide(c);
  await compiled.decide(c, untraced);
  compiled.decideSync(c, untraced);
  await builtReference.decide(c, untraced);
  await builtCompiled.decide(c, untraced);
  builtCompiled.decideSync(c);
  builtCompiled.decideSync(c, untraced);
}

/**
 * Seconds per round of all cases through `decide` without the trace, over as many rounds as fit
 * in `minSeconds`.
 */
async function wholeDecisions(engine: Pick<DecisionEngine, 'decide'>, minSeconds: number): Promise<number> {
  let rounds = 0;
  const started = now();
  do {
    for (const c of cases) await engine.decide(c, untraced);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  return secondsSince(started) / rounds;
}

/** CPU seconds of this process (all its threads, the garbage collector's too) since `from`. */
const cpuSecondsSince = (from: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(from);
  return (user + system) / 1e6;
};
let compiledCpuSeconds = NaN;

/**
 * The same through `decideSync`: no promise per decision; with the trace when `options` say so.
 * Also keeps CPU seconds per round in `compiledCpuSeconds`: on a loaded machine wall time counts
 * the other processes' turns too.
 */
function wholeDecisionsSync(
  engine: Pick<DecisionEngine, 'decideSync'>,
  minSeconds: number,
  options: DecideOptions = untraced,
): number {
  let rounds = 0;
  const started = now();
  const cpu = process.cpuUsage();
  do {
    for (const c of cases) engine.decideSync(c, options);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  compiledCpuSeconds = cpuSecondsSince(cpu) / rounds;
  return secondsSince(started) / rounds;
}

// whole decisions, the figure this bench has always reported (seconds for all cases)
const seconds = await wholeDecisions(builtReference, 2);
const compiledSeconds = wholeDecisionsSync(builtCompiled, 2);
const compiledCpuSecondsBuilt = compiledCpuSeconds;
const compiledTracedSeconds = wholeDecisionsSync(builtCompiled, 2, { trace: true });
const compiledTracedCpuSecondsBuilt = compiledCpuSeconds;
const compiledAsyncSeconds = await wholeDecisions(builtCompiled, 1);
const compiledSourceSeconds = wholeDecisionsSync(compiled, 1);

// the backends alone, on the same facts
interface Prepared {
  c: Case;
  effective: EffectiveRuleSet;
  facts: Facts;
  reference: CompiledRuleSet;
  compiled: SyncCompiledRuleSet;
}
const referenceRuleSets = new Map<string, CompiledRuleSet>();
const prepared: Prepared[] = cases.map((input) => {
  const validation = compiled.validate(input);
  if (!validation.ok) throw new Error(`bench case is invalid: ${JSON.stringify(input)}`);
  const { case: c, effective } = validation;
  return {
    c,
    effective,
    facts: deriveFacts(c, effective),
    reference:
      referenceRuleSets.get(effective.key) ??
      referenceRuleSets.set(effective.key, reference.backend.compile(effective)).get(effective.key)!,
    compiled: compiledBackend.compile(effective),
  };
});
// Written out rather than through `timed`: behind a shared callback (a megamorphic call V8 does
// not inline) the compiled evaluation measured some 20% slower.
async function referenceEvaluation(minSeconds: number): Promise<number> {
  let rounds = 0;
  const started = now();
  do {
    for (const p of prepared) await p.reference.evaluate(p.facts);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  return secondsSince(started) / (rounds * prepared.length);
}
function compiledEvaluation(minSeconds: number): number {
  let rounds = 0;
  const started = now();
  do {
    for (const p of prepared) p.compiled.evaluateSync(p.facts);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  return secondsSince(started) / (rounds * prepared.length);
}
/** The compiled rules without a trace: only the rules that fire (what `{ trace: false }` runs). */
function compiledFired(minSeconds: number): number {
  let rounds = 0;
  const started = now();
  do {
    for (const p of prepared) p.compiled.firedSync(p.facts);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  return secondsSince(started) / (rounds * prepared.length);
}
async function compiledAsyncEvaluation(minSeconds: number): Promise<number> {
  let rounds = 0;
  const started = now();
  do {
    for (const p of prepared) await p.compiled.evaluate(p.facts);
    rounds++;
  } while (secondsSince(started) < minSeconds);
  return secondsSince(started) / (rounds * prepared.length);
}
// one untimed round each first: the facts just derived move to the old generation meanwhile, so
// that copying does not land in whichever loop happens to run first
compiledEvaluation(0);
compiledFired(0);
await referenceEvaluation(0);
const evaluation = {
  reference: await referenceEvaluation(0.5),
  compiled: compiledEvaluation(0.5),
  compiledFired: compiledFired(0.5),
  compiledAsync: await compiledAsyncEvaluation(0.5),
};

// where a compiled decision's time goes (all under tsx, the whole decision too, so they add up)
const micro = (s: number) => Math.round(s * 1e7) / 10;
const phases = {
  validate: micro(timed(cases, (c) => compiled.validate(c))),
  deriveFacts: micro(timed(prepared, (p) => deriveFacts(p.c, p.effective))),
  evaluate: micro(evaluation.compiled),
  evaluateUntraced: micro(evaluation.compiledFired),
  tariff: micro(timed(prepared, (p) => computeTariff(p.c, p.effective))),
  decide: micro(compiledSourceSeconds / cases.length),
};

const perSecond = (s: number) => Math.round(1 / s);
const result = {
  machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
  engine: {
    measures: 'evaluation backends on the same cases: facts in, every rule traced out',
    cases: prepared.length,
    backend: reference.backend.name,
    referenceCasesPerSecond: perSecond(evaluation.reference),
    compiledBackend: compiled.backend.name,
    compiledCasesPerSecond: perSecond(evaluation.compiled),
    compiledAsyncCasesPerSecond: perSecond(evaluation.compiledAsync),
    ratio: Math.round(evaluation.reference / evaluation.compiled),
  },
  decide: {
    measures:
      'whole decisions: validation, facts, rules, tariff and reasons, without the trace (compiledTraced…: with it); built engine (dist/), compiled backend through decideSync',
    cases: cases.length,
    referenceCasesPerSecond: Math.round(cases.length / seconds),
    // the row of issue 18 (its list has no trace): decideSync(c, { trace: false })
    compiledCasesPerSecond: Math.round(cases.length / compiledSeconds),
    compiledCasesPerCpuSecond: Math.round(cases.length / compiledCpuSecondsBuilt),
    // the same decisions with their trace (decideSync(c)), as a single evaluation answers
    compiledTracedCasesPerSecond: Math.round(cases.length / compiledTracedSeconds),
    compiledTracedCasesPerCpuSecond: Math.round(cases.length / compiledTracedCpuSecondsBuilt),
    compiledAsyncCasesPerSecond: Math.round(cases.length / compiledAsyncSeconds),
    compiledSourceCasesPerSecond: Math.round(cases.length / compiledSourceSeconds),
    ratio: Math.round((seconds / compiledSeconds) * 10) / 10,
  },
  phases: { unit: 'µs per case, compiled backend (decide: without the trace; evaluate: rules with it)', ...phases },
  ...(verified ? { verify: { ...verified, identical: true } } : {}),
};

if (json) console.log(JSON.stringify(result));
else {
  const { engine, decide } = result;
  console.log(
    `rules   ${engine.backend}: ${engine.referenceCasesPerSecond} cases/s; ${engine.compiledBackend}: ` +
      `${engine.compiledCasesPerSecond} cases/s (${engine.ratio}×; ` +
      `${engine.compiledAsyncCasesPerSecond} cases/s through the promise) — ${engine.cases} random cases, ${result.machine.node}`,
  );
  console.log(
    `decide  ${engine.backend}: ${decide.referenceCasesPerSecond} cases/s; ${engine.compiledBackend}: ` +
      `${decide.compiledCasesPerSecond} cases/s (${decide.ratio}×; ${decide.compiledAsyncCasesPerSecond} cases/s ` +
      `through the promise; ${decide.compiledSourceCasesPerSecond} cases/s under tsx) — built engine, without the trace; ` +
      `${decide.compiledTracedCasesPerSecond} cases/s with it`,
  );
  console.log(
    `phases  µs per compiled decision: validate ${phases.validate}, facts ${phases.deriveFacts}, ` +
      `rules ${phases.evaluate} (${phases.evaluateUntraced} without the trace), tariff ${phases.tariff}; ` +
      `whole decision without the trace ${phases.decide}`,
  );
  if (verified) {
    console.log(
      `verify  ${verified.cases.toLocaleString('en')} random cases decided byte-identically by both backends ` +
        `in ${verified.seconds.toFixed(0)} s (seeds ${verified.firstSeed}…${verified.firstSeed + verified.chunks - 1})`,
    );
  }
}
