import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetOf } from '../../src/slack-api/method-tiers.js';
import { createPacer, PacingTimeout, type Pacer, type PacerOptions } from '../../src/slack-api/pacer.js';
import { TEST_REDIS_URL } from '../support/infra.js';

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const redis = new Redis(TEST_REDIS_URL, { enableOfflineQueue: false });
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
  }
  redis.disconnect();
});

/** A pacer on the shared test Redis under a prefix of its own (pass the same prefix for a second replica). */
function onRedis(prefix: string, opts: Partial<PacerOptions> = {}): Pacer {
  prefixes.push(prefix);
  return createPacer({ redis, keyPrefix: prefix, logger: silent, ...opts });
}

const freshPrefix = () => `{pacer-test-${randomUUID().slice(0, 8)}}:pace`;

/** Starts `n` calls at once; resolves with each one's finish time after `t0`, in the order they finished. */
async function burst(pacer: Pacer, n: number, method: string, channel?: string, urgency: 'urgent' | 'normal' = 'normal') {
  const t0 = Date.now();
  const done: number[] = [];
  await Promise.all(Array.from({ length: n }, () => pacer.acquire(method, channel, { urgency }).then(() => done.push(Date.now() - t0))));
  return done;
}

describe('Slack pacer', () => {
  it('lets a burst through, then paces at the budget (in memory)', async () => {
    // chat.postMessage at 10x: 30 at once per channel, then 10 a second; normal callers leave 2 for urgent ones.
    const pacer = createPacer({ logger: silent, scale: 10 });
    const waits: Array<{ method: string; tier: string; seconds: number }> = [];
    const paced = createPacer({
      logger: silent,
      scale: 10,
      onWait: (method, tier, seconds) => waits.push({ method, tier: String(tier), seconds }),
    });
    const times = await burst(paced, 33, 'chat.postMessage', 'C1');
    expect(times.filter((t) => t < 50)).toHaveLength(28);
    // The five beyond the burst come one every 100 ms.
    expect(Math.max(...times)).toBeGreaterThanOrEqual(450);
    expect(Math.max(...times)).toBeLessThan(900);
    expect(waits).toHaveLength(33);
    expect(waits.every((w) => w.method === 'chat.postMessage' && w.tier === 'post')).toBe(true);
    // Other channels and other methods have budgets of their own.
    const other = await burst(pacer, 10, 'chat.postMessage', 'C2');
    expect(Math.max(...other)).toBeLessThan(50);
    expect(budgetOf(2, 10)).toEqual({ capacity: 200, perSecond: 200 / 60 });
  });

  it('serves an urgent caller before normal ones that queued first, and from the reserve', async () => {
    const pacer = onRedis(freshPrefix(), { scale: 10 });
    // Use up what normal callers may take, then queue ten more.
    await burst(pacer, 28, 'chat.postMessage', 'C1');
    const order: string[] = [];
    const normals = Array.from({ length: 10 }, (_, i) =>
      pacer.acquire('chat.postMessage', 'C1', { urgency: 'normal' }).then(() => order.push(`normal-${i}`)),
    );
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    await pacer.acquire('chat.postMessage', 'C1', { urgency: 'urgent' });
    order.push('urgent');
    // The reserve holds a token for it: no wait behind the ten.
    expect(Date.now() - t0).toBeLessThan(60);
    await Promise.all(normals);
    expect(order[0]).toBe('urgent');

    // Without a reserve, the urgent caller still goes first in line.
    const tight = createPacer({ logger: silent, scale: 10, reserve: 0 });
    await burst(tight, 30, 'chat.postMessage', 'C9');
    const line: string[] = [];
    const queued = Array.from({ length: 5 }, (_, i) =>
      tight.acquire('chat.postMessage', 'C9', { urgency: 'normal' }).then(() => line.push(`normal-${i}`)),
    );
    await new Promise((r) => setTimeout(r, 20));
    await tight.acquire('chat.postMessage', 'C9', { urgency: 'urgent' }).then(() => line.push('urgent'));
    await Promise.all(queued);
    expect(line[0]).toBe('urgent');
  });

  it('shares one budget between two pacers (replicas) on one Redis', async () => {
    const prefix = freshPrefix();
    const a = onRedis(prefix, { scale: 10 });
    const b = onRedis(prefix, { scale: 10 });
    // Tier 2 at 10x: 200 at once, then one every 300 ms. Replica A takes all a normal caller may.
    await burst(a, 198, 'conversations.create');
    const t0 = Date.now();
    await b.acquire('conversations.create', undefined, { urgency: 'normal' });
    // (the burst itself took some ms of refill, so a little under the 300 ms interval)
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    // A third replica that shares nothing would not have waited.
    const alone = onRedis(freshPrefix(), { scale: 10 });
    const t1 = Date.now();
    await alone.acquire('conversations.create', undefined, { urgency: 'normal' });
    expect(Date.now() - t1).toBeLessThan(50);
  });

  it("blocks a key for Slack's Retry-After on every replica", async () => {
    const prefix = freshPrefix();
    const a = onRedis(prefix, { scale: 10 });
    const b = onRedis(prefix, { scale: 10 });
    await a.block('chat.postMessage', 'C1', 600);
    const t0 = Date.now();
    await Promise.all([
      a.acquire('chat.postMessage', 'C1', { urgency: 'urgent' }),
      b.acquire('chat.postMessage', 'C1', { urgency: 'urgent' }),
    ]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(550);
    // Another channel is not blocked.
    const t1 = Date.now();
    await b.acquire('chat.postMessage', 'C2', { urgency: 'normal' });
    expect(Date.now() - t1).toBeLessThan(50);
  });

  it('fails fast rather than wait past maxWaitMs', async () => {
    const pacer = createPacer({ logger: silent });
    await pacer.block('views.update', undefined, 5_000);
    const t0 = Date.now();
    const err = await pacer.acquire('views.update', undefined, { urgency: 'urgent', maxWaitMs: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PacingTimeout);
    expect(Date.now() - t0).toBeLessThan(200);
  });

  it('falls open to in-process buckets when Redis is unreachable, with one warning', async () => {
    const down = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    down.on('error', () => {});
    const warnings: string[] = [];
    const logger = { ...silent, warn: (_: Record<string, unknown>, msg?: string) => void warnings.push(msg ?? '') };
    const pacer = createPacer({ redis: down, keyPrefix: 'unreachable', logger, scale: 10 });
    const t0 = Date.now();
    const times = await burst(pacer, 33, 'chat.postMessage', 'C1');
    expect(Date.now() - t0).toBeLessThan(2000);
    // Still paced, in memory.
    expect(Math.max(...times)).toBeGreaterThanOrEqual(450);
    await pacer.block('chat.postMessage', 'C1', 100);
    expect(warnings).toEqual(['Slack pacing falls back to this process (Redis unavailable)']);
    down.disconnect();
  });

  it('when a fresh fail-fast connection is still connecting, then the first call waits for it instead of falling back with a warning', async () => {
    const fresh = new Redis(TEST_REDIS_URL, { enableOfflineQueue: false });
    fresh.on('error', () => {});
    const warnings: string[] = [];
    const logger = { ...silent, warn: (_: Record<string, unknown>, msg?: string) => void warnings.push(msg ?? '') };
    const prefix = freshPrefix();
    prefixes.push(prefix);
    const pacer = createPacer({ redis: fresh, keyPrefix: prefix, logger });
    expect(fresh.status).not.toBe('ready');
    await pacer.acquire('auth.test', undefined, { urgency: 'urgent' });
    expect(warnings).toEqual([]);
    // The bucket is in Redis, where every replica sees it.
    expect(await fresh.exists(`${prefix}:method:auth.test`)).toBe(1);
    fresh.disconnect();
  });

  it('when Slack answers 429 with Retry-After, then a background caller goes again once it has passed, not intervals later (in Redis and in memory)', async () => {
    for (const pacer of [onRedis(freshPrefix()), createPacer({ logger: silent })]) {
      // Tier 2 at Slack's own limits: one call every 3 s once the burst is spent.
      await pacer.acquire('conversations.create', undefined, { urgency: 'normal' });
      const t0 = Date.now();
      for (let i = 0; i < 2; i += 1) {
        await pacer.block('conversations.create', undefined, 300);
        await pacer.acquire('conversations.create', undefined, { urgency: 'normal' });
      }
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(590);
      expect(took).toBeLessThan(1200);
      // No earlier than Slack said, even for an urgent caller.
      await pacer.block('conversations.create', undefined, 300);
      const t1 = Date.now();
      await pacer.acquire('conversations.create', undefined, { urgency: 'urgent' });
      expect(Date.now() - t1).toBeGreaterThanOrEqual(290);
    }
  });
});
