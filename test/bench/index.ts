/**
 * `npm run bench`: every speed figure in one run, each part in a process of its own so that one
 * part's memory and JIT state do not count against another's:
 *
 * - test/bench/engine.bench.ts: both evaluation backends (json-rules-engine, the reference, and
 *   the compiled one) on the same random cases, and whole decisions with each (`engine.*`,
 *   `decide.*`, `phases.*`);
 * - with `--verify`: the engine's differential check of the two backends (`equivalence`, which
 *   engine.bench prints as `verify`) and, when test/bench/validator.bench.ts is there, the
 *   generated case validator against zod on as many inputs (`validator`);
 * - test/bench/service.bench.ts: the service over HTTP on a real server whose log holds
 *   `--decisions` seeded decisions — `impact`, `verify` (the job, with the API's latency while it
 *   runs), `evaluate` (logged, at an offered `--rate`), `saturated`, `batch` (one streamed
 *   request of `--decisions` cases) and `log` (bytes per decision on disk). The server runs
 *   compiled (`dist/server/main.js`, rebuilt when older than the sources), as production runs it
 *   (README "Running in production"); `--server=tsx` runs it from the sources under tsx.
 *
 * Progress goes to standard error; `--json` prints one JSON object on standard output.
 *
 *   npm run --silent bench -- --json [--decisions=100000] [--seconds=10] [--rate=2000]
 *     [--verify[=1000000]] [--cases=5000] [--server=built|tsx]
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

const args = process.argv.slice(2);
const json = args.includes('--json');
const value = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const verifyArg = args.find((a) => a === '--verify' || a.startsWith('--verify='));
const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * Runs one part and returns the JSON object on the last line of its output. A part that exits
 * with an error after printing its figures (a differential check that found a difference) still
 * has them reported, and the whole run then exits with 1.
 */
function part(script: string, extra: string[]): Record<string, unknown> {
  log(`bench: ${script} ${extra.join(' ')}`);
  let out: string;
  try {
    out = execFileSync(process.execPath, ['--import', 'tsx', script, '--json', ...extra], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
  } catch (error) {
    const printed = (error as { stdout?: string }).stdout?.trim();
    if (!printed?.endsWith('}')) throw error;
    log(`bench: ${script} failed (see above)`);
    process.exitCode = 1;
    out = printed;
  }
  const last = out.trim().split('\n').at(-1)!;
  return JSON.parse(last) as Record<string, unknown>;
}

const load = () => loadavg().map((l) => Math.round(l * 100) / 100);
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGb: Math.round(totalmem() / 2 ** 30),
  freeMemoryGbAtStart: Math.round(freemem() / 2 ** 30),
  // other work on the machine shows here: on an idle 2-core machine the 1-minute figure is < 0.5
  loadAverageAtStart: load(),
};

const engineArgs = args.filter((a) => a === verifyArg || a.startsWith('--cases='));
const { verify: equivalence, machine: engineMachine, ...engine } = part('test/bench/engine.bench.ts', engineArgs);

let validator: Record<string, unknown> | undefined;
if (verifyArg) {
  const inputs = verifyArg.includes('=') ? verifyArg.split('=')[1]! : '1000000';
  validator = existsSync('test/bench/validator.bench.ts')
    ? (part('test/bench/validator.bench.ts', [`--inputs=${inputs}`]).validator as Record<string, unknown>)
    : { skipped: 'test/bench/validator.bench.ts is not there yet' };
}

const service = part('test/bench/service.bench.ts', [
  `--decisions=${value('decisions', '100000')}`,
  `--seconds=${value('seconds', '10')}`,
  `--rate=${value('rate', '2000')}`,
  `--verify-rate=${value('verify-rate', '1000')}`,
  `--server=${value('server', 'built')}`,
]);

const result = {
  date: new Date().toISOString().slice(0, 10),
  machine: { ...(engineMachine as object), ...machine, loadAverageAtEnd: load() },
  ...engine,
  ...(equivalence ? { equivalence } : {}),
  ...(validator ? { validator } : {}),
  ...service,
};
if (json) console.log(JSON.stringify(result));
else console.log(JSON.stringify(result, null, 2));
