/**
 * The generated case validator against zod on many inputs (`npm run bench -- --verify` runs it with
 * N ≥ 1,000,000): random valid cases and random mutations of them, the same generator as
 * test/validator-differential.test.ts, in chunks with a seed each so memory stays flat. Progress
 * on standard error; on standard output one JSON line:
 * `{ "validator": { "inputs", "mismatches", "seconds", ... } }`. Exit code 1 on any mismatch,
 * with the first few inputs that differ on standard error.
 *
 *   npx tsx test/bench/validator.bench.ts [--inputs=1000000]
 */
import { runDifferential } from '../support/validator-differential.js';

const arg = process.argv.slice(2).find((a) => a.startsWith('--inputs='));
const total = arg ? Number(arg.split('=')[1]) : 1_000_000;
const firstSeed = 100_000;

const started = process.hrtime.bigint();
const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
const result = runDifferential(total, {
  firstSeed,
  onChunk: (checked) => {
    if (checked % 100_000 === 0 || checked === total) {
      process.stderr.write(
        `validator: ${checked.toLocaleString('en')} / ${total.toLocaleString('en')} compared ` +
          `(${Math.round(checked / seconds())} inputs/s, ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB RSS)\n`,
      );
    }
  },
});
for (const example of result.examples)
  process.stderr.write(`MISMATCH (seed ${example.seed}): ${JSON.stringify(example)}\n`);
console.log(
  JSON.stringify({
    validator: {
      inputs: result.inputs,
      mismatches: result.mismatches,
      seconds: Math.round(seconds() * 10) / 10,
      accepted: result.accepted,
      firstSeed,
    },
  }),
);
if (result.mismatches > 0) process.exitCode = 1;
