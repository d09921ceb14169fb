/**
 * `npm run --silent evaluate -- [--backend compiled|json-rules-engine] CASE.json` (or `-` for
 * standard input): decides one case against the rule sets in `rules/`, with no server and no
 * database. Prints the decision on standard output (exit 0), or an RFC 9457 problem document on
 * standard error (exit 2) when the case does not fit the schema. Exit 1 when the rule sets
 * themselves cannot be loaded.
 *
 * `--backend compiled` (the default) decides as the server does: the compiled backend, falling
 * back to json-rules-engine for a rule set it refuses. `--backend json-rules-engine` decides on the
 * reference engine alone, to cross-check one decision.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BACKENDS,
  CaseValidationError,
  DecisionEngine,
  EngineError,
  loadRepository,
  problemDocument,
  type BackendName,
} from '../index.js';

const USAGE = `Gebruik: npm run --silent evaluate -- [--backend ${Object.keys(BACKENDS).join('|')}] CASUS.json   (of - voor standaardinvoer)\n`;

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
    return parseArgs({ options: { backend: { type: 'string', default: 'compiled' } }, allowPositionals: true });
  } catch (error) {
    return usage((error as Error).message);
  }
}

async function main() {
  const args = parse();
  const backend = args.values.backend;
  if (!isBackendName(backend)) usage(`Onbekende backend ${backend}.`);
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

  let engine: DecisionEngine;
  try {
    engine = new DecisionEngine(loadRepository(), BACKENDS[backend]);
  } catch (error) {
    if (error instanceof EngineError) fail(error, 1);
    throw error;
  }
  try {
    const decision = await engine.decide(input);
    process.stdout.write(`${JSON.stringify(decision, null, 2)}\n`);
  } catch (error) {
    if (error instanceof CaseValidationError) fail(error, 2);
    throw error;
  }
}

await main();
