/**
 * `npm run --silent evaluate -- CASE.json` (or `-` for standard input): decides one case against
 * the rule sets in `rules/`, with no server and no database. Prints the decision on standard
 * output (exit 0), or an RFC 9457 problem document on standard error (exit 2) when the case does
 * not fit the schema. Exit 1 when the rule sets themselves cannot be loaded.
 */
import { readFileSync } from 'node:fs';
import { DecisionEngine } from '../decide.js';
import { CaseValidationError, EngineError, problemDocument } from '../errors.js';
import { loadRepository } from '../loader.js';

function fail(error: EngineError, exitCode: number): never {
  process.stderr.write(`${JSON.stringify(problemDocument(error, exitCode === 2 ? 400 : 500), null, 2)}\n`);
  process.exit(exitCode);
}

async function main() {
  const arg = process.argv[2];
  if (!arg) {
    process.stderr.write('Gebruik: npm run --silent evaluate -- CASUS.json   (of - voor standaardinvoer)\n');
    process.exit(2);
  }
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
    engine = new DecisionEngine(loadRepository());
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
