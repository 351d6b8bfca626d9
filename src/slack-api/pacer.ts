import { type Budget, budgetOf, type SlackTier, tierOf } from './method-tiers.js';
import type { GatewayLogger } from './web-client.js';

/**
 * Pacing to Slack's rate limits, before every Web API request, shared by every replica.
 *
 * One token bucket per limit Slack applies: `method:<name>` (Slack counts each method on its
 * own, in its tier's budget) and `post:<channel>` for chat.postMessage. The buckets are GCRA
 * ("theoretical arrival time") in Redis, one key each, updated by a Lua script on Redis's own
 * clock, so replicas share one budget whatever their clocks say. Redis unreachable: each process
 * falls back to in-memory buckets (one warning), so Slack calls are never blocked by Redis.
 *
 * Urgency: `urgent` callers (pages, missed deadlines, a user waiting on a request) are served
 * first among this process's waiters for a key, and may use the whole bucket, while `normal`
 * callers leave `reserve` tokens untouched, so an urgent call on any replica finds a token even
 * when background work saturates the key.
 */
export type Urgency = 'urgent' | 'normal';

/** What the pacer needs of an ioredis client (a single server or a cluster: its keys share one hash tag). */
export interface PacerRedis {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>;
}

/** Options of {@link createPacer}. */
export interface PacerOptions {
  /** Shared Redis (a fail-fast connection); unset: in-process buckets only. */
  redis?: PacerRedis;
  /** Key prefix in Redis, e.g. `{meridian}:pace`. */
  keyPrefix?: string;
  /** Multiplies every budget (burst and rate); 1 = Slack's published limits. */
  scale?: number;
  /** Tokens of each bucket only urgent callers may take; clamped below the capacity. Default 2. */
  reserve?: number;
  logger: GatewayLogger;
  /** Told how long each call waited for its token (0 included), for the limiter-wait metric. */
  onWait?: (method: string, tier: SlackTier, seconds: number) => void;
}

/** How one call is paced. */
export interface PaceOptions {
  urgency: Urgency;
  /** Fail with {@link PacingTimeout} rather than wait longer than this for a token. */
  maxWaitMs?: number;
  /** The Slack workspace the call is made in: Slack's limits are per workspace, so are the buckets (Enterprise Grid). */
  workspace?: string;
}

/** Thrown when a call would wait for the pacer longer than its `maxWaitMs`. */
export class PacingTimeout extends Error {
  override name = 'PacingTimeout';
  constructor(
    readonly method: string,
    readonly waitMs: number,
  ) {
    super(`Slack ${method}: paced, would wait ${waitMs} ms for the rate limit`);
  }
}

export interface Pacer {
  /** Waits until the call may go; resolves with the milliseconds waited. */
  acquire(method: string, channel: string | undefined, opts: PaceOptions): Promise<number>;
  /** Slack answered 429: nobody (on any replica) uses this key for `ms`. */
  block(method: string, channel: string | undefined, ms: number, workspace?: string): Promise<void>;
}

/** A bucket store: `take` answers 0 when a token was taken, else the milliseconds until one is available. */
interface BucketStore {
  take(key: string, budget: Budget, allowance: number): Promise<number>;
  block(key: string, budget: Budget, ms: number): Promise<void>;
}

/**
 * GCRA on Redis's clock. ARGV: emission interval (ms), tokens this caller may use, block ms (> 0:
 * push the key back instead of taking), capacity. Returns 0 (taken or blocked) or the wait in ms.
 */
const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local allowance = tonumber(ARGV[2])
local blockMs = tonumber(ARGV[3])
local capacity = tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
if blockMs > 0 then
  local blocked = now + blockMs + (capacity - 1) * interval
  if blocked > tat then tat = blocked end
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
  return 0
end
local newTat = tat + interval
local allowAt = newTat - allowance * interval
if allowAt <= now then
  redis.call('SET', KEYS[1], string.format('%.3f', newTat), 'PX', math.ceil(newTat - now) + 1000)
  return 0
