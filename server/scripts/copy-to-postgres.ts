/**
 * `npm run db:copy-to-postgres -- <DATA_DIR> <postgres-url>`: copies an embedded SQLite data
 * folder (versions, drafts, test cases, accounts, the decision log with its chain, checkpoints,
 * the governance log) into an EMPTY PostgreSQL database in one transaction, then verifies both
 * chains there and prints what it copied. Stop the server on the folder first, or whatever it
 * logs after the copy's snapshot stays behind.
 */
import { CopyError, copyToPostgres } from '../db/pg/copy.js';
import { DatabaseUrlError, redactedUrl } from '../db/pg/open.js';

const [dataDir, url] = process.argv.slice(2);
if (!dataDir || !url) {
  console.error(
    'Gebruik: npm run db:copy-to-postgres -- <DATA_DIR> postgres://gebruiker:wachtwoord@server:5432/database',
  );
  process.exit(2);
}

try {
  const report = await copyToPostgres(dataDir, url);
  console.log(`Gekopieerd naar ${redactedUrl(url)}:`);
  for (const [table, n] of Object.entries(report.counts)) console.log(`  ${table}: ${n}`);
  console.log(
    report.log.ok
      ? `Beslissingenlog: keten klopt (${report.log.checked} regels).`
      : `Beslissingenlog: keten klopt NIET vanaf regel ${report.log.firstBroken?.seq}: ${report.log.firstBroken?.reason}.`,
  );
  console.log(
    report.governance.ok
      ? `Governance-log: keten klopt (${report.governance.checked} regels).`
      : `Governance-log: keten klopt NIET vanaf regel ${report.governance.firstBroken?.seq}: ${report.governance.firstBroken?.reason}.`,
  );
  process.exit(report.log.ok && report.governance.ok ? 0 : 1);
} catch (error) {
  if (error instanceof CopyError || error instanceof DatabaseUrlError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
