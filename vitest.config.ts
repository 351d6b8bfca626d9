import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    env: { TZ: process.env.TZ ?? 'UTC' },
    projects: [
      {
        // The fault suite (tests/faults) restarts private servers for minutes: `npm run test:faults`, run by CI after this.
        extends: true,
        test: {
          name: 'default',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/faults/**'],
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
      {
        // The durability tests again, with the bot on a 3-master Redis Cluster (REDIS_CLUSTER_NODES).
        extends: true,
        test: {
          name: 'cluster',
          include: ['tests/durability/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts', 'tests/support/cluster-global-setup.ts'],
        },
      },
    ],
  },
});
