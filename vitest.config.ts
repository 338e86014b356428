import { defineConfig } from 'vitest/config';
import { SLOW_TESTS } from './test/slow-tier.js';

/** Shared by the default suite (`npm test`) and the slow tier (`npm run test:slow`). */
export const testOptions = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // Vitest's default is one worker fewer than the cores (1 on 2-core CI machines); many files
  // mostly wait on subprocesses, HTTP emulators and Postgres, so two run side by side.
  maxWorkers: 2,
};

export default defineConfig({
  test: {
    ...testOptions,
    include: ['test/**/*.test.ts'],
    // CI runs these after the default suite (vitest.slow.config.ts, test/slow-tier.ts).
    exclude: ['**/node_modules/**', ...SLOW_TESTS],
  },
});
