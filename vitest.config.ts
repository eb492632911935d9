import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Guards against hangs, not speed limits (those are benchmarks): tests that start CLI processes
    // or replay months of scheduler days need minutes on a shared 2-core machine under load.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: { TZ: process.env.TZ ?? 'UTC' },
  },
});
