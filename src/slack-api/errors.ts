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

/** Slack asked us to wait longer than we are willing to wait inline: reschedule the work. */
export class RateLimited extends SlackApiError {
  override name = 'RateLimited';
  readonly retryAfterMs: number;

  constructor(options: SlackApiErrorOptions & { retryAfterMs: number }) {
    super(options, `Slack ${options.method} rate limited: retry after ${options.retryAfterMs} ms`);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Slack's words for a refusal a person must fix: what is wrong, and what fixes it. */
interface Refusal {
  problem: string;
  fix: string;
}

const REINSTALL = 'Reinstall the app from manifests/slack-app.yaml (api.slack.com/apps -> your app -> Install App)';
const NEW_TOKEN = `${REINSTALL}, then give Meridian the new bot token (SLACK_BOT_TOKEN) and restart it`;

/** Slack error string -> what it means for whoever runs Meridian. */
const REFUSALS: Readonly<Record<string, Refusal>> = {
  not_authed: { problem: 'no bot token was sent', fix: 'Set SLACK_BOT_TOKEN and restart Meridian' },
  invalid_auth: {
    problem: 'the bot token is not valid',
    fix: "Check SLACK_BOT_TOKEN (the app's Bot User OAuth Token) and restart Meridian",
  },
  token_revoked: { problem: 'the bot token was revoked (the app was uninstalled or the token rotated)', fix: NEW_TOKEN },
  token_expired: {
    problem: 'the bot token expired (token rotation is on)',
    fix: `Turn token rotation off in the app settings, or ${NEW_TOKEN}`,
  },
  account_inactive: { problem: "the bot's user or workspace was deactivated", fix: NEW_TOKEN },
  missing_scope: { problem: 'the app was installed without a scope this call needs', fix: REINSTALL },
  not_allowed_token_type: {
    problem: 'SLACK_BOT_TOKEN is not a bot token',
    fix: "Give Meridian the app's Bot User OAuth Token and restart it",
  },
  no_permission: {
    problem: "the workspace's settings do not let the app do this",
    fix: 'Ask a workspace admin to allow it (or to reinstall the app)',
  },
  team_access_not_granted: {
    problem: 'the app is not granted access to this workspace (Enterprise Grid)',
    fix: 'Ask an org admin to add the app to this workspace',
  },
  ekm_access_denied: { problem: "the workspace's key management refused access", fix: 'Ask a workspace admin' },
  not_in_channel: { problem: 'the bot is not a member of the channel', fix: 'Invite the bot to the channel (/invite @Meridian)' },
  is_archived: { problem: 'the channel is archived', fix: 'Unarchive the channel, or point Meridian at another one' },
  channel_is_archived: { problem: 'the channel is archived', fix: 'Unarchive the channel, or point Meridian at another one' },
  restricted_action: { problem: "the workspace's settings restrict this action", fix: 'Ask a workspace admin to allow it for the app' },
};

/**
 * Slack refused for a reason of configuration (the token, the app's scopes, its access, a
 * channel): the same call fails until a person fixes that, and then succeeds. Never a silent
 * drop: the gateway logs `problem` and `fix`, counts it, and whoever scheduled the work keeps
 * it pending so it goes out once fixed.
 */
export class SlackConfigurationError extends SlackApiError {
  override name = 'SlackConfigurationError';
  /** What is wrong, in words an admin understands. */
  readonly problem: string;
  /** What fixes it. */
  readonly fix: string;
  /** missing_scope only: the scope(s) Slack said the call needs (e.g. `im:history`). */
  readonly needed: string | undefined;

  constructor(options: SlackApiErrorOptions & { needed?: string }) {
    const refusal = REFUSALS[options.code] ?? { problem: `Slack refused it (${options.code})`, fix: 'Check the app configuration' };
    const needed = options.needed === undefined ? '' : ` (needs ${options.needed})`;
    super(options, `Slack ${options.method} refused: ${refusal.problem}${needed}. ${refusal.fix}`);
    this.problem = refusal.problem;
    this.fix = refusal.fix;
    this.needed = options.needed;
  }
}

/** The token itself is missing, invalid, revoked, expired or belongs to a deactivated account: every call fails alike. */
export class SlackAuthError extends SlackConfigurationError {
  override name = 'SlackAuthError';
}

/** The token lacks a scope the call needs (`needed`): reinstall the app from the manifest. */
export class MissingScope extends SlackConfigurationError {
  override name = 'MissingScope';
}

/** The bot must be invited to the channel first. */
export class NotInChannel extends SlackConfigurationError {
  override name = 'NotInChannel';
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

/**
 * Enterprise Grid: the app no longer reaches the workspace (an org admin removed it, the app was
 * uninstalled, its tokens revoked), or none was named. Nothing is sent; work planned for that
 * workspace fails closed instead of being retried.
 */
export class WorkspaceUnavailable extends SlackApiError {
  override name = 'WorkspaceUnavailable';
  readonly teamId: string | undefined;
  constructor(options: SlackApiErrorOptions & { teamId: string | undefined; why: string }) {
    super(options, `Slack ${options.method}: workspace ${options.teamId ?? '(none named)'} is not reachable: ${options.why}`);
    this.teamId = options.teamId;
  }
}

type SlackApiErrorClass = new (options: SlackApiErrorOptions & { needed?: string }) => SlackApiError;

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
  not_allowed_token_type: SlackAuthError,
  missing_scope: MissingScope,
  no_permission: SlackConfigurationError,
  team_access_not_granted: SlackConfigurationError,
  ekm_access_denied: SlackConfigurationError,
  is_archived: SlackConfigurationError,
  channel_is_archived: SlackConfigurationError,
  restricted_action: SlackConfigurationError,
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
export function slackErrorFromCode(
  code: string,
  context: { method: string; cause?: unknown; retryAfterMs?: number; needed?: string },
): SlackApiError {
  const options = {
    code,
    method: context.method,
    cause: context.cause,
    ...(context.needed === undefined ? {} : { needed: context.needed }),
  };
  if (code === 'ratelimited') return new RateLimited({ ...options, retryAfterMs: context.retryAfterMs ?? 0 });
  const ErrorClass = ERROR_FAMILIES[code] ?? SlackApiError;
  return new ErrorClass(options);
}
