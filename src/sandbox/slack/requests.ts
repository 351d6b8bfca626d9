/**
 * The requests Slack sends an app, built the way Slack builds them: slash commands (a form
 * body), interactivity payloads (`payload=<json>`: block_actions, view_submission, view_closed,
 * message_action) and Events API deliveries (JSON), each signed with the signing secret.
 * The sandbox drives the bot with them and the tests use the same builders (through
 * tests/support/slack-requests.ts), so both send what Slack sends.
 *
 * The builders are pure: no clock, no randomness; the caller passes trigger ids, timestamps and
 * event ids.
 */
import { createHmac } from 'node:crypto';
import { BOT_ID, BOT_USER_ID, TEAM_ID } from './state.js';

/** The app's id in the workspace, as every payload names it. */
export const APP_ID = 'A0MERIDIAN';
/** The workspace's domain (`meridian-test.slack.com`), as `team.info` answers it. */
export const TEAM_DOMAIN = 'meridian-test';
/** The deprecated verification token Slack still sends in payloads; Bolt ignores it. */
const VERIFICATION_TOKEN = 'legacy-verification-token';

// ---- signing and encoding ----

/** The two headers Slack signs each request with. */
export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** Slack's v0 signature: HMAC-SHA256 of `v0:{timestamp}:{raw body}` with the signing secret. */
export function signSlackRequest(secret: string, timestampSeconds: number, rawBody: string): SlackSignatureHeaders {
  const digest = createHmac('sha256', secret).update(`v0:${timestampSeconds}:${rawBody}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}

/** An interactivity payload as Slack posts it: the form field `payload` holding the JSON. */
export function interactivityBody(payload: InteractivityPayload): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

// ---- parts ----

/** A person as payloads name them; `name` defaults to the id in lower case. */
export interface SlackActor {
  id: string;
  name?: string;
}

function userOf(actor: SlackActor, teamId: string): PayloadUser {
  const name = actor.name ?? actor.id.toLowerCase();
  return { id: actor.id, username: name, name, team_id: teamId };
}

interface PayloadUser {
  id: string;
  username: string;
  name: string;
  team_id: string;
}

/**
 * A view as Slack echoes it in a payload: what the app published (title, blocks, ...) plus
 * Slack's own fields. Keys are Slack's (snake_case).
 */
export interface SubmittedView {
  id: string;
  callback_id: string;
  private_metadata?: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash?: string;
  type?: 'modal' | 'home';
  previous_view_id?: string | null;
  root_view_id?: string;
  external_id?: string;
  /** The rest of the view as the app published it (title, blocks, submit, notify_on_close, ...). */
  published?: Record<string, unknown>;
}

function viewEcho(view: SubmittedView, teamId: string): Record<string, unknown> {
  return {
    type: 'modal',
    blocks: [],
    title: { type: 'plain_text', text: 'Meridian' },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: null,
    ...view.published,
    id: view.id,
    team_id: teamId,
    ...(view.type === undefined ? {} : { type: view.type }),
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id,
    state: view.state,
    hash: view.hash ?? '',
    previous_view_id: view.previous_view_id ?? null,
    root_view_id: view.root_view_id ?? view.id,
    app_id: APP_ID,
    external_id: view.external_id ?? '',
    app_installed_team_id: teamId,
    bot_id: BOT_ID,
  };
}

/** A message as payloads carry it. */
export interface PayloadMessage {
  ts: string;
  text: string;
  user?: string;
  blocks?: unknown[];
}

function messageOf(message: PayloadMessage): Record<string, unknown> {
  return {
    type: 'message',
    ts: message.ts,
    user: message.user,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
  };
}

/** One element's action in a block_actions payload, as Slack reports it. */
export interface BlockAction {
  type: string;
  action_id: string;
  block_id: string;
  action_ts: string;
  [field: string]: unknown;
}

/** Any interactivity payload this module builds. */
export type InteractivityPayload = Record<string, unknown> & {
  type: 'block_actions' | 'view_submission' | 'view_closed' | 'message_action';
};

// ---- slash commands ----

/** A slash command as a person typed it. */
export interface SlashCommandInput {
  command: string;
  text: string;
  user: SlackActor;
  channelId: string;
  /** `directmessage` in a DM. */
  channelName: string;
  triggerId: string;
  responseUrl: string;
  teamId?: string;
}

/** A slash command's form fields, in Slack's order. */
export function slashCommandFields(input: SlashCommandInput): Record<string, string> {
  const teamId = input.teamId ?? TEAM_ID;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: TEAM_DOMAIN,
    channel_id: input.channelId,
    channel_name: input.channelName,
    user_id: input.user.id,
    user_name: input.user.name ?? input.user.id.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

/** A slash command as Slack posts it: a form-encoded body. */
export function slashCommandRequest(input: SlashCommandInput): string {
  return new URLSearchParams(slashCommandFields(input)).toString();
}

// ---- interactivity ----

/** A click, choice or date in a message (`message`/`messageTs`) or a modal (`view`). */
export interface BlockActionsInput {
  user: SlackActor;
  action: BlockAction;
  triggerId: string;
  channel?: { id: string; name: string };
  /** The message clicked in; for an ephemeral only its ts is known. */
  message?: PayloadMessage;
  messageTs?: string;
  isEphemeral?: boolean;
  view?: SubmittedView;
  responseUrl?: string;
  teamId?: string;
}

/** A block_actions payload. */
export function blockActionsPayload(input: BlockActionsInput): InteractivityPayload {
  const teamId = input.teamId ?? TEAM_ID;
  const container =
    input.view !== undefined
      ? { type: 'view', view_id: input.view.id }
      : {
          type: 'message',
          message_ts: input.message?.ts ?? input.messageTs,
          channel_id: input.channel?.id,
          is_ephemeral: input.isEphemeral ?? false,
        };
  return {
    type: 'block_actions',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.user, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container,
    trigger_id: input.triggerId,
    ...(input.channel ? { channel: input.channel } : {}),
    ...(input.message ? { message: messageOf(input.message) } : {}),
    ...(input.view ? { view: viewEcho(input.view, teamId) } : {}),
    ...(input.responseUrl ? { response_url: input.responseUrl } : {}),
    actions: [input.action],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A modal's submission. */
export function viewSubmissionPayload(input: {
  user: SlackActor;
  view: SubmittedView;
  triggerId: string;
  teamId?: string;
}): InteractivityPayload {
  const teamId = input.teamId ?? TEAM_ID;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.user, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    view: viewEcho(input.view, teamId),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A modal closed with Cancel (sent only when the view set `notify_on_close`). */
export function viewClosedPayload(input: { user: SlackActor; view: SubmittedView; teamId?: string }): InteractivityPayload {
  const teamId = input.teamId ?? TEAM_ID;
  return {
    type: 'view_closed',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.user, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    view: viewEcho(input.view, teamId),
    is_cleared: false,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A message shortcut chosen from a message's menu: `message_action`. */
export function messageShortcutPayload(input: {
  user: SlackActor;
  callbackId: string;
  triggerId: string;
  actionTs: string;
  channel: { id: string; name: string };
  message: PayloadMessage;
  responseUrl: string;
  teamId?: string;
}): InteractivityPayload {
  const teamId = input.teamId ?? TEAM_ID;
  return {
    type: 'message_action',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.user, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    action_ts: input.actionTs,
    message_ts: input.message.ts,
    channel: input.channel,
    message: messageOf(input.message),
    response_url: input.responseUrl,
    is_enterprise_install: false,
    enterprise: null,
  };
}

// ---- events ----

/** An Events API delivery: an `event_callback` envelope (sent as JSON). */
export function eventCallback(input: {
  eventId: string;
  event: Record<string, unknown>;
  /** Seconds since the epoch. */
  eventTime: number;
  teamId?: string;
}): Record<string, unknown> {
  const teamId = input.teamId ?? TEAM_ID;
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: APP_ID,
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTime,
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
