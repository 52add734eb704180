import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['candor-source'] },
  test: {
    include: ['server/test/**/*.test.ts', 'test/**/*.test.ts', 'client/test/unit/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
