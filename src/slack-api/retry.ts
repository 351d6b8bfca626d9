import { classifyFailure } from './classify-failure.js';
import { RateLimited, SlackConfigurationError } from './errors.js';
import type { GatewayLogger } from './web-client.js';

/** How the gateway retries. Defaults suit a request handler; workers may pass fewer attempts. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 4. */
  maxAttempts?: number;
  /** A longer Retry-After is not waited for: {@link RateLimited} is thrown for a job to reschedule. Default 30 s. */
  maxRetryAfterMs?: number;
  /** First backoff for 5xx / timeouts / network errors; doubles per attempt. Default 200 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 5 s. */
  maxDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
  /** Waits between attempts; tests inject one that records instead of sleeping. */
  sleep?: (ms: number) => Promise<void>;
  /** Told of every attempt's result: `ok` or the error code (`ratelimited` for a 429); for metrics. */
  onAttempt?: (method: string, result: string) => void;
  /**
   * Told of every refusal for a configuration reason (a missing scope, a revoked token, a channel
   * the bot is not in), after it is logged: the runtime counts them and tells the admins.
   */
  onRefusal?: (error: SlackConfigurationError) => void;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
}

/** Runs one Web API call with bounded retries; throws the gateway's typed errors. */
export type CallWithRetry = <T>(method: string, attempt: () => Promise<T>) => Promise<T>;

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds the retry loop. 429s wait Slack's Retry-After (if we are willing to wait that long);
 * 5xx, timeouts, network errors and Slack's transient error strings back off exponentially with
 * "equal jitter" (half fixed, half random) so many callers do not retry in lockstep. Everything
 * else fails at once: retrying `name_taken` or `invalid_auth` cannot succeed.
 */
export function createCallWithRetry(logger: GatewayLogger, options: RetryOptions = {}): CallWithRetry {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 4);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  const backoff = (attempt: number): number => {
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.round(ceiling / 2 + random() * (ceiling / 2));
  };

  return async function callWithRetry<T>(method: string, attempt: () => Promise<T>): Promise<T> {
    for (let attemptNo = 1; ; attemptNo += 1) {
      try {
        const value = await attempt();
        options.onAttempt?.(method, 'ok');
        return value;
      } catch (err) {
        const outcome = classifyFailure(method, err);
        const { error } = outcome;
        options.onAttempt?.(method, error.code);
        if (error instanceof SlackConfigurationError) {
          // One plain sentence naming the real cause and its fix; the caller decides whether the work waits for it.
          const needed = error.needed === undefined ? {} : { needed: error.needed };
          logger.error({ method: error.method, code: error.code, ...needed, fix: error.fix }, error.message);
          options.onRefusal?.(error);
        }
        if (outcome.kind === 'fail') throw error;
        const waitMs = outcome.retryAfterMs ?? backoff(attemptNo);
        if (error instanceof RateLimited && waitMs > maxRetryAfterMs) throw error;
        if (attemptNo >= maxAttempts) {
          logger.warn({ method, code: error.code, attempts: attemptNo }, 'Slack call failed; retries exhausted');
          throw error;
        }
        logger.warn({ method, code: error.code, attempt: attemptNo, waitMs }, 'Slack call failed; retrying');
        await sleep(waitMs);
      }
    }
  };
}
