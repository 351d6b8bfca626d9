import { canvasMethods } from './gateway-canvases.js';
import { channelMethods } from './gateway-channels.js';
import { historyMethods } from './gateway-history.js';
import { messageMethods } from './gateway-messages.js';
import { responseMethods } from './gateway-responses.js';
import { userMethods } from './gateway-users.js';
import { viewMethods } from './gateway-views.js';
import type { Pacer, Urgency } from './pacer.js';
import { createCallWithRetry, type RetryOptions } from './retry.js';
import { createWebClient, type GatewayLogger, type RequestPacing } from './web-client.js';
import type { WorkspaceRouting } from './workspace.js';

/** Options of {@link createSlackGateway}. */
export interface SlackGatewayOptions {
  /** Bot token (`xoxb-…`). Sent only in the Authorization header; never logged. */
  token: string;
  /** Web API base URL ending in `/`; the fake Slack's `url` in tests. Default Slack's. */
  apiUrl?: string;
  logger: GatewayLogger;
  retry?: RetryOptions;
  /** Paces every request to Slack's rate limits (see `pacer.ts`); unset: no pacing. One pacer per process, shared by its gateways. */
  pacer?: Pacer;
  /** `urgent` (pages, missed deadlines, request handlers) goes first and may use the tokens `normal` leaves. Default `normal`. */
  urgency?: Urgency;
  /** Longest wait for the pacer before a call fails with RateLimited (`paced_out`). Default 60 s; views.open at most 1 s. */
  maxPaceWaitMs?: number;
  /**
   * OAuth installs (Enterprise Grid included): each call uses the token of its workspace (the
   * request's or job's, see workspace.ts), with `team_id` where an org-wide token needs it, and
   * is paced in that workspace's buckets. Unset: `token` for every call (single-workspace mode).
   */
  routing?: WorkspaceRouting;
}

/** Longest a background call waits for a token before the job is retried later instead. */
const DEFAULT_MAX_PACE_WAIT_MS = 60_000;

/** The pacer as the transport needs it: one urgency and longest wait per client. */
function pacingOf(pacer: Pacer | undefined, urgency: Urgency, maxWaitMs: number): RequestPacing | undefined {
  if (pacer === undefined) return undefined;
  return {
    before: async (method, channel, workspace) => {
      await pacer.acquire(method, channel, { urgency, maxWaitMs, ...(workspace === undefined ? {} : { workspace }) });
    },
    retryAfter: (method, channel, ms, workspace) => pacer.block(method, channel, ms, workspace),
  };
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * views.open must land within 3 s of the click that minted the trigger id, so it gets a policy
 * that fits in that window: a short timeout, one quick retry, and no waiting out a 429 (any
 * Retry-After is at least 1 s). Anything longer only ends in `expired_trigger_id`.
 */
function triggerPolicy(retry: RetryOptions = {}): RetryOptions {
  return {
    ...retry,
    timeoutMs: Math.min(retry.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1_200),
    maxAttempts: Math.min(retry.maxAttempts ?? 2, 2),
    baseDelayMs: Math.min(retry.baseDelayMs ?? 100, 100),
    maxRetryAfterMs: 0,
  };
}

/**
 * The one place Meridian calls Slack's Web API. Every method retries what is worth retrying
 * (429 after Retry-After, 5xx, timeouts, network errors) up to `retry.maxAttempts`, and throws
 * the typed errors of `./errors.js` otherwise: ChannelNameTaken, InvalidChannelName,
 * ChannelNotFound, NotInChannel, RateLimited, SlackAuthError, SlackUnavailable, ExpiredTrigger,
 * or SlackApiError with Slack's `code`.
 */
export function createSlackGateway(opts: SlackGatewayOptions) {
  const urgency = opts.urgency ?? 'normal';
  const maxWaitMs = opts.maxPaceWaitMs ?? DEFAULT_MAX_PACE_WAIT_MS;
  const pacing = pacingOf(opts.pacer, urgency, maxWaitMs);
  const client = createWebClient({
    token: opts.token,
    apiUrl: opts.apiUrl,
    timeoutMs: opts.retry?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logger: opts.logger,
    ...(pacing ? { pacing } : {}),
    ...(opts.routing ? { routing: opts.routing } : {}),
  });
  const context = { client, call: createCallWithRetry(opts.logger, opts.retry) };
  const trigger = triggerPolicy(opts.retry);
  const triggerPacing = pacingOf(opts.pacer, 'urgent', Math.min(maxWaitMs, 1_000));
  // views.open: a user is looking at the click; never queue it behind background work, never wait long.
  const triggerContext = {
    client: createWebClient({
      token: opts.token,
      apiUrl: opts.apiUrl,
      timeoutMs: trigger.timeoutMs ?? 1_200,
      logger: opts.logger,
      ...(triggerPacing ? { pacing: triggerPacing } : {}),
      ...(opts.routing ? { routing: opts.routing } : {}),
    }),
    call: createCallWithRetry(opts.logger, trigger),
  };
  return {
    ...userMethods(context),
    ...channelMethods(context),
    ...messageMethods(context),
    ...historyMethods(context),
    ...viewMethods(context, triggerContext),
    ...responseMethods({ apiUrl: opts.apiUrl }),
    ...canvasMethods(context),
  };
}

/** The gateway's API, for services to depend on (narrow it further with `Pick`). */
export type SlackGateway = ReturnType<typeof createSlackGateway>;
