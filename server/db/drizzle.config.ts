import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a migration for every change to schema.ts; they are committed and
// applied at start (server/db/open.ts).
export default defineConfig({
  dialect: 'sqlite',
  schema: './server/db/schema.ts',
  out: './server/db/migrations',
});
