/**
 * Typed errors of the Slack gateway: one class per family of Slack error strings, so callers
 * decide with `instanceof` on a handful of classes instead of comparing strings.
 *
 * Messages name the method and Slack's code only: never arguments (they may hold a private
 * incident's title) and never the token.
 */

interface SlackApiErrorOptions {
  code: string;
  method: string;
  cause?: unknown;
}

/** Any failure of a Slack Web API call. `code` is Slack's error string (or ours, e.g. `timeout`). */
export class SlackApiError extends Error {
  override name = 'SlackApiError';
  readonly code: string;
  readonly method: string;

  constructor(options: SlackApiErrorOptions, message = `Slack ${options.method} failed: ${options.code}`) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.method = options.method;
  }
}

/** conversations.create: the name is used by another channel (archived ones included). */
export class ChannelNameTaken extends SlackApiError {
  override name = 'ChannelNameTaken';
}

/** conversations.create: the name breaks Slack's rules (`invalid_name_*`). */
export class InvalidChannelName extends SlackApiError {
  override name = 'InvalidChannelName';
}

/** The channel does not exist, or is private and the bot is not in it. */
export class ChannelNotFound extends SlackApiError {
  override name = 'ChannelNotFound';
}

/** The bot must join the channel first. */
export class NotInChannel extends SlackApiError {
  override name = 'NotInChannel';
}

/** Slack asked us to wait longer than we are willing to wait inline: reschedule the work. */
export class RateLimited extends SlackApiError {
  override name = 'RateLimited';
  readonly retryAfterMs: number;

  constructor(options: SlackApiErrorOptions & { retryAfterMs: number }) {
    super(options, `Slack ${options.method} rate limited: retry after ${options.retryAfterMs} ms`);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The token is bad, revoked or lacks a scope: retrying cannot help; alert a human. */
export class SlackAuthError extends SlackApiError {
  override name = 'SlackAuthError';
}

/** Slack is down or unreachable (5xx, timeouts, network) and our retries ran out. */
export class SlackUnavailable extends SlackApiError {
  override name = 'SlackUnavailable';
}

/** The trigger id is older than 3 s or already used: the modal cannot be opened any more. */
export class ExpiredTrigger extends SlackApiError {
  override name = 'ExpiredTrigger';
}

/** Slack refused a message's blocks (over a Block Kit limit, or malformed): the same message will never pass. */
export class InvalidBlocks extends SlackApiError {
  override name = 'InvalidBlocks';
}

type SlackApiErrorClass = new (options: SlackApiErrorOptions) => SlackApiError;

/** Slack error string -> the family it belongs to. Unlisted strings become {@link SlackApiError}. */
const ERROR_FAMILIES: Readonly<Record<string, SlackApiErrorClass>> = {
  name_taken: ChannelNameTaken,
  invalid_name: InvalidChannelName,
  invalid_name_specials: InvalidChannelName,
  invalid_name_maxlength: InvalidChannelName,
  invalid_name_required: InvalidChannelName,
  invalid_name_punctuation: InvalidChannelName,
  channel_not_found: ChannelNotFound,
  not_in_channel: NotInChannel,
  not_authed: SlackAuthError,
  invalid_auth: SlackAuthError,
  account_inactive: SlackAuthError,
  token_revoked: SlackAuthError,
  token_expired: SlackAuthError,
  missing_scope: SlackAuthError,
  not_allowed_token_type: SlackAuthError,
  no_permission: SlackAuthError,
  team_access_not_granted: SlackAuthError,
  invalid_blocks: InvalidBlocks,
  invalid_blocks_format: InvalidBlocks,
  expired_trigger_id: ExpiredTrigger,
  exchanged_trigger_id: ExpiredTrigger,
  invalid_trigger_id: ExpiredTrigger,
  internal_error: SlackUnavailable,
  fatal_error: SlackUnavailable,
  service_unavailable: SlackUnavailable,
  request_timeout: SlackUnavailable,
};

/** Slack error strings that say "try again later" rather than "you did something wrong". */
export const TRANSIENT_SLACK_ERRORS: ReadonlySet<string> = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/**
 * Maps one of Slack's error strings to its typed error. `ratelimited` needs `retryAfterMs`
 * (0 when Slack gave none).
 */
export function slackErrorFromCode(code: string, context: { method: string; cause?: unknown; retryAfterMs?: number }): SlackApiError {
  const options = { code, method: context.method, cause: context.cause };
  if (code === 'ratelimited') return new RateLimited({ ...options, retryAfterMs: context.retryAfterMs ?? 0 });
  const ErrorClass = ERROR_FAMILIES[code] ?? SlackApiError;
  return new ErrorClass(options);
}
