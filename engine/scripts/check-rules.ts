/** Validates every file in rules/ against the schema and prints a line per file. */
import { loadRuleSetFiles } from '../loader.js';

const dir = process.argv[2] ?? 'rules';
try {
  for (const { file, document } of loadRuleSetFiles(dir)) {
    console.log(`ok  ${file}  (${document.kind} ${document.id} v${document.version} from ${document.validFrom})`);
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
