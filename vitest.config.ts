import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** One runner, four projects: unit (fast, per source file), integration (real servers on
 * 127.0.0.1, real SQLite files), integration-pg (the platform's integration tests again on
 * PostgreSQL, plus the several-instances tests) and e2e (the built renderer in Debian Chromium via
 * Playwright). */
export default defineConfig({
  plugins: [react()],
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Vitest's default is one worker fewer than the CPUs: one at a time on CI's 2 cores, where most
    // files wait on servers, PostgreSQL or Chromium (load about 1), and the run took 12.5 minutes.
    // Three at a time keeps the cores busy; not more, so each PostgreSQL file's connection pools
    // stay well under the cluster's 100 connections.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 15_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: ['test/integration/postgres/**'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration-pg',
          include: ['test/integration/src-platform/**/*.test.ts', 'test/integration/security/**/*.test.ts', 'test/integration/postgres/**/*.test.ts'],
          environment: 'node',
          env: { PLATFORM_TEST_DIALECT: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
