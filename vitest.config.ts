import { defineConfig } from 'vitest/config';

const serverSetup = ['packages/server/test/global-setup.ts'];
/** expect.poll waits for a condition: up to 15 s, not vitest's default 1 s, so a busy machine slows a test without failing it. */
const expect = { poll: { timeout: 15_000 } };

export default defineConfig({
  test: {
    projects: [
      { test: { name: 'core', include: ['packages/core/src/**/*.test.ts'], expect } },
      {
        test: {
          name: 'server',
          include: ['packages/server/src/**/*.test.ts', 'packages/server/test/**/*.test.ts'],
          exclude: ['packages/server/src/proxy/**', 'packages/server/src/otlp/**', 'packages/server/test/gateway/**', '**/node_modules/**'],
          globalSetup: serverSetup,
          expect,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'sdk',
          include: ['packages/sdk/src/**/*.test.ts', 'packages/sdk/test/**/*.test.ts', 'sdks/python/*.test.ts'],
          globalSetup: serverSetup,
          expect,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'cli',
          include: ['packages/cli/src/**/*.test.ts', 'packages/cli/test/**/*.test.ts'],
          globalSetup: serverSetup,
          expect,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'web',
          include: ['packages/web/test/**/*.test.ts'],
          globalSetup: serverSetup,
          expect,
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'gateway',
          include: ['packages/server/src/proxy/**/*.test.ts', 'packages/server/src/otlp/**/*.test.ts', 'packages/server/test/gateway/**/*.test.ts'],
          globalSetup: serverSetup,
          expect,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
