import type { Cluster, Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../log.js';

/**
 * Counts accepted intake requests per signing secret and minute, and all of them together, in
 * Redis, so every replica sees one count. Keyed by the secret, not by the sender-chosen source:
 * made-up source ids must not each get a budget of their own.
 */
export interface IntakeLimiter {
  /** Counts one request signed by `secretName`: null when allowed, else the seconds until the next is. Redis away means allowed. */
  consume(secretName: string): Promise<number | null>;
}

export function createIntakeLimiter(deps: {
  redis: Redis | Cluster;
  keyPrefix: string;
  perMinute: number;
  overallPerMinute: number;
  logger: Logger;
}): IntakeLimiter {
  const common = { storeClient: deps.redis, duration: 60, rejectIfRedisNotReady: true };
  const perSecret = new RateLimiterRedis({ ...common, keyPrefix: `${deps.keyPrefix}:intake-secret`, points: deps.perMinute });
  const overall = new RateLimiterRedis({ ...common, keyPrefix: `${deps.keyPrefix}:intake-all`, points: deps.overallPerMinute });
  return {
    async consume(secretName) {
      try {
        await perSecret.consume(secretName);
        await overall.consume('all');
        return null;
      } catch (err) {
        if (err instanceof RateLimiterRes) return Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        // A limit is a guard, not a gate: a report must not be lost because Redis is away.
        deps.logger.warn({ err, secretName }, 'intake rate limit unavailable; the request is let through');
        return null;
      }
    },
  };
}
