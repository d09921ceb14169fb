// @ts-check
import js from '@eslint/js';
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
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='only']", message: 'No .only in tests.' },
      ],
    },
  },
);