end
return math.ceil(allowAt - now)
`;

const intervalOf = (budget: Budget) => 1000 / budget.perSecond;

/** The same GCRA in this process's memory: the fallback, and the store without Redis. */
export function memoryStore(now: () => number = Date.now): BucketStore {
  const tats = new Map<string, number>();
  return {
    async take(key, budget, allowance) {
      const t = now();
      const interval = intervalOf(budget);
      const tat = Math.max(tats.get(key) ?? 0, t);
      const allowAt = tat + interval - allowance * interval;
      if (allowAt <= t) {
        tats.set(key, tat + interval);
        return 0;
      }
      return Math.ceil(allowAt - t);
    },
    async block(key, budget, ms) {
      const t = now();
      const blocked = t + ms + (budget.capacity - 1) * intervalOf(budget);
      tats.set(key, Math.max(tats.get(key) ?? 0, t, blocked));
    },
  };
}

function redisStore(redis: PacerRedis, prefix: string): BucketStore {
  const run = async (key: string, budget: Budget, allowance: number, blockMs: number) =>
    Number(await redis.eval(GCRA_SCRIPT, 1, `${prefix}:${key}`, intervalOf(budget), allowance, blockMs, budget.capacity));
  return {
    take: (key, budget, allowance) => run(key, budget, allowance, 0),
    block: async (key, budget, ms) => void (await run(key, budget, budget.capacity, Math.max(1, Math.round(ms)))),
  };
}

/** Redis first; on any Redis error the in-memory store answers, with one warning per outage. */
function failOpen(primary: BucketStore, fallback: BucketStore, logger: GatewayLogger): BucketStore {
  let down = false;
  const guarded =
    <A extends unknown[], R>(name: 'take' | 'block', fn: (...args: A) => Promise<R>, alt: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        const result = await fn(...args);
        if (down) logger.info({}, 'Slack pacing is shared through Redis again');
        down = false;
        return result;
      } catch (err) {
        if (!down) logger.warn({ err, op: name }, 'Slack pacing falls back to this process (Redis unavailable)');
        down = true;
        return alt(...args);
      }
    };
  return {
    take: guarded('take', primary.take, fallback.take),
    block: guarded('block', primary.block, fallback.block),
  };
}

interface Waiter {
  urgent: boolean;
  method: string;
  since: number;
  deadline: number;
  resolve: (waitedMs: number) => void;
  reject: (err: Error) => void;
}

/** The waiters of one key in this process, and its pump. */
interface Line {
  waiters: Waiter[];
  running: boolean;
  /** Cuts the pump's current sleep short (an urgent caller arrived). */
  wake?: () => void;
}

/**
 * Slack's key for this call: chat.postMessage per channel, everything else per method; on
 * Enterprise Grid each workspace's own (Slack counts "per API method per workspace per app").
 */
export function paceKey(method: string, channel: string | undefined, workspace?: string): { key: string; tier: SlackTier } {
  const tier = tierOf(method);
  const key = tier === 'post' ? `post:${channel ?? ''}` : `method:${method}`;
  return { key: workspace === undefined ? key : `ws:${workspace}:${key}`, tier };
}

/** Builds the pacer. Without `redis`, or when it is unreachable, buckets live in this process. */
export function createPacer(opts: PacerOptions): Pacer {
  const scale = opts.scale ?? 1;
  const memory = memoryStore();
  const store = opts.redis ? failOpen(redisStore(opts.redis, opts.keyPrefix ?? 'pace'), memory, opts.logger) : memory;
  const lines = new Map<string, Line>();
  const budgets = new Map<SlackTier, Budget>();
  const budget = (tier: SlackTier): Budget => {
    const known = budgets.get(tier);
    if (known) return known;
    const b = budgetOf(tier, scale);
    budgets.set(tier, b);
    return b;
  };
  const reserveOf = (b: Budget) => Math.max(0, Math.min(opts.reserve ?? 2, b.capacity - 1));

  const pickHead = (line: Line): Waiter | undefined => line.waiters.find((w) => w.urgent) ?? line.waiters[0];
  const remove = (line: Line, w: Waiter) => line.waiters.splice(line.waiters.indexOf(w), 1);

  async function pump(key: string, tier: SlackTier, line: Line): Promise<void> {
    line.running = true;
    try {
      for (let head = pickHead(line); head !== undefined; head = pickHead(line)) {
        const b = budget(tier);
        let waitMs: number;
        try {
          waitMs = await store.take(key, b, head.urgent ? b.capacity : b.capacity - reserveOf(b));
        } catch (err) {
          // Neither store answered (a bug): never hold a Slack call on pacing.
          opts.logger.warn({ err, key }, 'Slack pacing failed; letting the call through');
          waitMs = 0;
        }
        const now = Date.now();
        if (waitMs === 0) {
          remove(line, head);
          head.resolve(now - head.since);
          continue;
        }
        for (const w of [...line.waiters]) {
          if (now + (w === head ? waitMs : 0) > w.deadline) {
            remove(line, w);
            w.reject(new PacingTimeout(w.method, now + waitMs - w.since));
          }
        }
        if (!line.waiters.includes(head)) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          line.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        line.wake = undefined;
      }
    } finally {
      line.running = false;
    }
  }

  return {
    acquire(method, channel, pace) {
      const { key, tier } = paceKey(method, channel, pace.workspace);
      const since = Date.now();
      return new Promise<number>((resolve, reject) => {
        const line = lines.get(key) ?? { waiters: [], running: false };
        lines.set(key, line);
        const urgent = pace.urgency === 'urgent';
        line.waiters.push({ urgent, method, since, deadline: since + (pace.maxWaitMs ?? Number.POSITIVE_INFINITY), resolve, reject });
        if (!line.running) {
          const current = line;
          void pump(key, tier, current).finally(() => {
            if (current.waiters.length === 0 && lines.get(key) === current) lines.delete(key);
            else if (!current.running) void pump(key, tier, current);
          });
        } else if (urgent) line.wake?.();
      }).then((waitedMs) => {
        opts.onWait?.(method, tier, waitedMs / 1000);
        return waitedMs;
      });
    },
    async block(method, channel, ms, workspace) {
      const { key, tier } = paceKey(method, channel, workspace);
      await store.block(key, budget(tier), ms);
    },
  };
}
