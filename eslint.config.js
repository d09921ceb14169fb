// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Imports point inward: the engine knows nothing of HTTP, SQL, the DOM or the other folders. */
const engineStaysPure = {
  group: [
    '**/server/**',
    '**/editor/**',
    'hono',
    'hono/*',
    '@hono/*',
    'drizzle-orm',
    'drizzle-orm/*',
    'better-sqlite3',
    'solid-js',
    'solid-js/*',
    'monaco-editor',
    'monaco-editor/*',
  ],
  message: 'engine/ must stay pure: server/ and editor/ depend on engine/, never the reverse.',
};

/**
 * The engine's surfaces: `engine/index.ts` for Node (the server, its scripts, the command line; it
 * also re-exports the loader), `engine/browser.ts` for the editor (nothing that needs Node), and
 * the generated JSON Schemas. Anything deeper is the engine's own business; tests may import it.
 */
const engineSurface = (surfaces) => ({
  group: ['**/engine/**', ...surfaces.map((s) => `!**/engine/${s}`), '!**/engine/generated/*.json'],
  message: `Import the engine through its surface (${surfaces.map((s) => `engine/${s}`).join(', ')}), not its modules.`,
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'engine/generated/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineStaysPure] }] },
  },
  {
    // Only the loader, the scripts and the command line touch the file system.
    files: ['engine/**/*.ts'],
    ignores: ['engine/loader.ts', 'engine/scripts/**', 'engine/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:fs', message: 'Only engine/loader.ts reads files.' },
            { name: 'node:fs/promises', message: 'Only engine/loader.ts reads files.' },
          ],
          patterns: [engineStaysPure],
        },
      ],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineSurface(['index.js'])] }] },
  },
  {
    // the service, the routes and the workers see the store's contract (server/db/store.ts), never
    // the driver behind it: SQLite and PostgreSQL stay interchangeable
    files: ['server/**/*.ts'],
    // the copy command moves rows between the two databases: a database tool, not a store user
    ignores: ['server/db/**', 'server/scripts/copy-to-postgres.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            engineSurface(['index.js']),
            {
              group: ['drizzle-orm', 'drizzle-orm/*', 'better-sqlite3', 'pg', 'postgres'],
              message: 'Only server/db/ talks to the database; use the Store contract (server/db/store.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['editor/**/*.ts', 'editor/**/*.tsx'],
    rules: { 'no-restricted-imports': ['error', { patterns: [engineSurface(['browser.js'])] }] },
  },
  {
    // dependencies point one way: no module reaches itself through its imports (type imports included)
    files: ['engine/**/*.ts', 'server/**/*.ts', 'editor/**/*.ts', 'editor/**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      // the TypeScript settings (which files to parse as TypeScript), with the resolver that maps
      // an import of `./x.js` to `x.ts`
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver()],
    },
    rules: { 'import-x/no-cycle': 'error' },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in tests.' },
      ],
    },
  },
);
