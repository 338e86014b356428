import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores (1 on 2-core CI machines); many files
    // mostly wait on subprocesses, HTTP emulators and Postgres, so two run side by side.
    maxWorkers: 2,
  },
});
