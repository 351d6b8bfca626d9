/**
 * The pager watched from outside: every `everyMs` the worker GETs `HEARTBEAT_URL` (a
 * Healthchecks-style dead man's switch), but only while every probe says its part is healthy:
 * the queue (Redis answers, the worker's connection is up), the reconciler (its last run succeeded,
 * recently) and the database. When Meridian, its Redis or its Postgres stops, the pings stop and the
 * external service pages someone. The URL is a secret of that service: it is never logged.
 */
import type { Logger } from '../log.js';

export interface HeartbeatProbe {
  name: string;
  /** Resolves when healthy; throws (or never settles within the interval) when not. */
  check(): Promise<void>;
}

export interface HeartbeatOptions {
  url: string;
  everyMs: number;
  probes: readonly HeartbeatProbe[];
  logger: Logger;
  /** Counts each tick: `sent`, `withheld` (a probe failed), `failed` (the URL did not answer 2xx). */
  onTick?: (result: 'sent' | 'withheld' | 'failed') => void;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts the heartbeat; returns a stop function that waits for a tick in flight. */
export function startHeartbeat(opts: HeartbeatOptions): () => Promise<void> {
  // A probe or a ping slower than the interval counts as down: the next tick must not queue behind it.
  const limitMs = Math.max(50, Math.min(opts.everyMs, 10_000));
  let unhealthy: string | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const tick = async (): Promise<void> => {
    const results = await Promise.all(
      opts.probes.map(async (p) => {
        try {
          await within(p.check(), limitMs, p.name);
          return undefined;
        } catch {
          return p.name;
        }
      }),
    );
    const down = results.filter((name) => name !== undefined);
    if (down.length > 0) {
      const which = down.join(', ');
      if (unhealthy !== which) opts.logger.warn({ down }, 'heartbeat withheld: part of Meridian is not healthy');
      unhealthy = which;
      opts.onTick?.('withheld');
      return;
    }
    if (unhealthy !== undefined) opts.logger.info('heartbeat resumed: every part of Meridian is healthy again');
    unhealthy = undefined;
    try {
      const res = await fetch(opts.url, { method: 'GET', signal: AbortSignal.timeout(limitMs) });
      await res.body?.cancel();
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      opts.onTick?.('sent');
    } catch (err) {
      opts.onTick?.('failed');
      // The error's message only: a fetch error can carry the URL in its cause.
      opts.logger.warn(
        { error: err instanceof Error ? err.message.replace(opts.url, '<HEARTBEAT_URL>') : 'unknown' },
        'heartbeat ping failed',
      );
    }
  };

  const timer = setInterval(() => {
    // A tick still in flight (a slow probe) is not queued behind: that interval simply sends nothing.
    if (stopped || running) return;
    running = tick()
      .catch((err: unknown) => opts.logger.warn({ err }, 'heartbeat tick failed'))
      .finally(() => {
        running = undefined;
      });
  }, opts.everyMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/**
 * The reconciler's health for the heartbeat: healthy while its last run succeeded and that was
 * at most two intervals (and a little) ago, so a stuck or failing reconciler stops the pings.
 */
export function reconcilerHealth(everyMs: number, now: () => number = Date.now) {
  let lastOkAt: number | undefined;
  let lastFailed = false;
  return {
    /** Wraps one run of the reconciler, recording how it ended. */
    async track<T>(run: () => Promise<T>): Promise<T> {
      try {
        const value = await run();
        lastOkAt = now();
        lastFailed = false;
        return value;
      } catch (err) {
        lastFailed = true;
        throw err;
      }
    },
    async check(): Promise<void> {
      if (lastFailed) throw new Error('the last reconciler run failed');
      if (lastOkAt === undefined || now() - lastOkAt > 2 * everyMs + 5_000) throw new Error('the reconciler has not run lately');
    },
  };
}
