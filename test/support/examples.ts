/** The contract's example cases, as copied into test/fixtures/examples/ (with expected.json beside them). */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/examples/', import.meta.url));

/** The example files' names (not expected.json), sorted. */
export const exampleFiles = (): string[] =>
  readdirSync(DIR)
    .filter((f) => f.endsWith('.json') && f !== 'expected.json')
    .sort();

/** One example case as parsed JSON. */
export const exampleCase = (file: string): unknown => JSON.parse(readFileSync(`${DIR}${file}`, 'utf8'));
