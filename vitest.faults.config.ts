import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): Postgres and Redis restarted, a Slack outage, a worker
 * killed, skewed clocks. Slow by nature (the Slack outage lasts two minutes), so `npm test` leaves
 * it out. Its files run one at a time: each starts servers and bot processes of its own, and their
 * figures are timings that a neighbour's load would skew.
 */
export default defineConfig({
  test: {
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 60_000,
    env: { TZ: process.env.TZ ?? 'UTC' },
  },
});
