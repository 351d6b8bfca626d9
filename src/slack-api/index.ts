/** The Slack Web API gateway: the only module that talks to Slack's Web API. */
export { createSlackGateway } from './gateway.js';
export type { RetryOptions } from './retry.js';
export type { GatewayLogger } from './web-client.js';
export { ChannelNameTaken, ChannelNotFound, ExpiredTrigger, RateLimited, SlackAuthError, SlackUnavailable } from './errors.js';
export { inWorkspace, type RoutingMemory, type Workspace, type WorkspaceRouting } from './workspace.js';
export { WorkspaceUnavailable } from './errors.js';
