/**
 * `npm run bench`: every speed figure in one run — engine cases per second (reference and, when
 * present, compiled backend), impact analysis over N logged decisions (time, peak RSS), and
 * POST /api/evaluate with logging at a fixed rate (p50 / p99). `-- --json` prints one JSON
 * object; `-- --verify` passes through to the engine's differential check. Each part runs in a
 * process of its own, so one part's memory does not count against another's.
 *
 *   npm run bench [-- --json] [-- --decisions=100000] [-- --rate=1000 --seconds=10]
 */
import { execFileSync } from 'node:child_process';

const args = process.argv.slice(2);
const json = args.includes('--json');
const value = (name: string, fallback: string) =>
  args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;

function part(script: string, extra: string[]): Record<string, unknown> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, '--json', ...extra], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const last = out.trim().split('\n').at(-1)!;
  return JSON.parse(last) as Record<string, unknown>;
}

const engineArgs = args.filter((a) => a === '--verify' || a.startsWith('--cases='));
const engine = part('test/bench/engine.bench.ts', engineArgs);
const impact = part('test/bench/impact.bench.ts', [`--decisions=${value('decisions', '100000')}`]);
const evaluate = part('test/load/loadtest.ts', [
  `--rate=${value('rate', '1000')}`,
  `--seconds=${value('seconds', '10')}`,
  '--connections=16',
]);

const result = { date: new Date().toISOString().slice(0, 10), ...engine, impact, evaluate };
if (json) console.log(JSON.stringify(result));
else console.log(JSON.stringify(result, null, 2));
