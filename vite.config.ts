/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// One config for the editor build (root editor/, output dist/editor, /api proxied to the server
// in `npm run dev`) and for vitest (root of the repository).
const testing = Boolean(process.env.VITEST);

export default defineConfig({
  root: testing ? '.' : 'editor',
  plugins: [solid()],
  build: { outDir: '../dist/editor', emptyOutDir: true, chunkSizeWarningLimit: 5000 },
  server: { port: 5173, proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 8787}` } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // one temporary folder for the run, removed at its end
    globalSetup: ['test/support/temp-folder.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // No `.only` may slip into CI.
    allowOnly: !process.env.CI,
  },
});
