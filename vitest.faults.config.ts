import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): Postgres and Redis restarted, a Slack outage, a worker
 * killed, skewed clocks. Slow by nature (each file waits out its outage), so `npm test` leaves it
 * out. Each file starts servers and bot processes of its own (a private Postgres or Redis, its own
 * database, queue prefix and fake Slack), so the files run side by side: the suite takes about as
 * long as its longest outage, not their sum. The heartbeat file asserts pings within 600 ms of a
 * stop, a figure a busy neighbour would skew: it runs alone, after the others.
 */
const ALONE = ['tests/faults/heartbeat.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 240_000,
    hookTimeout: 60_000,
    env: { TZ: process.env.TZ ?? 'UTC' },
    projects: [
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          exclude: ALONE,
          // Most of a fault file's time is an outage waited out; one worker per file (6 files) would
          // start six bots at once on two cores, so three at a time.
          maxWorkers: 3,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: { name: 'faults-alone', include: ALONE, maxWorkers: 1, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
