/**
 * `npm run backup -- FILE`: a consistent copy of the database in DATA_DIR (default ./data), taken
 * with `VACUUM INTO` while the server may be running. Restore by stopping the server and putting
 * the copy in place as `DATA_DIR/rules.sqlite`.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '../db/open.js';

const target = process.argv[2];
if (!target) {
  console.error('Gebruik: npm run backup -- pad/naar/backup.sqlite');
  process.exit(2);
}
const dataDir = process.env.DATA_DIR ?? './data';
if (!existsSync(join(dataDir, 'rules.sqlite'))) {
  console.error(`Geen database gevonden in ${resolve(dataDir)}.`);
  process.exit(1);
}
if (existsSync(target)) {
  console.error(`${target} bestaat al; kies een nieuw bestand.`);
  process.exit(1);
}
// read-only, without the folder's lock: the server may be running and holds it
const store = openDatabase(join(dataDir, 'rules.sqlite'), { readonly: true });
await store.backup(target);
await store.close();
console.log(`Backup geschreven naar ${resolve(target)}`);
