import { defineConfig } from 'drizzle-kit';

// `npm run db:generate:pg` writes a PostgreSQL migration for every change to pg/schema.ts; they are
// committed and applied at start (server/db/pg/open.ts). Keep pg/schema.ts in step with schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/pg/schema.ts',
  out: './server/db/migrations-pg',
});
