/** Writes engine/generated/*.schema.json from the zod schemas (npm run schema). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generatedJsonSchemas } from '../json-schema.js';

const dir = fileURLToPath(new URL('../generated/', import.meta.url));
mkdirSync(dir, { recursive: true });
for (const [file, text] of Object.entries(generatedJsonSchemas())) {
  writeFileSync(`${dir}${file}`, text);
  console.log(`wrote engine/generated/${file}`);
}
