/**
 * `npm start`. The HTTP server (Hono, drizzle over better-sqlite3) is the next step of the
 * roadmap; until it lands this entry point checks that the rule sets in `rules/` load and says
 * how to decide a case from the command line.
 */
import { loadRepository } from '../engine/loader.js';

const repository = loadRepository();
const versions = repository.all();
console.log(`Regelsets geladen: ${versions.length} versies (${versions.filter((v) => v.document.kind === 'region').length} regionaal).`);
for (const v of versions.filter((x) => x.document.kind === 'region')) {
  console.log(`  ${v.document.id} v${v.document.version} geldig vanaf ${v.document.validFrom}  ${v.contentHash.slice(0, 19)}…`);
}
console.log('\nDe server (API en editor) komt in een volgende stap.');
console.log('Beslis nu een casus met: npm run --silent evaluate -- casus.json');
