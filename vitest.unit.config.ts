import { defineConfig } from 'vitest/config';

/**
 * The inner loop (`npm run test:unit`): the pure tests under tests/unit, with no Postgres, Redis,
 * child process or global setup; threads, not forks (nothing here needs a process of its own).
 * `npm test` runs them too, in its `default` project.
 */
export default defineConfig({
  test: {
    name: 'unit',
    include: ['tests/unit/**/*.test.ts'],
    pool: 'threads',
    // One module graph per worker, not per file (as `npm test` does): 83 s to 44 s here under load.
    isolate: false,
    testTimeout: 20_000,
    env: { TZ: process.env.TZ ?? 'UTC' },
  },
});
