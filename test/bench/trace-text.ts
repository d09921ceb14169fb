/**
 * Issue 18: what writing a decision's answer costs, in µs of CPU per decision, on random valid
 * cases of both regions (the property tests' generators), every way measured in the same run and
 * in turns, so that a loaded machine slows each alike:
 *
 * - `stringify`: `JSON.stringify` of a traced decision already made — what the service paid
 *   after deciding;
 * - `traced`: deciding with the trace, then `JSON.stringify` (the service's evaluation before);
 * - `text`: `decideWithJson`, the trace written as text by the compiled backend (after);
 * - `untraced`: deciding without a trace, then `JSON.stringify` — the floor: no trace at all.
 *
 * Each decision's text is made into the answer as the service makes it. Each figure is the median of `--rounds` rounds over `--cases` cases (process CPU time).
 *
 *   npx tsx test/bench/trace-text.ts [--cases=3000] [--rounds=15] [--json]
 */
import fc from 'fast-check';
import {
  DecisionEngine,
  defaultBackend,
  loadRepository,
  type Case,
  type EffectiveRuleSet,
} from '../../engine/index.js';
import { anyValidCase } from '../support/arbitraries.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  Number(args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const casesWanted = option('cases', 3000);
const rounds = option('rounds', 15);

const engine = new DecisionEngine(loadRepository(), defaultBackend);
const cases: [Case, EffectiveRuleSet][] = [];
for (const c of fc.sample(anyValidCase, { numRuns: casesWanted, seed: 18 })) {
  const validation = engine.validate(c);
  if (validation.ok) cases.push([validation.case, validation.effective]);
}
const decisions = await Promise.all(cases.map(([c, effective]) => engine.decideWith(c, effective)));

// the same bytes, or the figures mean nothing
for (const [i, [c, effective]] of cases.entries()) {
  const { json } = await engine.decideWithJson(c, effective);
  if (json !== JSON.stringify(decisions[i])) throw new Error(`case ${i}: the text differs from JSON.stringify`);
}

let sink = 0;
/**
 * The answer as the service makes it (`evaluated`: the log id before the decision's members),
 * whose slice also flattens a text joined from pieces — a cost the text must carry, not hide.
 */
const answer = (json: string) => `{"id":"x",${json.slice(1)}`.charCodeAt(9);
const ways: Record<string, () => Promise<void>> = {
  async stringify() {
    for (const d of decisions) sink += answer(JSON.stringify(d));
  },
  async traced() {
    for (const [c, effective] of cases) sink += answer(JSON.stringify(await engine.decideWith(c, effective)));
  },
  async text() {
    for (const [c, effective] of cases) sink += answer((await engine.decideWithJson(c, effective)).json);
  },
  async untraced() {
    for (const [c, effective] of cases) {
      sink += answer(JSON.stringify(await engine.decideWith(c, effective, { trace: false })));
    }
  },
};

const samples: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((w) => [w, []]));
for (let round = 0; round < rounds + 2; round++) {
  for (const [name, run] of Object.entries(ways)) {
    const before = process.cpuUsage();
    await run();
    const used = process.cpuUsage(before);
    // the first two rounds warm the JIT up
    if (round >= 2) samples[name]!.push((used.user + used.system) / cases.length);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, +median(xs).toFixed(2)]));
const bytes = Math.round(decisions.reduce((n, d) => n + JSON.stringify(d).length, 0) / decisions.length);
const result = { cases: cases.length, rounds, bytesPerDecision: bytes, microsecondsPerDecision: figures, sink };
if (args.includes('--json')) console.log(JSON.stringify(result));
else {
  console.log(`${cases.length} cases, ${rounds} rounds, ${bytes} bytes a decision; µs CPU per decision (median):`);
  for (const [name, us] of Object.entries(figures)) console.log(`  ${name.padEnd(10)} ${us}`);
}
