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
  /** ioredis's connection state (`wait`, `connecting`, `connect`, `ready`, `reconnecting`, ...). */
  readonly status?: string;
  once?(event: 'ready' | 'error' | 'end', listener: () => void): unknown;
  off?(event: 'ready' | 'error' | 'end', listener: () => void): unknown;
}

/** Longest a call waits for a Redis connection that is still being made for the first time. */
const FIRST_CONNECT_WAIT_MS = 3_000;

/**
 * Resolves once a connection being made settles (ready, or failed), or at once when none is being
 * made. A fail-fast connection refuses commands until it is ready: without this wait, the first
 * Slack calls of a start (the scope check's auth.test) fell back to in-process buckets, with a
 * warning about a Redis outage that was only a connection still being made.
 */
function connectionSettled(redis: PacerRedis, timeoutMs: number): Promise<void> {
  if ((redis.status !== 'connecting' && redis.status !== 'connect') || !redis.once) return Promise.resolve();
  const events = ['ready', 'error', 'end'] as const;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      for (const e of events) redis.off?.(e, done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    for (const e of events) redis.once?.(e, done);
  });
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

/**
 * A bucket store: `take` answers 0 when a token was taken, else the milliseconds until one is
 * available. `block` is a 429: the refused call's token is given back (Slack did not serve it),
 * no token at all is given until `ms` from now, and then a caller with `allowance` finds at most
 * one, so the retry goes the moment Retry-After has passed if the bucket allows it (Slack's word
 * and no more: a 429 used to empty the bucket, holding a background retry two intervals longer,
 * 7 s on a Tier 2 method) and whatever follows goes at the tier's rate.
 */
interface BucketStore {
  take(key: string, budget: Budget, allowance: number): Promise<number>;
  block(key: string, budget: Budget, ms: number, allowance: number): Promise<void>;
}

/**
 * GCRA on Redis's clock. KEYS: the bucket's theoretical arrival time, and the instant a 429
 * blocks it until. ARGV: emission interval (ms), tokens this caller may use, block ms (> 0: a
 * 429, block the key instead of taking), capacity. Returns 0 (taken or blocked) or the wait in ms.
 */
const GCRA_SCRIPT = `
local interval = tonumber(ARGV[1])
local allowance = tonumber(ARGV[2])
local blockMs = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
if tat < now then tat = now end
local blockedUntil = tonumber(redis.call('GET', KEYS[2]) or '0') or 0
if blockMs > 0 then
  local untilAt = now + blockMs
  if untilAt > blockedUntil then
    redis.call('SET', KEYS[2], string.format('%.3f', untilAt), 'PX', math.ceil(blockMs) + 1000)
  end
  tat = tat - interval
  if tat < now then tat = now end
  local blocked = untilAt + (allowance - 1) * interval
  if blocked > tat then tat = blocked end
  redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
  return 0
end
if blockedUntil > now then return math.ceil(blockedUntil - now) end
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
  const blockedUntil = new Map<string, number>();
  return {
    async take(key, budget, allowance) {
      const t = now();
      const until = blockedUntil.get(key) ?? 0;
      if (until > t) return Math.ceil(until - t);
      const interval = intervalOf(budget);
      const tat = Math.max(tats.get(key) ?? 0, t);
      const allowAt = tat + interval - allowance * interval;
      if (allowAt <= t) {
        tats.set(key, tat + interval);
        return 0;
      }
      return Math.ceil(allowAt - t);
    },
    async block(key, budget, ms, allowance) {
      const t = now();
      blockedUntil.set(key, Math.max(blockedUntil.get(key) ?? 0, t + ms));
      const interval = intervalOf(budget);
      // The refused call took a token Slack did not count: it is given back.
      const refunded = Math.max((tats.get(key) ?? 0) - interval, t);
      tats.set(key, Math.max(refunded, t + ms + (allowance - 1) * interval));
    },
  };
}

function redisStore(redis: PacerRedis, prefix: string): BucketStore {
  const run = async (key: string, budget: Budget, allowance: number, blockMs: number) =>
    Number(await redis.eval(GCRA_SCRIPT, 2, `${prefix}:${key}`, `${prefix}:${key}:until`, intervalOf(budget), allowance, blockMs));
  return {
    take: (key, budget, allowance) => run(key, budget, allowance, 0),
    block: async (key, budget, ms, allowance) => void (await run(key, budget, allowance, Math.max(1, Math.round(ms)))),
  };
}

/**
 * Redis first; on any Redis error the in-memory store answers, with one warning per outage. Until
 * Redis has answered once, a call waits for the first connection rather than fall back.
 */
function failOpen(primary: BucketStore, fallback: BucketStore, logger: GatewayLogger, connected: () => Promise<void>): BucketStore {
  let down = false;
  let answered = false;
  const guarded =
    <A extends unknown[], R>(name: 'take' | 'block', fn: (...args: A) => Promise<R>, alt: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      try {
        if (!answered) await connected();
        const result = await fn(...args);
        answered = true;
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
  const { redis } = opts;
  const store = redis
    ? failOpen(redisStore(redis, opts.keyPrefix ?? 'pace'), memory, opts.logger, () => connectionSettled(redis, FIRST_CONNECT_WAIT_MS))
    : memory;
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
      const b = budget(tier);
      // One token at Retry-After for a background caller (urgent ones also have the reserve).
      await store.block(key, b, ms, b.capacity - reserveOf(b));
    },
  };
}
