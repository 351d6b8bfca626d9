/**
 * Requests Slack sends to our app (slash commands, interactivity payloads, events), built the
 * way Slack builds them and signed with the signing secret, so end-to-end tests drive the bot
 * only through real signed HTTP.
 *
 * The builders are pure: no clock, no randomness. Only {@link sendToSlackEndpoint} reads the
 * clock, and only when the test does not pass `now`.
 */
import { createHmac } from 'node:crypto';
import { BOT_USER_ID, TEAM_ID } from '../fakes/fake-slack.js';

const APP_ID = 'A0MERIDIAN';
const TEAM_DOMAIN = 'meridian-test';
/** Deprecated verification token Slack still sends in payloads; Bolt ignores it. */
const VERIFICATION_TOKEN = 'legacy-verification-token';

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

/** A slash command as Slack posts it: a form-encoded body. */
export function slashCommandBody(input: {
  command: string;
  text: string;
  userId: string;
  channelId: string;
  triggerId: string;
  teamId?: string;
  responseUrl?: string;
  userName?: string;
  channelName?: string;
}): string {
  const teamId = input.teamId ?? TEAM_ID;
  return new URLSearchParams({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    team_domain: TEAM_DOMAIN,
    channel_id: input.channelId,
    channel_name: input.channelName ?? 'general',
    user_id: input.userId,
    user_name: input.userName ?? input.userId.toLowerCase(),
    command: input.command,
    text: input.text,
    api_app_id: APP_ID,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? `https://hooks.slack.com/commands/${teamId}/1/fake`,
    trigger_id: input.triggerId,
  }).toString();
}

function payloadBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function userOf(userId: string, teamId: string): Record<string, unknown> {
  return { id: userId, username: userId.toLowerCase(), name: userId.toLowerCase(), team_id: teamId };
}

/** The view part of an interactivity payload, as Slack echoes it back. */
export interface SubmittedView {
  id: string;
  callback_id: string;
  private_metadata?: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash?: string;
}

