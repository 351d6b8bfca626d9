import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import postgres from 'postgres';
import { Cluster, Redis } from 'ioredis';
import { inject } from 'vitest';
import type { Config } from '../../src/config.js';

export const ADMIN_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `host:port,...` of the Redis Cluster the `cluster` project's global setup started. */
    redisCluster?: string;
  }
}

/**
 * The Redis Cluster (`host:port,...`) the bot under test runs on, or undefined for the one Redis
 * at TEST_REDIS_URL: MERIDIAN_TEST_REDIS_CLUSTER when set, else the cluster the `cluster` vitest
 * project started (provided per project, so the `default` project never sees it).
 */
export function testRedisCluster(): string | undefined {
  if (process.env.MERIDIAN_TEST_REDIS_CLUSTER) return process.env.MERIDIAN_TEST_REDIS_CLUSTER;
  // Benches import this support outside vitest, where inject() throws.
  return process.env.VITEST_WORKER_ID ? inject('redisCluster') : undefined;
}

/** The bot's Redis settings for the test Redis: one of the two, the other blanked (an inherited one must not win). */
export function testRedisEnv(): { REDIS_URL: string; REDIS_CLUSTER_NODES: string } {
  const cluster = testRedisCluster();
  return cluster ? { REDIS_URL: '', REDIS_CLUSTER_NODES: cluster } : { REDIS_URL: TEST_REDIS_URL, REDIS_CLUSTER_NODES: '' };
}

/** The same Redis settings as `config`, for a child bot that must share its queue. */
export function redisEnvOf(config: Config): { REDIS_URL: string; REDIS_CLUSTER_NODES: string } {
  return {
    REDIS_URL: config.REDIS_URL ?? '',
    REDIS_CLUSTER_NODES: (config.REDIS_CLUSTER_NODES ?? []).map((n) => `${n.host}:${n.port}`).join(','),
  };
}

/** A connection to the test Redis (or cluster) for checks and clean-up; the caller disconnects it. */
export function testRedisClient(): Redis | Cluster {
  const cluster = testRedisCluster();
  if (!cluster) return new Redis(TEST_REDIS_URL);
  return new Cluster(
    cluster.split(',').map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) })),
  );
}

async function postgresAnswers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 }).catch(() => {});
  }
}

/** Whether a Redis at `url` answers PING (one that is still loading its append-only file does not). */
export async function redisAnswers(url: string, connectTimeout = 2000): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

function startPostgresFromSystem(): boolean {
  if (!existsSync('/etc/postgresql')) return false;
  for (const version of readdirSync('/etc/postgresql')) {
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'ignore' });
  }
  return true;
}

function startRedisFromSystem(): boolean {
  try {
    execFileSync('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', '6379', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds Postgres and Redis (DATABASE_URL / REDIS_URL or the local defaults), starts them from
 * the system's binaries when they are installed but stopped, and otherwise fails with one line.
 */
export async function ensureTestInfrastructure(): Promise<void> {
  if (!(await postgresAnswers(ADMIN_DATABASE_URL))) {
    const started =
      !process.env.DATABASE_URL && startPostgresFromSystem() && (await waitFor(() => postgresAnswers(ADMIN_DATABASE_URL), 20_000));
    if (!started) {
      throw new Error(
        `PostgreSQL is not reachable at ${ADMIN_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}: install it (apt-get install postgresql) or set DATABASE_URL.`,
      );
    }
  }
  if (!(await redisAnswers(TEST_REDIS_URL))) {
    const started = !process.env.REDIS_URL && startRedisFromSystem() && (await waitFor(() => redisAnswers(TEST_REDIS_URL), 10_000));
    if (!started) {
      throw new Error(`Redis is not reachable at ${TEST_REDIS_URL}: install it (apt-get install redis-server) or set REDIS_URL.`);
    }
  }
}
