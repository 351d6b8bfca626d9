/** The Slack Web API gateway: the only module that talks to Slack's Web API. */
export { createSlackGateway, type SlackGateway, type SlackGatewayOptions } from './gateway.js';
export type { InviteResult } from './gateway-channels.js';
export type { Blocks, MessageInput } from './gateway-messages.js';
export type { AuthIdentity, SlackUser } from './gateway-users.js';
export type { ViewRef } from './gateway-views.js';
export type { RetryOptions } from './retry.js';
export type { GatewayLogger } from './web-client.js';
export {
  ChannelNameTaken,
  ChannelNotFound,
  ExpiredTrigger,
  InvalidChannelName,
  NotInChannel,
  RateLimited,
  SlackApiError,
  SlackAuthError,
  SlackUnavailable,
  slackErrorFromCode,
} from './errors.js';
export {
  channelLink,
  escapeControlCharacters,
  escapeMrkdwn,
  slackDate,
  userMention,
  usergroupMention,
} from './mrkdwn.js';
