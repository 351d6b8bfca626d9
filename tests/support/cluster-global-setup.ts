import type { TestProject } from 'vitest/node';
import { startRedisCluster } from './redis-cluster.js';

/**
 * The `cluster` project's set-up: one 3-master Redis Cluster for the whole run, handed to its
 * test files with provide() (testRedisCluster in infra.ts reads it), so the `default` project,
 * running in the same vitest process, keeps the one Redis.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startRedisCluster();
  project.provide('redisCluster', cluster.nodes);
  return () => cluster.stop();
}
