import type { Cluster, Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../log.js';

/** Counts accepted intake requests per source and minute in Redis, so every replica sees one count. */
export interface IntakeLimiter {
  /** Counts one request: null when allowed, else the seconds until the next is. Redis away means allowed. */
  consume(sourceId: string): Promise<number | null>;
}

export function createIntakeLimiter(deps: { redis: Redis | Cluster; keyPrefix: string; perMinute: number; logger: Logger }): IntakeLimiter {
  const limiter = new RateLimiterRedis({
    storeClient: deps.redis,
    keyPrefix: `${deps.keyPrefix}:intake`,
    points: deps.perMinute,
    duration: 60,
    rejectIfRedisNotReady: true,
  });
  return {
    async consume(sourceId) {
      try {
        await limiter.consume(sourceId);
        return null;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        // A limit is a guard, not a gate: a report must not be lost because Redis is away.
        deps.logger.warn({ err, sourceId }, 'intake rate limit unavailable; the request is let through');
        return null;
      }
    },
  };
}
