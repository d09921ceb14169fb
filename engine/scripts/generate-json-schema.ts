/**
 * Writes engine/generated/*.schema.json from the zod schemas, and the case validator generated
 * from the case schema (npm run schema; npm run build runs it too).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedJsonSchemas } from '../json-schema.js';
import { CASE_VALIDATOR_FILE, caseValidatorSource } from './case-validator.js';

const engine = fileURLToPath(new URL('../', import.meta.url));
mkdirSync(`${engine}generated/`, { recursive: true });
for (const [file, text] of Object.entries(generatedJsonSchemas())) {
  writeFileSync(`${engine}generated/${file}`, text);
  console.log(`wrote engine/generated/${file}`);
}
writeFileSync(`${engine}${CASE_VALIDATOR_FILE}`, caseValidatorSource());
console.log(`wrote engine/${CASE_VALIDATOR_FILE}`);
