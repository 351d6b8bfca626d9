import type { Cluster, Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { ActionLimits, LimitedAction, LimitReached } from '../domain/action-limits.js';
import type { Logger } from '../log.js';

const HOUR_SECONDS = 3600;

/** Who an attempt is counted against. */
export interface LimitSubject {
  userId: string;
  teamId?: string;
}

/** Counts costly actions per person and per workspace in Redis, so every replica sees one count. */
export interface ActionLimiter {
  /** Counts one attempt: null when allowed, else the limit it reached. Redis away means allowed. */
  consume(action: LimitedAction, who: LimitSubject): Promise<LimitReached | null>;
  /** Gives back the attempt `consume` counted, when it turned out to change nothing (a replay). */
  refund(action: LimitedAction, who: LimitSubject): Promise<void>;
}

interface Counter {
  scope: 'user' | 'team';
  limiter: RateLimiterRedis;
  key: (who: LimitSubject) => string | undefined;
}

/**
 * Limits on the shared Redis connection (the producer's: it fails fast, so a Redis outage costs a
 * declaration one failed command, not a hang). Keys live under `keyPrefix`.
 */
export function createActionLimiter(deps: {
  redis: Redis | Cluster;
  keyPrefix: string;
  limits: ActionLimits;
  logger: Logger;
}): ActionLimiter {
  const counters = new Map<LimitedAction, Counter[]>();
  for (const [action, limit] of Object.entries(deps.limits) as Array<[LimitedAction, ActionLimits[LimitedAction]]>) {
    const make = (scope: 'user' | 'team', points: number) =>
      new RateLimiterRedis({
        storeClient: deps.redis,
        keyPrefix: `${deps.keyPrefix}:${action}:${scope}`,
        points,
        duration: HOUR_SECONDS,
        rejectIfRedisNotReady: true,
      });
    const list: Counter[] = [{ scope: 'user', limiter: make('user', limit.perUserPerHour), key: (who) => who.userId }];
    if (limit.perTeamPerHour !== null) list.push({ scope: 'team', limiter: make('team', limit.perTeamPerHour), key: (who) => who.teamId });
    counters.set(action, list);
  }
  const each = (action: LimitedAction, who: LimitSubject) =>
    (counters.get(action) ?? []).flatMap((c) => {
      const key = c.key(who);
      return key ? [{ ...c, key }] : [];
    });

  return {
    async consume(action, who) {
      const counted: Array<{ limiter: RateLimiterRedis; key: string }> = [];
      for (const counter of each(action, who)) {
        try {
          await counter.limiter.consume(counter.key);
          counted.push(counter);
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) {
            // Incidents matter more than the limit: with Redis away, let the action through.
            deps.logger.warn({ err, action }, 'rate limit not checked (redis unavailable); allowing');
            continue;
          }
          // The refused attempt frees what it already counted, so a refusal costs no other slot.
          await Promise.all(counted.map((c) => c.limiter.reward(c.key, 1).catch(() => {})));
          return { action, scope: counter.scope, limit: counter.limiter.points, retryAfterMs: err.msBeforeNext };
        }
      }
      return null;
    },
    async refund(action, who) {
      await Promise.all(
        each(action, who).map((c) =>
          c.limiter.reward(c.key, 1).catch((err: unknown) => deps.logger.warn({ err, action }, 'rate limit refund failed')),
        ),
      );
    },
  };
}
