/**
 * `npm run --silent evaluate -- [--backend compiled|json-rules-engine] CASE.json` (or `-` for
 * standard input): decides one case against the rule sets in `rules/`, with no server and no
 * database. Prints the decision on standard output (exit 0), or an RFC 9457 problem document on
 * standard error (exit 2) when the case does not fit the schema. Exit 1 when the rule sets
 * themselves cannot be loaded.
 *
 * `--batch CASES.ndjson` (or `-`): one case a line (NDJSON), decided line by line; NDJSON on
 * standard output in input order, each line `{ "line", "id": null, …decision }` (no trace unless
 * `--trace`) or `{ "line", "problem" }`, as POST /api/evaluate/batch answers, but nothing is
 * logged: the command line has no server and no database. A bad line does not stop the batch;
 * exit 0 when every line was decided, 2 when some were problems. For long runs a progress line
 * on standard error every second (lines, rate). Memory stays flat: lines are read as a stream and
 * written as standard output takes them.
 *
 * `--backend compiled` (the default) decides as the server does: the compiled backend, falling
 * back to json-rules-engine for a rule set it refuses. `--backend json-rules-engine` decides on the
 * reference engine alone, to cross-check one decision.
 */
import { createReadStream, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import {
  BACKENDS,
  CaseValidationError,
  decideLine,
  decisionTail,
  DecisionEngine,
  EngineError,
  loadRepository,
  problemDocument,
  type BackendName,
} from '../index.js';

const USAGE = `Gebruik: npm run --silent evaluate -- [--backend ${Object.keys(BACKENDS).join('|')}] CASUS.json   (of - voor standaardinvoer)
       npm run --silent evaluate -- [--backend …] [--trace] --batch CASUSSEN.ndjson   (een casus per regel, of -)\n`;

function fail(error: EngineError, exitCode: number): never {
  process.stderr.write(`${JSON.stringify(problemDocument(error, exitCode === 2 ? 400 : 500), null, 2)}\n`);
  process.exit(exitCode);
}

function usage(message?: string): never {
  process.stderr.write(`${message ? `${message}\n` : ''}${USAGE}`);
  process.exit(2);
}

function isBackendName(name: string): name is BackendName {
  return Object.hasOwn(BACKENDS, name);
}

function parse() {
  try {
    return parseArgs({
      options: {
        backend: { type: 'string', default: 'compiled' },
        batch: { type: 'string' },
        trace: { type: 'boolean', default: false },
      },
      allowPositionals: true,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
}

async function main() {
  const args = parse();
  const backend = args.values.backend;
  if (!isBackendName(backend)) usage(`Onbekende backend ${backend}.`);
  if (args.values.batch !== undefined) return batch(args.values.batch, backend, args.values.trace);
  const arg = args.positionals[0];
  if (!arg) usage();
  let text: string;
  try {
    text = readFileSync(arg === '-' ? 0 : arg, 'utf8');
  } catch (cause) {
    fail(
      new EngineError('CASE_NOT_READABLE', `Kan ${arg} niet lezen: ${(cause as Error).message}`, [
        { path: '$', message: 'Bestand niet gevonden of niet leesbaar.', code: 'CASE_NOT_READABLE' },
      ]),
      2,
    );
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (cause) {
    fail(
      new CaseValidationError([
        { path: '$', message: `Geen geldige JSON: ${(cause as Error).message}`, code: 'INVALID_JSON' },
      ]),
      2,
    );
  }

  const engine = engineOf(backend);
  try {
    const decision = await engine.decide(input);
    process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
  } catch (error) {
    if (error instanceof CaseValidationError) fail(error, 2);
    throw error;
  }
}

/** Loads the rule sets in `rules/`, or exits 1 with the problem. */
function engineOf(backend: BackendName): DecisionEngine {
  try {
    return new DecisionEngine(loadRepository(), BACKENDS[backend]);
  } catch (error) {
    if (error instanceof EngineError) fail(error, 1);
    throw error;
  }
}

/** `--batch FILE`: see the module comment. */
async function batch(file: string, backend: BackendName, trace: boolean) {
  const input = file === '-' ? process.stdin : createReadStream(file);
  const opened = once(input, 'readable').catch((cause: Error) =>
    fail(
      new EngineError('CASE_NOT_READABLE', `Kan ${file} niet lezen: ${cause.message}`, [
        { path: '$', message: 'Bestand niet gevonden of niet leesbaar.', code: 'CASE_NOT_READABLE' },
      ]),
      2,
    ),
  );
  if (file !== '-') await opened;
  const engine = engineOf(backend);
  const started = performance.now();
  let lines = 0;
  let problems = 0;
  const progress = setInterval(() => {
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`batch: ${lines} regels, ${Math.round(lines / seconds)} per seconde\n`);
  }, 1000);
  progress.unref();
  let out = '';
  const flush = async () => {
    // as fast as standard output takes it, no faster: memory stays flat however long the input
    if (!process.stdout.write(out)) await once(process.stdout, 'drain');
    out = '';
  };
  for await (const text of createInterface({ input, crlfDelay: Infinity })) {
    lines++;
    if (text.trim() === '') continue;
    const result = await decideLine(engine, text, undefined, { trace });
    if (result.ok) out += `{"line":${lines},"id":null,${decisionTail(result.decision, trace)}\n`;
    else {
      problems++;
      out += `{"line":${lines},"problem":${JSON.stringify(result.problem)}}\n`;
    }
    if (out.length > 64 * 1024) await flush();
  }
  await flush();
  clearInterval(progress);
  // a closing line however short the run: the totals a person checks the output against
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `batch: ${lines} regels, ${Math.round(lines / Math.max(seconds, 0.001))} per seconde, klaar in ${seconds.toFixed(1)} s, ${problems} met een probleem\n`,
  );
  process.exitCode = problems > 0 ? 2 : 0;
}

await main();
