import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * The durability files whose behaviour Redis Cluster changes, run again by the `cluster` project
 * with the bot on a 3-master cluster. The others (a restart, a clock, two instances, a worker-only
 * process) use the same BullMQ calls as these and gain nothing from a second run; the plain cluster
 * wiring (connect, hash-tagged prefix, enqueue and run a job) is tests/integration/redis-cluster.test.ts.
 */
const CLUSTER_SENSITIVE = [
  // Reconnect re-sends: the cluster client re-reads the slot map and re-sends what was queued
  // while every master was gone; the flush and the reconciler's re-add must reach the prefix's master.
  'tests/durability/redis-loss.test.ts',
  // The reconciler's batched look-up of job keys and its promote (a Lua script whose KEYS are
  // several keys of the prefix): one CROSSSLOT error if a key lacked the hash tag.
  'tests/durability/overdue.test.ts',
  // Stall recovery after a SIGKILLed child bot: BullMQ's moveStalledJobsToWait and lock renewal
  // scripts (multi-key Lua) run from two processes on the cluster.
  'tests/durability/worker-crash.test.ts',
];

/**
 * Files that assert real-time bounds a busy neighbour skews: run one at a time, after the others
 * (the `alone` project). slack-scopes failed in all three runs with another file beside it (a
 * nudge sent while the scope was missing; never alone), the pacing files assert waits of
 * 150-1500 ms, and the digest must be posted within 5 s of 09:00.
 */
const ALONE = [
  'tests/e2e/slack-scopes.test.ts',
  'tests/e2e/slack-pacing.test.ts',
  'tests/integration/slack-pacer.test.ts',
  'tests/e2e/digest-schedule.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    // A worker process runs file after file instead of one process per file: the libraries every
    // file loads (Bolt and the Web API, BullMQ, ioredis, drizzle, postgres, pino, twilio, echarts)
    // and the code under test are imported once per worker, not 145 times (about half of a small
    // file's time). Each file still starts its own bot, fake Slack, database and queue prefix; src
    // keeps no module state a file could see (the one process-wide counter, deduplicated Slack
    // deliveries, is read as a difference). `--isolate` gives each file a fresh process again.
    isolate: false,
    // Most files wait on the bot, Slack's fake, Postgres and Redis rather than compute: two at once
    // on two cores (vitest's default is one fewer than the cores). `--maxWorkers=1` to compare.
    maxWorkers: Math.max(2, availableParallelism()),
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { TZ: process.env.TZ ?? 'UTC' },
    projects: [
      {
        // The fault suite (tests/faults) restarts private servers: `npm run test:faults`, run by CI after this.
        extends: true,
        test: {
          name: 'default',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/faults/**', ...ALONE],
          // Migrates a template database once and builds the child bots' bundle once.
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        // ALONE, one file at a time once `default` and `cluster` are done.
        extends: true,
        test: {
          name: 'alone',
          include: ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        // The files above again, with the bot on a 3-master Redis Cluster (REDIS_CLUSTER_NODES).
        extends: true,
        test: {
          name: 'cluster',
          include: CLUSTER_SENSITIVE,
          globalSetup: ['tests/support/global-setup.ts', 'tests/support/cluster-global-setup.ts'],
        },
      },
    ],
  },
});
