import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): Postgres and Redis restarted, a Slack outage, a worker
 * killed, skewed clocks. Slow by nature (each file waits out its outage), so `npm test` leaves it
 * out. Each file starts servers and bot processes of its own (a private Postgres or Redis, its own
 * database, queue prefix and fake Slack), so the files run side by side: the suite takes about as
 * long as its longest outage, not their sum. Two files run alone, after the others: the heartbeat
 * file asserts pings within 600 ms of a stop, and slack-configuration reads a refused row's state
 * at one instant (retries paced by a 500 ms reconciler); a busy neighbour skews both (it failed
 * twice beside the others under load, and passed alone in 25 s).
 */
const ALONE = ['tests/faults/heartbeat.test.ts', 'tests/faults/slack-configuration.test.ts'];

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
