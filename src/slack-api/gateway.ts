import { channelMethods } from './gateway-channels.js';
import { messageMethods } from './gateway-messages.js';
import { userMethods } from './gateway-users.js';
import { viewMethods } from './gateway-views.js';
import { createCallWithRetry, type RetryOptions } from './retry.js';
import { createWebClient, type GatewayLogger } from './web-client.js';

/** Options of {@link createSlackGateway}. */
export interface SlackGatewayOptions {
  /** Bot token (`xoxb-…`). Sent only in the Authorization header; never logged. */
  token: string;
  /** Web API base URL ending in `/`; the fake Slack's `url` in tests. Default Slack's. */
  apiUrl?: string;
  logger: GatewayLogger;
  retry?: RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * The one place Meridian calls Slack's Web API. Every method retries what is worth retrying
 * (429 after Retry-After, 5xx, timeouts, network errors) up to `retry.maxAttempts`, and throws
 * the typed errors of `./errors.js` otherwise: ChannelNameTaken, InvalidChannelName,
 * ChannelNotFound, NotInChannel, RateLimited, SlackAuthError, SlackUnavailable, ExpiredTrigger,
 * or SlackApiError with Slack's `code`.
 */
export function createSlackGateway(opts: SlackGatewayOptions) {
  const client = createWebClient({
    token: opts.token,
    apiUrl: opts.apiUrl,
    timeoutMs: opts.retry?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    logger: opts.logger,
  });
  const context = { client, call: createCallWithRetry(opts.logger, opts.retry) };
  return {
    ...userMethods(context),
    ...channelMethods(context),
    ...messageMethods(context),
    ...viewMethods(context),
  };
}

/** The gateway's API, for services to depend on (narrow it further with `Pick`). */
export type SlackGateway = ReturnType<typeof createSlackGateway>;