function viewPayload(view: SubmittedView, teamId: string): Record<string, unknown> {
  return {
    id: view.id,
    team_id: teamId,
    type: 'modal',
    blocks: [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id,
    state: view.state,
    hash: view.hash ?? '1700000000.abcdef',
    title: { type: 'plain_text', text: 'Meridian' },
    clear_on_close: false,
    notify_on_close: false,
    close: null,
    submit: { type: 'plain_text', text: 'Submit' },
    previous_view_id: null,
    root_view_id: view.id,
    app_id: APP_ID,
    external_id: '',
    app_installed_team_id: teamId,
    bot_id: 'B0MERIDIAN',
  };
}

/** A modal submission: `payload=<json>` of type `view_submission`. */
export function viewSubmissionBody(input: { userId: string; view: SubmittedView; teamId?: string; triggerId?: string }): string {
  const teamId = input.teamId ?? TEAM_ID;
  return payloadBody({
    type: 'view_submission',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.userId, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? '1700000000.1.view-submission',
    view: viewPayload(input.view, teamId),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}

/** A button click (or other block action) in a message, or in a modal when `view` is given. */
export function blockActionBody(input: {
  userId: string;
  actionId: string;
  value: string;
  blockId?: string;
  triggerId: string;
  channelId?: string;
  messageTs?: string;
  view?: SubmittedView;
  teamId?: string;
  /** Each click has its own; default one fixed value. */
  actionTs?: string;
  /** A checkboxes element's ticked option values (the action is then of type `checkboxes`). */
  selectedOptions?: string[];
  /** The response_url of a click in a message; default a hooks.slack.com one (which a bot against the fake refuses to call). */
  responseUrl?: string;
}): string {
  const teamId = input.teamId ?? TEAM_ID;
  const inMessage = input.view === undefined && input.messageTs !== undefined;
  const container =
    input.view !== undefined
      ? { type: 'view', view_id: input.view.id }
      : { type: 'message', message_ts: input.messageTs, channel_id: input.channelId, is_ephemeral: false };
  return payloadBody({
    type: 'block_actions',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.userId, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    container,
    trigger_id: input.triggerId,
    ...(input.channelId === undefined ? {} : { channel: { id: input.channelId, name: 'incident' } }),
    ...(inMessage ? { message: { type: 'message', ts: input.messageTs, user: BOT_USER_ID, text: '', blocks: [] } } : {}),
    ...(input.view === undefined ? {} : { view: viewPayload(input.view, teamId) }),
    ...(inMessage ? { response_url: input.responseUrl ?? `https://hooks.slack.com/actions/${teamId}/1/fake` } : {}),
    actions: [
      input.selectedOptions === undefined
        ? {
            type: 'button',
            action_id: input.actionId,
            block_id: input.blockId ?? 'actions',
            value: input.value,
            text: { type: 'plain_text', text: input.actionId },
            action_ts: input.actionTs ?? '1700000000.000001',
          }
        : {
            type: 'checkboxes',
            action_id: input.actionId,
            block_id: input.blockId ?? 'actions',
            selected_options: input.selectedOptions.map((value) => ({ value, text: { type: 'plain_text', text: value } })),
            action_ts: input.actionTs ?? '1700000000.000001',
          },
    ],
    is_enterprise_install: false,
    enterprise: null,
  });
}

/** A message shortcut ("Declare incident from this message"): `payload=` of type `message_action`. */
export function messageShortcutBody(input: {
  userId: string;
  callbackId: string;
  triggerId: string;
  channelId: string;
  message: { ts: string; text: string; user?: string };
  teamId?: string;
}): string {
  const teamId = input.teamId ?? TEAM_ID;
  return payloadBody({
    type: 'message_action',
    team: { id: teamId, domain: TEAM_DOMAIN },
    user: userOf(input.userId, teamId),
    api_app_id: APP_ID,
    token: VERIFICATION_TOKEN,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    action_ts: '1700000000.000002',
    message_ts: input.message.ts,
    channel: { id: input.channelId, name: 'escalations' },
    message: { type: 'message', ts: input.message.ts, text: input.message.text, user: input.message.user },
    response_url: `https://hooks.slack.com/app/${teamId}/1/fake`,
    is_enterprise_install: false,
    enterprise: null,
  });
}

/** An Events API delivery: the JSON of an `event_callback`. */
export function eventBody(input: { eventId: string; event: Record<string, unknown>; teamId?: string; eventTime?: number }): string {
  const teamId = input.teamId ?? TEAM_ID;
  return JSON.stringify({
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: APP_ID,
    event: input.event,
    type: 'event_callback',
    event_id: input.eventId,
    event_time: input.eventTime ?? 1_700_000_000,
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: BOT_USER_ID, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/** How a request reaches the endpoint. */
export interface SendOptions {
  secret: string;
  /** Default: JSON when the body starts with `{`, else form-encoded. */
  contentType?: 'application/x-www-form-urlencoded' | 'application/json';
  /** The clock for the signature timestamp; default the real time. */
  now?: Date;
  /** Overrides the timestamp (seconds), e.g. one 10 minutes old to test the replay guard. */
  timestamp?: number;
  /** Slack's retry of an unacknowledged delivery: sets X-Slack-Retry-Num / -Reason. */
  retryNum?: number;
  retryReason?: string;
  /** `bad` signs with another secret; `missing` sends no signature headers. Default `valid`. */
  signature?: 'valid' | 'bad' | 'missing';
}

/** The endpoint's answer. `json` is set when the body parses as JSON. */
export interface EndpointAnswer {
  status: number;
  text: string;
  json?: unknown;
}

/** POSTs a body to our Slack endpoint, signed (or deliberately not) like Slack does. */
export async function sendToSlackEndpoint(url: string, body: string, opts: SendOptions): Promise<EndpointAnswer> {
  const timestamp = opts.timestamp ?? Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const signature = opts.signature ?? 'valid';
  const headers: Record<string, string> = {
    'content-type': opts.contentType ?? (body.trimStart().startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded'),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (signature !== 'missing') {
    Object.assign(headers, signSlackRequest(signature === 'bad' ? `${opts.secret}-wrong` : opts.secret, timestamp, body));
  }
  if (opts.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(opts.retryNum);
    headers['x-slack-retry-reason'] = opts.retryReason ?? 'http_timeout';
  }
  const res = await fetch(url, { method: 'POST', headers, body });
  const text = await res.text();
  try {
    return { status: res.status, text, json: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, text };
  }
}
