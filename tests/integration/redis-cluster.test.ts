import type { Cluster } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { finishAction, insertScheduledActions } from '../../src/db/repos/scheduled-actions.js';
import { createActionQueue, type ActionQueue } from '../../src/jobs/action-queue.js';
import { startActionWorker } from '../../src/jobs/action-worker.js';
import { reconcileActions } from '../../src/jobs/reconciler.js';
import { createActionLimiter } from '../../src/rate-limiters/action-limiter.js';
import { createMetrics } from '../../src/metrics.js';
import { producerConnection, resolveRedis, workerConnection, type RedisConnection } from '../../src/redis.js';
import { BOT_TOKEN, eventually, SIGNING_SECRET } from '../support/meridian-harness.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';
import { createTestDatabase, testQueuePrefix } from '../support/test-database.js';

/**
 * The queue, the worker, the reconciler and the limits on a 3-master Redis Cluster of this
 * file's own, connected the way the bot connects (REDIS_CLUSTER_NODES through loadConfig and
 * resolveRedis), and every key they write under the one hash-tagged prefix, in one slot.
 */
const prefix = testQueuePrefix(import.meta.url);
const logger = pino({ level: 'silent' });
let cluster: TestRedisCluster;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let producer: RedisConnection;
let blocking: RedisConnection;
let queue: ActionQueue;

beforeAll(async () => {
  cluster = await startRedisCluster();
  database = await createTestDatabase(import.meta.url);
  const config = loadConfig({ ...baseEnv, REDIS_CLUSTER_NODES: cluster.nodes, QUEUE_PREFIX: prefix });
  const endpoint = await resolveRedis({ cluster: { nodes: config.REDIS_CLUSTER_NODES! }, dataDir: '/nonexistent', logger });
  producer = producerConnection(endpoint);
  blocking = workerConnection(endpoint);
  queue = createActionQueue({ connection: producer, prefix, logger });
}, 30_000);
afterAll(async () => {
  await queue?.close();
  producer?.disconnect();
  blocking?.disconnect();
  await database?.drop();
  await cluster?.stop();
});

const baseEnv = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

describe('REDIS_CLUSTER_NODES', () => {
  it('reads host:port pairs, and refuses a list that is not one or a REDIS_URL beside it, naming the variables', () => {
    expect(loadConfig({ ...baseEnv, REDIS_CLUSTER_NODES: 'redis-a:7000, 10.0.0.2:7001' }).REDIS_CLUSTER_NODES).toEqual([
      { host: 'redis-a', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...baseEnv, ...env });
      } catch (err) {
        if (err instanceof ConfigError) return err.problems;
        throw err;
      }
      return [];
    };
    expect(problems({ REDIS_CLUSTER_NODES: 'redis-a' })).toEqual([expect.stringMatching(/^REDIS_CLUSTER_NODES: expected host:port pairs/)]);
    expect(problems({ REDIS_CLUSTER_NODES: 'redis-a:7000', REDIS_URL: 'redis://redis-a:7000' })).toEqual([
      expect.stringMatching(/^REDIS_CLUSTER_NODES and REDIS_URL are both set/),
    ]);
    expect(problems({ REDIS_PASSWORD: 'secret', REDIS_URL: 'redis://redis-a:6379' })).toEqual([
      expect.stringMatching(/^REDIS_PASSWORD is for REDIS_CLUSTER_NODES/),
    ]);
  });
});

describe('Meridian on a Redis Cluster', () => {
  it('when rows are enqueued, lost and reconciled, then the worker runs each once, the limits count, and every key of the prefix sits in one slot', async () => {
    const ran: string[] = [];
    const worker = startActionWorker({
      connection: blocking,
      prefix,
      concurrency: 2,
      lockMs: 10_000,
      logger,
      run: async (id) => {
        ran.push(id);
        await finishAction(database.db, id, 'done', new Date());
      },
    });
    try {
      const due = (n: number) =>
        Array.from({ length: n }, () => ({
          incidentId: null,
          kind: 'set-up-channel' as const,
          dueAt: new Date(),
          data: {},
          dedupeKey: null,
        }));
      // Enqueued by the producer, as a service does after its commit.
      const enqueued = await insertScheduledActions(database.db, due(3));
      await queue.enqueue(enqueued);
      // Never reached Redis: the reconciler's batched Lua look-up finds them missing and adds them.
      const lost = await insertScheduledActions(database.db, due(4));
      const report = await reconcileActions({ db: database.db, queue, logger, metrics: createMetrics(), clock: () => new Date() });
      expect(report.reenqueued).toBe(4);
      // One for later: its job waits in the delayed set, so the scan below sees a job's own keys.
      const [later] = await insertScheduledActions(database.db, [{ ...due(1)[0]!, dueAt: new Date(Date.now() + 3_600_000) }]);
      await queue.enqueue([later!]);
      const all = [...enqueued, ...lost].map((r) => r.id);
      await eventually(() => all.every((id) => ran.includes(id)), 'every row run by the worker', 10_000);
      // A later pass finds nothing pending and adds nothing: the sentinel that no row runs twice.
      expect(await reconcileActions({ db: database.db, queue, logger, metrics: createMetrics(), clock: () => new Date() })).toEqual({
        pending: 1,
        reenqueued: 0,
        overdueFired: 0,
      });
      expect([...ran].sort()).toEqual([...all].sort());

      const limits = { perUserPerHour: 2, perTeamPerHour: null };
      const limiter = createActionLimiter({
        redis: producer,
        keyPrefix: `${prefix}:limit`,
        limits: { declare: limits, escalate: limits, review: limits, override: limits },
        logger,
      });
      const who = { userId: 'U0CLUSTER1', teamId: 'T0CLUSTER' };
      expect(await limiter.consume('declare', who)).toBeNull();
      expect(await limiter.consume('declare', who)).toBeNull();
      expect(await limiter.consume('declare', who)).toMatchObject({ scope: 'user', limit: 2 });

      const masters = (producer as Cluster).nodes('master');
      expect(masters).toHaveLength(3);
      const keysByMaster = await Promise.all(masters.map((m) => scanAll(m, `${prefix}:*`)));
      const keys = keysByMaster.flat();
      expect(keys).toEqual(
        expect.arrayContaining([`${prefix}:actions:${later!.id}`, `${prefix}:actions:delayed`, `${prefix}:limit:declare:user:U0CLUSTER1`]),
      );
      expect(keysByMaster.filter((k) => k.length > 0)).toHaveLength(1);
      const slots = new Set(await Promise.all(keys.map((k) => masters[0]!.cluster('KEYSLOT', k))));
      expect([...slots]).toEqual([await masters[0]!.cluster('KEYSLOT', prefix)]);
    } finally {
      await worker.close();
    }
  }, 30_000);
});

async function scanAll(server: ReturnType<Cluster['nodes']>[number], match: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await server.scan(cursor, 'MATCH', match, 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}
