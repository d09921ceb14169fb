/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The editor (issue 4) will add vite-plugin-solid and its build here; for now this file carries
// the test set-up shared by all suites.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    // No `.only` may slip into CI.
    allowOnly: !process.env.CI,
  },
});
