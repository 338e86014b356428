import { defineConfig } from 'vitest/config';
import { SLOW_TESTS } from './test/slow-tier.js';
import { testOptions } from './vitest.config.js';

/** The slow tier (`npm run test:slow`): the files test/slow-tier.ts lists, run by CI after `npm test`. */
export default defineConfig({
  test: { ...testOptions, include: SLOW_TESTS },
});
