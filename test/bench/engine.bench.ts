/**
 * `npm run bench`: how many cases a second the engine decides, on random valid cases of both
 * regions (the same generators as the property tests). `npm run --silent bench -- --json` prints
 * the figures as one JSON object. Speed targets are checked here, never in timed tests.
 */
import fc from 'fast-check';
import { anyValidCase } from '../support/arbitraries.js';
import { engine } from '../support/factories.js';

const json = process.argv.includes('--json');
const count = Number(process.argv.find((a) => a.startsWith('--cases='))?.slice('--cases='.length) ?? 5000);

const cases = fc.sample(anyValidCase, { numRuns: count, seed: 42 });
const e = engine();
for (const c of cases.slice(0, 200)) await e.decide(c); // warm up: compile the rule sets once

const started = process.hrtime.bigint();
for (const c of cases) await e.decide(c);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

const result = {
  machine: { node: process.version, platform: `${process.platform}-${process.arch}` },
  engine: {
    backend: e.backend.name,
    cases: cases.length,
    seconds,
    referenceCasesPerSecond: Math.round(cases.length / seconds),
  },
};
if (json) console.log(JSON.stringify(result));
else
  console.log(
    `${e.backend.name}: ${result.engine.referenceCasesPerSecond} cases/s (${cases.length} random cases in ${seconds.toFixed(2)} s, ${result.machine.node})`,
  );
